#!/usr/bin/env bash
# rewrite: `syscall` sites rewritten into calls (src/libc-ns3/rewrite.c) behave
# exactly as trapped ones: results, errno, SA_RESTART and EINTR with a signal
# arriving during the call, a jump into the middle of a rewritten pattern, a
# program changing its own code; the outputs are byte-identical with
# DCE_REWRITE=0, in both Syscall User Dispatch modes; stock Debian programs
# (bash, a static busybox when installed) run the same rewritten. Calls served
# in program context (fastcall.c) give the full entry's results, under a storm
# of host signals too, from C, glibc-dce, a static busybox and Go.
set -u
cd "$(dirname "$0")/../.."
make -j2 >/dev/null 2>&1 || { sleep 5; make -j2 >/dev/null 2>&1; } || { echo "not ok - make"; exit 1; }
RUN=$PWD/build/dce/dce-run
TP=$PWD/build/dce/test-programs
W=$(mktemp -d /tmp/dce-rewrite.XXXXXX)
trap 'rm -rf "$W"' EXIT
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fails=$((fails + 1)); }
# run OUTDIR ENV... -- scenario-args...
run() {
	local out=$1; shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -rf "$out"
	env "${envs[@]}" timeout 120 "$RUN" -o "$out" --map "$TP" --map "$W" "$@" >"$out.log" 2>&1
}
same() { # name, file a, file b
	if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else
		notok "$1"; diff "$2" "$3" 2>&1 | head -10 | sed 's/^/#   /'; fi
}
stdout() { echo "$1/files-0/var/log/$2/stdout"; }

expected="getpid same 1
registers kept 1 rcx 1
errno -1 EBADF -1 EBADF 0 0
errno -1 EBADF -1 EBADF 0 0
errno -1 EBADF -1 EBADF 0 0
restart 1 x 0 handlers 1
restart 1 x 0 handlers 2
restart 1 x 0 handlers 3
interrupt -1 EINTR handlers 4
interrupt -1 EINTR handlers 5
interrupt -1 EINTR handlers 6
mid getuid 1 getppid 1
mid getuid 1 getppid 1
mid getuid 1 getppid 1
own code b8 27 00 00 00 0f 05
self-modified ok 1"

for mode in address selector; do
	sud=()
	[ $mode = selector ] && sud=(DCE_SUD=selector)
	run "$W/on-$mode" DCE_LIBC=stock DCE_TRACE=1 "${sud[@]}" -- "0: $TP/rewrite-test"
	run "$W/off-$mode" DCE_LIBC=stock DCE_REWRITE=0 DCE_TRACE=1 "${sud[@]}" -- "0: $TP/rewrite-test"
	if [ "$(cat "$(stdout "$W/on-$mode" 1000)" 2>/dev/null)" == "$expected" ]; then
		ok "rewritten sites behave as trapped ones ($mode)"
	else
		notok "rewritten sites behave as trapped ones ($mode)"
		diff <(echo "$expected") "$(stdout "$W/on-$mode" 1000)" 2>&1 | head -20 | sed 's/^/#   /'
	fi
	same "DCE_REWRITE=0 gives the same output ($mode)" "$(stdout "$W/on-$mode" 1000)" "$(stdout "$W/off-$mode" 1000)"
	same "and the same status file ($mode)" "$W/on-$mode/files-0/var/log/1000/status" \
		"$W/off-$mode/files-0/var/log/1000/status"
	n=$(grep -c '^\[rewrite\] site' "$W/on-$mode.log")
	m=$(grep -c '^\[rewrite\] site' "$W/off-$mode.log")
	if [ "$n" -ge 5 ] && [ "$m" = 0 ]; then ok "sites were rewritten ($n; none with DCE_REWRITE=0) ($mode)"; else
		notok "sites were rewritten ($n with, $m without) ($mode)"; fi
	# every call after a site's first is served through the rewritten code: the
	# trace shows the same calls and results either way (arguments aside: an
	# argument register the call does not use may hold what rcx held, the
	# address after the last `syscall`, which is in a trampoline for B and C)
	strip() { grep -v '^\[rewrite\]' "$1" | grep '^\[' | sed 's/(.*) =/ =/'; }
	strip "$W/on-$mode.log" > "$W/t-on"
	strip "$W/off-$mode.log" > "$W/t-off"
	same "the same system calls are served ($mode)" "$W/t-on" "$W/t-off"
done

# the fast path runs C with the program's FS base: its code must read no TLS
# (stack protector, errno), touch no vector register (only general ones are
# saved), make no system call and call nothing but the vDSO counter's leaf and
# the two accessors of program memory (fastcall_user.S)
dis() { objdump -d --no-show-raw-insn "$RUN" --disassemble="$1" 2>/dev/null | sed -n "/<$1>:/,/^\$/p"; }
fc=$(dis dce_fastcall; dis dce_vdso_over_limit; dis dce_fast_probe; dis dce_fast_copy; dis dce_fast_user_fault)
if [ -z "$fc" ] || ! command -v objdump >/dev/null; then
	echo "ok - # SKIP fast path code check: objdump (binutils) or the symbols are missing"
elif bad=$(grep -E '%fs|%gs|[xyz]mm[0-9]|syscall|call ' <<<"$fc" | grep -Ev 'call .*<(dce_vdso_over_limit|dce_fast_probe|dce_fast_copy)>'); then
	notok "fast path code: no TLS, vector registers, system calls or calls"; echo "$bad" | head -5 | sed 's/^/#   /'
else ok "fast path code: no TLS, vector registers, system calls or calls ($(grep -c . <<<"$fc") lines checked)"; fi

# calls served in program context (src/libc-ns3/fastcall.c): getpid and friends
# give what the full entry gives (DCE_FASTCALL=0), through a rewritten site and
# through glibc-dce's hook, and cost a fraction of it
GDIR=${DCE_GLIBC_DIR:-$PWD/build/install/lib/glibc-dce}
[ -f "$GDIR/libc.so.6" ] || GDIR=$(dirname "$(ls ~/.cache/dce/glibc/*/libc.so.6 2>/dev/null | head -1)" 2>/dev/null || true)
libcs=(stock)
[ -f "$GDIR/libc.so.6" ] && libcs+=(dce)
[ -f "$GDIR/libc.so.6" ] || echo "ok - # SKIP fast calls through glibc-dce's hook: no glibc-dce build"
for libc in "${libcs[@]}"; do
	for mode in ids signal; do
		run "$W/fc-$libc-$mode" DCE_LIBC=$libc DCE_GLIBC_DIR="$GDIR" -- "0: $TP/fastcall-test $mode"
		run "$W/fc0-$libc-$mode" DCE_LIBC=$libc DCE_GLIBC_DIR="$GDIR" DCE_FASTCALL=0 -- "0: $TP/fastcall-test $mode"
		same "fast calls ($mode, $libc libc): the same output as the full entry" \
			"$(stdout "$W/fc-$libc-$mode" 1000)" "$(stdout "$W/fc0-$libc-$mode" 1000)"
	done
	o=$(cat "$(stdout "$W/fc-$libc-ids" 1000)" 2>/dev/null)
	if [ "$(grep -c 'same 1 libc 1$' <<<"$o")" = 3 ] && grep -q '^thread pid 1000 ppid 1 tid-pid 1 ' <<<"$o" &&
		grep -q '^child pid 1002 ppid 1000 tid-pid 0 uid 1 euid 2 gid 5 egid 6 pgrp-pid 0 ' <<<"$o"; then
		ok "fast calls ($libc libc): ids of a process, a thread and a child with its own ids and group"
	else notok "fast calls ($libc libc): ids"; echo "$o" | sed 's/^/#   /'; fi
	if grep -q '^signals 2: SIGUSR1 after [0-9]* calls, SIGUSR2' "$(stdout "$W/fc-$libc-signal" 1000)"; then
		ok "fast calls ($libc libc): a getpid loop sleeps its cost off and gets its signals"
	else notok "fast calls ($libc libc): signals in a getpid loop"; cat "$(stdout "$W/fc-$libc-signal" 1000)" | sed 's/^/#   /'; fi
	run "$W/ft-$libc" DCE_LIBC=$libc DCE_GLIBC_DIR="$GDIR" -- "0: $TP/fastcall-test time"
	run "$W/ft0-$libc" DCE_LIBC=$libc DCE_GLIBC_DIR="$GDIR" DCE_FASTCALL=0 -- "0: $TP/fastcall-test time"
	read -r _ _ fs _ fl < "$(stdout "$W/ft-$libc" 1000)" || true
	read -r _ _ ss _ sl < "$(stdout "$W/ft0-$libc" 1000)" || true
	if [ -n "${fs:-}" ] && [ -n "${ss:-}" ] && [ $((fs * 10)) -lt "$ss" ] && [ $((fl * 10)) -lt "$sl" ]; then
		ok "fast getpid ($libc libc): $fs cycles at a site, $fl through libc, against $ss and $sl with the full entry"
	else notok "fast getpid ($libc libc): ${fs:-?}/${fl:-?} cycles against ${ss:-?}/${sl:-?} with the full entry"; fi
done
# the rewrite test's own checks (registers kept, restarts, EINTR) with no trace,
# which takes its getpid and getppid through the fast path
run "$W/rt-fast" DCE_LIBC=stock -- "0: $TP/rewrite-test"
if [ "$(cat "$(stdout "$W/rt-fast" 1000)" 2>/dev/null)" == "$expected" ]; then
	ok "rewritten sites with fast calls behave as trapped ones"
else notok "rewritten sites with fast calls behave as trapped ones"
	diff <(echo "$expected") "$(stdout "$W/rt-fast" 1000)" 2>&1 | head -20 | sed 's/^/#   /'; fi
# a storm of host signals (the watchdog's SIGVTALRM, thousands a second) landing
# anywhere in 40 million fast calls, in both dispatch modes
for mode in address selector; do
	sud=()
	[ $mode = selector ] && sud=(DCE_SUD=selector)
	rm -rf "$W/storm-$mode"
	env DCE_LIBC=stock "${sud[@]}" "$RUN" -o "$W/storm-$mode" --map "$TP" "0: $TP/fastcall-test loop 20000000" \
		>"$W/storm-$mode.log" 2>&1 &
	pid=$!
	sent=0
	for _ in $(seq 1 200000); do
		kill -VTALRM $pid 2>/dev/null || break
		sent=$((sent + 1))
	done
	wait $pid
	rc=$?
	o=$(cat "$(stdout "$W/storm-$mode" 1000)" 2>/dev/null)
	if [ $rc = 0 ] && [ "$o" = "loop 20000000 bad 0" ]; then
		ok "fast calls under $sent host signals ($mode)"
	else notok "fast calls under $sent host signals ($mode): rc $rc, $o"; tail -3 "$W/storm-$mode.log" | sed 's/^/#   /'; fi
done

# a stock program with many sites: bash running a pipeline and $(...) in a loop
script='s=0; for i in 1 2 3 4 5 6 7 8 9 10; do s=$((s + $(echo $i | wc -c))); done; echo sum $s; ls / | sort | head -3'
run "$W/bash-on" DCE_LIBC=stock -- "0: /bin/bash -c '$script'"
run "$W/bash-off" DCE_LIBC=stock DCE_REWRITE=0 -- "0: /bin/bash -c '$script'"
if grep -q "^sum 21" "$(stdout "$W/bash-on" 1000)"; then ok "bash with rewriting"; else
	notok "bash with rewriting"; tail -5 "$W/bash-on.log" | sed 's/^/#   /'; fi
same "bash: the same output without rewriting" "$(stdout "$W/bash-on" 1000)" "$(stdout "$W/bash-off" 1000)"

# many processes at once: shells that fork pipelines and $(...) on 40 nodes. The
# trampolines must stay where they are while images and heaps come and go (a
# chunk placed in a heap's reserved room was replaced by the heap: SIGSEGV in sh)
args=()
for i in $(seq 0 39); do args+=("$i: /bin/sh -c 'seq 1 2000 | sort -rn | head -2 | tr \"\\n\" \" \"; echo \$(echo node $i)'"); done
run "$W/many" DCE_LIBC=stock -- "${args[@]}"
bad=0
for i in $(seq 0 39); do
	[ "$(cat "$W/many/files-$i/var/log/1000/stdout" 2>/dev/null)" = "2000 1999 node $i" ] || bad=$((bad + 1))
done
if [ $bad = 0 ]; then ok "40 nodes of forking shells with rewriting: every output right"; else
	notok "40 nodes of forking shells with rewriting: every output right ($bad wrong)"; grep -m3 SIGSEGV "$W/many.log" | sed 's/^/#   /'; fi

# a static program: Debian's busybox-static, unpacked from its package (cached;
# not installed: it conflicts with the dynamic busybox other suites may install)
DEBS=${DCE_CACHE:-$HOME/.cache/dce}/debs
mkdir -p "$DEBS"
ls "$DEBS"/busybox-static_*.deb >/dev/null 2>&1 ||
	(cd "$DEBS" && apt-get download busybox-static >/dev/null 2>&1) ||
	(apt-get update -qq >/dev/null 2>&1; cd "$DEBS" && apt-get download busybox-static >/dev/null 2>&1)
BB=$W/bb/bin/busybox
if ls "$DEBS"/busybox-static_*.deb >/dev/null 2>&1 && dpkg-deb -x "$(ls "$DEBS"/busybox-static_*.deb | head -1)" "$W/bb" &&
	[ -x "$BB" ]; then
	cmd="0: $BB sh -c 'echo static \$($BB echo ok); $BB cat /etc/hostname | $BB wc -l'"
	run "$W/bb-on" DCE_LIBC=stock DCE_TRACE=1 -- "$cmd"
	run "$W/bb-off" DCE_LIBC=stock DCE_REWRITE=0 -- "$cmd"
	if grep -q "^static ok" "$(stdout "$W/bb-on" 1000)" && grep -q '^\[rewrite\] site' "$W/bb-on.log"; then
		ok "static busybox, rewritten"; else notok "static busybox, rewritten"; tail -5 "$W/bb-on.log" | sed 's/^/#   /'; fi
	same "static busybox: the same output without rewriting" "$(stdout "$W/bb-on" 1000)" "$(stdout "$W/bb-off" 1000)"
	cmd="0: $BB sh -c 'echo \$\$ \$PPID; $BB id; $BB id -u'"
	run "$W/bbf-on" DCE_LIBC=stock -- "$cmd"
	run "$W/bbf-off" DCE_LIBC=stock DCE_FASTCALL=0 -- "$cmd"
	if grep -q '^1000 1$' "$(stdout "$W/bbf-on" 1000)"; then ok "static busybox: ids through fast calls"; else
		notok "static busybox: ids through fast calls"; cat "$(stdout "$W/bbf-on" 1000)" | sed 's/^/#   /'; fi
	same "static busybox: the same ids with the full entry" "$(stdout "$W/bbf-on" 1000)" "$(stdout "$W/bbf-off" 1000)"
else
	notok "busybox-static: apt-get download busybox-static failed"
fi

# a Go program (static, non-PIE; the runtime's own sites and Syscall6, pattern C)
if command -v go >/dev/null; then
	export GOCACHE=${DCE_CACHE:-$HOME/.cache/dce}/go-build GO111MODULE=off
	mkdir -p "$GOCACHE" "$W/go"
	if go build -o "$W/go/gocheck" test/go/src/gocheck.go 2>/dev/null; then
		goargs="0: $W/go/gocheck recover threads timers"
		run "$W/go-on" DCE_TRACE=1 -- "$goargs"
		run "$W/go-off" DCE_REWRITE=0 -- "$goargs"
		if grep -q '^\[rewrite\] site .* pattern C' "$W/go-on.log" && grep -q '^timers' "$(stdout "$W/go-on" 1000)"; then
			ok "Go: Syscall6 and the runtime's sites rewritten"; else
			notok "Go: Syscall6 and the runtime's sites rewritten"; tail -5 "$W/go-on.log" | sed 's/^/#   /'; fi
		same "Go: the same output without rewriting" "$(stdout "$W/go-on" 1000)" "$(stdout "$W/go-off" 1000)"
		run "$W/go-fast" -- "$goargs" # no trace: Gettid and friends take the fast path
		same "Go: the same output with fast calls" "$(stdout "$W/go-fast" 1000)" "$(stdout "$W/go-off" 1000)"
	else
		notok "go build gocheck"
	fi
else
	echo "ok - # SKIP Go: golang-go is not installed (test/go installs it as root)"
fi
[ $fails = 0 ]
