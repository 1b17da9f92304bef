#!/usr/bin/env bash
# bench/net-run.sh - network benchmarks (issue 4), baselines measured in the same run:
#  * wall time of the iperf3 example (stock iperf3, 10 simulated s at 100 Mbit/s,
#    point-to-point 2 ms, no pcap) vs ns-3's own BulkSend alone on the same link;
#  * simulated packets (sent on the links) per wall second for both;
#  * memory per node with 200 and 1000 nodes (dce-udp-many: each node runs our UDP
#    echo server and a client): the host process's peak private memory / nodes
#    (sampled from /proc/PID/smaps_rollup), and the private memory of each program
#    (DCE_MEMSTAT=1, at its exit).
# Prints "name value unit" lines, then a markdown table for docs/performance.md.
#   bench/net-run.sh [--quick]   (--quick: 2 simulated s, 200 nodes only)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
make -s -C "$TOP" -j2 >/dev/null
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
T=$([ $QUICK = 1 ] && echo 2 || echo 10)
SIZES=$([ $QUICK = 1 ] && echo 200 || echo "200 1000")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# run NAME CMD...: wall seconds and max RSS (KiB) into $W/NAME.time, output into $W/NAME.log
run() {
	local name=$1
	shift
	mkdir -p "$W/$name"
	/usr/bin/time -f "%e %M" -o "$W/$name.time" "$@" --out="$W/$name" >"$W/$name.log" 2>&1
}
wall() { cut -d' ' -f1 "$W/$1.time"; }
rss() { cut -d' ' -f2 "$W/$1.time"; }
packets() { awk '/^packets:/ { print $2 }' "$W/$1.log"; }

run iperf3 "$B/examples/dce-iperf3" --rate=100Mbps --time=$T --pcap=0
run bulk "$B/examples/dce-iperf3" --rate=100Mbps --time=$T --pcap=0 --dce=0 --bulksend=1
ip_w=$(wall iperf3); bs_w=$(wall bulk)
ip_p=$(packets iperf3); bs_p=$(packets bulk)
ip_mbps=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i-1) }' "$W/iperf3/files-0/var/log/1000/stdout" | head -1)
bs_mbps=$(awk '/^bulksend:/ { printf "%.1f", $2 }' "$W/bulk.log")
ratio=$(echo "$ip_w / $bs_w" | bc -l)
ip_pps=$(echo "$ip_p / $ip_w" | bc -l)
bs_pps=$(echo "$bs_p / $bs_w" | bc -l)
printf "iperf3-100M-%ss-wall %.2f s (%s Mbit/s, %s packets)\n" "$T" "$ip_w" "$ip_mbps" "$ip_p"
printf "bulksend-100M-%ss-wall %.2f s (%s Mbit/s, %s packets)\n" "$T" "$bs_w" "$bs_mbps" "$bs_p"
printf "iperf3/bulksend-wall-ratio %.2f x\n" "$ratio"
printf "iperf3-packets-per-wall-s %.0f pkt/s\n" "$ip_pps"
printf "bulksend-packets-per-wall-s %.0f pkt/s\n" "$bs_pps"

# sample PID's memory every 0.2 s: the peak of private memory (anonymous and private
# file pages, each page once) and of PSS; max RSS counts a shared page once per
# mapping (each program maps its own libc), so it overstates.
sample() {
	local pid=$1 out=$2 maxp=0 maxs=0
	while kill -0 "$pid" 2>/dev/null; do
		read -r p s < <(awk '/^Private_(Clean|Dirty):/ { p += $2 } /^Pss:/ { s = $2 } END { print p + 0, s + 0 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo "0 0")
		[ "${p:-0}" -gt "$maxp" ] && maxp=$p
		[ "${s:-0}" -gt "$maxs" ] && maxs=$s
		sleep 0.2
	done
	echo "$maxp $maxs" >"$out"
}
rows=""
for n in $SIZES; do
	mkdir -p "$W/many$n"
	t0=$(date +%s.%N)
	"$B/examples/dce-udp-many" --programs="$B/test-programs" --nodes="$n" --out="$W/many$n" >"$W/many$n.log" 2>&1 &
	pid=$!
	sample "$pid" "$W/many$n.mem"
	wait "$pid" || true
	w=$(echo "$(date +%s.%N) - $t0" | bc -l)
	ok=$(grep -c "^udp-many: $n/$n" "$W/many$n.log" || true)
	read -r pk sk <"$W/many$n.mem"
	printf "nodes-%s-wall %.1f s (all echoes: %s)\n" "$n" "$w" "$([ "$ok" = 1 ] && echo yes || echo NO)"
	printf "nodes-%s-private-per-node %.2f MiB (peak private %.0f MiB, PSS %.0f MiB)\n" "$n" \
		"$(echo "$pk / $n / 1024" | bc -l)" "$(echo "$pk / 1024" | bc -l)" "$(echo "$sk / 1024" | bc -l)"
	rows="$rows$(printf '| %s nodes, 2 programs each | %.1f s | %.2f MiB | %.0f MiB / %.0f MiB |' "$n" "$w" \
		"$(echo "$pk / $n / 1024" | bc -l)" "$(echo "$pk / 1024" | bc -l)" "$(echo "$sk / 1024" | bc -l)")\n"
done
# each program's own private memory at its exit (DCE_MEMSTAT=1 reads it per process: slow)
mkdir -p "$W/memstat"
DCE_MEMSTAT=1 "$B/examples/dce-udp-many" --programs="$B/test-programs" --nodes=50 --out="$W/memstat" >/dev/null 2>&1 || true
priv=$(cat "$W/memstat"/files-*/var/log/*/status | awk '/^private-memory-kb:/ { s += $2; c++ } END { if (c) printf "%.0f", s / c }')
printf "private-memory-per-program %s KiB (DCE_MEMSTAT, net-udp, 50 nodes)\n" "${priv:-?}"

echo
echo "| measure | dce (stock iperf3) | ns-3 BulkSend | ratio |"
echo "|---|---|---|---|"
printf "| wall time, %s simulated s at 100 Mbit/s | %.2f s | %.2f s | %.2f x |\n" "$T" "$ip_w" "$bs_w" "$ratio"
printf "| goodput | %s Mbit/s | %s Mbit/s | |\n" "$ip_mbps" "$bs_mbps"
printf "| simulated packets per wall second | %.0f | %.0f | %.2f x |\n" "$ip_pps" "$bs_pps" "$(echo "$bs_pps / $ip_pps" | bc -l)"
echo
echo "| scale (dce-udp-many) | wall time | private memory per node | peak private / PSS |"
echo "|---|---|---|---|"
printf "$rows"
echo
echo "Each program's own private memory (DCE_MEMSTAT=1, at exit): ${priv:-?} KiB."
