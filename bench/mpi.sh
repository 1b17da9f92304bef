#!/usr/bin/env bash
# bench/mpi.sh - distributed runs (docs/mpi.md): wall time of examples/mpi/dce-mpi-halves
# (two halves of HALF nodes each, pings and iperf3 transfers across the middle link) in
# one process and on 2 ranks, the speedup, and the peak memory and CPU time (user +
# system) of each rank, measured in one run: on a loaded machine the CPU times show
# what the wall times cannot (how the work splits). Prints "name value" lines and a
# markdown row for docs/performance.md.
#   bench/mpi.sh [HALF...]        (default: 500: the 2 x 500 nodes of docs/mpi.md)
# Needs the MPI build: src/mpi/build-ns3-mpi.sh, then make MPI=1.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/src/mpi/build-ns3-mpi.sh" >/dev/null
make -s -C "$TOP" -j2 MPI=1 build/dce-mpi/examples/mpi/dce-mpi-halves >/dev/null
EX=$TOP/build/dce-mpi/examples/mpi/dce-mpi-halves
ROOT=$([ "$(id -u)" = 0 ] && echo --allow-run-as-root || true)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
echo "| nodes | 1 process (s) | 2 ranks (s) | speedup | CPU 1 process (s) | CPU per rank (s) | peak RSS 1 process (MB) | peak RSS per rank (MB) | outputs identical |"
for half in "${@:-500}"; do
	for h in $half; do
		t0=$(now)
		/usr/bin/time -f "%M %U %S" -o "$W/rss1" "$EX" --half=$h --out="$W/o1-$h" >/dev/null 2>"$W/err1" ||
			{ echo "mpi.sh: one-process run failed: $(tail -1 "$W/err1")" >&2; exit 1; }
		t1=$(now)
		mpirun $ROOT -np 2 sh -c '/usr/bin/time -f "%M %U %S" -o "$0/rss2-$OMPI_COMM_WORLD_RANK" "$@"' "$W" \
			"$EX" --half=$h --out="$W/o2-$h" >/dev/null 2>"$W/err2" ||
			{ echo "mpi.sh: 2-rank run failed: $(tail -1 "$W/err2")" >&2; exit 1; }
		t2=$(now)
		same=$(diff -r "$W/o1-$h" "$W/o2-$h" >/dev/null && echo yes || echo no)
		w1=$(echo "$t1 - $t0" | bc -l)
		w2=$(echo "$t2 - $t1" | bc -l)
		# peak RSS (MB) and CPU seconds of a run's /usr/bin/time line
		rss() { echo $(($(cut -d' ' -f1 "$1") / 1024)); }
		cpu() { awk '{printf "%.1f", $2 + $3}' "$1"; }
		printf 'mpi-halves-%d-wall-1 %.2f\nmpi-halves-%d-wall-2 %.2f\nmpi-halves-%d-speedup %.2f\n' \
			$((2 * h)) "$w1" $((2 * h)) "$w2" $((2 * h)) "$(echo "$w1 / $w2" | bc -l)" >&2
		printf '| %d | %.2f | %.2f | %.2fx | %s | %s, %s | %d | %d, %d | %s |\n' $((2 * h)) "$w1" "$w2" \
			"$(echo "$w1 / $w2" | bc -l)" "$(cpu "$W/rss1")" "$(cpu "$W/rss2-0")" "$(cpu "$W/rss2-1")" \
			"$(rss "$W/rss1")" "$(rss "$W/rss2-0")" "$(rss "$W/rss2-1")" "$same"
	done
done
