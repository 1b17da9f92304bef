#!/usr/bin/env bash
# bench/linux-aqm-cc.sh - two figures of the Linux stack (advanced mode) on one
# bottleneck, with stock tools only, drawn with gnuplot:
#  1. latency under load: ping (every 100 ms for 11 s) across a router whose link to
#     the receiver is shaped to 10 Mbit/s, while iperf3 (cubic) fills it from 1 s
#     to 9 s; the router's queue is a plain FIFO (tbf's own 1 MB queue), fq_codel
#     (under the same tbf) or cake (bandwidth 10mbit): ping's RTT against time;
#  2. congestion control: every algorithm the kernel builds
#     (net.ipv4.tcp_available_congestion_control), one 8 s iperf3 -C ALGO each on
#     the same 10 Mbit/s bottleneck, here tbf with RED behind it marking ECN (CE)
#     where the packet is ECN-capable (dctcp's) and dropping otherwise; both ends
#     run ALGO (a dctcp receiver must, to accept its ECN SYN): iperf3's
#     congestion window and smoothed RTT every 0.1 s against time, and a summary
#     table (throughput, retransmissions, mean RTT, RED's CE marks).
# Topology: a -- r -- b, point-to-point 100 Mbit/s, 5 ms each; the bottleneck is
# r's qdisc on its link to b. The runs are simulations: the same command gives
# byte-identical data files (the PNGs' only input) on any machine.
#   bench/linux-aqm-cc.sh [OUTDIR]    (default build/aqm-cc; ~2 min)
# DCE_KERNEL_VERSION=6.1 picks the other series. BENCH_PLOT_DIR=docs writes the
# PNGs there (docs/linux-aqm-latency.png, docs/linux-cc.png) as well.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
O=${1:-$TOP/build/aqm-cc}
make -s -C "$TOP" -j2 >/dev/null
command -v gnuplot >/dev/null || { echo "linux-aqm-cc: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 1; }
DCE_LINUX_LIBRARY=$("$TOP/src/kernel/build.sh" 2>/dev/null) || {
	echo "linux-aqm-cc: src/kernel/build.sh failed (run it to see why)" >&2
	exit 1
}
export DCE_LINUX_LIBRARY
KV=$(basename "$DCE_LINUX_LIBRARY" .so); KV=${KV#liblinux-}
rm -rf "$O"
mkdir -p "$O"

# out_of DIR NODE CMDLINE-SUBSTRING: stdout of that node's (last) matching process
out_of() {
	local pid
	pid=$(awk -v n="$2" -v c="$3" 'NR > 1 && $1 == n && index($0, c) { p = $2 } END { print p }' "$1/exitprocs")
	echo "$1/files-$2/var/log/$pid/stdout"
}
# scenario NAME CC SHAPE CLIENT...: a -- r -- b with SHAPE on r's eth1, CC on a and b
scenario() {
	local name=$1 cc=$2 shape=$3
	shift 3
	{
		echo "stop: 14s"
		echo "nodes:"
		echo "  - {name: a, stack: linux, sysctl: {net.ipv4.tcp_congestion_control: $cc}}"
		echo "  - {name: r, stack: linux, sysctl: {net.ipv4.ip_forward: 1}}"
		echo "  - {name: b, stack: linux, sysctl: {net.ipv4.tcp_congestion_control: $cc}}"
		echo "links:"
		echo "  - {nodes: [a, r], rate: 100Mbps, delay: 5ms}"
		echo "  - {nodes: [r, b], rate: 100Mbps, delay: 5ms}"
		echo "processes:"
		echo "  - {node: r, cmd: \"sh -c '$shape'\"}"
		for p in "$@"; do echo "  - $p"; done
	} >"$O/$name.yaml"
	"$B/dce-run" "$O/$name.yaml" --out "$O/$name" >"$O/$name.log" 2>&1 ||
		{ echo "linux-aqm-cc: $name failed:" >&2; tail -3 "$O/$name.log" >&2; exit 1; }
}
TBF="tc qdisc add dev eth1 root handle 1: tbf rate 10mbit burst 10kb limit 1mb"

# ---- 1. latency under load: FIFO, fq_codel, cake ----
echo "# Linux $KV: ping RTT under an iperf3 load, 10 Mbit/s bottleneck (20 ms base RTT)"
printf '%-9s %12s %12s %12s %14s\n' qdisc "idle ms" "load median" "load max" "iperf3 Mbit/s"
for q in fifo fq_codel cake; do
	case $q in
	fifo) shape="$TBF" ;;
	fq_codel) shape="$TBF && tc qdisc add dev eth1 parent 1:1 fq_codel" ;;
	cake) shape="tc qdisc add dev eth1 root cake bandwidth 10mbit" ;;
	esac
	scenario lat-$q cubic "$shape" '{node: b, cmd: "iperf3 -s -1"}' \
		'{node: a, at: 0.5s, cmd: "ping -c 110 -i 0.1 10.1.2.2"}' \
		'{node: a, at: 1s, cmd: "iperf3 -c 10.1.2.2 -t 8"}'
	# time of each echo request (0.5 s + (seq - 1) * 0.1 s) and its RTT
	sed -n 's/.*icmp_seq=\([0-9]*\) .*time=\([0-9.]*\) ms.*/\1 \2/p' "$(out_of "$O/lat-$q" 0 ping)" |
		awk '{ printf "%.1f %s\n", 0.5 + ($1 - 1) * 0.1, $2 }' >"$O/lat-$q.dat"
	idle=$(awk '$1 < 1 { s += $2; n++ } END { printf "%.1f", s / n }' "$O/lat-$q.dat")
	read -r med max < <(awk '$1 >= 2 && $1 < 9 { print $2 }' "$O/lat-$q.dat" | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.1f %.1f\n", a[int((NR + 1) / 2)], a[NR] }')
	mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' "$(out_of "$O/lat-$q" 0 iperf3)")
	printf '%-9s %12s %12s %12s %14s\n' "$q" "$idle" "$med" "$max" "$mbps"
done

# ---- 2. every congestion control the kernel builds ----
scenario ccs cubic "true" '{node: a, cmd: "sysctl -n net.ipv4.tcp_available_congestion_control"}'
CCS=$(cat "$(out_of "$O/ccs" 0 sysctl)")
RED="$TBF && tc qdisc add dev eth1 parent 1:1 handle 10: red limit 400000 min 15000 max 45000 avpkt 1500 burst 20 bandwidth 10mbit probability 1 ecn"
echo "# Linux $KV: each congestion control alone for 8 s on 10 Mbit/s, tbf + RED marking ECN (built: $CCS)"
printf '%-9s %10s %12s %12s %10s\n' cc Mbit/s retransmits "mean RTT ms" "CE marked"
for cc in $CCS; do
	scenario cc-$cc "$cc" "$RED" '{node: b, cmd: "iperf3 -s -1"}' \
		"{node: a, at: 1s, cmd: \"iperf3 -c 10.1.2.2 -t 8 -i 0.1 -J -C $cc\"}" \
		'{node: r, at: 12s, cmd: "tc -s qdisc show dev eth1"}'
	python3 - "$(out_of "$O/cc-$cc" 0 iperf3)" "$O/cc-$cc.dat" <<'PY' >"$O/cc-$cc.sum"
import json, sys
j = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for iv in j["intervals"]:
        s = iv["streams"][0]
        f.write("%.1f %.3f %.2f %d\n" % (s["end"], s["bits_per_second"] / 1e6, s["rtt"] / 1000.0, s["snd_cwnd"]))
e = j["end"]
st = e["streams"][0]["sender"]
print("%.2f %d %.1f" % (e["sum_received"]["bits_per_second"] / 1e6, e["sum_sent"]["retransmits"], st["mean_rtt"] / 1000.0))
PY
	marked=$(awk '/marked/ { for (i = 1; i < NF; i++) if ($i == "marked") print $(i + 1) }' "$(out_of "$O/cc-$cc" 1 "tc -s")" | head -1)
	read -r mb re rtt <"$O/cc-$cc.sum"
	printf '%-9s %10s %12s %12s %10s\n' "$cc" "$mb" "$re" "$rtt" "${marked:-0}"
done

# ---- the plots ----
plot_lat="'$O/lat-fifo.dat' using 1:2 with lines lw 2 title 'FIFO (tbf 1 MB)', '$O/lat-fq_codel.dat' using 1:2 with lines lw 2 title 'fq\\_codel', '$O/lat-cake.dat' using 1:2 with lines lw 2 title 'cake'"
plot_tp="" plot_rtt=""
for cc in $CCS; do
	plot_tp="$plot_tp${plot_tp:+, }'$O/cc-$cc.dat' using 1:(\$4 / 1000) with lines lw 2 title '$cc'"
	plot_rtt="$plot_rtt${plot_rtt:+, }'$O/cc-$cc.dat' using 1:3 with lines lw 2 title '$cc'"
done
gnuplot <<G
set terminal pngcairo size 900,500 font ',10'
set output '$O/linux-aqm-latency.png'
set title "Linux $KV in dce: ping RTT while iperf3 (cubic, 1-9 s) fills a 10 Mbit/s bottleneck"
set xlabel 'simulated time (s)'
set ylabel 'ping RTT (ms)'
set logscale y
set grid
set key top right
plot $plot_lat
set output '$O/linux-cc.png'
set terminal pngcairo size 1000,800 font ',10'
unset logscale y
set yrange [0:*]
set multiplot layout 2,1 title "Linux $KV in dce: each congestion control alone on 10 Mbit/s, 20 ms, tbf + RED (ECN marks)"
set title ''
set xlabel 'time since the start of iperf3 (s)'
set key outside right
set ylabel 'congestion window (kB)'
plot $plot_tp
set ylabel 'smoothed RTT (ms)'
plot $plot_rtt
unset multiplot
G
echo "# plots: $O/linux-aqm-latency.png $O/linux-cc.png (data: $O/*.dat)"
if [ -n "${BENCH_PLOT_DIR:-}" ]; then
	cp "$O/linux-aqm-latency.png" "$O/linux-cc.png" "$BENCH_PLOT_DIR/"
	echo "# copied to $BENCH_PLOT_DIR/"
fi
