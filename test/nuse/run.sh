#!/usr/bin/env bash
# test/nuse - dce-nuse: real programs in real time on a private Linux stack (the
# kernel library) attached to a veth end or a TAP device (docs/nuse.md). The test
# makes its own network namespaces and veth pairs (names nuse17-*) and removes
# them; traffic stays inside them. Needs root (namespaces, raw sockets, TAP).
source "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "ok - skipped: test/nuse needs root (network namespaces, raw sockets, TAP devices)"
	finish
	exit
fi
for p in curl iperf3 ethtool iputils-ping iproute2 procps; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1 ||
		{ echo "not ok - cannot install $p"; exit 1; }
done
build_once
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || {
	echo "not ok - kernel library builds (see $SCRATCH/kbuild.log)"
	exit 1
}
export DCE_LINUX_LIBRARY=$lib
NUSE=$BUILD/dce-nuse
S=nuse17-s$$ # the server namespace: the host kernel's stack
C=nuse17-c$$ # the client namespace: only the veth end dce-nuse attaches to
cleanup() {
	# what still runs in the namespaces, but dce-nuse's watchers (session leaders:
	# they remove its temporary directory once it is gone)
	local n p
	for n in "$S" "$C"; do
		for p in $(ip netns pids "$n" 2>/dev/null); do
			[ "$(ps -o sid= -p "$p" 2>/dev/null | tr -d ' ')" = "$p" ] || kill "$p" 2>/dev/null
		done
	done
	sleep 1
	ip netns pids "$S" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids "$C" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$S" 2>/dev/null
	ip netns del "$C" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
ip netns add "$S" && ip netns add "$C" || { echo "not ok - ip netns add"; exit 1; }
ip link add vs type veth peer name vc netns "$C" 2>/dev/null || ip link add vs netns "$S" type veth peer name vc netns "$C"
[ -e /sys/class/net/vs ] && ip link set vs netns "$S"
ip -n "$S" addr add 10.77.0.1/24 dev vs
ip -n "$S" addr add fd77::1/64 dev vs nodad
ip -n "$S" link set vs up
ip -n "$S" link set lo up
ip -n "$C" link set vc up
# the host side hands the raw socket whole, checksummed frames (docs/nuse.md)
ip netns exec "$S" ethtool -K vs tx off tso off gso off >/dev/null 2>&1
ip netns exec "$C" ethtool -K vc gro off >/dev/null 2>&1
inC() { ip netns exec "$C" "$@"; }
inS() { ip netns exec "$S" "$@"; }
nuse() { inC timeout 60 "$NUSE" --raw vc --addr 10.77.0.2/24 --addr fd77::2/64 "$@"; }

# ---- ip and ping inside the stack ----
nuse -- sh -c 'ip addr show eth0; ip route; ping -c 3 -i 0.2 10.77.0.1' >"$SCRATCH/ping.out" 2>&1
rc=$?
check "ip and ping inside a NUSE stack (rc $rc)" test "$rc" = 0
check "ip addr shows the stack's eth0 address" grep -q "inet 10.77.0.2/24" "$SCRATCH/ping.out"
check "ip route shows its connected route" grep -q "10.77.0.0/24 dev eth0" "$SCRATCH/ping.out"
check "ping gets 3 replies from the host kernel" grep -q "3 received" "$SCRATCH/ping.out"
nuse -- ping -6 -c 2 -i 0.2 fd77::1 >"$SCRATCH/ping6.out" 2>&1
check "ping over IPv6" grep -q "2 received" "$SCRATCH/ping6.out"

# ---- curl from the stack to a web server in the other namespace ----
mkdir -p "$SCRATCH/www"
head -c 3000000 /dev/urandom >"$SCRATCH/www/blob"
inS /usr/bin/python3 -m http.server -b 10.77.0.1 -d "$SCRATCH/www" 8077 >/dev/null 2>&1 &
for _ in $(seq 50); do inS ss -ltn | grep -q ':8077' && break; sleep 0.1; done
nuse -- curl -sS -o "$SCRATCH/got" http://10.77.0.1:8077/blob >"$SCRATCH/curl.out" 2>&1
rc=$?
check "curl in a NUSE stack fetches a file (rc $rc)" test "$rc" = 0
check "the file's hash matches" test "$(sha256sum <"$SCRATCH/www/blob")" = "$(sha256sum <"$SCRATCH/got" 2>/dev/null)"

# ---- iperf3 both directions against the host kernel ----
inS iperf3 -s -B 10.77.0.1 -p 5277 -D --logfile "$SCRATCH/iperfd.log"
for _ in $(seq 50); do inS ss -ltn | grep -q ':5277' && break; sleep 0.1; done
nuse -- iperf3 -c 10.77.0.1 -p 5277 -t 2 -J >"$SCRATCH/up.json" 2>"$SCRATCH/up.err"
up=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$SCRATCH/up.json" 2>/dev/null)
check "iperf3 NUSE -> host kernel (${up:-?} bit/s)" test "${up:-0}" -gt 1000000
nuse -- iperf3 -c 10.77.0.1 -p 5277 -t 2 -R -J >"$SCRATCH/down.json" 2>"$SCRATCH/down.err"
down=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$SCRATCH/down.json" 2>/dev/null)
check "iperf3 host kernel -> NUSE (${down:-?} bit/s)" test "${down:-0}" -gt 1000000
# and the NUSE stack as the server, the host kernel as the client
inC timeout 120 "$NUSE" --raw vc --addr 10.77.0.2/24 -- iperf3 -s -p 5278 >"$SCRATCH/srv.out" 2>&1 &
npid=$!
for _ in $(seq 100); do
	inS timeout 20 iperf3 -c 10.77.0.2 -p 5278 -t 1 >"$SCRATCH/cli.out" 2>&1 && break
	cat "$SCRATCH/cli.out" >>"$SCRATCH/cli.tries"
	sleep 0.3
done
kill "$npid" 2>/dev/null
wait "$npid" 2>/dev/null
grep -q receiver "$SCRATCH/cli.out" || { tail -3 "$SCRATCH/cli.tries" "$SCRATCH/srv.out" | sed 's/^/# /'; }
check "iperf3 server in the NUSE stack, host kernel client" grep -q receiver "$SCRATCH/cli.out"

# ---- another congestion control than the host's ----
host_cc=$(inS sysctl -n net.ipv4.tcp_congestion_control)
cc=bbr other=reno
[ "$host_cc" = bbr ] && cc=cubic
[ "$host_cc" = reno ] && other=cubic
nuse --sysctl net.ipv4.tcp_congestion_control=$cc --pcap "$SCRATCH/cc.pcap" -- \
	sh -c "sysctl net.ipv4.tcp_congestion_control; iperf3 -c 10.77.0.1 -p 5277 -t 1 -C $cc" >"$SCRATCH/cc.out" 2>&1
check "sysctl inside shows $cc (host: $host_cc)" grep -qx "net.ipv4.tcp_congestion_control = $cc" "$SCRATCH/cc.out"
check "the host keeps its own congestion control" test "$(inS sysctl -n net.ipv4.tcp_congestion_control)" = "$host_cc"
check "iperf3 ran with $cc" grep -q receiver "$SCRATCH/cc.out"
check "--pcap wrote the device's frames" test "$(stat -c %s "$SCRATCH/cc.pcap" 2>/dev/null || echo 0)" -gt 100000
if command -v tshark >/dev/null; then
	n=$(tshark -r "$SCRATCH/cc.pcap" -Y 'ip.src == 10.77.0.2 && tcp.len > 0' 2>/dev/null | wc -l)
	check "the pcap holds the stack's data segments ($n)" test "$n" -gt 100
fi
nuse -- sh -c "sysctl -qw net.ipv4.tcp_congestion_control=$other; sysctl -n net.ipv4.tcp_congestion_control" >"$SCRATCH/set.out" 2>&1
check "stock sysctl -w inside sets the stack's ($other)" grep -qx "$other" "$SCRATCH/set.out"
check "a sysctl set inside does not reach the host" test "$(inS sysctl -n net.ipv4.tcp_congestion_control)" = "$host_cc"

# ---- two NUSE stacks over a veth pair, no host stack in between ----
inC ip link add va type veth peer name vb
inC ip link set va up
inC ip link set vb up
inC timeout 60 "$NUSE" --raw va --addr 10.79.0.1/24 -- iperf3 -s -1 -p 5279 >"$SCRATCH/two-s.out" 2>&1 &
spid=$!
inC timeout 60 "$NUSE" --raw vb --addr 10.79.0.2/24 -- sh -c \
	'ping -c 1 -W 5 10.79.0.1; for i in $(seq 20); do iperf3 -c 10.79.0.1 -p 5279 -t 1 && break; sleep 0.3; done' \
	>"$SCRATCH/two-c.out" 2>&1
wait "$spid"
check "two NUSE stacks: ping" grep -q "1 received" "$SCRATCH/two-c.out"
check "two NUSE stacks: iperf3" grep -q receiver "$SCRATCH/two-s.out"

# ---- a TAP device ----
inC timeout 30 "$NUSE" --tap nusetap0 --addr 10.78.0.2/24 -- sh -c \
	'ip link set eth0 up; sleep 0.3; ping -c 2 -i 0.2 10.78.0.1' >"$SCRATCH/tap.out" 2>&1 &
tpid=$!
for _ in $(seq 50); do inC ip link show nusetap0 >/dev/null 2>&1 && break; sleep 0.05; done
inC ip addr add 10.78.0.1/24 dev nusetap0
wait $tpid
check "a TAP device: the stack pings the host kernel behind it" grep -q "2 received" "$SCRATCH/tap.out"

# ---- a killed dce-nuse leaves nothing behind ----
mkdir -p "$SCRATCH/tmp"
TMPDIR=$SCRATCH/tmp inC timeout -s KILL 3 "$NUSE" --raw vc -- sleep 30 >/dev/null 2>&1
TMPDIR=$SCRATCH/tmp inC timeout -s INT 3 "$NUSE" --raw vc -- sleep 30 >/dev/null 2>&1
sleep 1
check "killed (SIGKILL, SIGINT): no temporary directory left" test -z "$(ls -A "$SCRATCH/tmp")"

# ---- bad input: one clear line each ----
one_line() { # FILE REGEX: exactly one line, matching
	test "$(wc -l <"$1")" = 1 && grep -Eq "$2" "$1"
}
inC "$NUSE" --raw nosuchif0 -- true >"$SCRATCH/e1" 2>&1
check "an interface that does not exist: one line ($(cat "$SCRATCH/e1"))" one_line "$SCRATCH/e1" "interface nosuchif0 does not exist"
inC setpriv --reuid=65534 --regid=65534 --clear-groups "$NUSE" --raw vc -- true >"$SCRATCH/e2" 2>&1
check "no permission for a raw socket: one line ($(cat "$SCRATCH/e2"))" one_line "$SCRATCH/e2" "no permission to open a raw socket on vc"
inC setpriv --reuid=65534 --regid=65534 --clear-groups "$NUSE" --tap nusetap9 -- true >"$SCRATCH/e3" 2>&1
check "no permission for TAP: one line ($(cat "$SCRATCH/e3"))" one_line "$SCRATCH/e3" "no permission to (open|create) .*TAP"
DCE_LINUX_LIBRARY=/nonexistent/liblinux.so inC "$NUSE" --raw vc -- true >"$SCRATCH/e4" 2>&1
check "a kernel library missing: one line ($(cat "$SCRATCH/e4"))" one_line "$SCRATCH/e4" "kernel library"
finish
