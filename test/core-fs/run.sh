#!/usr/bin/env bash
# core-fs: the node file system - containment, read-only mapped paths, malformed
# arguments, EMFILE, stock tools (coreutils, tar, find, python3) and determinism.
set -u
cd "$(dirname "$0")/../.."
make -j2 >/dev/null || { echo "not ok - build"; exit 1; }
RUN=$PWD/build/dce/dce-run
PROGS=$PWD/build/dce/test-programs
HERE=$PWD/test/core-fs
W=$(mktemp -d /tmp/dce-core-fs.XXXXXX)
trap 'rm -rf "$W"' EXIT
failed=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; failed=1; }
# check NAME CMD...: ok if CMD succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else notok "$n"; fi; }
# cases OUTFILE: one result line per "ok X"/"FAIL X" line a program printed
cases() {
  local prefix=$1 file=$2
  [ -f "$file" ] || { notok "$prefix: no output"; return; }
  while IFS= read -r line; do
    case "$line" in
      "ok "*) ok "$prefix: ${line#ok }" ;;
      "FAIL "*) notok "$prefix: ${line#FAIL }" ;;
    esac
  done < "$file"
}
log() { echo "$1/files-${3:-0}/var/log/$2/stdout"; }

# 1. escapes: a host secret two levels above files-0
mkdir -p "$W/esc"
echo SECRET > "$W/esc/secret"; chmod 600 "$W/esc/secret"; touch -d '2001-01-01' "$W/esc/secret"
before=$(stat -c '%a %s %Y' "$W/esc/secret"); outmode=$(stat -c %a "$W/esc")
nullmode=$(stat -c %a /dev/null)
$RUN -o "$W/esc/out" --map "$PROGS" "0: $PROGS/fs-escape" "0@1s: $PROGS/hello" >/dev/null 2>&1
cases escape "$(log "$W/esc/out" 1000)"
check "escape: program finished" grep -q ESCAPE-TEST-PASSED "$(log "$W/esc/out" 1000)"
check "escape: host secret untouched" test "$(stat -c '%a %s %Y' "$W/esc/secret")" = "$before"
check "escape: host secret content" grep -qx SECRET "$W/esc/secret"
check "escape: nothing written beside the root" test ! -e "$W/esc/escaped" -a ! -e "$W/escaped" -a ! -e /escaped
check "escape: out dir mode unchanged" test "$(stat -c %a "$W/esc")" = "$outmode"
check "escape: host /dev/null mode unchanged" test "$(stat -c %a /dev/null)" = "$nullmode"
check "escape: renamed file stayed in files-0" test -f "$W/esc/out/files-0/escaped"

# 2. malformed arguments
$RUN -o "$W/bad" --map "$PROGS" "0: $PROGS/fs-badargs" "0@1s: $PROGS/hello" >/dev/null 2>&1
cases badargs "$(log "$W/bad" 1000)"
check "badargs: simulation went on" grep -q "hello from" "$(log "$W/bad" 1001)"

# 3. EMFILE
$RUN -o "$W/emf" --map "$PROGS" "0: $PROGS/fs-emfile" "0@1s: $PROGS/fs-emfile /dev/null" "0@2s: $PROGS/hello" >/dev/null 2>&1
for pid in 1000 1001; do
  f=$(log "$W/emf" $pid)
  check "emfile $pid: 1021 files then EMFILE" grep -qx "opened 1021 last 1023 errno EMFILE" "$f"
  check "emfile $pid: dup gets EMFILE too" grep -qx "dup EMFILE" "$f"
  check "emfile $pid: a closed slot is reused" grep -qx "after close: fd 1023" "$f"
  check "emfile $pid: works after closing" grep -q "after closing all: fd 3" "$f"
done
check "emfile: simulation went on" grep -q "hello from" "$(log "$W/emf" 1002)"

# 4. stock tools and python3, twice with the same seed: identical outputs
scenario() {
  $RUN -o "$1" --seed 7 --map "$HERE" "0@1s: sh $HERE/tools.sh" "0@2s: python3 $HERE/io.py" \
    "1@1s: sh -c 'mkdir -p /srv/d && cd /srv/d && for i in 3 1 2; do echo \$i > f\$i; sleep 1; done; ls -la --full-time . /; stat f1 f3; ls -i'" \
    "1@5s: sh -c 'touch /srv/d/f1; ls -lt --full-time /srv/d; find / -xdev -newer /srv/d/f2 -path /var -prune -o -print | sort'" >/dev/null 2>&1
}
scenario "$W/d1"
scenario "$W/d2"
cases tools "$(log "$W/d1" 1000)"
check "tools: script finished" grep -q TOOLS-TEST-PASSED "$(log "$W/d1" 1000)"
io=$(ls -d "$W"/d1/files-0/var/log/* | while read -r d; do grep -l IO-TEST "$d/stdout" 2>/dev/null; done | head -1)
cases io "${io:-/nonexistent}"
check "io: script finished" grep -q IO-TEST-PASSED "${io:-/nonexistent}"
check "node 1: ls shows simulated times" grep -q "2010-01-01 00:00:0[1-4]" "$(log "$W/d1" 1000 1)"
check "ls -la / shows no host times" sh -c "! grep -h ' 20[12][0-9] \| 20[2-9][0-9]-' $W/d1/files-*/var/log/*/stdout | grep -v '2010-\|2009-\| 2010 \| 2009 ' | grep -q ."
diffs=$(cd "$W/d1" && find . -path '*/var/log/*' -type f | sort | while read -r f; do cmp -s "$f" "$W/d2/$f" || echo "$f"; done)
check "determinism: every log file identical over two runs${diffs:+ (differ: $diffs)}" test -z "$diffs"
check "determinism: same processes" cmp -s "$W/d1/exitprocs" "$W/d2/exitprocs"
n=$(cd "$W/d1" && find . -path '*/var/log/*' -type f | wc -l)
check "determinism: compared $n log files" test "$n" -gt 50
check "determinism: same file trees" diff <(cd "$W/d1" && find . | sort) <(cd "$W/d2" && find . | sort)

# 5. host descriptors of log files closed while idle and reopened (hostfd.c): with
# a cache of 2, programs writing in turn reopen their files all the time; a
# program's offsets and F_SETFL flags survive, and the outputs are identical.
reopen() {
  DCE_HOSTFD_CACHE=$2 $RUN -o "$1" --seed 7 --map "$HERE" "0@1s: python3 $HERE/reopen.py" \
    "1@1s: sh -c 'for i in \$(seq 30); do echo o\$i; echo e\$i >&2; sleep 0.2; done'" \
    "2@1s: sh -c 'for i in \$(seq 30); do echo O\$i; sleep 0.15; done'" >/dev/null 2>&1
}
reopen "$W/r1" 2
check "reopen: stdout offsets and flags kept across reopening" \
  test "$(cat "$(log "$W/r1" 1000)")" = "$(printf 'J1llo\n6')"
check "reopen: stderr of the same program" grep -qx "append 0" "$W/r1/files-0/var/log/1000/stderr"
check "reopen: interleaved writers complete" \
  sh -c "test \$(grep -c '^o' '$(log "$W/r1" 1000 1)') = 30 && test \$(grep -c '^e' '$W/r1/files-1/var/log/1000/stderr') = 30"
reopen "$W/r2" 4096
check "reopen: outputs identical with a cache of 2 and of 4096" diff -r "$W/r1" "$W/r2"
# many nodes under a low open-file limit: ~5 host files per node before, now a bounded cache
mkdir -p "$W/nofile"
prlimit --nofile=48:48 "$PWD/build/dce/examples/dce-udp-many" --programs="$PROGS" --nodes=100 \
  --out="$W/nofile" >"$W/nofile.log" 2>&1
check "100 nodes x 2 programs under 48 open files: every echo" grep -q "^udp-many: 100/100 clients got every echo" "$W/nofile.log"
check "100 nodes under 48 open files: no preflight line" sh -c "! grep -q preflight '$W/nofile.log'"


# 6. files shared by every node (OUT/shared/etc/{hosts,resolv.conf,nsswitch.conf},
# src/libc-ns3/path.c) and lazy files-N trees: node a changes its /etc/hosts and
# resolv.conf, b only reads, c runs nothing, d changes metadata and removes, e
# changes through a read-only descriptor and a link and has its own resolv.conf.
cat >"$W/shared.yaml" <<YAML
seed: 3
stop: 10s
nodes:
  - a
  - b
  - c
  - d
  - name: e
    files:
      /etc/resolv.conf: |
        nameserver 10.7.7.7
links:
  - {type: csma, nodes: [a, b, c, d, e], rate: 10Mbps, delay: 1ms}
processes:
  - {node: a, argv: [python3, $HERE/shared.py, write], at: 1s}
  - {node: b, argv: [python3, $HERE/shared.py, look], at: 2s}
  - {node: d, argv: [python3, $HERE/shared.py, meta], at: 1s}
  - {node: e, argv: [python3, $HERE/shared.py, fdmeta], at: 1s}
YAML
$RUN -o "$W/sh1" --map "$HERE" "$W/shared.yaml" >"$W/sh1.log" 2>&1
check "shared: the scenario ran" grep -q "every process ended as expected" "$W/sh1.log"
for n in 0 1 3 4; do cases "shared (node $n)" "$(log "$W/sh1" 1000 $n)"; done
S=$W/sh1/shared/etc
check "shared: one /etc/hosts listing every node, in OUT/shared" \
  sh -c "for n in a b c d e; do grep -q \"	\$n\$\" '$S/hosts' 2>/dev/null || exit 1; done"
check "shared: a reading node has no copy of its own" test ! -e "$W/sh1/files-1/etc/hosts" -a ! -e "$W/sh1/files-1/etc/resolv.conf"
check "shared: the writer's change is in its own copy only" \
  sh -c "test -s '$S/hosts' && grep -q only-a '$W/sh1/files-0/etc/hosts' && ! grep -q only-a '$S/hosts' && ! grep -q only-e '$S/hosts'"
check "shared: stat on a reading node gives the shared file's size" \
  grep -qx "ino [0-9]* size $(stat -c %s "$S/hosts" 2>/dev/null) mtime [0-9]*" "$(log "$W/sh1" 1000 1)"
check "shared: the shared file keeps its mode after chmods on nodes" test "$(stat -c %a "$S/hosts" 2>/dev/null)" = 644
check "shared: a removed copy stays removed" test -s "$S/hosts" -a ! -e "$W/sh1/files-3/etc/hosts"
check "lazy trees: a node without programs leaves no files-N" test ! -e "$W/sh1/files-2"
$RUN -o "$W/sh2" --map "$HERE" "$W/shared.yaml" >/dev/null 2>&1
check "shared: two runs byte-identical (the shared files too)" \
  sh -c "test -d '$W/sh1/shared' && diff -r '$W/sh1' '$W/sh2'"

[ $failed = 0 ]
