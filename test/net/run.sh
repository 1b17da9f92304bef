#!/usr/bin/env bash
# test/net - basic-mode networking (sockets over ns-3): the examples and the socket
# semantics checker. Fast (< 1 min). Slow checks are in test/net-slow.
source "$(dirname "$0")/../lib.sh"
build_once
EX=$BUILD/examples

# run_ex NAME EXAMPLE ARGS... : OUT=$SCRATCH/NAME, output in $SCRATCH/NAME.log
run_ex() {
	local name=$1 ex=$2
	shift 2
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	mkdir -p "$OUT"
	timeout 300 "$EX/$ex" --out="$OUT" "$@" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
all_exit0() { [ -s "$1/exitprocs" ] && awk 'NR > 1 && $3 != "0" { bad = 1 } END { exit bad }' "$1/exitprocs"; }

# udp-simple: our own UDP echo pair on one node
run_ex udp udp-simple --programs="$PROGS"
check "udp-simple: both programs exit 0" all_exit0 "$OUT"
check "udp-simple: 5/5 echoes" grep -q "client: 5/5 echoes" "$OUT/files-0/var/log/1001/stdout"

# AF_UNIX: the same python3 script on Linux and under dce prints the same lines
mkdir -p "$SCRATCH/unix-host"
(cd "$SCRATCH" && timeout 30 python3 "$TOP/test/net/unix.py" "$SCRATCH/unix-host" >"$SCRATCH/unix-host.txt" 2>&1)
run_dce unix --map "$TOP/test/net" ": /bin/sh -c 'mkdir -p /tmp/u && exec python3 $TOP/test/net/unix.py /tmp/u'"
check "unix: python3 AF_UNIX script exits 0" grep -q "^exit: 0" "$(status_of 0 1000)"
check "unix: output identical to Linux's" cmp -s "$SCRATCH/unix-host.txt" "$(stdout_of 0 1000)"
diff "$SCRATCH/unix-host.txt" "$(stdout_of 0 1000)" 2>/dev/null | sed 's/^/# /' | head -10
# nc -U: a file through a path-bound stream socket; glibc's nscd probe fails cleanly
head -c 300000 /dev/urandom >"$SCRATCH/unix-data"
run_dce unix-nc "0: /bin/sh -c 'nc -lU /tmp/u.sock >/tmp/recv; sha256sum </tmp/recv'" \
	"0@0.1 stdin=$SCRATCH/unix-data: nc -N -U /tmp/u.sock" \
	"0@0.2: python3 -c 'import pwd; print(pwd.getpwuid(0).pw_name)'"
check "unix: nc -U file's sha256 equal" [ "$(cut -d' ' -f1 "$(stdout_of 0 1000)")" = "$(sha256sum <"$SCRATCH/unix-data" | cut -d' ' -f1)" ]
check "unix: every program exits 0" all_exit0 "$OUT"
check "unix: getpwuid after the nscd probe" grep -qx root "$OUT/files-0/var/log/1002/stdout"

# socket semantics and Linux errors (net-probe), two nodes
OUT=$SCRATCH/probe
rm -rf "$OUT"
CMD1="$PROGS/net-probe peer" CMD0="$PROGS/net-probe client" timeout 120 \
	"$EX/dce-two-nodes" --out="$OUT" --map="$PROGS" >"$SCRATCH/probe.log" 2>&1
check "net-probe: every check passes" grep -q "^0 failures" "$OUT/files-0/var/log/1000/stdout"
grep "^FAIL" "$OUT/files-0/var/log/1000/stdout" 2>/dev/null | sed 's/^/# /'
check "net-probe: peer exits 0" all_exit0 "$OUT"

# interfaces: getifaddrs/if_nameindex/SIOCGIF* (net-ifaces), stock ip addr/link/route
OUT=$SCRATCH/ifaces
rm -rf "$OUT"
CMD0="$PROGS/net-ifaces; ip addr show; ip link show; ip route show; python3 -c 'import socket; print(socket.if_nameindex())'" \
	CMD1=true timeout 120 "$EX/dce-two-nodes" --out="$OUT" --map="$PROGS" --start0=0 --stop=2 >"$SCRATCH/ifaces.log" 2>&1
IFO=$OUT/files-0/var/log/1000/stdout
check "net-ifaces: every check passes" grep -q "^0 failures" "$IFO"
grep "^FAIL" "$IFO" 2>/dev/null | sed 's/^/# /'
check "ip addr show: lo with 127.0.0.1/8" grep -q "inet 127.0.0.1/8 scope host lo" "$IFO"
check "ip addr show: eth0 with 10.1.1.1/24" grep -q "inet 10.1.1.1/24 brd 10.1.1.255 scope global eth0" "$IFO"
check "ip link show: eth0 up, mtu 1500" grep -q "^2: eth0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 .* mode DEFAULT" "$IFO"
check "ip route show: the link's network" grep -q "^10.1.1.0/24 dev eth0 proto kernel scope link src 10.1.1.1" "$IFO"
check "python socket.if_nameindex()" grep -qF "[(1, 'lo'), (2, 'eth0')]" "$IFO"

# IPv4 multicast sends (an OSPF hello on raw IPPROTO 89 to 224.0.0.5 with IP_PKTINFO
# used to crash the simulator in ns-3's Ipv4StaticRouting); node 1 receives them
OUT=$SCRATCH/mcast
rm -rf "$OUT"
CMD1="$PROGS/net-mcast recv" CMD0="$PROGS/net-mcast send" timeout 120 \
	"$EX/dce-two-nodes" --out="$OUT" --map="$PROGS" --start0=1 --start1=0 --stop=6 >"$SCRATCH/mcast.log" 2>&1
check "multicast: the simulation ends normally (no crash)" [ $? = 0 ]
cat "$OUT"/files-0/var/log/*/stdout >"$SCRATCH/mcast-send.txt" 2>/dev/null
cat "$OUT"/files-1/var/log/*/stdout >"$SCRATCH/mcast-recv.txt" 2>/dev/null
MS=$SCRATCH/mcast-send.txt MR=$SCRATCH/mcast-recv.txt
check "multicast sender: every check passes (IP_PKTINFO, IP_MULTICAST_IF, ENETUNREACH without a route, ENODEV)" \
	grep -q "^0 failures" "$MS"
grep "^FAIL" "$MS" 2>/dev/null | sed 's/^/# /'
check "multicast: raw OSPF hello to 224.0.0.5 (IP_PKTINFO) received on the other node, TTL 1" \
	grep -qx "raw 10.1.1.1 224.0.0.5 ttl 1 proto 89 ospf-hello" "$MR"
check "multicast: raw to 224.0.0.6 via IP_MULTICAST_IF received" grep -qx "raw 10.1.1.1 224.0.0.6 ttl 1 proto 89 ospf-dr" "$MR"
check "multicast: UDP to 239.1.2.3:5000 via IP_MULTICAST_IF received by a socket that joined" grep -qx "udp 10.1.1.1 udp-hello" "$MR"

# the ns-3 API refuses bad times at initialisation: one line, exit 2, no crash
CMD0=true CMD1=true timeout 60 "$EX/dce-two-nodes" --out="$SCRATCH/negstart" --start0=-1 >"$SCRATCH/negstart.log" 2>&1
check "DceApplication with a negative start time: exit 2 and one line naming it" \
	sh -c "[ $? = 2 ] && grep -q 'dce: DceApplication sh on node 0: start time -1.000000 s is outside 0 to 3153600000 s' '$SCRATCH/negstart.log'"

# nc: a file across, hashes equal
run_ex nc dce-nc --size=2000000
check "nc: both sides exit 0" all_exit0 "$OUT"
h0=$(cut -d' ' -f1 "$OUT/files-0/var/log/1000/stdout" 2>/dev/null)
h1=$(cut -d' ' -f1 "$OUT/files-1/var/log/1000/stdout" 2>/dev/null)
check "nc: received file's sha256 equals the sent one" [ -n "$h0" ] && [ "$h0" = "$h1" ]
check "nc: received size" [ "$(stat -c %s "$OUT/files-1/tmp/received" 2>/dev/null)" = 2000000 ]

# iperf3 over 10 Mbps / 2 ms with pcap, and ns-3's BulkSend on a twin link
run_ex iperf3 dce-iperf3 --bulksend=1
IP=$OUT
check "iperf3: client and server exit 0" all_exit0 "$OUT"
rx=$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i-1) }' "$OUT/files-0/var/log/1000/stdout" | head -1)
bulk=$(awk '/^bulksend:/ { print $2 }' "$SCRATCH/iperf3.log")
echo "# iperf3 receiver ${rx:-?} Mbit/s, BulkSend ${bulk:-?} Mbit/s"
check "iperf3 throughput within 5% of BulkSend" awk -v a="${rx:-0}" -v b="${bulk:-0}" \
	'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b < 0.05) }'
if command -v tshark >/dev/null; then
	for p in "$OUT"/iperf3-*.pcap; do
		check "tshark reads $(basename "$p")" sh -c "tshark -r \"$p\" >/dev/null 2>&1"
	done
	tshark -r "$OUT/iperf3-0-0.pcap" -Y "tcp.flags.syn == 1" 2>/dev/null >"$SCRATCH/syn.txt"
	check "pcap: TCP handshake (SYN and SYN-ACK)" grep -q "\[SYN\]" "$SCRATCH/syn.txt"
	check "pcap: SYN-ACK" grep -q "\[SYN, ACK\]" "$SCRATCH/syn.txt"
else
	notok "tshark not installed"
fi

# ping (stock iputils, raw ICMP sockets) across CSMA, IPv4 and IPv6
run_ex ping dce-ping
check "ping: IPv4 and IPv6 pings exit 0" all_exit0 "$OUT"
check "ping IPv4: 3 received" grep -q "3 packets transmitted, 3 received" "$OUT/files-0/var/log/1000/stdout"
check "ping IPv6: 3 received" grep -q "3 packets transmitted, 3 received" "$OUT/files-0/var/log/1001/stdout"
if command -v tshark >/dev/null; then
	check "pcap: ICMP echo request and reply" sh -c "tshark -r '$OUT/ping-0-0.pcap' 2>/dev/null | grep -q 'Echo (ping) reply'"
	check "pcap: ICMPv6 echo reply" sh -c "tshark -r '$OUT/ping-0-0.pcap' 2>/dev/null | grep -q 'Echo (ping) reply.*ICMPv6\|ICMPv6.*Echo (ping) reply'"
fi

# HTTP: stock lighttpd and curl three hops apart (two ns-3 routers, global routing)
run_ex http dce-http --pcap=1
check "http: curl exits 0" awk '$1 == 0 && $2 == 1001 && $3 == "0" { ok = 1 } END { exit !ok }' "$OUT/exitprocs"
hs=$(cut -d' ' -f1 "$OUT/files-3/var/log/1000/stdout" 2>/dev/null)
hc=$(head -1 "$OUT/files-0/var/log/1000/stdout" 2>/dev/null | cut -d' ' -f1)
check "http: fetched page's sha256 equals the served one" [ -n "$hs" ] && [ "$hs" = "$hc" ]
check "http: status 200" grep -q "^200 " "$OUT/files-0/var/log/1000/stdout"
check "http: lighttpd logged the GET" grep -q '"GET /index.html HTTP/1.1" 200' "$OUT/files-3/var/log/lighttpd/access.log"
if command -v tshark >/dev/null; then
	check "http pcap: the GET on the client's link and on the server's" sh -c \
		"tshark -r '$OUT/http-0-1.pcap' -Y http 2>/dev/null | grep -q 'GET /index.html' && tshark -r '$OUT/http-3-1.pcap' -Y http 2>/dev/null | grep -q 'GET /index.html'"
	check "http pcap: replies reach the client after two routers (TTL 62)" sh -c \
		"tshark -r '$OUT/http-0-1.pcap' -T fields -e ip.ttl -Y 'ip.src==10.1.3.2' 2>/dev/null | head -1 | grep -qx 62"
fi

# Wi-Fi: iperf3 between two stations of an 802.11a BSS (through its AP) and ad hoc
mbps() { awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i-1) }' "$1" | head -1; }
run_ex wifi dce-wifi --time=3 --pcap=1
check "wifi (AP): iperf3 client and server exit 0" all_exit0 "$OUT"
w=$(mbps "$OUT/files-0/var/log/1000/stdout")
echo "# wifi through the AP: ${w:-?} Mbit/s"
check "wifi (AP): 5 to 27 Mbit/s (54 Mbit/s PHY, relayed)" awk -v a="${w:-0}" 'BEGIN { exit !(a > 5 && a < 27) }'
if command -v tshark >/dev/null; then
	check "wifi pcap: beacons and the TCP flow" sh -c \
		"tshark -r '$OUT/wifi-2-0.pcap' 2>/dev/null | grep -q 'Beacon frame.*SSID=\"dce\"' && tshark -r '$OUT/wifi-2-0.pcap' -Y 'tcp.port == 5201' 2>/dev/null | grep -q ."
fi
run_ex wifi-adhoc dce-wifi --time=3 --adhoc=1
check "wifi (ad hoc): iperf3 client and server exit 0" all_exit0 "$OUT"
w=$(mbps "$OUT/files-0/var/log/1000/stdout")
echo "# wifi ad hoc: ${w:-?} Mbit/s"
check "wifi (ad hoc): 15 to 40 Mbit/s" awk -v a="${w:-0}" 'BEGIN { exit !(a > 15 && a < 40) }'

# scale: 200 nodes on one LAN, each running our UDP echo server and a client of the next node
t0=$(date +%s.%N)
run_ex many dce-udp-many --programs="$PROGS" --nodes=200
t1=$(date +%s.%N)
echo "# 200 nodes (400 processes): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall"
check "200 nodes: every client got every echo" grep -q "^udp-many: 200/200 clients got every echo" "$SCRATCH/many.log"
check "200 nodes: all 400 programs exit 0" all_exit0 "$OUT"
check "200 nodes: 400 processes" [ "$(wc -l <"$OUT/exitprocs")" = 401 ]
check "200 nodes: node 7's server got 3 datagrams from node 6 (10.0.0.7)" \
	[ "$(grep -c 'from 10.0.0.7: hello' "$OUT/files-7/var/log/1000/stdout")" = 3 ]

# ICMP errors, port sharing, no route, half-close, IP_HDRINCL (net-errs), two nodes
OUT=$SCRATCH/errs
rm -rf "$OUT"
CMD1="$PROGS/net-errs peer" CMD0="$PROGS/net-errs client" timeout 120 \
	"$EX/dce-two-nodes" --out="$OUT" --map="$PROGS" --start0=1 --start1=2 --stop=20 >"$SCRATCH/errs.log" 2>&1
EO=$OUT/files-0/var/log/1000/stdout PO=$OUT/files-1/var/log/1000/stdout
check "net-errs: every check passes (ECONNREFUSED, IP_RECVERR, ENETUNREACH, port sharing, half-close, IP_HDRINCL)" \
	grep -q "^0 failures" "$EO"
grep "^FAIL" "$EO" 2>/dev/null | sed 's/^/# /'
check "net-errs: the listener gets the EOF after its own shutdown and exits" grep -q "^peer: tcp eof after 0 bytes (read returned 0)" "$PO"
check "net-errs: the IP_HDRINCL datagram arrives with its own source port" grep -qx "peer: hdrincl 10.1.1.1:4242 hdrincl" "$PO"

# half-close crossing FINs: nc -l -N shuts its side at once (stdin /dev/null) while the
# client's data and FIN are on the way (ns-3: FIN_WAIT_1 -> CLOSING with no close
# callback); the listener must still see EOF and exit
OUT=$SCRATCH/halfclose
rm -rf "$OUT"
CMD1="nc -l -N -p 7100 </dev/null; echo listener-done" CMD0="sleep 0.5; nc -N 10.1.1.2 7100 </etc/hostname" \
	timeout 120 "$EX/dce-two-nodes" --out="$OUT" --start0=2 --start1=1 --stop=20 >"$SCRATCH/halfclose.log" 2>&1
check "half-close: the nc listener gets the data and EOF, and exits" \
	grep -qx listener-done "$OUT/files-1/var/log/1000/stdout"
check "half-close: every program exits 0" all_exit0 "$OUT"

# AF_PACKET: SOCK_RAW with a classic BPF filter, SOCK_DGRAM, sendto(sockaddr_ll)
OUT=$SCRATCH/packet
rm -rf "$OUT"
CMD0="$PROGS/net-packet recv" CMD1="$PROGS/net-packet send" timeout 120 \
	"$EX/dce-two-nodes" --out="$OUT" --map="$PROGS" --start0=1 --start1=2 --stop=10 >"$SCRATCH/packet.log" 2>&1
KO=$OUT/files-0/var/log/1000/stdout
check "net-packet: every check passes (filters checked as Linux, filtered SOCK_RAW, SOCK_DGRAM, sendto)" \
	grep -q "^0 failures" "$KO"
grep "^FAIL" "$KO" 2>/dev/null | sed 's/^/# /'

# DHCP: Debian's busybox udhcpc (AF_PACKET + BPF filter) gets a lease from busybox
# udhcpd (which answers through a packet socket too) across a CSMA link
if command -v busybox >/dev/null && busybox --list | grep -qx udhcpd; then
	cat >"$SCRATCH/dhcp.yaml" <<'YAML'
seed: 1
stop: 10s
nodes:
  - name: srv
    files:
      /etc/udhcpd.conf: "start 10.1.1.100\nend 10.1.1.150\ninterface eth0\nlease_file /tmp/udhcpd.leases\nopt subnet 255.255.255.0\nmax_leases 10\n"
      /tmp/udhcpd.leases: ""
  - cli
links:
  - {type: csma, nodes: [srv, cli], rate: 100Mbps, delay: 10us}
processes:
  - {node: srv, cmd: "busybox udhcpd -f /etc/udhcpd.conf", at: 0s, stop: 5s, expect: any}
  - {node: cli, cmd: "busybox udhcpc -f -q -n -i eth0 -s /bin/true -t 3 -T 1", at: 1s}
YAML
	run_dce dhcp "$SCRATCH/dhcp.yaml"
	check "dhcp: udhcpc exits 0 with a lease from udhcpd" \
		grep -q "lease of 10.1.1.1[0-4][0-9] obtained from 10.1.1.1" "$OUT/files-1/var/log/1000/stderr"
	check "dhcp: udhcpd sent the ACK" grep -q "sending ACK to 10.1.1.1" "$OUT/files-0/var/log/1000/stderr"
	check "dhcp: udhcpd's refused SOCK_PACKET socket is named in its status file" \
		grep -qx "unsupported: socket family 17 type 10 protocol 1544 (returned EINVAL)" "$OUT/files-0/var/log/1000/status"
else
	echo "ok - # SKIP dhcp: busybox with udhcpd is not installed (apt-get install busybox)"
fi

# iperf3 -u (the server binds its port again after connecting the first socket)
OUT=$SCRATCH/iperf3u
rm -rf "$OUT"
CMD1="iperf3 -s -1" CMD0="iperf3 -u -c 10.1.1.2 -t 2 -b 5M" timeout 120 \
	"$EX/dce-two-nodes" --out="$OUT" --start0=2 --start1=1 --stop=30 >"$SCRATCH/iperf3u.log" 2>&1
check "iperf3 -u: client and server exit 0" all_exit0 "$OUT"
check "iperf3 -u: the client reports the receiver's 863 datagrams, none lost" \
	grep -q "0/863 (0%)  receiver" "$OUT/files-0/var/log/1000/stdout"

# traceroute (UDP probes, IP_RECVERR) over a 3-node line shows both hops
if command -v traceroute >/dev/null || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq traceroute >/dev/null 2>&1; }; then
	cat >"$SCRATCH/line.yaml" <<'YAML'
seed: 1
stop: 20s
nodes: [a, r, c]
links:
  - {nodes: [a, r], delay: 1ms}
  - {nodes: [r, c], delay: 1ms}
processes:
  - {node: a, cmd: "traceroute -n -q 1 -w 2 -m 5 c", at: 1s}
YAML
	run_dce traceroute "$SCRATCH/line.yaml"
	TO=$(stdout_of 0 1000)
	check "traceroute: hop 1 is the router" grep -q "^ 1  10.1.1.2  2.0" "$TO"
	check "traceroute: hop 2 is the destination, then it stops" \
		sh -c "grep -q '^ 2  10.1.2.2  4.0' '$TO' && [ \$(wc -l <'$TO') = 3 ]"
else
	echo "ok - # SKIP traceroute: the traceroute package is not installed (apt-get install traceroute as root)"
fi

# libpcap capture (PACKET_RX_RING mapped with mmap, TPACKET_V3; net/pring.c): tcpdump on a
# third node of a CSMA LAN sees a's ping exchange with b (the ns-3 tap is promiscuous),
# writes a pcap tshark reads, prints the right lines; arping (libnet + libpcap) gets replies
if command -v tcpdump >/dev/null && command -v arping >/dev/null || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump arping >/dev/null 2>&1; }; then
	cat >"$SCRATCH/cap.yaml" <<'YAML'
seed: 1
stop: 8s
nodes: [a, b, c]
links:
  - {type: csma, nodes: [a, b, c], rate: 100Mbps, delay: 10us}
processes:
  - {node: c, cmd: "tcpdump -n -i eth0 -c 4 -w /tmp/c.pcap icmp", at: 500ms, stop: 7s}
  - {node: c, cmd: "tcpdump -n -i eth0 -c 2 host 10.1.1.2 and icmp[icmptype] == icmp-echoreply", at: 500ms, stop: 7s}
  - {node: a, cmd: "ping -c 2 b", at: 2s}
  - {node: c, cmd: "arping -c 2 10.1.1.1", at: 4s}
YAML
	run_dce cap "$SCRATCH/cap.yaml"
	A=$OUT
	check "tcpdump -w (ns-3 stack): exits 0 after 4 packets" grep -q "^4 packets captured" "$A/files-2/var/log/1000/stderr"
	if command -v tshark >/dev/null; then
		check "tshark reads tcpdump's pcap: both requests and both replies" \
			sh -c "[ \$(tshark -r '$A/files-2/tmp/c.pcap' 2>/dev/null | grep -Ec '10\.1\.1\.(1 [^ ]+ 10\.1\.1\.2 +ICMP 98 Echo \(ping\) request|2 [^ ]+ 10\.1\.1\.1 +ICMP 98 Echo \(ping\) reply)') = 4 ]"
	fi
	check "tcpdump host/icmp filter (kernel-style BPF): exactly b's two echo replies" sh -c \
		"[ \"\$(cut -d' ' -f2- '$A/files-2/var/log/1001/stdout')\" = \"\$(printf 'IP 10.1.1.2 > 10.1.1.1: ICMP echo reply, id 1000, seq 1, length 64\nIP 10.1.1.2 > 10.1.1.1: ICMP echo reply, id 1000, seq 2, length 64')\" ]"
	check "tcpdump stamps frames with simulated time (the first reply at 2.013100: ARP, then the request)" \
		grep -q "^00:00:02\.013100 IP 10.1.1.2 > 10.1.1.1: ICMP echo reply" "$A/files-2/var/log/1001/stdout"
	check "arping: two replies from a's MAC" sh -c "[ \$(grep -c '^60 bytes from 00:00:00:00:00:01 (10.1.1.1)' '$A/files-2/var/log/1002/stdout') = 2 ]"
	run_dce cap2 "$SCRATCH/cap.yaml"
	check "capture twice: byte-identical pcap and tcpdump output" sh -c \
		"cmp -s '$A/files-2/tmp/c.pcap' '$OUT/files-2/tmp/c.pcap' && cmp -s '$A/files-2/var/log/1001/stdout' '$OUT/files-2/var/log/1001/stdout'"
else
	echo "ok - # SKIP capture: tcpdump/arping are not installed (apt-get install tcpdump arping as root)"
fi

# IPv4 multicast (socat, IP_ADD_MEMBERSHIP with an ip_mreqn or an ip_mreq): a datagram to a
# group reaches only the nodes that joined it; IP_MULTICAST_LOOP (on by default) gives the
# sender's own node a copy, and off it does not
if command -v socat >/dev/null || { [ "$(id -u)" = 0 ] &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null 2>&1; }; then
	cat >"$SCRATCH/mc.yaml" <<'YAML'
seed: 1
stop: 6s
nodes: [a, b, c, d]
links:
  - {type: csma, nodes: [a, b, c, d], rate: 100Mbps, delay: 10us}
processes:
  - {node: b, cmd: "socat -u UDP4-RECV:5000,ip-add-membership=239.1.1.1:eth0 STDOUT", stop: 5s, expect: any}
  - {node: c, cmd: "socat -u UDP4-RECV:5000 STDOUT", stop: 5s, expect: any}
  - {node: d, cmd: "socat -u UDP4-RECV:5000,ip-add-membership=239.1.1.2:10.1.1.4 STDOUT", stop: 5s, expect: any}
  - {node: a, cmd: "socat -u UDP4-RECV:5000,ip-add-membership=239.1.1.1:eth0 STDOUT", stop: 5s, expect: any}
  - {node: a, cmd: "sh -c 'echo to-group-1 | socat -u STDIN UDP4-DATAGRAM:239.1.1.1:5000,ip-multicast-if=10.1.1.1'", at: 1s}
  - {node: a, cmd: "sh -c 'echo no-loop | socat -u STDIN UDP4-DATAGRAM:239.1.1.1:5000,ip-multicast-if=10.1.1.1,ip-multicast-loop=0'", at: 2s}
  - {node: a, cmd: "sh -c 'echo to-group-2 | socat -u STDIN UDP4-DATAGRAM:239.1.1.2:5000,ip-multicast-if=10.1.1.1'", at: 3s}
YAML
	run_dce mc "$SCRATCH/mc.yaml"
	check "multicast: b joined 239.1.1.1 and gets both datagrams to it, not 239.1.1.2's" \
		diff <(printf 'to-group-1\nno-loop\n') "$OUT/files-1/var/log/1000/stdout"
	check "multicast: c joined no group: nothing reaches its socket on the port" \
		[ ! -s "$OUT/files-2/var/log/1000/stdout" ]
	check "multicast: d joined 239.1.1.2 only and gets its datagram only" \
		diff <(printf 'to-group-2\n') "$OUT/files-3/var/log/1000/stdout"
	check "multicast: the sender's node gets its own datagram (IP_MULTICAST_LOOP), not with loop off" \
		diff <(printf 'to-group-1\n') "$OUT/files-0/var/log/1000/stdout"
else
	echo "ok - # SKIP multicast: socat is not installed (apt-get install socat as root)"
fi

# determinism: the same scenario twice gives identical pcaps and stdout files
run_ex iperf3-a dce-iperf3 --time=3
A=$OUT
run_ex iperf3-b dce-iperf3 --time=3
B=$OUT
same() {
	for f in iperf3-0-0.pcap iperf3-1-0.pcap files-0/var/log/1000/stdout files-1/var/log/1000/stdout exitprocs; do
		cmp -s "$A/$f" "$B/$f" || { echo "# differs: $f"; return 1; }
	done
}
check "same scenario twice: identical pcaps and stdout" same

# Non-blocking calls asked again after EAGAIN are answered in program context
# (fastcall.c, from the record the full path leaves: dce_file_again): the same
# results as the full entry (DCE_FASTCALL=0), step by step, and far cheaper
nb_yaml() { # MODE
	cat >"$SCRATCH/nb-$1.yaml" <<YAML
seed: 1
stop: 20s
nodes: [a, b]
links:
  - {nodes: [a, b], delay: 1ms}
processes:
  - {node: a, cmd: "$PROGS/nb-again $1", at: 1s}
YAML
}
nb_yaml check
nb_yaml time
run_dce nb-fast "$SCRATCH/nb-check.yaml"
NBF=$(stdout_of 0 1000)
DCE_SUD=selector run_dce nb-sel "$SCRATCH/nb-check.yaml"
NBSEL=$(stdout_of 0 1000)
DCE_FASTCALL=0 run_dce nb-full "$SCRATCH/nb-check.yaml"
NBS=$(stdout_of 0 1000)
check "EAGAIN repeats and read-ahead with the dispatch selector (DCE_SUD=selector): the same steps" \
	cmp -s "$NBSEL" "$NBS"
check "EAGAIN repeats: every step as with the full entry (read, recv, send, recvfrom, a dup)" \
	sh -c "[ \$(wc -l <'$NBF') = 12 ] && cmp -s '$NBF' '$NBS'"
check "EAGAIN repeats: data arriving is read, then EAGAIN again" \
	grep -qx "data: read 5 'hello', then -1 EAGAIN, again -1 EAGAIN" "$NBF"
check "EAGAIN repeats: a buffer's page the entry's probe sees unmapped is EFAULT, the last page EAGAIN" \
	grep -q "^hole: whole -1 EAGAIN, at the hole -1 EFAULT, last page -1 EAGAIN" "$NBF"
check "EAGAIN repeats: MSG_DONTWAIT's EAGAIN does not answer a blocking recv (it waits its 20 ms)" \
	grep -qx "flags: dontwait -1 EAGAIN, again -1 EAGAIN, blocking -1 EAGAIN after 20 ms" "$NBF"
check "EAGAIN repeats: a full send buffer, then writable again once drained" \
	sh -c "grep -q '^full: wrote [0-9]* then -1 EAGAIN, again -1 EAGAIN, send -1 EAGAIN, again -1 EAGAIN' '$NBF' && grep -q '^drained: read [0-9]*, poll 1, write 1000' '$NBF'"
check "EAGAIN repeats: recvfrom gets the datagram and its address, then EAGAIN again" \
	grep -q "datagram 1 from 127.0.0.1 (len 16), then -1 EAGAIN, again -1 EAGAIN" "$NBF"
check "read ahead after a poll: part, FIONREAD, the rest in order, then EAGAIN" \
	grep -qx "ahead: poll 1, read 1000, FIONREAD 2000, read 2000, then -1 EAGAIN, in order 1" "$NBF"
check "read ahead: a copy into an unmapped page the entry does not probe is EFAULT, the run goes on" \
	sh -c "grep -qx 'fault: poll 1, read -1 EFAULT' '$NBF' && grep -q '^exit: 0' '$(status_of 0 1000)'"
# the iperf3 example (select, read until EAGAIN, write until EAGAIN): every output
# and pcap byte-identical with the fast paths and without
for f in 1 0; do
	OUT=$SCRATCH/ipf$f
	rm -rf "$OUT"
	DCE_FASTCALL=$f timeout 300 "$EX/dce-iperf3" --out="$OUT" --rate=100Mbps --time=2 >"$OUT.log" 2>&1
done
check "iperf3 example: outputs and pcaps byte-identical with and without fast calls" \
	sh -c "grep -q receiver '$SCRATCH/ipf1/files-1/var/log/1000/stdout' && diff -r '$SCRATCH/ipf1' '$SCRATCH/ipf0' >/dev/null"
run_dce nbt-fast "$SCRATCH/nb-time.yaml"
read -r _ _ nbf < "$(stdout_of 0 1000)" || true
DCE_FASTCALL=0 run_dce nbt-full "$SCRATCH/nb-time.yaml"
read -r _ _ nbs < "$(stdout_of 0 1000)" || true
if [ -n "${nbf:-}" ] && [ -n "${nbs:-}" ] && [ $((nbf * 10)) -lt "$nbs" ]; then
	ok "EAGAIN repeats: $nbf cycles per repeated read, $nbs with the full entry"
else notok "EAGAIN repeats: ${nbf:-?} cycles per repeated read, against ${nbs:-?} with the full entry"; fi

finish
