#!/usr/bin/env bash
# test/net-slow - basic-mode networking at scale (DCE_SLOW=1): 1000 nodes, each
# running our UDP echo server and a client of the next node (2000 processes, ~1 min).
source "$(dirname "$0")/../lib.sh"
build_once
OUT=$SCRATCH/many1k
mkdir -p "$OUT"
t0=$(date +%s)
timeout 900 "$BUILD/examples/dce-udp-many" --out="$OUT" --programs="$PROGS" --nodes=1000 >"$SCRATCH/many1k.log" 2>&1
echo "# 1000 nodes (2000 processes): $(( $(date +%s) - t0 )) s wall"
check "1000 nodes: every client got every echo" grep -q "^udp-many: 1000/1000 clients got every echo" "$SCRATCH/many1k.log"
check "1000 nodes: all 2000 programs exit 0" awk 'NR > 1 && $3 != "0" { bad = 1 } END { exit bad || NR != 2001 }' "$OUT/exitprocs"
finish
