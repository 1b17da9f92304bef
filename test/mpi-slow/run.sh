#!/usr/bin/env bash
# test/run: exclusive docker (its containers part may start and stop the docker engine, as packaging-slow does)
# test/mpi-slow - distributed runs on ns-3's MPI simulator (docs/mpi.md): ns-3's mpi
# module built from Debian's ns3 source (src/mpi/build-ns3-mpi.sh, cached), dce built
# with it (make MPI=1), then scenario files run on 1, 2, 3 and 4 ranks: ping and
# iperf3 across rank boundaries on ns-3's stack and on Linux-stack nodes, program
# outputs and pcaps byte for byte against --ranks 1, both engines, the hostfile recipe,
# 3 containers as 3 hosts (examples/mpi/compose, as root), a
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
. "$TOP/test/scenario/lib-scenario.sh" # the plain build, $Y, run_yaml
PLAIN_RUN=$DCE_RUN
make -s -C "$TOP" -j2 MPI=1 BUILDDIR=build/dce-mpi build/dce-mpi/dce-run programs >/dev/null ||
	{ echo "not ok - make MPI=1"; exit 1; }
D=$TOP/build/dce-mpi/dce-run
PROGS=$TOP/build/dce-mpi/test-programs
echo "# ${SECONDS}s: built"
# run NAME FILE [OPTIONS...]: $D (the MPI build's dce-run) into $SCRATCH/NAME (OUT, RC,
# NAME.log), stopped after 10 min: a distributed run that hangs must not hang CI;
# RUN_PATH: dce-run's PATH
export D
printf '#!/bin/sh\n[ -z "${RUN_PATH:-}" ] || PATH=$RUN_PATH\nexec /usr/bin/timeout 600 "$D" "$@"\n' >"$SCRATCH/dce-run-timed"
chmod +x "$SCRATCH/dce-run-timed"
run() { DCE_RUN=$SCRATCH/dce-run-timed run_yaml "$@"; }
# same_outputs A B [EXCLUDE]: every file (pcaps included) byte-identical, EXCLUDE aside
same_outputs() {
	diff -r ${3:+-x "$3"} "$SCRATCH/$1" "$SCRATCH/$2" >"$SCRATCH/diff-${1//\//_}-${2//\//_}" 2>&1
}
# ns_pcaps NAME: the run wrote pcaps, with nanosecond timestamps (magic a1b23c4d)
ns_pcaps() {
	local f n=0
	for f in "$SCRATCH/$1"/*.pcap; do
		[ "$(od -An -tx4 -N4 "$f" 2>/dev/null | tr -d ' ')" = a1b23c4d ] || return 1
		n=$((n + 1))
	done
	[ $n -gt 0 ]
}
all_ok() { grep -q 'every process ended as expected' "$SCRATCH/$1.log"; }
# against_one_rank WHAT NAME R EXCLUDE [OPTIONS...]: run $Y/NAME.yaml on R ranks (with
# OPTIONS) and check it against the run NAME-r1: every process as expected, the same
# program outputs and pcaps (EXCLUDE aside)
against_one_rank() {
	local what=$1 name=$2 r=$3 ex=$4 tag=$2-r$3
	shift 4
	[ $# -gt 0 ] && tag=$tag-${!#}
	local w="$what, $r ranks${*:+ ($*)}"
	run "$tag" "$Y/$name.yaml" --ranks "$r" "$@"
	check "$w: every process ended as expected" all_ok "$tag"
	check "$w: program outputs, pids, exitprocs, hosts, pcaps byte-identical to 1 rank${ex:+ ($ex aside)}" \
		same_outputs "$name-r1" "$tag" "$ex"
}

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
run line-r1 "$Y/line.yaml" --ranks 1
check "ns3 stack, 1 rank: every process ended as expected" all_ok line-r1
check "ns3 stack, 1 rank: iperf3 measured a transfer across the line" \
	grep -q 'receiver' "$SCRATCH/line-r1/files-0/var/log/1000/stdout"
check "ns3 stack, 1 rank: nanosecond pcaps (records of one nanosecond in one order)" ns_pcaps line-r1
against_one_rank "ns3 stack" line 2 ''
against_one_rank "ns3 stack" line 4 ''
against_one_rank "ns3 stack" line 2 '' --mpi-engine nullmsg
check "4 ranks: the automatic cut put one node on each rank" \
	grep -q 'line.yaml: 4 ranks (rank 0: a; rank 1: b; rank 2: c; rank 3: d)' "$SCRATCH/line-r4.log"
check "2 ranks: the automatic cut split the line in halves" \
	grep -q 'line.yaml: 2 ranks (rank 0: a, b; rank 1: c, d)' "$SCRATCH/line-r2.log"
# docs/mpi.md's hostfile recipe, as written there, with a hostfile naming this host
printf 'localhost slots=2\n' >"$SCRATCH/hosts"
(cd "$SCRATCH" && DCE_MPIRUN_ARGS="--hostfile hosts" run line-r2-hostfile "$Y/line.yaml" --ranks 2)
check "hostfile recipe (DCE_MPIRUN_ARGS=\"--hostfile hosts\"): every process ended as expected" all_ok line-r2-hostfile
check "hostfile recipe: outputs byte-identical to 1 rank" same_outputs line-r1 line-r2-hostfile
DCE_MPIRUN_ARGS="--hostfile $SCRATCH/no-such-hostfile" run no-hostfile "$Y/line.yaml" --ranks 2
check "hostfile recipe: mpirun reads the hostfile (a missing one fails the run)" test "$RC" != 0

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
	# the kernel's boot log (files-N/var/log/messages) prints host addresses (docs/mpi.md)
	against_one_rank "linux stack" linux 2 messages
	against_one_rank "linux stack" linux 3 messages
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

echo "# ${SECONDS}s: containers as hosts: examples/mpi/compose, 3 containers, 3 ranks"
# docker as packaging-slow sets it up: Debian's docker.io and docker-compose, the engine
# started here when none answers (and stopped at the end), the base image debootstrapped
compose_test() {
	local need=() started= cdir=$TOP/examples/mpi/compose rc
	command -v dockerd >/dev/null || need+=(docker.io)
	command -v docker-compose >/dev/null || need+=(docker-compose)
	command -v debootstrap >/dev/null || need+=(debootstrap)
	if [ ${#need[@]} -gt 0 ]; then
		{ apt-get install -y -qq "${need[@]}" || { apt-get update -qq && apt-get install -y -qq "${need[@]}"; }; } >"$SCRATCH/apt-docker.log" 2>&1 ||
			{ notok "containers: apt-get install ${need[*]}: $(tail -1 "$SCRATCH/apt-docker.log")"; return; }
	fi
	if ! docker info >/dev/null 2>&1; then
		setsid dockerd --storage-driver=overlay2 --iptables=false </dev/null >"$SCRATCH/dockerd.log" 2>&1 &
		started=$!
		for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
	fi
	export DCE_TOP=$TOP DCE_MPI_OUT=$SCRATCH/compose COMPOSE_PROJECT_NAME=dcempitest$$ DCE_MPI_WORKERS=2
	mkdir -p "$DCE_MPI_OUT"
	cp "$Y/line.yaml" "$DCE_MPI_OUT/line.yaml"
	local t=$SECONDS
	if ! docker info >/dev/null 2>&1; then
		notok "containers: no docker engine answers (dockerd: $(tail -1 "$SCRATCH/dockerd.log" 2>/dev/null))"
	elif ! "$TOP/scripts/make-base-image.sh" >"$SCRATCH/base.log" 2>&1; then
		notok "containers: scripts/make-base-image.sh: $(tail -1 "$SCRATCH/base.log")"
	elif ! (cd "$cdir" && docker-compose build >"$SCRATCH/compose-build.log" 2>&1); then
		notok "containers: docker-compose build: $(tail -1 "$SCRATCH/compose-build.log")"
	else
		echo "# image dce-mpi-node:bookworm ready in $((SECONDS - t)) s"
		(
			cd "$cdir" || exit 1
			docker-compose up -d --scale rank=2 rank >"$SCRATCH/compose-up.log" 2>&1 &&
				DCE_MPIRUN_ARGS=--display-map timeout 600 docker-compose run --rm head --ranks 3 --out /out/run /out/line.yaml
		) >"$SCRATCH/compose-run.log" 2>&1
		rc=$?
		check "containers: 'docker-compose run --rm head --ranks 3' ran (exit $rc)" test $rc = 0 ||
			sed 's/^/#   /' "$SCRATCH/compose-run.log" | tail -5
		check "containers: the head wrote a hostfile naming the 3 containers" \
			eval "grep -q 'hostfile [0-9.]* slots=1 [0-9.]* slots=1 [0-9.]* slots=1' '$SCRATCH/compose-run.log'"
		check "containers: mpirun placed one rank on each of the 3 containers (--display-map)" \
			eval "test \$(grep 'Data for node: .*Num procs: 1' '$SCRATCH/compose-run.log' | sort -u | wc -l) = 3"
		check "containers: every process ended as expected" grep -q 'every process ended as expected' "$SCRATCH/compose-run.log"
		# shared/etc/passwd and group are copies of the host's (here: the containers')
		check "containers: outputs and pcaps on the shared directory byte-identical to 1 rank in one process (the hosts' passwd, group aside)" \
			diff -r -x passwd -x group "$SCRATCH/line-r1" "$SCRATCH/compose/run"
		(cd "$cdir" && docker-compose down -v --remove-orphans) >/dev/null 2>&1
	fi
	echo "# containers: $((SECONDS - t)) s"
	if [ -n "$started" ]; then
		kill "$started" 2>/dev/null
		for _ in $(seq 40); do kill -0 "$started" 2>/dev/null || break; sleep 0.5; done
	fi
}
if [ "$(id -u)" = 0 ]; then
	compose_test
else
	echo "# skipped: containers as hosts (examples/mpi/compose) need root to install and start docker"
fi

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
RUN_PATH=/nonexistent expect_line no-mpirun 'mpirun is not installed (apt-get install openmpi-bin)' "$Y/line.yaml" --ranks 2
D=$PLAIN_RUN expect_line mpi-not-built 'built without MPI: build ns-3.s MPI module' "$Y/line.yaml" --ranks 2
# The C++ example of docs/mpi.md (two halves, system ids set by the program) on 1, 2
# and 4 ranks: the same outputs; more ranks than nodes: one line.
if make -s -C "$TOP" -j2 MPI=1 BUILDDIR=build/dce-mpi build/dce-mpi/examples/mpi/dce-mpi-halves >"$SCRATCH/halves-make.log" 2>&1; then
	HX=$TOP/build/dce-mpi/examples/mpi/dce-mpi-halves
	MPIRUN=(mpirun --oversubscribe)
	[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
	for r in 1 2 4; do
		mkdir -p "$SCRATCH/halves-$r"
		if [ $r = 1 ]; then
			timeout 600 "$HX" --half=8 --out="$SCRATCH/halves-$r" >"$SCRATCH/halves-$r.log" 2>&1
		else
			timeout 600 "${MPIRUN[@]}" -np $r "$HX" --half=8 --out="$SCRATCH/halves-$r" >"$SCRATCH/halves-$r.log" 2>&1
		fi
		rc=$?
		check "dce-mpi-halves --half=8 on $r rank(s): exit 0, 14 pings ended 0 in exitprocs (rc $rc)" \
			sh -c "[ $rc = 0 ] && [ \$(grep -c ' 0 .* ping ' '$SCRATCH/halves-$r/exitprocs') = 14 ]"
	done
	check "dce-mpi-halves: 2 ranks' outputs and pcaps byte-identical to one process" diff -r "$SCRATCH/halves-1" "$SCRATCH/halves-2"
	check "dce-mpi-halves: 4 ranks' outputs and pcaps byte-identical to one process" diff -r "$SCRATCH/halves-1" "$SCRATCH/halves-4"
	mkdir -p "$SCRATCH/halves-17"
	timeout 120 "${MPIRUN[@]}" -np 17 "$HX" --half=8 --out="$SCRATCH/halves-17" >"$SCRATCH/halves-17.log" 2>&1
	check "dce-mpi-halves on 17 ranks for 16 nodes: one line naming the fix" \
		grep -q '^dce-mpi-halves: 17 ranks but 16 nodes: every rank needs a node (use -np 16 or fewer' "$SCRATCH/halves-17.log"
else
	notok "make MPI=1 dce-mpi-halves: $(tail -1 "$SCRATCH/halves-make.log")"
fi
echo "# ${SECONDS}s: done"
finish
