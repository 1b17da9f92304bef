#!/usr/bin/env bash
# test/scale-slow - many programs alive at once in one dce process (issue 14):
#  * 1500 nodes x 2 programs (3000 programs alive, more than the 2,844 that the
#    host's default vm.max_map_count of 65530 allowed before the stack's guard page
#    became a gap), every output correct;
#  * 1000 nodes x 2 programs under an open-file limit of 256 (lowered with prlimit):
#    node roots and log files are reopened by path from a bounded cache of host
#    descriptors (hostfd.c); before, each node held ~5 host files (5,000 here);
#  * the preflight check names the limit to raise, in one line, when the open-file
#    limit or the address-space limit (lowered with prlimit for the run) is too low
#    for the scenario, before programs fail.
# If vm.max_map_count is below what 3000 programs need and the suite runs as root,
# it is raised for the run and restored afterwards (never lowered).
source "$(dirname "$0")/../lib.sh"
build_once
MANY=$BUILD/examples/dce-udp-many
N=${DCE_SCALE_NODES:-1500}

# many nodes, few host files: 1000 nodes x 2 programs under 256 open files
OUT=$SCRATCH/fewfiles
mkdir -p "$OUT"
t0=$(date +%s)
prlimit --nofile=256:256 "$MANY" --out="$OUT" --programs="$PROGS" --nodes=1000 >"$SCRATCH/fewfiles.log" 2>&1
echo "# 1000 nodes under 256 open files: $(($(date +%s) - t0)) s wall"
check "1000 nodes under 256 open files: every client got every echo" \
	grep -q "^udp-many: 1000/1000 clients got every echo" "$SCRATCH/fewfiles.log"
check "1000 nodes under 256 open files: all 2000 programs exit 0, no preflight line" \
	sh -c "awk 'NR > 1 && \$3 != \"0\" { bad = 1 } END { exit bad || NR != 2001 }' '$OUT/exitprocs' && ! grep -q preflight '$SCRATCH/fewfiles.log'"
check "1000 nodes under 256 open files: every server got every datagram" \
	sh -c "test \$(cat '$OUT'/files-*/var/log/1000/stdout | grep -c '^server got') = 3000"

# the preflight, open files: dce's own files and the cache of reopened ones do
# not fit in 16
OUT=$SCRATCH/nofile
mkdir -p "$OUT"
prlimit --nofile=16:16 "$MANY" --out="$OUT" --programs="$PROGS" --nodes=100 >"$SCRATCH/nofile.log" 2>&1
check "preflight: a too-low open-file limit is named in one line, with the ulimit to run" \
	grep -qE "^dce: preflight: 100 nodes and [0-9]+ programs need about [0-9]+ open files, more than the open-file limit \(16, hard 16\): raise it before the run: ulimit -n [0-9]+" "$SCRATCH/nofile.log"
check "preflight: said once, before the first program starts failing" \
	sh -c "test \$(grep -c 'preflight:.*open files' '$SCRATCH/nofile.log') = 1 && head -1 '$SCRATCH/nofile.log' | grep -q preflight"

# the preflight, address space: 200 programs reserve ~60 GiB, the run gets 16 GiB
OUT=$SCRATCH/as
mkdir -p "$OUT"
prlimit --as=$((16 << 30)) "$MANY" --out="$OUT" --programs="$PROGS" --nodes=100 >"$SCRATCH/as.log" 2>&1
check "preflight: a too-low address-space limit is named, with the ulimit to run" \
	grep -qE "^dce: preflight: [0-9]+ programs reserve about [0-9]+ GiB of address space, more than the address-space limit \(16384 MiB\): raise it before the run: ulimit -v unlimited" "$SCRATCH/as.log"

# enough of everything: no preflight line
OUT=$SCRATCH/small
mkdir -p "$OUT"
"$MANY" --out="$OUT" --programs="$PROGS" --nodes=20 >"$SCRATCH/small.log" 2>&1
check "preflight: silent when the host's limits suffice" \
	sh -c "grep -q '^udp-many: 20/20 clients got every echo' '$SCRATCH/small.log' && ! grep -q preflight '$SCRATCH/small.log'"

# 3000 programs alive at once
need=$((2 * N * 21 + 1000))
old=$(cat /proc/sys/vm/max_map_count)
if [ "$old" -lt "$need" ] && [ "$(id -u)" = 0 ] && sysctl -qw vm.max_map_count="$need" 2>/dev/null; then
	trap 'sysctl -qw vm.max_map_count='"$old"'; rm -rf "$SCRATCH"' EXIT
	echo "# vm.max_map_count raised from $old to $need for this run (restored at exit)"
fi
OUT=$SCRATCH/many
mkdir -p "$OUT"
t0=$(date +%s)
timeout 1200 "$MANY" --out="$OUT" --programs="$PROGS" --nodes="$N" >"$SCRATCH/many.log" 2>&1
echo "# $N nodes ($((2 * N)) programs): $(($(date +%s) - t0)) s wall"
check "$N nodes: every client got every echo" grep -q "^udp-many: $N/$N clients got every echo" "$SCRATCH/many.log"
check "$N nodes: all $((2 * N)) programs exit 0" \
	awk -v n=$((2 * N)) 'NR > 1 && $3 != "0" { bad = 1 } END { exit bad || NR != n + 1 }' "$OUT/exitprocs"
check "$N nodes: every server got every datagram" \
	sh -c "test \$(cat '$OUT'/files-*/var/log/1000/stdout | grep -c '^server got') = $((3 * N))"
grep -m3 preflight "$SCRATCH/many.log" | sed 's/^/# /'
finish
