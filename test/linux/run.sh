#!/usr/bin/env bash
# test/linux - advanced mode: simulated nodes running the Linux kernel library.
# Stock ip, sysctl, ping and iperf3 talk to each node's own Linux kernel through
# dce; the ns-3 side bridges NetDevices (point-to-point) to the kernels; a kernel
# panic takes down only its node. Needs the kernel library (src/kernel/build.sh,
# cached; the kernel suite builds it first). DCE_KERNEL_VERSION=6.1 or 6.12 picks
# the kernel (default: build.sh's, 6.12); test/linux-6.1-slow runs this on 6.1.
source "$(dirname "$0")/../lib.sh"
build_once
lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log") || {
	echo "not ok - kernel library builds (see $SCRATCH/kbuild.log)"
	tail -20 "$SCRATCH/kbuild.log"
	exit 1
}
export DCE_LINUX_LIBRARY=$lib
kv=$(basename "$lib" .so); kv=${kv#liblinux-} # the kernel series under test
echo "# Linux $kv: $lib"
EX=$BUILD/examples
last_cmd_stdout() { # NODE CMDLINE-SUBSTRING: stdout of the last process whose cmdline matches
	local pid
	pid=$(awk -v n="$1" -v c="$2" '$1 == n && index($0, c) { p = $2 } END { print p }' "$OUT/exitprocs")
	echo "$OUT/files-$1/var/log/$pid/stdout"
}
exit_of() { # NODE CMDLINE-SUBSTRING: EXIT column
	awk -v n="$1" -v c="$2" '$1 == n && index($0, c) { e = $3 } END { print e }' "$OUT/exitprocs"
}

# ---- one node, loopback only (dce-run --linux) ----
run_dce lo --linux "0: ip addr show" \
	"0@1s: sysctl -w net.ipv4.tcp_congestion_control=bbr" \
	"0@2s: sysctl net.ipv4.tcp_congestion_control" \
	"1@2s: sysctl net.ipv4.tcp_congestion_control" \
	"2@1s: sh -c 'iperf3 -s -1 & sleep 0.5; iperf3 -c 127.0.0.1 -t 1'"
check "dce-run --linux runs (rc $RC)" test "$RC" = 0
check "ip addr show lists the kernel's lo" grep -q "inet 127.0.0.1/8 scope host lo" "$(stdout_of 0 1000)"
check "no stray devices (dummy0, sit0, the fallback tunnels tunl0, gre0, gretap0, erspan0, ip6tnl0, ip6gre0)" sh -c "! grep -Eq 'dummy0|sit0|tunl0|gre0|gretap0|erspan0|ip6tnl0|ip6gre0' '$(stdout_of 0 1000)'"
check "stock sysctl sets the node's congestion control" \
	grep -qx "net.ipv4.tcp_congestion_control = bbr" "$(stdout_of 0 1002)"
check "every node has its own kernel (node 1 still cubic)" \
	grep -qx "net.ipv4.tcp_congestion_control = cubic" "$(stdout_of 1 1000)"
check "the node's kernel log is files-0/var/log/messages (Linux $kv)" grep -q "Linux version $kv\." "$OUT/files-0/var/log/messages"
rate=$(awk '/receiver/ { print $7, $8 }' "$(stdout_of 2 1000)") # sh's: its children share it
check "iperf3 over loopback ends on time, copy cost 10 Gbit/s ($rate)" \
	sh -c "echo '$rate' | grep -Eq '^(9\\.[5-9]|10\\.[0-4]) Gbits/sec'"

# ---- sendfile (iperf3 -Z) into kernel sockets, and its file semantics ----
run_dce sf --linux "0@1s: sh -c 'iperf3 -s -1 & sleep 0.5; iperf3 -c 127.0.0.1 -t 1 -Z'"
check "iperf3 -Z (sendfile) over the kernel's loopback" \
	sh -c "grep -q 'sender' '$(stdout_of 0 1000)' && ! grep -q error '$OUT/files-0/var/log/1000/stderr'"
run_dce sf2 "0: python3 -c 'import os; f = open(\"/etc/hostname\", \"rb\"); r, w = os.pipe()
print(os.sendfile(w, f.fileno(), None, 100), os.read(r, 100), f.tell())
print(os.sendfile(w, f.fileno(), 1, 3), os.read(r, 10), f.tell())'"
check "sendfile: from the offset (advancing it) or from a given one (not)" \
	sh -c "printf \"6 b'node0\\\\\\\\n' 6\\n3 b'ode' 6\\n\" | cmp -s - '$(stdout_of 0 1000)'"

# ---- interface ioctls on any family answered by the node's kernel; connect after ECONNREFUSED ----
cat >"$SCRATCH/ifx.yaml" <<'Y'
stop: 5s
nodes:
  - name: a
    stack: linux
    files:
      /root/t.py: |
        import socket, fcntl, struct
        print('if_nametoindex', socket.if_nametoindex('eth0'), socket.if_nametoindex('lo'))
        u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        r = fcntl.ioctl(u, 0x8933, struct.pack('16si20x', b'eth0', 0))
        print('AF_UNIX SIOCGIFINDEX', struct.unpack('16si20x', r)[1])
        fcntl.ioctl(u, 0x8922, struct.pack('16si20x', b'eth0', 1400))
        print('AF_UNIX SIOCSIFMTU, sysfs mtu', open('/sys/class/net/eth0/mtu').read().strip())
        c = socket.socket()
        for i in range(2):
            try:
                c.connect(('10.1.1.2', 9)); print('connected')
            except OSError as e:
                print('connect', i, e.strerror)
        c.connect(('10.1.1.2', 7)); print('third connect: connected')
  - {name: b, stack: linux}
links:
  - [a, b]
processes:
  - {node: b, cmd: "nc -l -p 7"}
  - {node: a, cmd: python3 /root/t.py, at: 1s}
  - {node: b, cmd: "sh -c 'ip -4 addr show dev sim0; ip link show sim0'", at: 0.5s}
Y
run_dce ifx "$SCRATCH/ifx.yaml"
check "ns-3-dce's device names: 'dev sim0' finds eth0 (altname sim0 in ip link)" \
	sh -c "grep -q '^2: eth0:' '$(stdout_of 1 1001)' && grep -q 'inet 10.1.1.2/24' '$(stdout_of 1 1001)' && grep -q 'altname sim0' '$(stdout_of 1 1001)'"
check "if_nametoindex (an AF_UNIX ioctl), SIOCGIFINDEX/SIOCSIFMTU on AF_UNIX use the kernel's devices; a refused connect can be retried" \
	sh -c "printf '%s\n' 'if_nametoindex 2 1' 'AF_UNIX SIOCGIFINDEX 2' 'AF_UNIX SIOCSIFMTU, sysfs mtu 1400' \
		'connect 0 Connection refused' 'connect 1 Connection refused' 'third connect: connected' | cmp -s - '$(stdout_of 0 1000)'"

# ---- traffic control and netfilter: stock tc, iptables, nft on the node's kernel ----
run_dce tc --linux "0: sh -c 'tc qdisc add dev lo root netem delay 10ms && ping -c 2 127.0.0.1'" \
	"1: sh -c 'iptables -A INPUT -p icmp -j DROP && ping -c 2 -W 1 127.0.0.1; nft list ruleset'" \
	"2: python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try: s.recvmsg(64, 64, socket.MSG_ERRQUEUE)
except BlockingIOError: print(\"EAGAIN at once\")'"
check "recvmsg(MSG_ERRQUEUE) on a blocking socket returns EAGAIN at once" grep -qx "EAGAIN at once" "$(stdout_of 2 1000)"
check "tc netem on lo: ping's RTT is 2 x 10 ms" grep -q "rtt min/avg/max/mdev = 20.000/20.000/20.000" "$(stdout_of 0 1000)"
if command -v iptables >/dev/null && command -v nft >/dev/null; then
	check "iptables DROP on INPUT: ping loses everything" grep -q "2 packets transmitted, 0 received, 100% packet loss" "$(stdout_of 1 1000)"
	check "nft lists the rule iptables added (nf_tables)" grep -q "meta l4proto icmp.* drop" "$(stdout_of 1 1000)"
else
	notok "iptables and nft are installed (apt-get install iptables nftables)"
fi

# ---- which kernel: uname -r and /proc say the node's own ----
run_dce uname --linux "0: uname -r" "0@1s: cat /proc/sys/kernel/osrelease /proc/version"
check "uname -r in a Linux node is the kernel's release ($(cat "$(stdout_of 0 1000)"))" \
	grep -Eqx "$kv\.[0-9]+" "$(stdout_of 0 1000)"
check "/proc/sys/kernel/osrelease and /proc/version agree with it" \
	sh -c "test \"\$(sed -n 1p '$(stdout_of 0 1001)')\" = \"\$(cat '$(stdout_of 0 1000)')\" && grep -q '^Linux version $kv\.' '$(stdout_of 0 1001)'"
# --kernel picks the library where dce looks (the build tree's install dir here)
env -u DCE_LINUX_LIBRARY "$DCE_RUN" --out "$SCRATCH/kv" --kernel 9.9 "0: true" >"$SCRATCH/kv.log" 2>&1
RC=$?
check "--kernel 9.9 (not built) is a one-line error naming it and the fix (rc $RC)" \
	sh -c "test $RC != 0 && test \$(wc -l < '$SCRATCH/kv.log') = 1 && grep -q 'Linux 9.9 is not built.*build.sh --kernel 9.9' '$SCRATCH/kv.log'"
"$DCE_RUN" --check --kernel 6.x "0: true" >"$SCRATCH/kv2.log" 2>&1
check "--kernel 6.x is refused as a bad option" grep -q "bad --kernel '6.x'" "$SCRATCH/kv2.log"

# ---- bad input ----
DCE_LINUX_LIBRARY=/nonexistent/liblinux.so run_dce nolib --linux "0: true"
check "a missing kernel library is a one-line error naming it (rc $RC)" \
	sh -c "test $RC != 0 && grep -q '/nonexistent/liblinux.so' '$SCRATCH/nolib.log' && test \$(wc -l < '$SCRATCH/nolib.log') -le 2"
DCE_LINUX_LIBRARY=/bin/true run_dce notelf --linux "0: true"
check "a library that is not a kernel image is refused (rc $RC)" \
	sh -c "test $RC != 0 && grep -q '/bin/true' '$SCRATCH/notelf.log'"
# A kernel library built for another interface version (DCE_KERNEL_ABI): a copy of
# the library whose dce_kernel_boot compares the host's version with ABI + 1, as a
# library built from a newer dce-kernel.h does (`cmpl $ABI,(%rdi)`, its first check).
abi=$(sed -n 's/^#define DCE_KERNEL_ABI \([0-9]*\)$/\1/p' "$TOP/src/kernel/dce-kernel.h")
if python3 - "$lib" "$SCRATCH/liblinux-otherabi.so" "$abi" <<'PY'; then
import subprocess, sys
src, dst, abi = sys.argv[1], sys.argv[2], int(sys.argv[3])
sym = [l.split() for l in subprocess.run(["readelf", "-sW", src], capture_output=True, text=True).stdout.splitlines()]
addr = next(int(s[1], 16) for s in sym if len(s) > 7 and s[7] == "dce_kernel_boot")
sec = [l.split() for l in subprocess.run(["readelf", "-SW", src], capture_output=True, text=True).stdout.splitlines() if " .text " in l]
name = sec[0].index(".text")
vaddr, off = int(sec[0][name + 2], 16), int(sec[0][name + 3], 16)
data = bytearray(open(src, "rb").read())
at = off + addr - vaddr
i = data.find(bytes([0x83, 0x3f, abi]), at, at + 32)  # cmpl $abi,(%rdi)
if i < 0:
    sys.exit("no 'cmpl $%d,(%%rdi)' at the start of dce_kernel_boot" % abi)
data[i + 2] = abi + 1
open(dst, "wb").write(data)
PY
	DCE_LINUX_LIBRARY=$SCRATCH/liblinux-otherabi.so run_dce otherabi --linux "0: true"
	check "a kernel library built for another interface version: one line naming it and the fix (rc $RC)" \
		sh -c "test $RC != 0 && test \$(wc -l < '$SCRATCH/otherabi.log') = 1 && grep -q 'liblinux-otherabi.so does not match this dce (kernel interface version $abi): rebuild it' '$SCRATCH/otherabi.log'"
else
	notok "a copy of the kernel library with another interface version can be made (readelf, python3)"
fi
# A scenario's sysctl the build lacks: the key (no such file under /proc/sys), or
# a value it does not know (a congestion control not built in): one line at the
# node's place in the file, naming the key, value and kernel, and the fix.
printf 'nodes:\n  - {name: a, stack: linux, sysctl: {net.ipv4.tcp_congestion_control: vegas}}\n' >"$SCRATCH/vegas.yaml"
"$DCE_RUN" "$SCRATCH/vegas.yaml" --out "$SCRATCH/vegas" >"$SCRATCH/vegas.log" 2>&1
RC=$?
check "a congestion control the build lacks (vegas): one line naming it, the built ones and the fix (rc $RC)" \
	sh -c "test $RC != 0 && test \$(wc -l < '$SCRATCH/vegas.log') = 1 && grep -q '^.*vegas.yaml:2:5: node a: Linux $kv\\.[0-9]* refuses sysctl net.ipv4.tcp_congestion_control = vegas: No such file or directory (built: reno .*cubic.*CONFIG_TCP_CONG_ option in src/kernel/dce_defconfig)' '$SCRATCH/vegas.log'"
printf 'nodes:\n  - {name: a, stack: linux, sysctl: {net.ipv4.tcp_nosuch: 1}}\n' >"$SCRATCH/nokey.yaml"
"$DCE_RUN" "$SCRATCH/nokey.yaml" --out "$SCRATCH/nokey" >"$SCRATCH/nokey.log" 2>&1
RC=$?
check "a sysctl key the build lacks: one line naming it and the fix (rc $RC)" \
	sh -c "test $RC != 0 && test \$(wc -l < '$SCRATCH/nokey.log') = 1 && grep -q 'nokey.yaml:2:5: node a: sysctl net.ipv4.tcp_nosuch does not exist in Linux $kv\\.[0-9]* (not built in: enable its option in src/kernel/dce_defconfig' '$SCRATCH/nokey.log'"
# A series the build supports whose Debian source is not installed: build.sh says
# which package to install.
DCE_KERNEL_TARBALL=$SCRATCH/none/linux-source-6.1.tar.xz "$TOP/src/kernel/build.sh" --kernel 6.1 --cached \
	>/dev/null 2>"$SCRATCH/nosrc.log"
RC=$?
check "a kernel series whose source is not installed: one line naming it and the apt-get line (rc $RC)" \
	sh -c "test $RC != 0 && test \$(wc -l < '$SCRATCH/nosrc.log') = 1 && grep -q 'Linux 6.1 is not installed (apt-get install linux-source-6.1)' '$SCRATCH/nosrc.log'"

# ---- a kernel panic fails its node only ----
run_dce panic --linux "0: sh -c 'sleep 1; echo survivor'" \
	"1@0.5s: sh -c 'echo c > /proc/sysrq-trigger; echo never'" "1@2s: echo never-started"
check "the panicking node's processes are killed" \
	sh -c "test '$(exit_of 1 sysrq)' = SIGKILL && test '$(exit_of 1 never-started)' = SIGKILL"
check "the panic is reported on stderr" grep -q "node 1: kernel panic: sysrq triggered crash" "$SCRATCH/panic.log"
check "the panic message is in files-1/var/log/messages" grep -q "Kernel panic - not syncing: sysrq triggered crash" "$OUT/files-1/var/log/messages"
check "the other node finishes" sh -c "test '$(exit_of 0 survivor)' = 0 && grep -qx survivor '$(stdout_of 0 1000)'"
check "output before the panic is kept" sh -c "! grep -q never '$OUT/files-1/var/log/1000/stdout'"

# ---- a line of Linux nodes, stock ip/sysctl/ping, forwarding, and an ns-3 node ----
line() {
	OUT=$SCRATCH/$1
	shift
	mkdir -p "$OUT"
	"$EX/dce-linux-line" --out="$OUT" "$@" >"$OUT.log" 2>&1
}
line line1
check "dce-linux-line runs (every process exits 0)" \
	sh -c "awk 'NR > 1 && \$3 != 0 { bad = 1 } END { exit bad }' '$OUT/exitprocs'"
show=$(last_cmd_stdout 0 "sh -c ip addr show") # the shell's stdout, shared by its ip children
check "stock ip configured node 0 through netlink (ip addr show)" \
	sh -c "grep -q 'inet 10.1.1.1/24 scope global eth0' '$show' && grep -q 'inet6 2001:db8:1::1/64 scope global' '$show'"
check "ip route show lists the default route it added" grep -q "default via 10.1.1.2 dev eth0" "$show"
check "ping (IPv4) through a forwarding Linux node: ttl 63, no loss" \
	sh -c "grep -q '3 received, 0% packet loss' '$(last_cmd_stdout 0 "ping -c 3 10.1.2.2")' && grep -q 'ttl=63' '$(last_cmd_stdout 0 "ping -c 3 10.1.2.2")'"
check "ping -6 through a forwarding Linux node" \
	grep -q "3 received, 0% packet loss" "$(last_cmd_stdout 0 "ping -6")"
check "ping from a Linux node to an ns-3-stack node (two Linux routers, ttl 62)" \
	sh -c "grep -q 'ttl=62' '$(last_cmd_stdout 0 "ping -c 3 10.1.3.2")'"
check "iperf3: Linux TCP client, ns-3 TCP server" \
	grep -q "receiver" "$(last_cmd_stdout 3 "iperf3 -s")"
if command -v tshark >/dev/null; then
	n=$(tshark -r "$OUT/linux-line-1-0.pcap" -Y "icmp.type == 8" 2>/dev/null | wc -l)
	check "tshark reads the router's pcap: 6 echo requests (3 to node 2, 3 to node 3) ($n)" test "$n" = 6
	n=$(tshark -r "$OUT/linux-line-1-0.pcap" -Y "icmpv6.type == 128" 2>/dev/null | wc -l)
	check "and 3 ICMPv6 echo requests ($n)" test "$n" = 3
else
	notok "tshark is installed (apt-get install tshark)"
fi
first=$OUT
line line2
same=1
for f in $(cd "$first" && find . -name stdout -o -name '*.pcap' -o -name exitprocs -o -name messages | sort); do
	cmp -s "$first/$f" "$OUT/$f" || { echo "# differs: $f"; same=0; }
done
check "a second run gives byte-identical outputs, kernel logs and pcaps" test $same = 1

# ---- Ethernet (CSMA) links: the kernels' ARP and neighbour discovery ----
line csma1 --csma=1
check "on CSMA links every ping gets through (IPv4, IPv6, to the ns-3 node)" \
	test "$(cat "$OUT"/files-0/var/log/*/stdout | grep -c '3 received, 0% packet loss')" = 3
if command -v tshark >/dev/null; then
	check "the kernels resolve with ARP (request before reply in the pcap)" \
		sh -c "tshark -r '$OUT/linux-line-1-0.pcap' -Y arp 2>/dev/null | head -2 | tr '\n' ' ' | grep -q 'Who has 10.1.1.2.*10.1.1.2 is at'"
	check "and with IPv6 neighbour discovery" \
		sh -c "tshark -r '$OUT/linux-line-1-0.pcap' -Y 'icmpv6.type == 136' 2>/dev/null | grep -q 'Neighbor Advertisement'"
fi

# ---- congestion control: stock sysctl selects cubic or bbr, iperf3 shows it ----
OUT=$SCRATCH/cc
mkdir -p "$OUT"
"$EX/dce-linux-iperf3" --out="$OUT" --time=6 --pcap=0 >"$OUT.log" 2>&1
cat "$OUT.log" | sed 's/^/# /'
for cc in cubic bbr; do
	check "iperf3 over Linux $cc fills the 100 Mbit/s link" \
		awk -v cc="$cc:" '$1 == "cc" && $2 == cc && $3 > 85 { f = 1 } END { exit !f }' "$OUT.log"
done
c=$(last_cmd_stdout 0 "iperf3 -c"); b=$(last_cmd_stdout 2 "iperf3 -c")
check "iperf3 reports the congestion control it was given (-C)" \
	sh -c "grep -q 'sender' '$c' && grep -q 'sender' '$b'"
# after slow start: cubic keeps overflowing the 100-packet queue (losses, a
# sawtooth cwnd); bbr paces at the bottleneck rate (no losses, a steady cwnd)
late() { awk '$3 ~ /^[0-9.]+-[0-9.]+$/ { split($3, t, "-"); if (t[1] >= 1 && t[2] - t[1] < 2) print $(NF - 2), $(NF - 1) }' "$1"; }
cub_retr=$(late "$c" | awk '{ s += $1 } END { print s + 0 }')
bbr_retr=$(late "$b" | awk '{ s += $1 } END { print s + 0 }')
cub_swing=$(late "$c" | awk 'NR == 1 { lo = hi = $2 } { if ($2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { print hi - lo }')
bbr_swing=$(late "$b" | awk 'NR == 1 { lo = hi = $2 } { if ($2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { print hi - lo }')
check "cubic loses packets after slow start ($cub_retr retransmits), bbr does not ($bbr_retr)" \
	sh -c "test $cub_retr -gt 0 && test $bbr_retr -eq 0"
check "cubic's cwnd saws ($cub_swing KB swing), bbr's holds ($bbr_swing KB)" \
	awk -v c="$cub_swing" -v b="$bbr_swing" 'BEGIN { exit !(c > 50 && b < c / 2) }'
if command -v gnuplot >/dev/null; then
	check "the example plots both in a PNG" sh -c "file '$OUT/cc.png' | grep -q 'PNG image'"
else
	notok "gnuplot is installed for the plot (apt-get install gnuplot-nox)"
fi
OUT=$SCRATCH/cc6
mkdir -p "$OUT"
"$EX/dce-linux-iperf3" --out="$OUT" --time=2 --cc=cubic --ipv6=1 --plot=0 >"$OUT.log" 2>&1
check "iperf3 over IPv6 between Linux nodes" \
	sh -c "grep -q 'connected to 2001:db8:1::2' '$(last_cmd_stdout 0 "iperf3 -c")' && grep -q receiver '$(last_cmd_stdout 0 "iperf3 -c")'"
# ---- queueing disciplines with stock tc: tbf shapes, netem loses, fq_codel keeps latency ----
run_dce tbf --linux "0: sh -c 'ip link set lo mtu 1500; tc qdisc add dev lo root tbf rate 20mbit burst 20kb latency 50ms; iperf3 -s -1 & sleep 0.5; iperf3 -c 127.0.0.1 -t 2; tc qdisc show dev lo'"
rate=$(awk '/receiver/ { print $7; exit }' "$(stdout_of 0 1000)")
check "tc tbf rate 20mbit on lo: iperf3 gets 17-20.5 Mbit/s ($rate Mbits/sec)" \
	awk -v r="$rate" 'BEGIN { exit !(r >= 17 && r <= 20.5) }'
check "tc qdisc show lists the tbf" grep -q "qdisc tbf .* rate 20Mbit" "$(stdout_of 0 1000)"
run_dce netem --linux "0: sh -c 'tc qdisc add dev lo root netem loss 30%; ping -c 40 -i 0.2 127.0.0.1'"
# ping prints fractions ("57.5% packet loss"): read the whole figure
loss=$(grep -o '[0-9.]*% packet loss' "$(stdout_of 0 1000)" | cut -d% -f1)
check "tc netem loss 30% on lo (both ways): ping loses 30-70% ($loss%)" \
	awk -v l="$loss" 'BEGIN { exit !(l != "" && l >= 30 && l <= 70) }'
# latency under load: a 10 Mbit/s tbf bottleneck on lo (MTU 1500) with a 1000-packet
# FIFO or with fq_codel behind it; ping runs while iperf3 -u sends 20 Mbit/s into it
bloat() { # NAME CHILD-QDISC: ping's average RTT in ms while iperf3 runs
	run_dce "$1" --linux "0: sh -c 'ip link set lo mtu 1500; tc qdisc add dev lo root handle 1: tbf rate 10mbit burst 10kb limit 10mb; tc qdisc add dev lo parent 1:1 $2; iperf3 -s -1 & sleep 0.5; iperf3 -c 127.0.0.1 -u -b 20M -l 1400 -t 8 > /dev/null & sleep 2; ping -c 10 -i 0.2 127.0.0.1'"
	awk -F/ '/^rtt/ { print $5 }' "$(stdout_of 0 1000)"
}
fifo=$(bloat bloat-fifo "pfifo limit 1000")
codel=$(bloat bloat-codel "fq_codel")
echo "# ping under load through 10 Mbit/s: pfifo 1000 avg $fifo ms, fq_codel avg $codel ms"
check "fq_codel keeps ping's RTT under load low ($codel ms) where a 1000-packet FIFO does not ($fifo ms)" \
	awk -v f="$fifo" -v c="$codel" 'BEGIN { exit !(f != "" && c != "" && f > 50 && c < 20 && f > 10 * c) }'

# ---- MPTCP over two paths: stock ip mptcp configures the path managers ----
OUT=$SCRATCH/mptcp
"$DCE_RUN" --out "$OUT" "$TOP/examples/dce-linux-mptcp.yaml" >"$OUT.log" 2>&1
RC=$?
sent=$(awk '/^sent/ { print $2 }' "$(last_cmd_stdout 0 "python3")")
recv=$(awk '/^received/ { print $2 }' "$(last_cmd_stdout 1 "python3")")
check "MPTCP: python3's IPPROTO_MPTCP socket (protocol 262) sends, the server gets it all (rc $RC, $sent / $recv bytes)" \
	sh -c "grep -q 'protocol 262' '$(last_cmd_stdout 0 "python3")' && test -n '$recv' && test '$recv' = '$sent'"
check "ip mptcp endpoint show lists the announced address" grep -q "10.1.2.2 id 1 signal dev eth1" "$(stdout_of 1 1000)"
mbit=$(awk -v b="${recv:-0}" 'BEGIN { printf "%.1f", b * 8 / 4 / 1e6 }')
check "the two 10 Mbit/s paths carry more than one can ($mbit Mbit/s in 4 s)" \
	awk -v m="$mbit" 'BEGIN { exit !(m > 11) }'
if command -v tshark >/dev/null; then
	n0=$(tshark -r "$OUT/p2p-0-0.pcap" -Y "mptcp && tcp.len > 0" 2>/dev/null | wc -l)
	n1=$(tshark -r "$OUT/p2p-0-1.pcap" -Y "mptcp && tcp.len > 0" 2>/dev/null | wc -l)
	j=$(tshark -r "$OUT/p2p-0-1.pcap" -Y "tcp.options.mptcp.subtype == 1" 2>/dev/null | wc -l)
	check "both subflows carry data in the pcaps ($n0 and $n1 MPTCP data segments; $j MP_JOIN on path 2)" \
		sh -c "test $n0 -gt 100 && test $n1 -gt 100 && test $j -ge 1"
fi

# ---- multi-homed SCTP: both addresses bound (sctp_bindx), two paths ----
OUT=$SCRATCH/sctp
"$DCE_RUN" --out "$OUT" "$TOP/examples/dce-linux-sctp.yaml" >"$OUT.log" 2>&1
RC=$?
check "SCTP: the server gets all 100000 bytes the client sent (rc $RC)" \
	sh -c "test $RC = 0 && grep -qx 'received 100000 bytes from 10.1.1.1' '$(last_cmd_stdout 1 "python3")'"
if command -v tshark >/dev/null; then
	d0=$(tshark -r "$OUT/p2p-0-0.pcap" -Y "sctp.chunk_type == 0" 2>/dev/null | wc -l)
	h1=$(tshark -r "$OUT/p2p-0-1.pcap" -Y "sctp.chunk_type == 4" 2>/dev/null | wc -l)
	a1=$(tshark -r "$OUT/p2p-0-1.pcap" -Y "sctp.chunk_type == 5" 2>/dev/null | wc -l)
	check "the association is multi-homed: DATA on path 1 ($d0 chunks), HEARTBEAT/ACK on path 2 ($h1/$a1)" \
		sh -c "test $d0 -ge 100 && test $h1 -ge 1 && test $a1 -ge 1"
fi

finish
