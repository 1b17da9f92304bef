#!/usr/bin/env bash
# test/apps-slow - the compatibility suite (issue 18): stock Debian programs beyond
# those the examples use, each in a multi-node scenario file (test/apps-slow/*.yaml)
# whose real output is checked. Scenarios run two at a time. Missing packages are
# installed as root (apt-get; services never start on the host: policy-rc.d); a
# scenario whose programs are missing is skipped with the apt-get line to run.
# docs/compatibility.md lists every program, its stack and its limits.
source "$(dirname "$0")/../lib.sh"
build_once
HERE=$TOP/test/apps-slow
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || {
	echo "not ok - kernel library builds (see the linux suite)"
	exit 1
}
export DCE_LINUX_LIBRARY=$lib

# ---- packages ----
PKGS=(bind9 bind9-dnsutils dnsmasq-base redis-server redis-tools memcached libmemcached-tools
	apache2 apache2-utils bird2 isc-dhcp-server isc-dhcp-client udhcpc busybox mtr-tiny
	socat tcpdump iperf hping3 nmap arping fping traceroute rsync wget net-tools
	ethtool iproute2 python3 openssh-client openssh-server)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
	echo "# installing ${missing[*]}"
	rc_made=
	if [ ! -e /usr/sbin/policy-rc.d ]; then # no service may start on the host
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && rc_made=1
	fi
	inst() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" >"$SCRATCH/apt.log" 2>&1; }
	inst || { apt-get update -qq >/dev/null 2>&1; inst; } || sed 's/^/# apt: /' "$SCRATCH/apt.log" | tail -5
	[ -n "$rc_made" ] && rm -f /usr/sbin/policy-rc.d
fi
# has PROGRAM...: all installed, else a skip line naming the package list
has() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || {
			echo "ok - # SKIP $p is not installed (as root: apt-get install ${PKGS[*]})"
			return 1
		}
	done
}

# ---- the scenarios: two at a time ----
# scenario NAME [FILE]: runs test/apps-slow/FILE.yaml (default NAME) into $SCRATCH/NAME
scenario() {
	while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
	( start=$(date +%s)
	  timeout 600 "$DCE_RUN" --out "$SCRATCH/$1" "$HERE/${2:-$1}.yaml" >"$SCRATCH/$1.log" 2>&1
	  echo "rc $? wall $(( $(date +%s) - start ))s" >"$SCRATCH/$1.done" ) &
}
# out NAME NODE PID [stdout|stderr]; proc NAME INDEX: "NODE PID EXIT" of the file's process INDEX
out() { cat "$SCRATCH/$1/files-$2/var/log/$3/${4:-stdout}" 2>/dev/null; }
pout() { # NAME INDEX [stdout|stderr]: output of the scenario's process INDEX (file order)
	local n p
	read -r n p < <(awk -v i="$2" '$1 == i { print $2, $3 }' "$SCRATCH/$1/scenario-procs" 2>/dev/null)
	[ -n "${p:-}" ] && out "$1" "$n" "$p" "${3:-stdout}"
}
pexit() { awk -v i="$2" '$1 == i { print $4 }' "$SCRATCH/$1/scenario-procs" 2>/dev/null; }
expect() { # NAME "description" INDEX <<EOF: process INDEX's stdout is exactly the text
	local name=$1 what=$2 idx=$3 exp
	exp=$(cat)
	if [ "$(pout "$name" "$idx")" == "$exp" ]; then ok "$what"; else
		notok "$what"; diff <(echo "$exp") <(pout "$name" "$idx") 2>&1 | sed 's/^/#   /' | head -20
	fi
}
has_line() { pout "$1" "$2" "${4:-stdout}" | tr '\r' '\n' | grep -Eq -- "$3"; } # NAME INDEX ERE [stderr]
lines_ge() { [ "$(pout "$1" "$2" | grep -Ec -- "$3")" -ge "$4" ]; } # NAME INDEX ERE N: at least N lines match

# name: the programs it needs (a scenario runs only when all are installed)
declare -A NEEDS=(
	[tools]="traceroute iperf python3 wget rsync ss netstat ifconfig route ip ethtool"
	[tools-ns3]="iperf python3 wget rsync socat"
	[tools2]="socat mtr nmap fping busybox iperf tcpdump hping3 arping"
	[dns]="named dig host nslookup dnsmasq"
	[kv]="redis-server redis-cli redis-benchmark memcached memccp memccat memcstat"
	[web]="apache2 ab curl"
	[routing]="bird birdc ping traceroute ip"
	[dhcp]="dhcpd dhclient udhcpc dnsmasq ip"
)
ORDER=(routing dhcp tools2 dns web tools kv tools-ns3) # longest first
T0=$(date +%s)
RAN=()
for s in "${ORDER[@]}"; do
	# shellcheck disable=SC2086
	if has ${NEEDS[$s]}; then scenario "$s"; RAN+=("$s"); fi
done
ran_routing=0
[[ " ${RAN[*]} " == *" routing "* ]] && { scenario routing-again routing; ran_routing=1; }
wait
for s in "${RAN[@]}"; do echo "# $s: $(cat "$SCRATCH/$s.done" 2>/dev/null)"; done
echo "# all scenarios: $(( $(date +%s) - T0 ))s wall"
ran() { [[ " ${RAN[*]} " == *" $1 "* ]]; }

# ---- tools (Linux stack) ----
if ran tools; then
	for i in 3 4 5; do
		check "traceroute (process $i: UDP, ICMP, TCP probes): hop 1 r at 10 ms" has_line tools $i '^ 1  10\.1\.1\.2  10\.0[0-9]{2} ms  10\.0[0-9]{2} ms  10\.0[0-9]{2} ms$'
		check "traceroute (process $i): hop 2 b at 20 ms" has_line tools $i '^ 2  10\.1\.2\.2  20\.0[0-9]{2} ms  20\.0[0-9]{2} ms  20\.0[0-9]{2} ms$'
	done
	check "iperf 2 client: about 90 Mbit/s over the 100 Mbit/s path" has_line tools 6 ' (8[5-9]|9[0-9])\.[0-9] Mbits/sec$'
	check "iperf 2 server reports the transfer too" has_line tools 0 'MBytes +(8[5-9]|9[0-9])\.[0-9] Mbits/sec'
	expect tools "wget from python3 -m http.server and rsync from rsync --daemon fetch b's file" 9 <<'X'
hello from b
hello from b
X
	check "ss -tln lists the three listeners (kernel's sock_diag)" lines_ge tools 10 '^LISTEN .*0\.0\.0\.0:(8000|873|5001) ' 3
	check "netstat -tln (/proc/net/tcp) lists them too" has_line tools 11 '^tcp +0 +0 0\.0\.0\.0:5001 '
	check "ifconfig eth0: the address and the kernel's counters" has_line tools 12 'inet 10\.1\.2\.2  netmask 255\.255\.255\.0'
	check "route -n: the default route via r" has_line tools 13 '^0\.0\.0\.0 +10\.1\.1\.2 +0\.0\.0\.0 +UG'
	check "ip -br addr on the router: both links" has_line tools 14 '^eth1 +UNKNOWN +10\.1\.2\.1/24'
	check "ethtool -k eth0: the kernel device's features" has_line tools 15 '^generic-receive-offload: on'
fi

# ---- tools on the ns-3 stack ----
if ran tools-ns3; then
	check "ns-3 stack: iperf 2 over two hops" has_line tools-ns3 4 ' [0-9.]+ Mbits/sec$'
	expect tools-ns3 "ns-3 stack: wget (python3 http.server) and rsync (daemon, forked receiver) fetch b's file" 8 <<'X'
hello from b
hello from b
X
	expect tools-ns3 "ns-3 stack: socat echo server" 7 <<'X'
through-socat
X
fi

# ---- tools2: relays, scanners, LAN tools ----
if ran tools2; then
	expect tools2 "socat relay on r to socat's echo server on b" 4 <<'X'
through-two-socats
X
	check "busybox ip on a Linux node names the kernel's eth1 (index 3)" has_line tools2 6 '^3: eth1: .*UP'
	check "mtr -r: hop 1 r, no loss, 10 ms" has_line tools2 7 '1\.\|-- 10\.1\.1\.2 +0\.0% +2 +10\.0'
	check "mtr -r: hop 2 b, no loss, 20 ms" has_line tools2 7 '2\.\|-- 10\.1\.2\.2 +0\.0% +2 +20\.0' 
	check "nmap connect scan: 7000 open" has_line tools2 9 '^7000/tcp +open'
	check "nmap connect scan: 7002 closed" has_line tools2 9 '^7002/tcp +closed'
	check "fping: three hosts alive, on the LAN and two hops away" lines_ge tools2 10 ' 0% loss\)$' 3
	check "iperf 2 over UDP on the LAN: 20 Mbit/s, no loss" has_line tools2 12 ' 0/35[0-9][0-9] \(0%\)$'
	# libpcap capture: PACKET_RX_RING (TPACKET_V3) kept by dce, mapped with mmap
	check "tcpdump -w on r exits 0 after 4 packets" [ "$(pexit tools2 3)" = 0 ]
	if command -v tshark >/dev/null; then
		check "tshark reads r's pcap: a's two requests to b and b's two replies" sh -c \
			"[ \$(tshark -r '$SCRATCH/tools2/files-1/tmp/r.pcap' 2>/dev/null | grep -Ec '10\.1\.(1\.1 [^ ]+ 10\.1\.2\.2 +ICMP 98 Echo \(ping\) request|2\.2 [^ ]+ 10\.1\.1\.1 +ICMP 98 Echo \(ping\) reply)') = 4 ]"
	fi
	expect tools2 "tcpdump -n -c 4 host 10.1.2.2 and icmp: the exchange at its simulated times" 13 <<'X'
00:00:02.005006 IP 10.1.1.1 > 10.1.2.2: ICMP echo request, id 1, seq 1, length 64
00:00:02.015020 IP 10.1.2.2 > 10.1.1.1: ICMP echo reply, id 1, seq 1, length 64
00:00:03.005034 IP 10.1.1.1 > 10.1.2.2: ICMP echo request, id 1, seq 2, length 64
00:00:03.015048 IP 10.1.2.2 > 10.1.1.1: ICMP echo reply, id 1, seq 2, length 64
X
	check "hping3 -S: b's SYN-ACK from port 7000 at 20 ms" has_line tools2 8 \
		'^len=44 ip=10\.1\.2\.2 ttl=63 DF id=0 sport=7000 flags=SA seq=0 win=64240 rtt=20\.0 ms$'
	check "arping: two replies from l2's MAC" lines_ge tools2 11 '^60 bytes from 00:00:00:00:00:07 \(10\.9\.0\.3\): index=[01] ' 2
	check "nmap SYN scan (raw socket + libpcap): 7000 open" has_line tools2 14 '^7000/tcp +open'
	check "nmap SYN scan: 7002 closed" has_line tools2 14 '^7002/tcp +closed'
fi

# ---- DNS ----
if ran dns; then
	expect dns "dig @named: A record" 2 <<'X'
10.1.1.50
X
	check "dig: a CNAME answer with its target" has_line dns 3 '^alias\.sim\.\s+300\s+IN\s+CNAME\s+www\.sim\.'
	check "host -t MX" has_line dns 4 '^sim mail is handled by 10 mail\.sim\.$'
	check "host: reverse lookup (PTR)" has_line dns 5 'domain name pointer www\.sim\.$'
	check "nslookup -type=TXT" has_line dns 6 'text = "dce compatibility suite"'
	expect dns "dig through dnsmasq forwarding to named" 7 <<'X'
10.1.1.50
X
	expect dns "dig +tcp" 8 <<'X'
10.1.1.51
X
	check "named (dropped root to user bind) loaded both zones and runs" has_line dns 0 ' running$' stderr
fi

# ---- key-value stores (ns-3 stack) ----
if ran kv; then
	expect kv "redis-cli set" 2 <<'X'
OK
X
	expect kv "redis-cli get" 3 <<'X'
hello-redis
X
	expect kv "redis-cli incrby" 4 <<'X'
41
X
	check "redis-benchmark: SET requests per second" has_line kv 5 '^ *SET: [0-9.]+ requests per second'
	check "redis-benchmark: GET requests per second" has_line kv 5 '^ *GET: [0-9.]+ requests per second'
	check "memccp then memccat through memcached" has_line kv 6 '^hello-memcached$'
	check "memcstat: memcached's counters (one item stored)" has_line kv 7 '^\s+curr_items: 1$'
fi

# ---- web server: apache2, Debian's configuration ----
if ran web; then
	expect web "curl gets apache2's page" 1 <<'X'
hello-from-apache
X
	check "ab: 100 requests complete" has_line web 2 '^Complete requests: +100$'
	check "ab: none failed" has_line web 2 '^Failed requests: +0$'
	expect web "apache2's parent runs as root, its children as www-data (mpm_event)" 3 <<'X'
Uid:	0	0	0	0
Uid:	33	33	33	33
X
	check "the access log has every request (101 lines)" has_line web 4 '^101$'
fi

# ---- routing: bird2 OSPF on three routers ----
if ran routing; then
	check "before OSPF converged, y is unreachable from a" [ "$(pexit routing 3)" != 0 ]
	check "after: ping a -> y across the three OSPF routers" has_line routing 4 '^3 packets transmitted, 3 received, 0% packet loss'
	check "a's kernel has BIRD's routes (proto bird)" has_line routing 5 '^10\.0\.3\.0/24 via 10\.0\.1\.2 dev eth0'
	check "birdc: b has two Full neighbours" lines_ge routing 6 'Full/' 2
	check "traceroute over the OSPF path: b, c, y" has_line routing 7 '^ 3  10\.0\.3\.2 '
	same=1
	for f in $(cd "$SCRATCH/routing" && find . -path '*/var/log/*' -type f | sort); do
		cmp -s "$SCRATCH/routing/$f" "$SCRATCH/routing-again/$f" || { same=0; echo "#   differs: $f"; }
	done
	[ "$ran_routing" = 1 ] && check "determinism: the routing scenario again gives byte-identical outputs and kernel logs" [ $same = 1 ]
fi

# ---- DHCP ----
if ran dhcp; then
	check "dhclient gets a lease from ISC dhcpd (AF_PACKET, BPF filter) and binds it" has_line dhcp 1 '^bound to 10\.1\.1\.1[01][0-9] ' stderr
	check "udhcpc (busybox) gets a lease from ISC dhcpd" has_line dhcp 2 '^udhcpc: lease of 10\.1\.1\.1[01][0-9] obtained from 10\.1\.1\.1' stderr
	check "dhclient's address is on c1's eth0" has_line dhcp 5 '^eth0 +UNKNOWN +10\.1\.1\.1[01][0-9]/24'
	check "dnsmasq's DHCP lease on c3" has_line dhcp 7 '^eth0 +UNKNOWN +10\.2\.0\.(5[0-9]|60)/24'
	check "c1 reaches the server from its leased address" has_line dhcp 8 '1 received'
fi
finish
