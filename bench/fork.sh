#!/usr/bin/env bash
# bench/fork.sh - fork in dce against native, both measured in this run
# (docs/performance.md, "Fork"):
#  * fork+exec+wait of /bin/true: best batch of 10 and mean, TSC cycles read
#    inside the program (bench/fork-exec.c), native vs dce, in ROUNDS rounds
#    (default 3) alternating native and dce so that both see the same load of
#    a shared machine: the best of all rounds and the mean over all of them;
#  * bash running N `$(...)` substitutions (default 1000): wall time of the
#    script minus that of `bash -c :`, per substitution, native vs dce.
# Prints "name value (ratio)" lines.   bench/fork.sh [N] [RUNS] [ROUNDS]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
N=${1:-1000}
RUNS=${2:-200}
ROUNDS=${3:-3}
make -s -C "$TOP" -j2 all bench-bins >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
r() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
now() { date +%s.%N; }
cpn=$("$B/bench/syscall-loop" calibrate | awk '{print $3}')
us() { echo "$1 / $cpn / 1000" | bc -l | xargs printf '%.0f'; }
dce_fe() {
	rm -rf "$W/fe"
	env DCE_LIBC=stock "$B/dce-run" --out "$W/fe" --map "$B/bench" "0: $B/bench/fork-exec /bin/true $RUNS" >"$W/fe.log" 2>&1
	cat "$W/fe/files-0/var/log/1000/stdout"
}
# "cycles_per_run BEST mean MEAN" lines -> "BEST MEAN": the best, the mean of the means
best_mean() { awk '{ if (NR == 1 || $3 < b) b = $3; m += $5 } END { printf "%s %.1f", b, m / NR }'; }
nat_all= d_all=
for _ in $(seq "$ROUNDS"); do
	nat_all+="$("$B/bench/fork-exec" /bin/true "$RUNS")"$'\n'
	d=$(dce_fe)
	[ -n "$d" ] || { echo "fork: fork-exec failed in dce:" >&2; cat "$W/fe.log" >&2; exit 1; }
	d_all+="$d"$'\n'
done
read -r nb nm <<<"$(printf '%s' "$nat_all" | best_mean)"
read -r db dm <<<"$(printf '%s' "$d_all" | best_mean)"
echo "fork_exec_wait_best_us native $(us "$nb") dce $(us "$db") ($(r "$db" "$nb")x native)"
echo "fork_exec_wait_mean_us native $(us "$nm") dce $(us "$dm") ($(r "$dm" "$nm")x native)"

SCRIPT="for i in \$(seq 1 $N); do x=\$(echo \$i); done; echo done \$x"
tm() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo "$t1 - $t0" | bc -l; }
sub_nat=$(echo "($(tm bash -c "$SCRIPT") - $(tm bash -c :)) * 1000 / $N" | bc -l)
sub_dce=$(echo "($(tm env DCE_LIBC=stock "$B/dce-run" --out "$W/s" "0: /bin/bash -c '$SCRIPT'") - $(tm env DCE_LIBC=stock "$B/dce-run" --out "$W/s0" "0: /bin/bash -c :")) * 1000 / $N" | bc -l)
grep -q "done $N" "$W/s/files-0/var/log/1000/stdout" || { echo "fork: the \$(...) script failed in dce" >&2; exit 1; }
echo "bash_subst_ms_each native $(printf %.3f "$sub_nat") dce $(printf %.3f "$sub_dce") ($(r "$sub_dce" "$sub_nat")x native, $N substitutions)"
echo "load_average $(cut -d' ' -f1-3 /proc/loadavg)"
