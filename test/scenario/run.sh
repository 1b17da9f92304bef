#!/usr/bin/env bash
# test/scenario - the scenario layer (src/scenario) and its two front ends: scenario
# files run by `dce-run FILE.yaml` and the Python module `dce`. Program outputs,
# exit codes, pcaps, names through /etc/hosts, Linux-stack nodes, generators,
# determinism, twins of the C++ examples byte for byte, one-line errors for bad
# input and a mutation test of the file reader.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../scenario/lib-scenario.sh"
# stdout of the process with index I (scenario-procs) in the last run
proc_stdout() { awk -v i="$1" '$1 == i { print ENVIRON["OUT"] "/files-" $2 "/var/log/" $3 "/stdout" }' "$OUT/scenario-procs"; }
proc_exit() { awk -v i="$1" '$1 == i { print $4 }' "$OUT/scenario-procs"; }
export OUT

echo "# ${SECONDS}s: two ns3-stack nodes"
# ---- two ns3-stack nodes, a p2p link, iperf3 by name, pcap --------------------------
cat >"$Y/pair.yaml" <<'YAML'
seed: 1
stop: 20s
nodes: [a, b]
links:
  - {nodes: [a, b], rate: 10Mbps, delay: 2ms, pcap: true}
processes:
  - {node: b, cmd: iperf3 -s -1, at: 1s}
  - {node: a, cmd: iperf3 -c b -t 2, at: 2s}
  - {node: a, argv: [sh, -c, "cat /etc/hosts; exit 3"], at: 1s, expect: 3}
YAML
run_yaml pair "$Y/pair.yaml"
check "a p2p scenario file runs (exit 0, every process as expected)" [ "$RC" = 0 ]
check "iperf3 reaches the other node by name over the 10 Mbps link" \
	grep -Eq 'receiver$' "$(proc_stdout 1)"
check "the measured rate is below the link rate" \
	awk '/receiver$/ { r = $7; u = $8 } END { exit !(u == "Mbits/sec" && r > 8 && r <= 10) }' "$(proc_stdout 1)"
check "expect: 3 accepts exit 3" [ "$(proc_exit 2)" = 3 ]
check "/etc/hosts names every node" grep -Eq '^10\.1\.1\.2[[:space:]]+b$' "$(proc_stdout 2)"
check "pcaps of both devices" [ -s "$OUT/p2p-0-0.pcap" -a -s "$OUT/p2p-1-0.pcap" ]
if command -v tshark >/dev/null; then
	n=$(tshark -r "$OUT/p2p-0-0.pcap" 2>/dev/null | grep -c 'TCP')
	check "tshark reads the pcap: TCP segments to port 5201 ($n)" [ "$n" -gt 100 ]
fi
# determinism: the same file twice, byte for byte
cp -r "$OUT" "$SCRATCH/pair-1"
run_yaml pair "$Y/pair.yaml"
check "two runs are byte-identical (outputs, exitprocs, pcaps)" \
	diff -r -x scenario-procs "$SCRATCH/pair-1" "$OUT"
run_yaml pair-seed2 "$Y/pair.yaml" --seed 2
check "--seed overrides the file" [ "$RC" = 0 ]

# an unmet expectation: dce-run exits 1 and names the process's line
cat >"$Y/expect.yaml" <<'YAML'
nodes: [a]
processes:
  - {node: a, cmd: "sh -c 'exit 4'"}
YAML
run_yaml expect "$Y/expect.yaml"
check "a process that ends other than expected: exit 1, its line named" \
	sh -c "[ $RC = 1 ] && grep -q 'expect.yaml:3:20: process .* ended 4, expected 0' '$SCRATCH/expect.log'"

echo "# ${SECONDS}s: twins of the C++ examples: byte-identical program outputs"
. "$TOP/test/scenario/twins.sh"
# the Python twins that take seconds; test/scenario-slow runs every twin
PYTWINS="dce-iperf3 dce-basic udp-simple dce-nc dce-ping dce-two-nodes dce-udp-many dce-linux-idle dce-linux-line"
twins ns3

echo "# ${SECONDS}s: Linux-stack nodes"
# ---- Linux-stack nodes, mixed stacks, automatic routes, sysctl, files ----------------
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") && export DCE_LINUX_LIBRARY=$lib
cat >"$Y/linux.yaml" <<'YAML'
stop: 15s
nodes:
  - {name: a, stack: linux, sysctl: {net.ipv4.tcp_congestion_control: bbr}}
  - {name: r, stack: linux}
  - {name: c, files: {/home/hello.txt: "hello from c\n"}}
links:
  - {nodes: [a, r], rate: 5Mbps, delay: 2ms}
  - {nodes: [r, c], rate: 5Mbps, delay: 2ms, subnet: 192.168.7.0/24}
processes:
  - {node: a, cmd: ping -c 2 c, at: 1s}
  - {node: a, cmd: sysctl -n net.ipv4.tcp_congestion_control, at: 1s}
  - {node: c, cmd: cat /home/hello.txt, at: 1s}
  - {node: a, cmd: ip route show, at: 1s}
YAML
run_yaml linux "$Y/linux.yaml"
check "Linux-stack nodes: the scenario runs (exit 0)" [ "$RC" = 0 ]
check "a Linux node pings an ns3 node by name through a Linux router" \
	grep -q '2 packets transmitted, 2 received' "$(proc_stdout 0)"
check "the node's sysctl is set at boot" grep -qx bbr "$(proc_stdout 1)"
check "files: are placed in the node" grep -qx 'hello from c' "$(proc_stdout 2)"
check "automatic routes are in the Linux kernel (ip route)" grep -q '^default via 10.1.1.2 dev eth0' "$(proc_stdout 3)"

echo "# ${SECONDS}s: twins of the Linux-stack examples"
twins linux

echo "# ${SECONDS}s: generators and scale"
cat >"$Y/v6.yaml" <<'YAML'
stop: 15s
ipv6: true
nodes: [{name: a, stack: linux}, {name: r, stack: linux}, c, d]
links: [[a, r], [r, c], [c, d]]
processes:
  - {node: a, cmd: ping -6 -c 1 fd00:3::2, at: 2s}
  - {node: d, cmd: ping -6 -c 1 fd00:1::1, at: 3s}
YAML
run_yaml v6 "$Y/v6.yaml"
check "IPv6 over automatic subnets and routes: Linux and ns3 routers forward both ways" [ "$RC" = 0 ]

# ---- generators and scale ------------------------------------------------------------
cat >"$Y/star.yaml" <<'YAML'
# 1000 nodes around a hub; two leaves ping each other through it
stop: 10s
generate: {topology: star, nodes: 1000, prefix: h, rate: 100Mbps, delay: 1ms}
processes:
  - {node: h1, cmd: ping -c 2 h999, at: 1s}
  - {node: h500, cmd: ping -c 1 h2, at: 1s}
YAML
start=$(date +%s.%N)
run_yaml star "$Y/star.yaml"
secs=$(echo "$(date +%s.%N) - $start" | bc)
check "a 1000-node star from 3 lines runs (exit 0, ${secs}s)" [ "$RC" = 0 ]
check "leaves reach each other by name through the hub" grep -q '2 packets transmitted, 2 received' "$(proc_stdout 0)"
# files-N trees are made on first use: only the two nodes that run a program have one
check "files-N only for the 2 nodes with programs (lazy trees)" [ "$(ls -d "$OUT"/files-* | wc -l)" = 2 ]
check "one shared /etc/hosts names the 1000 nodes" \
	[ "$(awk '$2 != "localhost" { print $2 }' "$OUT/shared/etc/hosts" | sort -u | wc -l)" = 1000 ]
for topo in line tree grid lan; do
	printf 'stop: 10s\ngenerate: {topology: %s, nodes: 9, prefix: n}\nprocesses:\n  - {node: n0, cmd: ping -c 1 n8, at: 1s}\n' "$topo" >"$Y/$topo.yaml"
	run_yaml "gen-$topo" "$Y/$topo.yaml"
	check "generator $topo: n0 pings n8 by name" grep -q '1 packets transmitted, 1 received' "$(proc_stdout 0)"
done

echo "# ${SECONDS}s: CSMA and Wi-Fi"
# ---- CSMA and Wi-Fi --------------------------------------------------------------------
cat >"$Y/lan.yaml" <<'YAML'
stop: 10s
ipv6: true
nodes: [a, b, c, w1, w2, x0, x1, x2]
links:
  - {type: csma, nodes: [a, b, c], rate: 100Mbps, delay: 10us}
  - {type: wifi, nodes: [c, w1, w2], mode: ap, spacing: 5}
  - {type: wifi, nodes: [x0, x1, x2], mode: adhoc, standard: 80211g, spacing: 10}
processes:
  - {node: a, cmd: ping -c 1 b, at: 1s}
  - {node: a, cmd: ping -6 -c 1 fd00:1::2, at: 2s}
  - {node: w2, cmd: ping -c 1 a, at: 2s}
  - {node: x2, cmd: ping -c 1 x0, at: 2s}
YAML
run_yaml lan "$Y/lan.yaml"
check "CSMA LAN: IPv4 ping by name" grep -q '1 packets transmitted, 1 received' "$(proc_stdout 0)"
check "CSMA LAN: IPv6 ping" grep -q '1 packets transmitted, 1 received' "$(proc_stdout 1)"
check "Wi-Fi station pings across the AP to the LAN" grep -q '1 packets transmitted, 1 received' "$(proc_stdout 2)"
check "Wi-Fi ad hoc (802.11g): a node pings another 20 m away" grep -q '1 packets transmitted, 1 received' "$(proc_stdout 3)"

echo "# ${SECONDS}s: bad input: one line file:line:column"
# ---- bad input: one line file:line:column, exit 2, nothing runs ----------------------
bad() { # DESCRIPTION EXPECTED-REGEX  (file content on stdin; not a pipeline: ok/notok count here)
	local f=$Y/bad.yaml
	cat >"$f"
	rm -rf "$SCRATCH/bad"
	"$DCE_RUN" --out "$SCRATCH/bad" "$f" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err"
	local rc=$? lines
	lines=$(wc -l <"$SCRATCH/bad.err")
	if [ $rc = 2 ] && [ "$lines" = 1 ] && grep -Eq "^$f:$2" "$SCRATCH/bad.err" && [ ! -e "$SCRATCH/bad/exitprocs" ]; then
		ok "error: $1"
	else
		notok "error: $1 (rc $rc, $lines lines: $(head -c 300 "$SCRATCH/bad.err"))"
	fi
}
bad "a link to an unknown node" "3:17: unknown node 'c'" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, c]}\n')
bad "an unknown key" "2:1: unknown key 'linkz' in the scenario \\(known:" < <(printf 'nodes: [a, b]\nlinkz: []\n')
bad "a rate that does not parse" "3:27: bad rate 'fast'" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b], rate: fast}\n')
bad "a time that does not parse" "3:30: bad at time" < <(printf 'nodes: [a]\nprocesses:\n  - {node: a, cmd: date, at: 1 fortnight}\n')
bad "a program not found" "3:20: program 'no-such-program-x' not found on node a" < <(printf 'nodes: [a]\nprocesses:\n  - {node: a, cmd: no-such-program-x}\n')
bad "an address clash" "4:5: subnet 10.1.2.0/24 overlaps the subnet of the link at .*:3:5" < <(printf 'nodes: [a, b, c]\nlinks:\n  - {nodes: [a, b], subnet: 10.1.0.0/16}\n  - {nodes: [b, c], subnet: 10.1.2.0/24}\n')
bad "the same address twice" ".*10.1.1.1 is given to two nodes" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b], addresses: {a: 10.1.1.1/24, b: 10.1.1.1/24}}\n')
bad "malformed YAML" "4:1: not valid YAML" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b]\n')
bad "a process after the stop time" "3:20: the process starts at or after" < <(printf 'nodes: [a]\nprocesses:\n  - {node: a, cmd: date, at: 5s}\nstop: 2s\n')
bad "a huge number" "1:7: bad seed" < <(printf 'seed: 99999999999999999999999\nnodes: [a]\n')
bad "a huge generator" "1:35: bad nodes" < <(printf 'generate: {topology: star, nodes: 1000000000}\n')
bad "aliases" "2:4: aliases" < <(printf 'x: &a [1]\ny: *a\n')
bad "a sysctl on an ns3 node" "1:.*sysctls need stack: linux" < <(printf 'nodes: [{name: a, stack: ns3, sysctl: {net.ipv4.ip_forward: 1}}]\n')
bad "a gateway on none of the node's links" "1:31: gateway 10.5.5.5 is on none of node b's links" < <(printf 'nodes: [a, {name: b, routes: [{to: 10.9.0.0/16, via: 10.5.5.5}]}]\nlinks: [[a, b]]\n')
bad "an empty file" "1:1: the file is empty" < <(printf '')
bad "a position that does not parse" "1:29: bad position '1,north'" < <(printf 'nodes: [{name: a, position: [1, north]}]\n')
bad "an unknown Wi-Fi layout" "3:41: bad layout 'spiral'" < <(printf 'nodes: [a, b]\nlinks:\n  - {type: wifi, nodes: [a, b], layout: spiral}\n')
bad "a Wi-Fi mode of another standard" "3:5: Wi-Fi mode DsssRate1Mbps is not a mode of standard 80211a" < <(printf 'nodes: [a, b]\nlinks:\n  - {type: wifi, nodes: [a, b], data_mode: DsssRate1Mbps}\n')
bad "a Wi-Fi option on a p2p link" "3:32: data_mode is for wifi links" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b], data_mode: OfdmRate6Mbps}\n')
bad "address none with automatic routes" "3:36: address none \\(for a\\) needs routing: none" < <(printf 'nodes: [a, b]\nlinks:\n  - {nodes: [a, b], addresses: {a: none}}\n')
bad "IPv6 without the IPv6 stack" "4:5: IPv6 on this link, but ipv6_stack: false" < <(printf 'ipv6_stack: false\nnodes: [a, b]\nlinks:\n  - {nodes: [a, b], ipv6: true}\n')
bad "a relative program path that is not there" "3:20: program '/.*/no/such/prog' not found on node a" < <(printf 'nodes: [a, b]\nprocesses:\n  - {node: a, cmd: ./no/such/prog}\n')

DCE_LINUX_LIBRARY=/nonexistent/liblinux.so bad "a Linux-stack node without a kernel library" \
	"1:9: node a has stack: linux but the kernel library '/nonexistent/liblinux.so' cannot be read" < <(printf 'nodes: [{name: a, stack: linux}]\n')
DCE_LINUX_LIBRARY= DCE_KERNEL_VERSION=9.9 bad "a kernel version that is not built" \
	"1:9: node a has stack: linux but Linux 9.9 is not built .*src/kernel/build.sh --kernel 9.9" < <(printf 'nodes: [{name: a, stack: linux}]\n')
check "a missing file: one line" sh -c "'$DCE_RUN' /nonexistent.yaml 2>&1 >/dev/null | grep -c . | grep -qx 1"

# mutants: never a crash, a one-line refusal naming the file. 600 through the Python
# module's loader (the same reader and checks, one process), 40 through dce-run --check.
python3 "$TOP/test/scenario/mutate.py" 12 640 "$SCRATCH/mutants" "$Y/pair.yaml" "$Y/linux.yaml" "$Y/lan.yaml" "$Y/star.yaml" \
	"$TOP/examples/dce-basic.yaml" "$TOP/examples/dce-wifi.yaml" "$TOP/examples/dce-linux-line.yaml" "$TOP/examples/dce-udp-many.yaml"
timeout 120 python3 "$TOP/test/scenario/load-mutants.py" $(ls "$SCRATCH"/mutants/*.yaml | head -600) >"$SCRATCH/mut-py.log" 2>&1
rc=$?
check "600 mutated scenario files through the loader: no crash (rc $rc: $(tail -1 "$SCRATCH/mut-py.log"))" \
	sh -c "[ $rc = 0 ] && grep -q 'multiline 0\$' '$SCRATCH/mut-py.log'"
crashes=0 refused=0 multi=0
for m in $(ls "$SCRATCH"/mutants/*.yaml | tail -40); do
	timeout 20 "$DCE_RUN" --check --out "$SCRATCH/mut-out" "$m" >/dev/null 2>"$SCRATCH/mut.err"
	rc=$?
	if [ $rc -gt 2 ]; then
		crashes=$((crashes + 1))
		echo "# crash ($rc): $m"
	elif [ $rc = 2 ]; then
		refused=$((refused + 1))
		[ "$(wc -l <"$SCRATCH/mut.err")" = 1 ] || { multi=$((multi + 1)); echo "# not one line: $m"; }
	fi
done
check "40 mutated files through dce-run --check: 0 crashes ($refused refused), each refusal one line" [ $crashes = 0 -a $multi = 0 ]

echo "# ${SECONDS}s: Python"
# ---- Python -------------------------------------------------------------------------
cd "$SCRATCH" || exit 1
cat >issue.py <<'PY'
import dce
net = dce.Network(seed=1, out="out")
a = net.add_node("a")                      # stack="ns3" (default) or "linux"
b = net.add_node("b", stack="linux")
net.link(a, b, rate="10Mbps", delay="2ms") # also net.lan([...]) and net.wifi([...])
srv = b.run("iperf3 -s -1", at="1s")
cli = a.run("iperf3 -c b -t 5 -J", at="2s")
net.run(stop="30s")
print(cli.exit_code, cli.stdout)          # read from files-N after the run
PY
python3 issue.py >issue.out 2>&1
check "the issue's Python example runs as written" \
	sh -c "head -1 issue.out | grep -qx '0 {' && grep -q '\"bits_per_second\"' issue.out"
cat >errors.py <<'PY'
import dce
net = dce.Network(out="o")
a = net.add_node("a")
for call in (lambda: net.link(a, "zz"), lambda: net.link(a, net.add_node("b"), rate="10 parsecs"),
             lambda: a.run("date", at="soon"), lambda: a.run("no-such-program-y"),
             lambda: net.add_node("a")):
    try:
        call()
        print("accepted")
    except dce.Error as e:
        print(str(e))
print(len(net.processes), dce.Network.load("pair.yaml").nodes["b"].index)
PY
cp "$Y/pair.yaml" .
python3 errors.py >errors.out 2>&1
check "Python errors are dce.Error with the call's file:line and the same text" \
	diff <(sed "s/ (.*//; s|^$SCRATCH/||" errors.out) <(printf '%s\n' "errors.py:4: unknown node 'zz': add it with net.add_node first" \
		"errors.py:4: bad rate '10 parsecs': a rate is a number with a unit bps, kbps, Mbps or Gbps" \
		"errors.py:5: bad at time 'soon': a time is a number with a unit ns, us, ms, s, min or h" \
		"errors.py:5: program 'no-such-program-y' not found on node a" \
		"errors.py:6: node 'a' is defined twice" "0 1")
cat >sweep.py <<'PY'
import multiprocessing, dce
def one(delay):
    net = dce.Network(out="sweep-%s" % delay)
    a, b = net.add_node("a"), net.add_node("b")
    net.link(a, b, rate="10Mbps", delay=delay)
    p = a.run("ping -c 2 b", at="1s")
    net.run(stop="10s")
    return p.stdout.splitlines()[1].split("time=")[1]
if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(one, ["5ms", "20ms"]))
    print([one(d) for d in ("1ms", "2ms")])
    net = dce.Network.load("pair.yaml")
    print(net.run(), net.processes[1].exit_code, net.processes[1].node.name)
PY
python3 sweep.py >sweep.out 2>&1
check "parallel runs (multiprocessing) and runs in sequence in one script" \
	diff sweep.out <(printf "%s\n" "['10.1 ms', '40.1 ms']" "['2.14 ms', '4.14 ms']" "True 0 a")
finish
