#!/usr/bin/env bash
# bench/scale.sh - how dce scales with the number of nodes (issue 14), in one run:
#  * ns-3 stack: dce-udp-many --nodes=N (each node runs our UDP echo server and a
#    client: 2N programs alive at once, LANs of 250 nodes), N = 100 1000 5000 10000;
#  * Linux stack: dce-linux-idle --nodes=N --stack=linux (a kernel per node, each
#    running `sleep 5`), N = 100 500 1000 2000 (needs the kernel library).
# For each size: wall time, CPU time (user+sys: the machine may be shared), simulated
# events per wall second (dce-udp-many), the host process's peak private memory
# (Private_Clean+Private_Dirty, /proc/PID/smaps_rollup sampled every 2 s) per node,
# and its peak number of host mappings per program (/proc/PID/maps, dce's own ~100
# included). Ratios are per node against the first size of the same run. A size
# that fails prints why (dce's preflight line when a host limit is too low) and
# the bigger sizes of that kind are skipped.
# Draws the curves into docs/scale.png (gnuplot, Debian's gnuplot-nox) and prints
# a markdown table for docs/performance.md.
#   bench/scale.sh [--quick]       (--quick: 100 and 1000 nodes, 10 and 50 Linux)
#   SIZES="100 300" LINUX_SIZES="10" PNG=/tmp/x.png bench/scale.sh
#   DATA=/tmp/d bench/scale.sh     also keep the plotted figures in /tmp/d
#   bench/scale.sh --plot D1 D2... only draw the PNG from kept figures (runs of
#                                  several sessions, e.g. the biggest size alone;
#                                  docs/scale.dat holds the figures of the PNG)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
plot_only=""
if [ "${1:-}" = --plot ]; then
	shift
	plot_only=$(cat "$@")
else
	make -s -C "$TOP" -j2 >/dev/null
fi
if [ "${1:-}" = --quick ]; then
	SIZES=${SIZES:-"100 1000"}
	LINUX_SIZES=${LINUX_SIZES:-"10 50"}
fi
SIZES=${SIZES-"100 1000 5000 10000"} # SIZES="": no ns-3-stack sizes
LINUX_SIZES=${LINUX_SIZES-"100 500 1000 2000"}
PNG=${PNG:-$TOP/docs/scale.png}
KLIB=${DCE_LINUX_LIBRARY:-$TOP/build/install/lib/liblinux-6.1.so}
[ -f "$KLIB" ] || KLIB=$(ls /work/main/build/install/lib/liblinux-6.1.so 2>/dev/null || true)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# measure NAME CMD...: runs CMD under /usr/bin/time, samples it; prints
# "wall cpu maxmaps maxpriv_kb rc"
measure() {
	local name=$1
	shift
	local pid kid="" mx=0 mp=0 c p rc=0
	/usr/bin/time -f "%e %U %S" -o "$W/$name.time" "$@" >"$W/$name.log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		[ -z "$kid" ] && kid=$(pgrep -P "$pid" | head -1)
		if [ -n "$kid" ]; then
			c=$(wc -l <"/proc/$kid/maps" 2>/dev/null || echo 0)
			[ "${c:-0}" -gt "$mx" ] && mx=$c
			p=$(awk '/^Private_(Clean|Dirty):/ { p += $2 } END { print p + 0 }' "/proc/$kid/smaps_rollup" 2>/dev/null || echo 0)
			[ "${p:-0}" -gt "$mp" ] && mp=$p
		fi
		sleep 2
	done
	wait "$pid" || rc=$?
	read -r w u s < <(tail -1 "$W/$name.time")
	echo "$w $(echo "$u + $s" | bc -l) $mx $mp $rc"
}

echo "# kind nodes wall_s cpu_s events_per_s priv_mib_per_node maps_per_program ok" >"$W/data"
rows=""
row() { # kind n wall cpu evs privkb maps progs ok note
	local per mp
	per=$(echo "$6 / $2 / 1024" | bc -l)
	mp=$(echo "$7 / $8" | bc -l)
	echo "$1 $2 $3 $4 $5 $per $mp $9" >>"$W/data"
	printf "%s-%s-nodes wall %.1f s, cpu %.1f s, %s events/s, %.3f MiB private per node, %.1f mappings per program, %s\n" \
		"$1" "$2" "$3" "$4" "$5" "$per" "$mp" "${10}"
}
base_wpn="" base_mpn="" RATIO=""
ratio() { # sets RATIO: wall and memory per node against the first size of the kind
	local wpn mpn
	wpn=$(echo "$1 / $2" | bc -l)
	mpn=$(echo "$3 / $2" | bc -l)
	[ -z "$base_wpn" ] && base_wpn=$wpn base_mpn=$mpn
	RATIO=$(printf "%.2f x / %.2f x" "$(echo "$wpn / $base_wpn" | bc -l)" "$(echo "$mpn / $base_mpn" | bc -l)")
}

[ -n "$plot_only" ] && SIZES="" LINUX_SIZES="" && printf '%s\n' "$plot_only" >"$W/data"
for n in $SIZES; do
	mkdir -p "$W/u$n"
	read -r w cpu mx mp rc < <(measure "u$n" "$B/examples/dce-udp-many" \
		--programs="$B/test-programs" --nodes="$n" --out="$W/u$n")
	ev=$(awk '/^events:/ { print $2 }' "$W/u$n.log")
	evs=$(echo "${ev:-0} / $w" | bc)
	ok=no
	grep -q "^udp-many: $n/$n clients got every echo" "$W/u$n.log" && ok=yes
	note="all $((2 * n)) programs' outputs correct: $ok"
	[ $ok = no ] && note="$note ($(grep -m1 -E 'preflight|udp-many:' "$W/u$n.log" || tail -1 "$W/u$n.log"))"
	row ns3 "$n" "$w" "$cpu" "$evs" "$mp" "$mx" $((2 * n)) $ok "$note"
	ratio "$w" "$n" "$mp"
	rows="$rows$(printf '| ns-3 stack, %s nodes x 2 programs | %.1f s | %.1f s | %s | %.3f MiB | %.1f | %s | %s |' \
		"$n" "$w" "$cpu" "$evs" "$(echo "$mp / $n / 1024" | bc -l)" "$(echo "$mx / 2 / $n" | bc -l)" \
		"$RATIO" "$ok")\n"
	[ $ok = yes ] || break
done

base_wpn="" base_mpn=""
if [ -f "$KLIB" ] || [ -n "$plot_only" ]; then
	for n in $LINUX_SIZES; do
		mkdir -p "$W/k$n"
		read -r w cpu mx mp rc < <(DCE_LINUX_LIBRARY=$KLIB measure "k$n" "$B/examples/dce-linux-idle" \
			--nodes="$n" --stack=linux --out="$W/k$n")
		ok=no
		[ "$rc" = 0 ] && grep -q "^memory: nodes $n stack linux" "$W/k$n.log" && ok=yes
		note="every kernel booted and every sleep ran: $ok"
		[ $ok = no ] && note="$note ($(grep -m1 -E 'preflight|error|cannot' "$W/k$n.log" || tail -1 "$W/k$n.log"))"
		row linux "$n" "$w" "$cpu" - "$mp" "$mx" "$n" $ok "$note"
		ratio "$w" "$n" "$mp"
		rows="$rows$(printf '| Linux stack, %s nodes x 1 program | %.1f s | %.1f s | - | %.3f MiB | %.1f | %s | %s |' \
			"$n" "$w" "$cpu" "$(echo "$mp / $n / 1024" | bc -l)" "$(echo "$mx / $n" | bc -l)" \
			"$RATIO" "$ok")\n"
		[ $ok = yes ] || break
	done
else
	echo "linux: skipped (no kernel library: build it with scripts/quickstart dce-linux-dev or set DCE_LINUX_LIBRARY)"
fi

[ -n "${DATA:-}" ] && cp "$W/data" "$DATA"
if command -v gnuplot >/dev/null; then
	grep '^ns3 ' "$W/data" | awk '$8 == "yes"' | sort -k2,2n >"$W/ns3.dat" || true
	grep '^linux ' "$W/data" | awk '$8 == "yes"' | sort -k2,2n >"$W/linux.dat" || true
	plots="" plots2=""
	[ -s "$W/ns3.dat" ] && plots="'$W/ns3.dat' using 2:3 with linespoints title 'ns-3 stack, 2 programs/node, wall', '$W/ns3.dat' using 2:4 with linespoints title 'ns-3 stack, CPU'" &&
		plots2="'$W/ns3.dat' using 2:6 with linespoints title 'ns-3 stack, 2 programs/node'"
	[ -s "$W/linux.dat" ] && plots="${plots:+$plots, }'$W/linux.dat' using 2:3 with linespoints title 'Linux stack, 1 program/node, wall', '$W/linux.dat' using 2:4 with linespoints title 'Linux stack, CPU'" &&
		plots2="${plots2:+$plots2, }'$W/linux.dat' using 2:6 with linespoints title 'Linux stack, 1 program/node'"
	if [ -n "$plots" ]; then
		gnuplot <<-EOF
			set terminal png size 1100,600
			set output '$PNG'
			set multiplot layout 1,2 title 'dce scale (bench/scale.sh)'
			set logscale xy
			set grid
			# the legend under each plot: inside, it covered the curves
			set key below left Left reverse vertical maxrows 4
			set xlabel 'nodes'
			set ylabel 'time (s)'
			plot $plots
			set ylabel 'peak private memory per node (MiB)'
			unset logscale y
			set yrange [0:*]
			plot $plots2
			unset multiplot
		EOF
		echo "plot: $PNG"
	fi
else
	echo "plot: skipped (no gnuplot: apt-get install gnuplot-nox)"
fi

echo
echo "| scale | wall time | CPU time | events / wall s | peak private memory per node | host mappings per program | per node vs first size: wall / memory | outputs correct |"
echo "|---|---|---|---|---|---|---|---|"
printf "$rows"
