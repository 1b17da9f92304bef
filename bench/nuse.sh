#!/usr/bin/env bash
# bench/nuse.sh - dce-nuse (issue 17) against the host kernel on the same veth, in
# one run: iperf3 throughput both ways, ping RTT, CPU per Gbit and the start-up
# time of a stack. Prints "name value" lines and a markdown table for
# docs/performance.md. Needs root (namespaces, raw sockets).
#   bench/nuse.sh [--quick]
# The server side is the host kernel in namespace S (veth end vs, 10.77.0.1);
# the client side is namespace C: its veth end vc carries both the host kernel
# (10.77.0.3, the baseline) and the NUSE stack (10.77.0.2, its own MAC, through
# an AF_PACKET socket on vc).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
[ "$(id -u)" = 0 ] || { echo "nuse.sh: needs root (network namespaces, raw sockets)" >&2; exit 1; }
make -s -C "$TOP" -j2 "$B/dce-nuse" BUILDDIR="$B" >/dev/null
export DCE_LINUX_LIBRARY=${DCE_LINUX_LIBRARY:-$("$TOP/src/kernel/build.sh" 2>/dev/null)}
T=5 REPS=3 PINGS=50
[ "${1:-}" = --quick ] && { T=2; REPS=1; PINGS=10; }
S=nuseb-s$$ C=nuseb-c$$
W=$(mktemp -d)
cleanup() {
	for n in "$S" "$C"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$n" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT
ip netns add "$S"
ip netns add "$C"
ip link add vs netns "$S" type veth peer name vc netns "$C"
ip -n "$S" addr add 10.77.0.1/24 dev vs
ip -n "$S" link set vs up
ip -n "$S" link set lo up
ip -n "$C" addr add 10.77.0.3/24 dev vc
ip -n "$C" link set vc up
ip -n "$C" link set lo up
# the raw socket gets whole, checksummed frames: no segmentation offload towards it
ip netns exec "$S" ethtool -K vs tx off tso off gso off >/dev/null
ip netns exec "$C" ethtool -K vc tx off tso off gso off gro off >/dev/null
ip netns exec "$S" iperf3 -s -B 10.77.0.1 -p 5201 -D
sleep 0.5
NUSE="$B/dce-nuse --raw vc --addr 10.77.0.2/24"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# iperf3 NAME CMD...: best of REPS; prints Mbit/s and CPU s per Gbit: user+sys
# time of the client's process (for NUSE that is the whole stack and its raw
# socket; for the host kernel, what its iperf3 spent in the kernel and in user space)
iperf() {
	local name=$1 best=0 cpu=0 bps c dur secs=1
	shift
	for _ in $(seq "$REPS"); do
		local TIMEFORMAT='%U %S'
		{ time ip netns exec "$C" "$@" -J >"$W/$name.json" 2>/dev/null; } 2>"$W/$name.cpu" || true
		bps=$(json "$W/$name.json" 'int(d["end"]["sum_received"]["bits_per_second"])' 2>/dev/null || echo 0)
		dur=$(json "$W/$name.json" 'd["end"]["sum_received"]["seconds"]' 2>/dev/null || echo 1)
		c=$(awk '{ print $1 + $2 }' "$W/$name.cpu")
		if [ "$bps" -gt "$best" ]; then best=$bps; cpu=$c; secs=$dur; fi
	done
	echo "$name-mbps $((best / 1000000))"
	[ "$best" -gt 0 ] && awk -v c="$cpu" -v b="$best" -v n="$name" \
		-v s="$secs" 'BEGIN { printf "%s-cpu-s-per-gbit %.2f\n", n, c / (b * s / 1e9) }'
}
rtt() { # NAME CMD...: average RTT in us
	local name=$1
	shift
	ip netns exec "$C" "$@" >"$W/$name.ping" 2>&1 || true
	awk -F/ -v n="$name" '/^rtt/ { printf "%s-rtt-us %.0f\n", n, $5 * 1000 }' "$W/$name.ping"
}
{
	iperf host-up iperf3 -c 10.77.0.1 -B 10.77.0.3 -t "$T"
	iperf nuse-up $NUSE -- iperf3 -c 10.77.0.1 -t "$T"
	iperf host-down iperf3 -c 10.77.0.1 -B 10.77.0.3 -t "$T" -R
	iperf nuse-down $NUSE -- iperf3 -c 10.77.0.1 -t "$T" -R
	rtt host ping -c "$PINGS" -i 0.02 -I 10.77.0.3 10.77.0.1
	rtt nuse $NUSE -- ping -c "$PINGS" -i 0.02 10.77.0.1
	# start-up: the stack ready (kernel booted, eth0 configured), and a whole run of
	# `true` against the same program on the host
	best_ms=999999
	for _ in $(seq 5); do
		ms=$(ip netns exec "$C" $NUSE --boot-time -- true 2>&1 | awk '/stack ready/ { print $5 }')
		best_ms=$(awk -v a="$ms" -v b="$best_ms" 'BEGIN { print (a < b ? a : b) }')
	done
	echo "nuse-stack-ready-ms $best_ms"
	s0=$(date +%s%N)
	ip netns exec "$C" $NUSE -- true
	s1=$(date +%s%N)
	echo "nuse-run-true-ms $(((s1 - s0) / 1000000))"
} | tee "$W/figures"
f() { awk -v k="$1" '$1 == k { print $2 }' "$W/figures"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
echo
echo "| measure ($(nproc) cores, veth, $T s) | host kernel | dce-nuse | ratio |"
echo "| --- | --- | --- | --- |"
echo "| iperf3 NUSE/host -> host kernel, Mbit/s | $(f host-up-mbps) | $(f nuse-up-mbps) | $(ratio "$(f nuse-up-mbps)" "$(f host-up-mbps)") |"
echo "| iperf3 host kernel -> NUSE/host, Mbit/s | $(f host-down-mbps) | $(f nuse-down-mbps) | $(ratio "$(f nuse-down-mbps)" "$(f host-down-mbps)") |"
echo "| CPU s per Gbit sent (client process, user+sys) | $(f host-up-cpu-s-per-gbit) | $(f nuse-up-cpu-s-per-gbit) | $(ratio "$(f nuse-up-cpu-s-per-gbit)" "$(f host-up-cpu-s-per-gbit)") |"
echo "| CPU s per Gbit received (client process) | $(f host-down-cpu-s-per-gbit) | $(f nuse-down-cpu-s-per-gbit) | $(ratio "$(f nuse-down-cpu-s-per-gbit)" "$(f host-down-cpu-s-per-gbit)") |"
echo "| ping RTT, us | $(f host-rtt-us) | $(f nuse-rtt-us) | $(ratio "$(f nuse-rtt-us)" "$(f host-rtt-us)") |"
echo "| start-up: stack ready, ms | - | $(f nuse-stack-ready-ms) | |"
echo "| start-up: dce-nuse -- true, ms | - | $(f nuse-run-true-ms) | |"
