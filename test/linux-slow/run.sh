#!/usr/bin/env bash
# test/linux-slow - advanced mode at scale: a 64-node line of Linux routers (64
# kernel instances, each forwarding with its own routing table) and 200 idle
# Linux-stack nodes, whose memory per node is compared with ns-3-stack nodes in
# the same run; and every congestion control the kernel builds on one bottleneck
# each. DCE_KERNEL_VERSION=6.1 or 6.12 picks the kernel (default: build.sh's).
source "$(dirname "$0")/../lib.sh"
build_once
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || { echo "not ok - kernel library builds"; exit 1; }
export DCE_LINUX_LIBRARY=$lib
EX=$BUILD/examples

OUT=$SCRATCH/chain
mkdir -p "$OUT"
"$EX/dce-linux-chain" --out="$OUT" --nodes=64 >"$OUT.log" 2>&1
check "64 Linux nodes: every process exits 0" \
	sh -c "awk 'NR > 1 && \$3 != 0 { bad = 1 } END { exit bad }' '$OUT/exitprocs' && test \$(wc -l < '$OUT/exitprocs') = 4"
check "ping crosses 62 Linux routers (ttl 64 - 62 = 2)" \
	sh -c "grep -q '2 received, 0% packet loss' '$OUT/files-0/var/log/1000/stdout' && grep -q 'ttl=2 ' '$OUT/files-0/var/log/1000/stdout'"
check "iperf3 across the 63 links" grep -q receiver "$OUT/files-63/var/log/1000/stdout"

mem() { # STACK: private dirty KiB of 200 idle nodes
	"$EX/dce-linux-idle" --out="$SCRATCH/idle-$1" --nodes=200 --stack="$1" 2>/dev/null |
		awk '/^memory:/ { for (i = 1; i < NF; i++) if ($i == "private-dirty-kb") print $(i + 1) }'
}
l=$(mem linux)
n=$(mem ns3)
per=$(( (l - n) / 200 ))
echo "# 200 idle nodes, private dirty memory: linux $l KiB, ns-3 stack $n KiB: $per KiB per kernel"
check "a kernel instance costs a node less than 6 MiB of private memory ($per KiB)" \
	sh -c "test -n '$l' && test -n '$n' && test $per -gt 0 && test $per -lt 6144"
# every congestion control the kernel builds, each on its own identical bottleneck
# (20 Mbit/s for 2 s: a tenth of the bytes of the example's default, same
# queue), selected per node with stock sysctl
OUT=$SCRATCH/allcc
mkdir -p "$OUT"
avail=$("$DCE_RUN" --out "$SCRATCH/avail" --linux "0: sysctl -n net.ipv4.tcp_available_congestion_control" >/dev/null 2>&1 &&
	cat "$SCRATCH/avail/files-0/var/log/1000/stdout")
ccs=$(echo "$avail" | tr ' ' ',')
echo "# available: $avail"
"$EX/dce-linux-iperf3" --out="$OUT" --rate=20Mbps --time=2 --cc="$ccs" --pcap=0 >"$OUT.log" 2>&1
sed 's/^/# /' "$OUT.log"
for cc in $avail; do
	check "iperf3 over $cc uses the link (above 10 Mbit/s of 20)" \
		awk -v cc="$cc:" '$1 == "cc" && $2 == cc && $3 > 10 { f = 1 } END { exit !f }' "$OUT.log"
done
check "at least reno, cubic, bbr, dctcp, westwood and htcp are built ($avail)" \
	sh -c "for c in reno cubic bbr dctcp westwood htcp; do echo ' $avail ' | grep -q \" \$c \" || exit 1; done"
finish
