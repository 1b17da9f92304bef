#!/usr/bin/env bash
# test/glibc-slow - glibc-dce end to end (runs with DCE_SLOW=1): builds (or takes
# from ~/.cache/dce/glibc) Debian's glibc with dce's hook into build/install, checks
# its ABI against the system's libc, then runs the fast glibc suite and the core,
# filesystem, process, network and Linux-stack suites (which run every example) once with each
# libc: DCE_LIBC=stock and DCE_LIBC=dce.
source "$(dirname "$0")/../lib.sh"
build_once
INSTALL=${DCE_INSTALLDIR:-$TOP/build/install}
GDIR=$INSTALL/lib/glibc-dce
t0=$(date +%s)
if "$TOP/src/glibc/build.sh" "$INSTALL" "$(nproc)" >"$SCRATCH/build.log" 2>&1; then
	ok "glibc-dce built or taken from the cache ($(( $(date +%s) - t0 )) s): $(grep -m1 built "$GDIR/BUILD-INFO")"
else
	notok "glibc-dce build (log: last lines below)"
	tail -20 "$SCRATCH/build.log" | sed 's/^/# /'
	finish
	exit 1
fi

# Same ABI: the same dynamic symbols with the same versions as the system's libc,
# and ld.so's; the hook slot is not exported.
syms() { objdump -T "$1" | awk '$NF != "" && $2 ~ /^[gw]/ {print $(NF-1), $NF}' | sort -u; }
for pair in "libc.so.6:/lib/x86_64-linux-gnu/libc.so.6" "ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2" \
	"libm.so.6:/lib/x86_64-linux-gnu/libm.so.6"; do
	ours=$GDIR/${pair%%:*} sys=${pair#*:}
	syms "$ours" > "$SCRATCH/ours"
	syms "$sys" > "$SCRATCH/sys"
	check "${pair%%:*}: exported symbols and versions equal the system's" cmp -s "$SCRATCH/ours" "$SCRATCH/sys"
	diff "$SCRATCH/sys" "$SCRATCH/ours" | head -5 | sed 's/^/# /'
done
check "the hook slot is hidden" bash -c "! objdump -T $GDIR/libc.so.6 $GDIR/ld-linux-x86-64.so.2 | grep -q __dce_syscall_hook"
check "stock Debian binaries run natively on glibc-dce (ls, python3)" \
	bash -c "'$GDIR/ld-linux-x86-64.so.2' --library-path '$GDIR' /bin/ls / >/dev/null &&
	         [ \"\$('$GDIR/ld-linux-x86-64.so.2' --library-path '$GDIR' /usr/bin/python3 -c 'print(6*7)')\" = 42 ]"

export DCE_GLIBC_DIR=$GDIR
for libc in stock dce; do
	for suite in glibc core core-fs core-proc net linux; do
		[ -x "$TOP/test/$suite/run.sh" ] || continue
		if DCE_LIBC=$libc bash "$TOP/test/$suite/run.sh" >"$SCRATCH/$suite-$libc.log" 2>&1; then
			ok "DCE_LIBC=$libc: test/$suite ($(grep -m1 '^# .* passed' "$SCRATCH/$suite-$libc.log" | sed 's/^# //'))"
		else
			notok "DCE_LIBC=$libc: test/$suite"
			grep '^not ok' "$SCRATCH/$suite-$libc.log" | head -10 | sed 's/^/# /'
		fi
	done
done
finish
