#!/usr/bin/env bash
# test/run: exclusive all (it compares with the host kernel running in real time)
# test/linux-fidelity - dce's Linux stack against the host's own kernel: the same
# topology (a - r - b, r forwarding, a 10 Mbit/s tbf bottleneck with a 60 KB queue
# on r's link to b) and the same stock programs run once in dce (three Linux-stack
# nodes) and once on this machine's kernel (three network namespaces joined by
# veth pairs, made and removed here; traffic stays inside them). What Linux
# reports is compared within the tolerances of docs/kernel.md ("Fidelity"):
# iperf3 -C cubic's rate and retransmissions, TCP_INFO sampled by ss -ti
# (cwnd, ssthresh, rtt) and ping's RTT idle and through the loaded queue.
# The host kernel has no netem (and no fq_codel): delay comes from the queue.
# Needs root (namespaces); skips clearly otherwise.
source "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "ok - skipped: test/linux-fidelity needs root (network namespaces)"
	finish
	exit
fi
for p in iperf3 iputils-ping iproute2 ethtool; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1 ||
		{ echo "not ok - cannot install $p"; exit 1; }
done
if ! ip netns add "fid$$-t" 2>/dev/null; then
	echo "ok - skipped: cannot create network namespaces here"
	finish
	exit
fi
ip netns del "fid$$-t"
build_once
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || { echo "not ok - kernel library builds"; exit 1; }
export DCE_LINUX_LIBRARY=$lib

QDISC="tbf rate 10mbit burst 5kb limit 60kb"
# The client's whole run: idle ping, iperf3 for 5 s, from 1 s ping through the
# loaded queue and ss -ti every 0.5 s. $1: the directory for its outputs.
client='ping -c 3 -i 0.2 10.1.2.2 > DIR/ping0; iperf3 -c 10.1.2.2 -t 5 -C cubic > DIR/iperf & sleep 1; ping -c 10 -i 0.3 10.1.2.2 > DIR/ping & for i in 1 2 3 4 5 6 7; do sleep 0.5; ss -tin dst 10.1.2.2; done > DIR/ss; wait'

# ---- dce: three Linux-stack nodes ----
cat >"$SCRATCH/fid.yaml" <<Y
stop: 10s
nodes:
  - {name: a, stack: linux}
  - {name: r, stack: linux, sysctl: {net.ipv4.ip_forward: 1}}
  - {name: b, stack: linux}
links:
  - {nodes: [a, r], rate: 10Gbps}
  - {nodes: [r, b], rate: 10Gbps}
processes:
  - {node: r, cmd: "tc qdisc add dev eth1 root $QDISC"}
  - {node: b, cmd: "iperf3 -s -1", at: 0.5s}
  - {node: a, at: 1s, cmd: "sh -c '${client//DIR//tmp}'"}
Y
run_dce dce "$SCRATCH/fid.yaml"
check "dce run (rc $RC)" test "$RC" = 0
D=$OUT/files-0/tmp

# ---- the host kernel: three namespaces ----
H=$SCRATCH/host
mkdir -p "$H"
A=fid$$-a R=fid$$-r B=fid$$-b
cleanup_ns() {
	local n
	for n in $A $R $B; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
}
trap 'cleanup_ns; rm -rf "$SCRATCH"' EXIT
for n in $A $R $B; do ip netns add "$n" && ip -n "$n" link set lo up; done
ip link add va netns "$A" type veth peer name ra netns "$R"
ip link add vb netns "$B" type veth peer name rb netns "$R"
ip -n "$A" addr add 10.1.1.1/24 dev va
ip -n "$R" addr add 10.1.1.2/24 dev ra
ip -n "$R" addr add 10.1.2.1/24 dev rb
ip -n "$B" addr add 10.1.2.2/24 dev vb
for x in "$A va" "$R ra" "$R rb" "$B vb"; do
	set -- $x
	ip -n "$1" link set "$2" up
	# dce's devices have no offloads: neither do these
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off >/dev/null 2>&1
done
ip -n "$A" route add default via 10.1.1.2
ip -n "$B" route add default via 10.1.2.1
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
if ip netns exec "$R" tc qdisc add dev rb root $QDISC; then
	ip netns exec "$B" timeout 30 iperf3 -s -1 >/dev/null 2>&1 &
	sleep 0.5
	ip netns exec "$A" timeout 30 sh -c "${client//DIR/$H}"
	wait
else
	notok "the host kernel has tbf"
fi
cleanup_ns

# ---- the figures ----
figures() { # DIR: rate retr ssthresh(last) cwnd(mean) rtt(mean ms) ping-loaded(avg) ping-idle(avg)
	local rate retr ss
	rate=$(awk '/sender/ { print $7 }' "$1/iperf")
	retr=$(awk '/sender/ { print $9 }' "$1/iperf")
	# TCP_INFO of the data connection (the one with ssthresh; the control one has none)
	ss=$(grep -o ' cwnd:[0-9]* ssthresh:[0-9]*\| rtt:[0-9.]*' "$1/ss" | tr '\n' ' ' |
		awk '{ for (i = 1; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == "rtt") r = kv[2];
			else if (kv[1] == "cwnd") { c = kv[2]; split($(i + 1), s, ":"); th = s[2]; sc += c; sr += r; n++ } }
			if (n) printf "%s %.1f %.1f", th, sc / n, sr / n }')
	echo "$rate $retr $ss $(awk -F/ '/^rtt/ { print $5 }' "$1/ping") $(awk -F/ '/^rtt/ { print $5 }' "$1/ping0")"
}
read -r dr dt dth dc drt dp di <<<"$(figures "$D")"
read -r hr ht hth hc hrt hp hi <<<"$(figures "$H")"
echo "# host kernel $(uname -r), dce $(basename "$lib")"
echo "#              Mbit/s  retrans  ssthresh  cwnd(mean)  rtt(mean ms)  ping loaded  ping idle"
echo "# dce          $dr  $dt  $dth  $dc  $drt  $dp  $di"
echo "# host kernel  $hr  $ht  $hth  $hc  $hrt  $hp  $hi"
within() { # A B PERCENT: |A - B| <= PERCENT% of B
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && b > 0 && d <= b * p / 100) }'
}
check "iperf3 rate through the 10 Mbit/s bottleneck agrees within 10% (dce $dr, host $hr Mbit/s)" within "$dr" "$hr" 10
check "both lose to the 60 KB queue and retransmit a little: 1-40 segments (dce $dt, host $ht)" \
	awk -v a="$dt" -v b="$ht" 'BEGIN { exit !(a >= 1 && a <= 40 && b >= 1 && b <= 40) }'
check "cubic's ssthresh after the losses agrees within 25% (dce $dth, host $hth segments)" within "$dth" "$hth" 25
check "the mean cwnd ss -ti samples agrees within 25% (dce $dc, host $hc segments)" within "$dc" "$hc" 25
check "the smoothed RTT TCP_INFO reports agrees within 25% (dce $drt, host $hrt ms)" within "$drt" "$hrt" 25
check "ping's RTT through the loaded queue agrees within 25% (dce $dp, host $hp ms)" within "$dp" "$hp" 25
check "ping's RTT on the idle path is below 1 ms on both (dce $di, host $hi ms)" \
	awk -v a="$di" -v b="$hi" 'BEGIN { exit !(a != "" && b != "" && a < 1 && b < 1) }'
finish
