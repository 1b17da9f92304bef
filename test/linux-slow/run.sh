#!/usr/bin/env bash
# test/linux-slow - advanced mode at scale: a 64-node line of Linux routers (64
# kernel instances, each forwarding with its own routing table) and 200 idle
# Linux-stack nodes, whose memory per node is compared with ns-3-stack nodes in
# the same run; and every congestion control the kernel builds on one bottleneck
# each; and the protocols people study, each from its example (examples/dce-linux-
# {wireguard,ipsec,vlan,bridge,gre,cake,dctcp}.yaml) with stock wg, ip, bridge, tc,
# checked in the pcaps with tshark. DCE_KERNEL_VERSION=6.1 or 6.12 picks the
# kernel (default: build.sh's).
source "$(dirname "$0")/../lib.sh"
build_once
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || { echo "not ok - kernel library builds"; exit 1; }
export DCE_LINUX_LIBRARY=$lib
EX=$BUILD/examples

OUT=$SCRATCH/chain
mkdir -p "$OUT"
"$EX/dce-linux-chain" --out="$OUT" --nodes=64 >"$OUT.log" 2>&1
check "64 Linux nodes: every process exits 0" \
	sh -c "awk 'NR > 1 && \$3 != 0 { bad = 1 } END { exit bad }' '$OUT/exitprocs' && test \$(wc -l < '$OUT/exitprocs') = 4"
check "ping crosses 62 Linux routers (ttl 64 - 62 = 2)" \
	sh -c "grep -q '2 received, 0% packet loss' '$OUT/files-0/var/log/1000/stdout' && grep -q 'ttl=2 ' '$OUT/files-0/var/log/1000/stdout'"
check "iperf3 across the 63 links" grep -q receiver "$OUT/files-63/var/log/1000/stdout"

mem() { # STACK: private dirty KiB of 200 idle nodes
	"$EX/dce-linux-idle" --out="$SCRATCH/idle-$1" --nodes=200 --stack="$1" 2>/dev/null |
		awk '/^memory:/ { for (i = 1; i < NF; i++) if ($i == "private-dirty-kb") print $(i + 1) }'
}
l=$(mem linux)
n=$(mem ns3)
per=$(( (l - n) / 200 ))
echo "# 200 idle nodes, private dirty memory: linux $l KiB, ns-3 stack $n KiB: $per KiB per kernel"
check "a kernel instance costs a node less than 6 MiB of private memory ($per KiB)" \
	sh -c "test -n '$l' && test -n '$n' && test $per -gt 0 && test $per -lt 6144"
# every congestion control the kernel builds, each on its own identical bottleneck
# (20 Mbit/s for 2 s: a tenth of the bytes of the example's default, same
# queue), selected per node with stock sysctl
OUT=$SCRATCH/allcc
mkdir -p "$OUT"
avail=$("$DCE_RUN" --out "$SCRATCH/avail" --linux "0: sysctl -n net.ipv4.tcp_available_congestion_control" >/dev/null 2>&1 &&
	cat "$SCRATCH/avail/files-0/var/log/1000/stdout")
ccs=$(echo "$avail" | tr ' ' ',')
echo "# available: $avail"
"$EX/dce-linux-iperf3" --out="$OUT" --rate=20Mbps --time=2 --cc="$ccs" --pcap=0 >"$OUT.log" 2>&1
sed 's/^/# /' "$OUT.log"
for cc in $avail; do
	check "iperf3 over $cc uses the link (above 10 Mbit/s of 20)" \
		awk -v cc="$cc:" '$1 == "cc" && $2 == cc && $3 > 10 { f = 1 } END { exit !f }' "$OUT.log"
done
check "at least reno, cubic, bbr, dctcp, westwood and htcp are built ($avail)" \
	sh -c "for c in reno cubic bbr dctcp westwood htcp; do echo ' $avail ' | grep -q \" \$c \" || exit 1; done"
# ---- protocols: WireGuard, IPsec, VLAN, bridge, GRE/VXLAN, cake, dctcp ----
if [ "$(id -u)" = 0 ]; then
	for p in wireguard-tools tshark iproute2 iperf3 iputils-ping; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1; }
	done
fi
if ! command -v wg >/dev/null || ! command -v tshark >/dev/null; then
	notok "wg and tshark are installed (apt-get install wireguard-tools tshark)"
	finish
	exit
fi
example() { # NAME: runs examples/dce-linux-NAME.yaml into $SCRATCH/NAME; sets OUT, RC
	OUT=$SCRATCH/$1
	rm -rf "$OUT"
	"$DCE_RUN" --out "$OUT" "$TOP/examples/dce-linux-$1.yaml" >"$OUT.log" 2>&1
	RC=$?
}
out_of() { # NODE CMDLINE-SUBSTRING: stdout of the last process whose cmdline matches
	local pid
	pid=$(awk -v n="$1" -v c="$2" '$1 == n && index($0, c) { p = $2 } END { print p }' "$OUT/exitprocs")
	echo "$OUT/files-$1/var/log/$pid/stdout"
}
count() { # PCAP FILTER: how many frames match
	tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

example wireguard
check "WireGuard: ip link add type wireguard and wg setconf on both nodes (rc $RC)" test "$RC" = 0
check "WireGuard: ping through the tunnel (10.9.0.2): 3 of 3" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "ping -c 3")"
check "WireGuard: the far side receives the inner datagram from the tunnel address" \
	grep -qx "received b'through the tunnel' from 10.9.0.1" "$(out_of 1 python3)"
check "WireGuard: wg show lists the peer with a handshake and transfer" \
	sh -c "grep -q 'latest handshake' '$(out_of 0 "wg show")' && grep -q 'transfer:' '$(out_of 0 "wg show")'"
pcap=$OUT/p2p-0-0.pcap
hs=$(count "$pcap" "wg.type == 1"); data=$(count "$pcap" "wg.type == 4"); icmp=$(count "$pcap" "icmp || udp.port == 7000")
check "WireGuard: the link carries a handshake and transport data ($hs, $data) and no clear ICMP or UDP 7000 ($icmp)" \
	test "$hs" -ge 1 -a "$data" -ge 7 -a "$icmp" = 0

example ipsec
check "IPsec: ip xfrm state/policy with AES-GCM and AES-CBC+HMAC-SHA256 (rc $RC)" test "$RC" = 0
check "IPsec: ping through ESP: 3 of 3" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "ping -c 3")"
esp=$(count "$OUT/p2p-0-0.pcap" "esp"); icmp=$(count "$OUT/p2p-0-0.pcap" "icmp")
check "IPsec: the link carries ESP both ways ($esp packets) and no clear ICMP ($icmp)" test "$esp" = 6 -a "$icmp" = 0
check "IPsec: ip -s xfrm state counts the packets of each SA" grep -q "3(packets)" "$(out_of 0 "xfrm state")"

example vlan
check "VLAN: ping over eth0.10 (802.1Q id 10): 3 of 3 (rc $RC)" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "ping -c 3")"
check "VLAN: ip -d link shows vlan protocol 802.1Q id 10" grep -q "vlan protocol 802.1Q id 10" "$(out_of 1 "ip -d link")"
tagged=$(count "$OUT/csma-0-0.pcap" "vlan.id == 10 && icmp")
check "VLAN: the LAN's pcap shows the ICMP in 802.1Q frames tagged 10 ($tagged)" test "$tagged" = 6

example bridge
check "bridge: a pings c through br's bridge: 3 of 3 (rc $RC)" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "ping -c 3")"
c1=$(count "$OUT/csma-0-0.pcap" "icmp"); c2=$(count "$OUT/csma-2-0.pcap" "icmp")
check "bridge: the ICMP crosses both LANs ($c1, $c2)" test "$c1" = 6 -a "$c2" = 6
check "bridge: both ports forward and the fdb learned the hosts" \
	sh -c "test \$(grep -c 'master br0 state forwarding' '$(out_of 1 "sh -c bridge")') = 2 && test \$(grep -c 'master br0' '$(out_of 1 "sh -c bridge")') -ge 4"

example gre
check "GRE: ping through gre1: 3 of 3 (rc $RC)" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "10.20.0.2")"
check "VXLAN: ping through vxlan0: 3 of 3" grep -q "3 packets transmitted, 3 received" "$(out_of 0 "10.30.0.2")"
g=$(count "$OUT/p2p-0-0.pcap" "gre && icmp"); v=$(count "$OUT/p2p-0-0.pcap" "vxlan.vni == 42 && icmp")
check "GRE and VXLAN: tshark shows ICMP inside GRE ($g) and inside VXLAN VNI 42 ($v)" test "$g" = 6 -a "$v" = 6

example cake
rtt=$(awk -F/ '/^rtt/ { print $5 }' "$(out_of 0 "ping -c 10")")
check "cake: tc qdisc add ... cake bandwidth 10mbit works and shows (rc $RC)" grep -q "qdisc cake .* bandwidth 10Mbit" "$(out_of 0 "tc -s qdisc")"
check "cake: ping's RTT stays low ($rtt ms) with iperf3 -u sending 20 Mbit/s into 10" \
	awk -v r="$rtt" 'BEGIN { exit !(r != "" && r < 20) }'
rate=$(awk '/receiver/ { print $7 }' "$(out_of 0 "iperf3 -c")")
check "cake: shapes to its bandwidth (receiver $rate Mbit/s of 10)" awk -v r="$rate" 'BEGIN { exit !(r >= 8.5 && r <= 10.2) }'

example dctcp
dret=$(awk '/sender/ { print $9 }' "$(out_of 0 "sh -c iperf3")"); cret=$(awk '/sender/ { print $9 }' "$(out_of 0 "sh -c sysctl")")
ce=$(count "$OUT/p2p-1-1.pcap" "tcp.port == 5201 && ip.dsfield.ecn == 3")
alpha=$(grep -o 'dctcp:(ce_state:[0-9]*,alpha:[0-9]*' "$(out_of 0 "sh -c iperf3")" | tail -1 | sed 's/.*alpha://')
marked=$(awk '/marked/ { print $2 }' "$(out_of 1 "tc -s qdisc")")
echo "# dctcp: $dret retransmissions, $ce CE-marked packets, alpha $alpha/1024; cubic: $cret retransmissions; RED marked $marked"
check "dctcp: RED marks ECN (CE) instead of dropping: CE in the pcap ($ce) and RED's count ($marked)" \
	test "${ce:-0}" -ge 50 -a "${marked:-0}" -ge 50
check "dctcp reacts to the marks (alpha $alpha > 0) without retransmitting ($dret)" \
	test "${alpha:-0}" -gt 0 -a "$dret" = 0
check "cubic on the same bottleneck gets drops and retransmits ($cret)" test "${cret:-0}" -gt 0

# ---- bad input: what the build lacks is the kernel's own one-line error ----
run_dce badq --linux "0: tc qdisc add dev lo root choke limit 100 bandwidth 10mbit" "1: ip link add x0 type macsec"
check "a qdisc the kernel lacks (choke): tc's one line 'Specified qdisc kind is unknown.'" \
	sh -c "test \"\$(cat '$OUT/files-0/var/log/1000/stderr')\" = 'Error: Specified qdisc kind is unknown.'"
check "a link type the kernel lacks (macsec): ip's one line 'Unknown device type.'" \
	sh -c "test \$(wc -l < '$OUT/files-1/var/log/1000/stderr') = 1 && grep -q 'Unknown device type' '$OUT/files-1/var/log/1000/stderr'"
finish
