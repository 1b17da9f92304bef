#!/usr/bin/env bash
# bench/run.sh - dce's core benchmarks, each with its baseline measured in the same
# run (machines here are noisy: read the ratios). Prints "name value unit" lines and
# a markdown table for docs/performance.md.
#   bench/run.sh [--quick]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
make -s -C "$TOP" -j2 all bench-bins >/dev/null
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
N=$([ $QUICK = 1 ] && echo 20000 || echo 200000)
INST=$([ $QUICK = 1 ] && echo 10 || echo 50)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
# best of 3 wall times of a command
best3() {
	local best=""
	for _ in 1 2 3; do
		local t0 t1 d
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		d=$(elapsed "$t0" "$t1")
		if [ -z "$best" ] || [ "$(echo "$d < $best" | bc -l)" = 1 ]; then best=$d; fi
	done
	echo "$best"
}
dce() { "$B/dce-run" --out "$W/o" --map "$B/bench" "$@"; }

echo "# fibers (one switch)"
"$B/bench/fiber-switch" $([ $QUICK = 1 ] && echo 200000) | tee "$W/fiber"

echo "# system calls and clock reads (TSC cycles measured inside the program; native in the same run)"
cpn=$("$B/bench/syscall-loop" calibrate | awk '{print $3}')
cyc() { awk '/cycles_per_call/ {print $3}' "$1"; }
"$B/bench/syscall-loop" getpid $N >"$W/ng"
"$B/bench/syscall-loop" clock $N >"$W/nc"
dce "0: $B/bench/syscall-loop getpid $N" >/dev/null && cp "$W/o/files-0/var/log/1000/stdout" "$W/dg"
dce "0: $B/bench/syscall-loop clock $((N * 10))" >/dev/null && cp "$W/o/files-0/var/log/1000/stdout" "$W/dc"
DCE_VDSO=0 dce "0: $B/bench/syscall-loop clock $N" >/dev/null && cp "$W/o/files-0/var/log/1000/stdout" "$W/dt"
ns() { echo "$1 / $cpn" | bc -l | xargs printf '%.1f'; }
native_syscall=$(ns "$(cyc "$W/ng")")
native_vdso=$(ns "$(cyc "$W/nc")")
trapped_syscall=$(ns "$(cyc "$W/dg")")
dce_vdso_clock=$(ns "$(cyc "$W/dc")")
trapped_clock=$(ns "$(cyc "$W/dt")")
echo "tsc_cycles_per_ns $cpn"
echo "native_syscall_ns $native_syscall"
echo "native_vdso_clock_gettime_ns $native_vdso"
echo "dce_trapped_syscall_ns $trapped_syscall"
echo "dce_vdso_clock_gettime_ns $dce_vdso_clock (amortises one trapped read per 100)"
echo "dce_trapped_clock_gettime_ns $trapped_clock (DCE_VDSO=0)"
echo "ratio_trapped_over_native_syscall $(echo "$trapped_syscall / $native_syscall" | bc -l | xargs printf '%.1f')"

echo "# stock iperf3: start-up and private memory per instance ($INST instances)"
specs=()
for i in $(seq 1 $INST); do specs+=("0: iperf3 --version"); done
d_inst=$(best3 dce "${specs[@]}")
n_inst=$(best3 bash -c "for i in \$(seq 1 $INST); do iperf3 --version; done")
load_dce=$(echo "$d_inst * 1000 / $INST" | bc -l | xargs printf '%.2f')
load_native=$(echo "$n_inst * 1000 / $INST" | bc -l | xargs printf '%.2f')
DCE_MEMSTAT=1 "$B/dce-run" --out "$W/m" "${specs[@]}" >/dev/null
priv=$(cat "$W"/m/files-0/var/log/*/status | awk '/private-memory-kb/ {s += $2; n++} END {printf "%.0f", s / n}')
echo "dce_iperf3_start_ms $load_dce"
echo "native_iperf3_fork_exec_ms $load_native"
echo "ratio_dce_over_native_start $(echo "$load_dce / $load_native" | bc -l | xargs printf '%.2f')"
echo "dce_iperf3_private_kb $priv"

fiber=$(awk '/^fiber_switch_ns/ {print $2}' "$W/fiber")
uc=$(awk '/^swapcontext_ns/ {print $2}' "$W/fiber")
th=$(awk '/^thread_handoff_ns/ {print $2}' "$W/fiber")
cat <<MD

| measure | dce | baseline (same run) | ratio |
|---|---|---|---|
| context switch | fiber ${fiber} ns | swapcontext ${uc} ns / thread hand-off ${th} ns | $(echo "$uc / $fiber" | bc -l | xargs printf '%.0f')x / $(echo "$th / $fiber" | bc -l | xargs printf '%.0f')x faster |
| system call (getpid) | trapped ${trapped_syscall} ns | native ${native_syscall} ns | $(echo "$trapped_syscall / $native_syscall" | bc -l | xargs printf '%.1f')x |
| clock_gettime | dce vDSO ${dce_vdso_clock} ns / trapped ${trapped_clock} ns | native vDSO ${native_vdso} ns | $(echo "$dce_vdso_clock / $native_vdso" | bc -l | xargs printf '%.1f')x / $(echo "$trapped_clock / $native_vdso" | bc -l | xargs printf '%.0f')x |
| iperf3 --version start-up | ${load_dce} ms | native fork+exec ${load_native} ms | $(echo "$load_dce / $load_native" | bc -l | xargs printf '%.2f')x |
| iperf3 private memory | ${priv} KiB per instance | | |
MD
