#!/usr/bin/env bash
# bench/glibc-bench.sh - glibc-dce (issue 7): system calls through the trap and
# through the hook, and the wall time of the iperf3 and HTTP examples with the
# stock libc and with glibc-dce, all measured in one run. Prints "name value"
# lines and a markdown table for docs/performance.md.
#   bench/glibc-bench.sh [--quick]
# Needs the glibc-dce build (./bake/bake build, or src/glibc/build.sh
# build/install); DCE_GLIBC_DIR overrides where it is looked for.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
make -s -C "$TOP" -j2 all bench-bins >/dev/null
GDIR=${DCE_GLIBC_DIR:-$TOP/build/install/lib/glibc-dce}
if [ ! -f "$GDIR/libc.so.6" ]; then
	echo "glibc-bench: no glibc-dce build in $GDIR (run: src/glibc/build.sh $TOP/build/install)" >&2
	exit 1
fi
export DCE_GLIBC_DIR=$GDIR
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
N=$([ $QUICK = 1 ] && echo 20000 || echo 200000)
REPS=$([ $QUICK = 1 ] && echo 1 || echo 3)
REQS=$([ $QUICK = 1 ] && echo 10 || echo 50)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
# best wall time of REPS runs of a command (seconds)
best() {
	local b=""
	for _ in $(seq 1 "$REPS"); do
		local t0 t1 d
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "glibc-bench: failed: $*" >&2; return 1; }
		t1=$(now)
		d=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
	done
	printf '%.3f' "$b"
}
r1() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }
r2() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

echo "# system calls: syscall(SYS_getpid) in a loop, TSC cycles inside the program"
cpn=$("$B/bench/syscall-loop" calibrate | awk '{print $3}')
loop() { # NAME ENV... : one dce run of the loop with the given environment
	local name=$1
	shift
	rm -rf "$W/o"
	env "$@" "$B/dce-run" --out "$W/o" --map "$B/bench" "0: $B/bench/syscall-loop getpid $N" >/dev/null
	awk '/cycles_per_call/ {print $3}' "$W/o/files-0/var/log/1000/stdout" > "$W/$name"
}
"$B/bench/syscall-loop" getpid $N | awk '{print $3}' > "$W/native"
loop stock DCE_LIBC=stock
loop dcetrap DCE_LIBC=dce DCE_HOOK=0
loop hook DCE_LIBC=dce
ns() { echo "$(cat "$W/$1") / $cpn" | bc -l | xargs printf '%.1f'; }
native=$(ns native) stock=$(ns stock) dcetrap=$(ns dcetrap) hook=$(ns hook)
echo "native_syscall_ns $native"
echo "trap_stock_libc_ns $stock"
echo "trap_glibc_dce_ns $dcetrap (DCE_HOOK=0)"
echo "hook_glibc_dce_ns $hook"
echo "ratio_trap_over_hook $(r1 "$stock" "$hook")"

echo "# examples: wall time, best of $REPS"
iperf() {
	rm -rf "$W/ip"
	mkdir -p "$W/ip"
	env "$@" "$B/examples/dce-iperf3" --out="$W/ip"
	[ "$(awk 'NR > 1 && $3 != "0"' "$W/ip/exitprocs" | wc -l)" = 0 ]
}
# HTTP: lighttpd on node 1 serves a 200 kB file, curl on node 0 fetches it REQS times
SERVE='mkdir -p /srv && head -c 200000 /dev/urandom > /srv/f && printf "server.document-root = \"/srv\"\nserver.port = 80\n" > /tmp/l.conf && exec lighttpd -D -f /tmp/l.conf'
FETCH="for i in \$(seq 1 $REQS); do curl -s -f -o /tmp/f http://10.1.1.2/f || exit 1; done"
http() {
	rm -rf "$W/ht"
	mkdir -p "$W/ht"
	env "$@" CMD1="$SERVE" CMD0="$FETCH" "$B/examples/dce-two-nodes" --out="$W/ht" --stop=100
	awk 'NR > 1 && $1 == 0 && $6 == "sh" { found = 1; if ($3 != "0") bad = 1 } END { exit !found || bad }' "$W/ht/exitprocs"
}
ip_stock=$(best iperf DCE_LIBC=stock)
ip_dce=$(best iperf DCE_LIBC=dce)
ht_stock=$(best http DCE_LIBC=stock)
ht_dce=$(best http DCE_LIBC=dce)
echo "iperf3_example_stock_s $ip_stock"
echo "iperf3_example_glibc_dce_s $ip_dce"
echo "http_example_stock_s $ht_stock"
echo "http_example_glibc_dce_s $ht_dce"

cat <<MD

| measure | stock libc (trap) | glibc-dce (hook) | ratio |
|---|---|---|---|
| system call, syscall(SYS_getpid) | ${stock} ns | ${hook} ns | $(r1 "$stock" "$hook")x faster |
| same call, glibc-dce with DCE_HOOK=0 (trap) | ${dcetrap} ns | | |
| native (no dce), same run | ${native} ns | | |
| dce-iperf3 example, wall time | ${ip_stock} s | ${ip_dce} s | $(r2 "$ip_stock" "$ip_dce")x |
| HTTP: lighttpd + ${REQS} curl fetches of 200 kB (dce-two-nodes), wall time | ${ht_stock} s | ${ht_dce} s | $(r2 "$ht_stock" "$ht_dce")x |
MD
