#!/usr/bin/env bash
# bench/kernel-series.sh - the two kernel series side by side, in one run: for each
# built series (6.12 the default, 6.1), the wall time of a kernel's boot (median and
# range over N nodes, DCE_LINUX_BOOT_TIME=1) and the private memory a booted idle
# kernel adds to a node, against the same N idle nodes on ns-3's stack (the
# baseline, measured in the same run); then the cached build.sh (hash only).
#   bench/kernel-series.sh [NODES]   (default 50; needs the libraries built)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${DCE_BUILDDIR:-$TOP/build/dce}
N=${1:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mem() { # STACK [LIB]: private dirty KiB of N idle nodes
	DCE_LINUX_LIBRARY=${2:-} "$B/examples/dce-linux-idle" --out="$tmp/o" --nodes="$N" --stack="$1" 2>"$tmp/err" |
		awk '/^memory:/ { for (i = 1; i < NF; i++) if ($i == "private-dirty-kb") print $(i + 1) }'
}
base=$(mem ns3)
echo "baseline: $N idle nodes on ns-3's stack: $base KiB private dirty"
for v in 6.12 6.1; do
	lib=$("$TOP/src/kernel/build.sh" --kernel "$v" --cached 2>/dev/null) || { echo "Linux $v: not built, skipped"; continue; }
	s=$(date +%s.%N); "$TOP/src/kernel/build.sh" --kernel "$v" --cached >/dev/null 2>&1; e=$(date +%s.%N)
	l=$(DCE_LINUX_BOOT_TIME=1 mem linux "$lib")
	boots=$(grep -o 'booted in [0-9.]* ms' "$tmp/err" | awk '{ print $3 }' | sort -n)
	med=$(echo "$boots" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	lo=$(echo "$boots" | head -1); hi=$(echo "$boots" | tail -1)
	size=$(stat -c %s "$lib")
	printf 'Linux %s: boot median %s ms (%s-%s, %d boots); private memory per kernel %d KiB ((%s - %s) / %d); image %.1f MB; cached build.sh %.2f s\n' \
		"$v" "$med" "$lo" "$hi" "$(echo "$boots" | grep -c .)" $(( (l - base) / N )) "$l" "$base" "$N" \
		"$(echo "$size" | awk '{ print $1 / 1e6 }')" "$(echo "$e - $s" | bc)"
done
