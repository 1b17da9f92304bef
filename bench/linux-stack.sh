#!/usr/bin/env bash
# bench/linux-stack.sh - the Linux kernel library (advanced mode), each figure with
# its baseline measured in the same run (machines here are noisy: read the ratios):
#  * iperf3, 10 simulated s at 100 Mbit/s over point-to-point 2 ms, no pcap: the
#    stock iperf3 over the Linux stack (dce-linux-iperf3, cubic) vs over ns-3's
#    stack (dce-iperf3) vs ns-3's own BulkSend alone (dce-iperf3 --dce=0
#    --bulksend=1): wall time (best of 3, monotonic clock), CPU time, throughput,
#    packets on the link;
#  * memory a kernel instance adds to a node: N idle nodes (dce-linux-idle, each
#    running `sleep 5`) with the Linux stack vs with ns-3's, N = 10 and 50:
#    (linux - ns3) / N of the max RSS (/usr/bin/time) and of the private dirty
#    memory (/proc/self/smaps_rollup, read by the example at t = 4 s);
#  * kernel boot time per node (DCE_LINUX_BOOT_TIME=1, 50 nodes): mean and median;
#  * build of liblinux-<V>.so: the no-change rebuild (hash hit), and an incremental
#    rebuild after touching arch/dce/kernel/time.c in a private copy of the kernel
#    cache's tree (the real cache and src/kernel are left alone). kbuild records
#    absolute source paths, so the copy is bind-mounted over the cache's path in a
#    private mount namespace (unshare -m, needs root); a copy at another path
#    would recompile everything. The cold build runs only with BENCH_KERNEL_COLD=1
#    (into a temporary DCE_KERNEL_CACHE; ~6 minutes on 2 idle cores).
# The load average is printed next to every group of figures.
# The kernel series is build.sh's default (6.12) or DCE_KERNEL_VERSION's (6.1, 6.12);
# the incremental build copies that series' object tree.
# Prints "name value unit" lines, then a markdown table for docs/performance.md.
#   bench/linux-stack.sh [--quick]   (--quick: 2 simulated s, one run each, 10
#                                     nodes only, no incremental build)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
make -s -C "$TOP" -j2 >/dev/null
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
T=$([ $QUICK = 1 ] && echo 2 || echo 10)
RUNS=$([ $QUICK = 1 ] && echo 1 || echo 3)
SIZES=$([ $QUICK = 1 ] && echo 10 || echo "10 50")
BOOTN=$([ $QUICK = 1 ] && echo 10 || echo 50)
DCE_LINUX_LIBRARY=$("$TOP/src/kernel/build.sh" 2>/dev/null) || {
	echo "linux-stack: src/kernel/build.sh failed (run it to see why)" >&2
	exit 1
}
export DCE_LINUX_LIBRARY
KV=$(basename "$DCE_LINUX_LIBRARY" .so); KV=${KV#liblinux-} # the series under test
W=$(mktemp -d)
KCOPY=""
trap 'rm -rf "$W" ${KCOPY:+"$KCOPY"}' EXIT

# wall time from the monotonic clock (the VM's real-time clock has been seen to jump)
now() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 'printf "%.6f\n", clock_gettime(CLOCK_MONOTONIC)'; }
calc() { echo "$1" | bc -l | xargs printf "${2:-%.2f}"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# run NAME CMD...: output in $W/NAME.log, wall seconds in $W/NAME.wall,
# "user sys maxrss-KiB" in $W/NAME.time; the command gets --out=$W/NAME
run() {
	local name=$1 t0 t1
	shift
	rm -rf "${W:?}/$name"
	mkdir -p "$W/$name"
	t0=$(now)
	/usr/bin/time -f "%U %S %M" -o "$W/$name.time" "$@" --out="$W/$name" >"$W/$name.log" 2>&1
	t1=$(now)
	calc "$t1 - $t0" %.3f >"$W/$name.wall"
}
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$W/$1.time"; }
maxrss() { awk '{ print $3 }' "$W/$1.time"; }

echo "# Linux $KV ($DCE_LINUX_LIBRARY); load average at start: $(load) ($(nproc) cores)"

# ---- 1. iperf3 over the Linux stack, over ns-3's stack, and ns-3's BulkSend ----
echo "# iperf3 $T s at 100 Mbit/s, p2p 2 ms, no pcap (best of $RUNS, runs interleaved)"
L=("$B/examples/dce-linux-iperf3" --cc=cubic --rate=100Mbps --delay=2ms --time=$T --plot=0 --pcap=0)
N=("$B/examples/dce-iperf3" --rate=100Mbps --time=$T --pcap=0)
S=("$B/examples/dce-iperf3" --dce=0 --bulksend=1 --rate=100Mbps --time=$T --pcap=0)
declare -A best bestcpu
for r in $(seq 1 $RUNS); do
	run linux$r "${L[@]}"
	run ns3$r "${N[@]}"
	run bulk$r "${S[@]}"
	for k in linux ns3 bulk; do
		w=$(cat "$W/$k$r.wall")
		if [ -z "${best[$k]:-}" ] || [ "$(echo "$w < ${best[$k]}" | bc -l)" = 1 ]; then
			best[$k]=$w
			bestcpu[$k]=$(cpu $k$r)
		fi
	done
done
iperf_load=$(load)
# throughput: iperf3's receiver line (client side), and the example's own summary
recv() { awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i-1) }' "$@" | head -1; }
lx_client=$(awk '$0 ~ /iperf3 -c/ { print $2 }' "$W/linux1/exitprocs")
lx_mbps=$(recv "$W/linux1/files-0/var/log/$lx_client/stdout")
lx_line=$(grep '^cc cubic:' "$W/linux1.log" || echo "cc cubic: ? (no summary line)")
lx_retr=$(echo "$lx_line" | sed -n 's/.*, \([0-9]*\) retransmits.*/\1/p')
n3_mbps=$(recv "$W"/ns31/files-0/var/log/*/stdout)
n3_retr=$(awk '/sender/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i+1) }' "$W"/ns31/files-0/var/log/*/stdout | head -1)
bs_mbps=$(awk '/^bulksend:/ { printf "%.1f", $2 }' "$W/bulk1.log")
n3_pk=$(awk '/^packets:/ { print $2 }' "$W/ns31.log")
bs_pk=$(awk '/^packets:/ { print $2 }' "$W/bulk1.log")
# dce-linux-iperf3 does not count packets: one more run (untimed) with pcaps; node
# 0's pcap holds every frame of the link (sent and received), as PhyTxEnd counts them
mkdir -p "$W/lpcap"
"$B/examples/dce-linux-iperf3" --cc=cubic --rate=100Mbps --delay=2ms --time=$T --plot=0 --pcap=1 \
	--out="$W/lpcap" >/dev/null 2>&1 || true
lx_pk=$(python3 -c '
import struct, sys
f = open(sys.argv[1], "rb"); f.read(24); n = 0
while True:
    h = f.read(16)
    if len(h) < 16: break
    f.seek(struct.unpack("<IIII", h)[2], 1); n += 1
print(n)' "$W/lpcap/linux-iperf3-0-0.pcap" 2>/dev/null || echo "?")
rm -rf "$W/lpcap"
for k in linux ns3 bulk; do
	printf "iperf3-%s-wall %.2f s (cpu %s s; runs:" "$k" "${best[$k]}" "${bestcpu[$k]}"
	for r in $(seq 1 $RUNS); do printf " %.2f" "$(cat "$W/$k$r.wall")"; done
	echo ")"
done
echo "iperf3-linux-goodput $lx_mbps Mbit/s (receiver; $lx_line)"
echo "iperf3-ns3-goodput $n3_mbps Mbit/s (receiver; $n3_retr retransmits)"
echo "bulksend-goodput $bs_mbps Mbit/s"
echo "packets linux $lx_pk ns3 $n3_pk bulksend $bs_pk"
r_ln=$(calc "${best[linux]} / ${best[ns3]}")
r_lb=$(calc "${best[linux]} / ${best[bulk]}")
r_nb=$(calc "${best[ns3]} / ${best[bulk]}")
echo "ratio-wall linux/ns3-stack $r_ln x"
echo "ratio-wall linux/bulksend $r_lb x"
echo "ratio-wall ns3-stack/bulksend $r_nb x"
echo "# load average after the iperf3 runs: $iperf_load"

# ---- 2. memory per node, 3. boot time per node ----
echo "# idle nodes (dce-linux-idle: a p2p chain, sleep 5 on every node)"
memrows=""
mem() { sed -n "s/^memory:.* $2 \([0-9]*\).*/\1/p" "$W/$1.log"; }
for n in $SIZES; do
	DCE_LINUX_BOOT_TIME=1 run idle-linux-$n "$B/examples/dce-linux-idle" --nodes=$n --stack=linux
	run idle-ns3-$n "$B/examples/dce-linux-idle" --nodes=$n --stack=ns3
	for s in linux ns3; do
		grep -q "^memory: nodes $n stack $s" "$W/idle-$s-$n.log" ||
			{ echo "linux-stack: dce-linux-idle --stack=$s --nodes=$n failed:" >&2; tail -5 "$W/idle-$s-$n.log" >&2; exit 1; }
	done
	rl=$(maxrss idle-linux-$n); rn=$(maxrss idle-ns3-$n)
	dl=$(mem idle-linux-$n private-dirty-kb); dn=$(mem idle-ns3-$n private-dirty-kb)
	rss_pn=$(calc "($rl - $rn) / $n / 1024")
	dirty_pn=$(calc "($dl - $dn) / $n / 1024")
	printf "idle-%s-nodes max-rss linux %.1f MiB ns3 %.1f MiB -> %s MiB per node\n" "$n" \
		"$(calc "$rl / 1024")" "$(calc "$rn / 1024")" "$rss_pn"
	printf "idle-%s-nodes private-dirty linux %.1f MiB ns3 %.1f MiB -> %s MiB per node\n" "$n" \
		"$(calc "$dl / 1024")" "$(calc "$dn / 1024")" "$dirty_pn"
	printf "idle-%s-nodes wall linux %.2f s ns3 %.2f s\n" "$n" "$(cat "$W/idle-linux-$n.wall")" \
		"$(cat "$W/idle-ns3-$n.wall")"
	memrows="$memrows$(printf '| %s | %.1f / %.1f MiB | %s MiB | %.1f / %.1f MiB | %s MiB | %.2f / %.2f s |' "$n" \
		"$(calc "$rl / 1024")" "$(calc "$rn / 1024")" "$rss_pn" "$(calc "$dl / 1024")" "$(calc "$dn / 1024")" \
		"$dirty_pn" "$(cat "$W/idle-linux-$n.wall")" "$(cat "$W/idle-ns3-$n.wall")")\n"
done
bootlog=$W/idle-linux-$BOOTN.log
boots=$(grep -c 'kernel booted in' "$bootlog" || true)
read -r b_mean b_med b_min b_max < <(sed -n 's/^dce: node [0-9]*: kernel booted in \([0-9.]*\) ms$/\1/p' "$bootlog" |
	sort -n | awk '{ a[NR] = $1; s += $1 } END { if (NR) printf "%.1f %.1f %.1f %.1f\n", s / NR,
		(NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]; else print "? ? ? ?" }')
echo "kernel-boot-per-node mean $b_mean ms median $b_med ms (min $b_min, max $b_max; $boots of $BOOTN nodes)"
idle_load=$(load)
echo "# load average after the idle runs: $idle_load"

# ---- 4. building the kernel library ----
echo "# kernel library build"
best_hit=""
for _ in 1 2 3; do
	t0=$(now)
	"$TOP/src/kernel/build.sh" >/dev/null 2>&1
	t1=$(now)
	d=$(calc "$t1 - $t0" %.3f)
	if [ -z "$best_hit" ] || [ "$(echo "$d < $best_hit" | bc -l)" = 1 ]; then best_hit=$d; fi
done
echo "kernel-build-hash-hit $best_hit s (best of 3)"
cache=${DCE_KERNEL_CACHE:-$HOME/.cache/dce/kernel}
incr="not measured"
noop="not measured"
if [ $QUICK = 1 ]; then
	incr="skipped (--quick)"
	noop=$incr
elif ! tree=$(ls -d "$cache/tree-$(dpkg-query -W -f '${Version}' "linux-source-$KV" 2>/dev/null)" 2>/dev/null) || [ -z "$tree" ]; then
	incr="not measured (no object tree in $cache)"
	noop=$incr
else
	KCOPY=$(mktemp -d /tmp/kcache-bench.XXXXXX)
	t0=$(now)
	cp -a "$tree" "$KCOPY/"
	echo "kernel-cache-copy $(calc "$(now) - $t0" %.1f) s ($(du -sh "$KCOPY" | cut -f1))"
	tname=$(basename "$tree")
	# in a private mount namespace: the copy at the cache's own path; first a
	# --force build that brings the copy up to date with src/kernel (normally
	# nothing to compile: it measures make's no-change walk), then touch time.c
	if unshare -m --propagation private bash -c '
		set -e
		mount --bind "$1" "$2"
		cd "$3"
		mono() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e "printf \"%.6f\\n\", clock_gettime(CLOCK_MONOTONIC)"; }
		t0=$(mono); src/kernel/build.sh -j2 --force >/dev/null 2>"$1/noop.err"; t1=$(mono)
		echo "$t0 $t1" >"$1/noop.t"
		cat "$2"/*/build.log >"$1/noop.log" 2>/dev/null || true
		rm -f "$2"/*/build.log
		touch "$2/$4/linux/arch/dce/kernel/time.c"
		t0=$(mono); src/kernel/build.sh -j2 --force >/dev/null 2>"$1/incr.err"; t1=$(mono)
		echo "$t0 $t1" >"$1/incr.t"
		cat "$2"/*/build.log >"$1/incr.log" 2>/dev/null || true
	' bench "$KCOPY" "$cache" "$TOP" "$tname" 2>"$W/unshare.err"; then
		read -r a b <"$KCOPY/noop.t"
		noop="$(calc "$b - $a" %.1f) s"
		noop_files=$(grep -cE '^  CC ' "$KCOPY/noop.log" || true)
		read -r a b <"$KCOPY/incr.t"
		incr_files=$(grep -cE '^  CC ' "$KCOPY/incr.log" || true)
		incr="$(calc "$b - $a" %.1f) s ($incr_files file(s) compiled, relink)"
		echo "kernel-build-no-change-make $noop ($noop_files files compiled: make's walk of the tree, --force)"
		echo "kernel-build-incremental-time.c $incr"
	else
		incr="not measured (failed: $(cat "$W/unshare.err" "$KCOPY"/*.err 2>/dev/null | tail -2 | tr '\n' ' '))"
		noop=$incr
		echo "kernel-build-incremental $incr"
	fi
	rm -rf "$KCOPY"
	KCOPY=""
fi
if [ "${BENCH_KERNEL_COLD:-0}" = 1 ]; then
	KCOPY=$(mktemp -d /tmp/kcache-cold.XXXXXX)
	t0=$(now)
	DCE_KERNEL_CACHE=$KCOPY "$TOP/src/kernel/build.sh" -j2 >/dev/null 2>"$W/cold.err" &&
		cold="$(calc "($(now) - $t0) / 60" %.1f) min (measured, -j2)" ||
		cold="failed: $(tail -3 "$W/cold.err" | tr '\n' ' ')"
	rm -rf "$KCOPY"
	KCOPY=""
else
	cold="about 6 min on 2 idle cores, ~700 s CPU (docs/performance.md; not re-measured: BENCH_KERNEL_COLD=1 does)"
fi
echo "kernel-build-cold $cold"
build_load=$(load)
echo "# load average after the builds: $build_load"

cat <<MD

| iperf3 ${T} s at 100 Mbit/s, p2p 2 ms | Linux stack (cubic) | ns-3 stack | ns-3 BulkSend |
|---|---|---|---|
| wall time, best of $RUNS | $(printf %.2f "${best[linux]}") s | $(printf %.2f "${best[ns3]}") s | $(printf %.2f "${best[bulk]}") s |
| CPU time (user+sys) of that run | ${bestcpu[linux]} s | ${bestcpu[ns3]} s | ${bestcpu[bulk]} s |
| throughput | $lx_mbps Mbit/s (iperf3 receiver), ${lx_retr:-?} retransmits | $n3_mbps Mbit/s (iperf3 receiver), ${n3_retr:-?} retransmits | $bs_mbps Mbit/s |
| packets on the link | $lx_pk | $n3_pk | $bs_pk |

Wall-time ratios: Linux / ns-3 stack ${r_ln}x, Linux / BulkSend ${r_lb}x, ns-3 stack / BulkSend ${r_nb}x (load average $iperf_load).

| idle nodes | max RSS, Linux / ns-3 | per node | private dirty, Linux / ns-3 | per node | wall, Linux / ns-3 |
|---|---|---|---|---|---|
$(printf "$memrows")

Kernel boot per node ($BOOTN nodes): mean $b_mean ms, median $b_med ms (min $b_min, max $b_max) (load average $idle_load).

| kernel library build | time |
|---|---|
| no change (hash hit, best of 3) | $best_hit s |
| make's walk with nothing to compile (--force, private copy) | $noop |
| incremental: arch/dce/kernel/time.c touched (private copy) | $incr |
| cold | $cold |

(load average after the builds: $build_load)
MD
