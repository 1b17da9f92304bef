#!/usr/bin/env bash
# test/mpi-slow - distributed runs on ns-3's MPI simulator (docs/mpi.md): ns-3's mpi
# module built from Debian's ns3 source (src/mpi/build-ns3-mpi.sh, cached), dce built
# with it (make MPI=1), then scenario files run on 1, 2, 3 and 4 ranks: ping and
# iperf3 across rank boundaries on ns-3's stack and on Linux-stack nodes, program
# outputs byte for byte against --ranks 1, pcaps record for record, both engines, a
# program crashing on rank 1, a rank that dies, and the one-line errors for bad input.
. "$(dirname "$0")/../lib.sh"
# OpenMPI from Debian (installed when root)
if ! command -v mpicxx >/dev/null || ! command -v mpirun >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenmpi-dev openmpi-bin >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenmpi-dev openmpi-bin >/dev/null 2>&1; }
	fi
	command -v mpirun >/dev/null || { echo "not ok - OpenMPI is not installed: apt-get install libopenmpi-dev openmpi-bin"; exit 1; }
fi
t0=$SECONDS
NS3MPI=$("$TOP/src/mpi/build-ns3-mpi.sh" -j2 2>"$SCRATCH/ns3mpi.log") || { echo "not ok - build-ns3-mpi.sh: $(tail -1 "$SCRATCH/ns3mpi.log")"; exit 1; }
echo "# ${SECONDS}s: ns-3 mpi module at $NS3MPI ($((SECONDS - t0)) s)"
make -s -C "$TOP" -j2 >/dev/null || { echo "not ok - make"; exit 1; }
PLAIN_RUN=$DCE_RUN
make -s -C "$TOP" -j2 MPI=1 BUILDDIR=build/dce-mpi build/dce-mpi/dce-run programs >/dev/null ||
	{ echo "not ok - make MPI=1"; exit 1; }
D=$TOP/build/dce-mpi/dce-run
PROGS=$TOP/build/dce-mpi/test-programs
echo "# ${SECONDS}s: built"
Y=$SCRATCH/yaml
mkdir -p "$Y"
# run NAME FILE [OPTIONS...]: dce-run into $SCRATCH/NAME (sets OUT, RC; log in NAME.log)
run() {
	local name=$1 file=$2
	shift 2
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	timeout 600 "$D" --out "$OUT" "$@" "$file" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
# same_outputs A B [EXCLUDE]: every file but pcaps (and EXCLUDE) byte-identical
same_outputs() {
	diff -r -x '*.pcap' ${3:+-x "$3"} "$SCRATCH/$1" "$SCRATCH/$2" >"$SCRATCH/diff-$1-$2" 2>&1
}
# same_pcap_records A B: each pcap holds the same records (time, bytes); the order of
# records with the same timestamp may differ between rank counts (docs/mpi.md)
same_pcap_records() {
	python3 - "$SCRATCH/$1" "$SCRATCH/$2" <<'PY'
import glob, os, struct, sys
def records(p):
    d = open(p, 'rb').read()
    out, i = [], 24
    while i + 16 <= len(d):
        s, us, n, _ = struct.unpack('<IIII', d[i:i + 16])
        out.append((s, us, d[i + 16:i + 16 + n]))
        i += 16 + n
    return d[:24], sorted(out)
a, b = sys.argv[1], sys.argv[2]
pa = sorted(os.path.basename(p) for p in glob.glob(a + '/*.pcap'))
pb = sorted(os.path.basename(p) for p in glob.glob(b + '/*.pcap'))
if not pa or pa != pb:
    sys.exit('pcap files differ: %s vs %s' % (pa, pb))
for f in pa:
    if records(a + '/' + f) != records(b + '/' + f):
        sys.exit(f + ': records differ')
PY
}
all_ok() { grep -q 'every process ended as expected' "$SCRATCH/$1.log"; }

echo "# ${SECONDS}s: ns-3 stack, a line of 4 nodes cut into 1, 2 and 4 ranks"
cat >"$Y/line.yaml" <<'YAML'
seed: 3
stop: 8s
pcap: true
nodes: [a, b, c, d]
links:
  - {nodes: [a, b], rate: 10Mbps, delay: 2ms}
  - {nodes: [b, c], rate: 10Mbps, delay: 1ms}
  - {nodes: [c, d], rate: 10Mbps, delay: 3ms}
processes:
  - {node: d, cmd: iperf3 -s -1, at: 1s, stack: 1M}
  - {node: a, cmd: iperf3 -c d -t 3, at: 2s, stack: 1M}
  - {node: b, cmd: ping -c 3 d, at: 1s, stack: 1M}
  - {node: c, cmd: ping -c 2 a, at: 1.5s, stack: 1M}
YAML
run ns3-r1 "$Y/line.yaml" --ranks 1
check "ns3 stack, 1 rank: every process ended as expected" all_ok ns3-r1
check "ns3 stack, 1 rank: iperf3 measured a transfer across the line" \
	grep -q 'receiver' "$SCRATCH/ns3-r1/files-0/var/log/1000/stdout"
for r in 2 4; do
	run ns3-r$r "$Y/line.yaml" --ranks $r
	check "ns3 stack, $r ranks: every process ended as expected" all_ok ns3-r$r
	check "ns3 stack, $r ranks: program outputs, exitprocs, hosts byte-identical to 1 rank" same_outputs ns3-r1 ns3-r$r
	check "ns3 stack, $r ranks: pcaps hold the same records as 1 rank" same_pcap_records ns3-r1 ns3-r$r
done
run ns3-r2n "$Y/line.yaml" --ranks 2 --mpi-engine nullmsg
check "ns3 stack, 2 ranks, null-message engine: identical program outputs" same_outputs ns3-r1 ns3-r2n
check "ns3 stack, 2 ranks, null-message engine: same pcap records" same_pcap_records ns3-r1 ns3-r2n
check "4 ranks: the automatic cut put one node on each rank" \
	grep -q 'line.yaml: 4 ranks (rank 0: a; rank 1: b; rank 2: c; rank 3: d)' "$SCRATCH/ns3-r4.log"
check "2 ranks: the automatic cut split the line in halves" \
	grep -q 'line.yaml: 2 ranks (rank 0: a, b; rank 1: c, d)' "$SCRATCH/ns3-r2.log"

echo "# ${SECONDS}s: Linux-stack nodes across ranks"
if lib=$("$TOP/src/kernel/build.sh" --cached 2>/dev/null) || lib=$("$TOP/src/kernel/build.sh" -j2 2>"$SCRATCH/kbuild.log"); then
	export DCE_LINUX_LIBRARY=$lib
	cat >"$Y/linux.yaml" <<'YAML'
seed: 5
stop: 8s
pcap: true
nodes:
  - {name: a, stack: linux}
  - {name: b, stack: linux}
  - {name: c, stack: linux}
links:
  - {nodes: [a, b], rate: 10Mbps, delay: 2ms}
  - {nodes: [b, c], rate: 10Mbps, delay: 3ms}
processes:
  - {node: c, cmd: iperf3 -s -1, at: 1s, stack: 1M}
  - {node: a, cmd: iperf3 -c c -t 2, at: 2s, stack: 1M}
  - {node: a, cmd: ping -c 3 c, at: 1s, stack: 1M}
YAML
	run linux-r1 "$Y/linux.yaml" --ranks 1
	check "linux stack, 1 rank: every process ended as expected" all_ok linux-r1
	for r in 2 3; do
		run linux-r$r "$Y/linux.yaml" --ranks $r
		check "linux stack, $r ranks: every process ended as expected" all_ok linux-r$r
		check "linux stack, $r ranks: program outputs byte-identical to 1 rank (kernel logs aside)" \
			same_outputs linux-r1 linux-r$r messages
		check "linux stack, $r ranks: pcaps hold the same records as 1 rank" same_pcap_records linux-r1 linux-r$r
	done
	check "linux stack: ping crossed two rank boundaries" grep -q '3 received' "$SCRATCH/linux-r3/files-0/var/log/1000/stdout"
else
	notok "the kernel library is not built (src/kernel/build.sh: $(tail -1 "$SCRATCH/kbuild.log"))"
fi

echo "# ${SECONDS}s: a program crashing on rank 1"
cat >"$Y/crash.yaml" <<YAML
stop: 3s
map: [$PROGS]
nodes:
  - {name: a, rank: 0}
  - {name: b, rank: 1}
links:
  - {nodes: [a, b], rate: 10Mbps, delay: 1ms}
processes:
  - {node: a, cmd: ping -c 2 b, at: 1s, stack: 1M}
  - {node: b, cmd: $PROGS/crash segv, at: 1s}
YAML
run crash-r1 "$Y/crash.yaml" --ranks 1
run crash-r2 "$Y/crash.yaml" --ranks 2
check "crash on rank 1: reported like one process (exit 1, the same line)" \
	test "$RC" = 1 -a "$(grep 'ended SIGSEGV' "$SCRATCH/crash-r1.log")" = "$(grep 'ended SIGSEGV' "$SCRATCH/crash-r2.log")"
check "crash on rank 1: the run went on (ping on rank 0 answered)" grep -q '2 received' "$SCRATCH/crash-r2/files-0/var/log/1000/stdout"
check "crash on rank 1: same exitprocs and outputs as 1 rank" same_outputs crash-r1 crash-r2

echo "# ${SECONDS}s: the Python module: rank= per node, run(ranks=N)"
cat >"$Y/two.py" <<'PY'
import dce, sys
net = dce.Network(seed=1, out=sys.argv[1], stop="6s")
a, b = net.add_node("a", rank=0), net.add_node("b", rank=1)
net.link(a, b, rate="10Mbps", delay="2ms")
p = a.run(["ping", "-c", "2", "b"], at="1s", stack="1M")
sys.exit(0 if net.run(ranks=int(sys.argv[2])) and "2 received" in p.stdout else 1)
PY
for r in 1 2; do
	PYTHONPATH=$TOP/build/dce-mpi/python DCE_RUN=$D python3 "$Y/two.py" "$SCRATCH/py-r$r" $r >"$SCRATCH/py-r$r.log" 2>&1
	check "python, $r rank(s): ping by name across the nodes' ranks" test $? = 0
done
check "python: 2 ranks give the outputs of 1 rank" diff -r -x scenario.yaml "$SCRATCH/py-r1" "$SCRATCH/py-r2"
check "python: the saved scenario keeps each node's rank" grep -q 'rank: 1' "$SCRATCH/py-r2/scenario.yaml"

echo "# ${SECONDS}s: a rank that dies"
cat >"$Y/long.yaml" <<YAML
stop: 100000s
map: [$PROGS]
nodes:
  - {name: a, rank: 0}
  - {name: b, rank: 1}
links:
  - {nodes: [a, b], rate: 10Mbps, delay: 1ms}
processes:
  - {node: a, cmd: ping -i 1 b, at: 1s, stack: 1M, expect: any}
  - {node: b, cmd: ping -i 1 a, at: 1s, stack: 1M, expect: any}
YAML
OUT=$SCRATCH/die
"$D" --out "$OUT" --ranks 2 "$Y/long.yaml" >"$SCRATCH/die.log" 2>&1 &
launcher=$!
victim=
for _ in $(seq 100); do
	sleep 0.2
	for p in $(pgrep -P "$(pgrep -P $launcher -x mpirun | head -1)" 2>/dev/null); do
		tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$p
	done
	[ -n "$victim" ] && [ -d "$OUT/files-0/var/log/1000" ] && break
done
sleep 1
[ -n "$victim" ] && kill -KILL "$victim"
wait $launcher
RC=$?
check "a rank that dies: the run ends with an error status" test "$RC" -ne 0
check "a rank that dies: one clear line names the rank" grep -q 'ended early.*rank(s) 1.*outputs of the other ranks are kept' "$SCRATCH/die.log"
check "a rank that dies: rank 0's outputs are kept (its ping's output and exitprocs)" \
	eval 'grep -q "bytes from" "$OUT/files-0/var/log/1000/stdout" && grep -q "RUNNING" "$OUT/exitprocs"'

echo "# ${SECONDS}s: bad input, one line each before the run"
# expect_line NAME PATTERN FILE [OPTIONS]: exit 2, one line on stderr matching PATTERN
expect_line() {
	local name=$1 pat=$2 file=$3
	shift 3
	run "$name" "$file" "$@"
	if [ "$RC" = 2 ] && [ "$(wc -l <"$SCRATCH/$name.log")" = 1 ] && grep -q "$pat" "$SCRATCH/$name.log" &&
		[ ! -d "$SCRATCH/$name/files-0/var/log" ]; then
		ok "bad input: $name ($(cat "$SCRATCH/$name.log"))"
	else
		notok "bad input: $name (rc $RC): $(head -3 "$SCRATCH/$name.log")"
	fi
}
printf 'stop: 5s\nnodes:\n  - {name: a, rank: 0}\n  - {name: b, rank: 1}\nlinks:\n  - {type: csma, nodes: [a, b]}\n' >"$Y/csma.yaml"
expect_line csma-across 'csma link joins a (rank 0) and b (rank 1): only p2p links may cross ranks' "$Y/csma.yaml" --ranks 2
printf 'stop: 5s\nnodes:\n  - {name: a, rank: 0}\n  - {name: b, rank: 1}\nlinks:\n  - {nodes: [a, b]}\n' >"$Y/zero.yaml"
expect_line zero-delay 'has delay 0: a link between ranks needs a delay > 0' "$Y/zero.yaml" --ranks 2
printf 'stop: 5s\nnodes: [a, b, c]\nlinks:\n  - {nodes: [a, b]}\n  - {type: csma, nodes: [b, c]}\n' >"$Y/nocut.yaml"
expect_line no-cut 'cannot split the scenario into 2 ranks' "$Y/nocut.yaml" --ranks 2
expect_line too-many-ranks '5 ranks but the scenario has 4 node(s)' "$Y/line.yaml" --ranks 5
printf 'stop: 5s\nnodes:\n  - {name: a, rank: 0}\n  - {name: b, rank: 2}\n  - {name: c}\nlinks:\n  - {nodes: [a, b, c], type: csma}\n' >"$Y/rank2.yaml"
expect_line rank-too-big 'node b has rank: 2 but the run has 2 ranks (0 to 1)' "$Y/rank2.yaml" --ranks 2
printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b], delay: 1ms}\n' >"$Y/nostop.yaml"
expect_line no-stop 'a distributed run needs a stop time' "$Y/nostop.yaml" --ranks 2
expect_line bad-engine 'bad mpi_engine' "$Y/line.yaml" --ranks 2 --mpi-engine fast
D=$PLAIN_RUN expect_line mpi-not-built 'built without MPI: build ns-3.s MPI module' "$Y/line.yaml" --ranks 2
echo "# ${SECONDS}s: done"
finish
