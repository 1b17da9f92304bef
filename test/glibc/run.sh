#!/usr/bin/env bash
# test/glibc - the glibc hook (issue 7), fast part: the hook entry exercised by a
# probe that issues system calls with glibc-dce's own instruction sequence (no
# glibc build needed), the DCE_LIBC/DCE_HOOK switch, and — when a glibc-dce build
# is present (build/install/lib/glibc-dce or DCE_GLIBC_DIR) — test programs with
# both libcs. The full suites and examples with both libcs: test/glibc-slow.
source "$(dirname "$0")/../lib.sh"
build_once
GDIR=${DCE_GLIBC_DIR:-$TOP/build/install/lib/glibc-dce}
unset DCE_LIBC DCE_HOOK DCE_GLIBC_DIR

PROBE=$SCRATCH/bin/hook-probe
mkdir -p "$SCRATCH/bin"
check "hook-probe compiles" gcc -O1 -Wall -Wextra -Werror "$TOP/test/glibc/hook-probe.c" -o "$PROBE"

# Natively the registration call fails with ENOSYS and every call is a real syscall.
"$PROBE" >"$SCRATCH/native.out" 2>&1
check "natively: registration refused, all probe checks pass" grep -qx "mode native" "$SCRATCH/native.out"
check "natively: 0 failures" grep -qx "0 failures" "$SCRATCH/native.out"

probe_in_dce() { # NAME ENV... : runs the probe in dce with the given environment
	local name=$1
	shift
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	env "$@" "$DCE_RUN" --out "$OUT" --map "$SCRATCH/bin" "0: $PROBE" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
probe_in_dce hooked DCE_LIBC=stock
S=$(stdout_of 0 1000)
check "dce: the probe's slot is set (mode hooked)" grep -qx "mode hooked" "$S"
for t in getpid write "error result" "a hooked call with DF set copies forwards" "the program's DF comes back" "general registers preserved" "xmm registers preserved" \
	"signal handler runs after a hooked kill" "SA_RESTART restarts a hooked read" "hooked fork and wait4"; do
	check "dce hook: $t" grep -qx "PASS $t" "$S"
done
check "dce hook: probe exits 0" grep -qx "exit: 0" "$(status_of 0 1000)"
check "dce hook: no unknown system call" bash -c "! grep -q unknown-syscall $OUT/files-0/var/log/*/status"

probe_in_dce nohook DCE_LIBC=stock DCE_HOOK=0
check "DCE_HOOK=0: registration refused, every call traps, probe passes" \
	bash -c "grep -qx 'mode native' $(stdout_of 0 1000) && grep -qx '0 failures' $(stdout_of 0 1000)"

# The switch
OUT=$SCRATCH/bad
DCE_LIBC=libc5 "$DCE_RUN" --out "$OUT" "0: /bin/true" >"$SCRATCH/bad.log" 2>&1
rc=$?
check "DCE_LIBC=libc5 is refused with a message" \
	bash -c "[ $rc -ne 0 ] && grep -q 'DCE_LIBC=stock or DCE_LIBC=dce' $SCRATCH/bad.log"
DCE_LIBC=dce DCE_GLIBC_DIR=/nonexistent "$DCE_RUN" --out "$OUT" "0: /bin/true" >"$SCRATCH/bad.log" 2>&1
rc=$?
check "DCE_LIBC=dce without a build fails and says why" \
	bash -c "[ $rc -ne 0 ] && grep -q 'no glibc-dce build was found' $SCRATCH/bad.log"
DCE_LIBC=stock DCE_TRACE=1 "$DCE_RUN" --out "$OUT" "0: /bin/true" >"$SCRATCH/stock.log" 2>&1
check "DCE_LIBC=stock: the system libc, no hook registered" \
	bash -c "! grep -q 'glibc-dce:' $SCRATCH/stock.log && grep -qx 'exit: 0' $OUT/files-0/var/log/1000/status"

if [ -f "$GDIR/libc.so.6" ]; then
	export DCE_GLIBC_DIR=$GDIR
	DCE_LIBC=dce DCE_TRACE=1 "$DCE_RUN" --out "$OUT" "0: /bin/true" >"$SCRATCH/dce.log" 2>&1
	check "DCE_LIBC=dce: ld.so and libc register their hooks" \
		bash -c "grep -q 'glibc-dce: ld.so hook' $SCRATCH/dce.log && grep -q 'glibc-dce: libc hook' $SCRATCH/dce.log"
	# hooked calls cost a fraction of trapped ones (syscall(SYS_getpid) in a loop)
	make -s -C "$TOP" bench-bins >/dev/null
	cyc() { DCE_LIBC=$1 DCE_HOOK=$2 "$DCE_RUN" --out "$SCRATCH/loop" --map "$BUILD/bench" \
		"0: $BUILD/bench/syscall-loop getpid 20000" >/dev/null 2>&1 &&
		awk '/cycles_per_call/ {printf "%d", $3}' "$SCRATCH/loop/files-0/var/log/1000/stdout"; }
	trap_c=$(cyc dce 0)
	hook_c=$(cyc dce 1)
	echo "# syscall(SYS_getpid) in dce: glibc-dce trapped $trap_c cycles, hooked $hook_c cycles"
	# Without FSGSBASE (HWCAP2 bit 1; some VMs hide it) both paths switch FS with two
	# arch_prctl calls, which then dominate: the hook only saves the SIGSYS delivery.
	hwcap2=$(LD_SHOW_AUXV=1 /bin/true | sed -n 's/^AT_HWCAP2: *//p')
	if [ $(( ${hwcap2:-0} & 2 )) -ne 0 ]; then
		check "DCE_LIBC=dce: hooked calls cost less than half a trapped one" \
			bash -c "[ -n '$trap_c' ] && [ -n '$hook_c' ] && [ $((${hook_c:-0} * 2)) -lt ${trap_c:-0} ]"
	else
		check "DCE_LIBC=dce: hooked calls cost less than trapped ones (no FSGSBASE here)" \
			bash -c "[ -n '$trap_c' ] && [ -n '$hook_c' ] && [ ${hook_c:-0} -lt ${trap_c:-0} ]"
	fi
	# our test programs: same output with both libcs
	for prog in "hello" "pthread-test" "signal-test" "spawn-test" "fork-threads" "random-test"; do
		[ -x "$PROGS/$prog" ] || continue
		for libc in stock dce; do
			DCE_LIBC=$libc run_dce "$prog-$libc" "0: $PROGS/$prog"
			cat "$OUT"/files-0/var/log/*/stdout > "$SCRATCH/$prog-$libc.out" 2>/dev/null
			cut -d' ' -f1-3 "$OUT/exitprocs" > "$SCRATCH/$prog-$libc.exit" 2>/dev/null
		done
		check "$prog: same output and exit statuses with both libcs" \
			bash -c "cmp -s $SCRATCH/$prog-stock.out $SCRATCH/$prog-dce.out && cmp -s $SCRATCH/$prog-stock.exit $SCRATCH/$prog-dce.exit"
	done
	# glibc-dce outside dce behaves like the system glibc
	check "glibc-dce natively (ld.so --library-path): /bin/echo works" \
		bash -c "[ \"\$('$GDIR/ld-linux-x86-64.so.2' --library-path '$GDIR' /bin/echo native-ok)\" = native-ok ]"
else
	echo "ok - # SKIP glibc-dce is not built ($GDIR): DCE_LIBC=dce checks are in test/glibc-slow"
fi
finish
