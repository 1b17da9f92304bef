#!/usr/bin/env bash
# bench/nopie-switch.sh - the cost of switching between processes whose non-PIE
# images share addresses (src/loader/fixed_image.c). Two processes on one node
# alternate with sched_yield N times each, in three set-ups of the same code:
#   pie        two PIE programs: no image to swap (the baseline)
#   same       two instances of one non-PIE program: its memfd remapped per switch
#   different  two different non-PIE programs at 0x400000: the whole image remapped
# Prints wall time per switch and the ratios to the baseline (same run).
#   bench/nopie-switch.sh [N]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$TOP" -j2 build/dce/dce-run >/dev/null
RUN=$TOP/build/dce/dce-run
N=${1:-20000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat > "$W/y.c" <<'C'
#include <sched.h>
#include <stdlib.h>
static char pad[PAD];
int main(int argc, char **argv)
{
	long n = atol(argv[1]);
	for (long i = 0; i < n; i++)
		sched_yield();
	return pad[0];
}
C
cc -O1 -fpie -pie -DPAD=1 -o "$W/pie" "$W/y.c"
cc -O1 -fno-pie -no-pie -DPAD=1 -o "$W/np-a" "$W/y.c"
cc -O1 -fno-pie -no-pie -DPAD=4000000 -o "$W/np-b" "$W/y.c"
now() { date +%s.%N; }
best() { # best of 3 wall times of dce-run with the two programs
	local b=""
	for _ in 1 2 3; do
		local t0 t1 d
		t0=$(now)
		"$RUN" --syscall-cost 0 --out "$W/o" --map "$W" "0: $W/$1 $N" "0: $W/$2 $N" >/dev/null 2>&1
		t1=$(now)
		d=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
	done
	echo "$b"
}
tp=$(best pie pie)
ts=$(best np-a np-a)
td=$(best np-a np-b)
sw=$((2 * N))
per() { echo "scale=2; $1 * 1000000 / $sw" | bc -l; }
echo "nopie-switch pie $(per "$tp") us/switch"
echo "nopie-switch same $(per "$ts") us/switch ($(echo "scale=2; $ts / $tp" | bc -l)x pie)"
echo "nopie-switch different $(per "$td") us/switch ($(echo "scale=2; $td / $tp" | bc -l)x pie)"
