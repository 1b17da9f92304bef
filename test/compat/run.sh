#!/usr/bin/env bash
# test/compat - ns-3-dce scripts compile unchanged and run: a scenario of ours
# written against ns-3-dce 1.12's helper API (ns3dce-style.cc) is compiled out of
# the tree against the installed dce with nothing but `pkg-config --cflags --libs
# dce`, and run with no DCE_* variables; then two of ns-3-dce's own examples from
# its 1.12 source when a checkout is available (all of them: test/compat-slow).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib-compat.sh"
build_once
compat_install

check "pkg-config knows dce" pkg-config --exists dce
check "dce.pc gives the installed include directory" \
	grep -q -- "-I$PREFIX/include" <(pkg-config --cflags dce)

# ---- our ns-3-dce-style scenario ----
BIN=$SCRATCH/bin
compile_all "$BIN" "$TOP/test/compat/ns3dce-style.cc"
if ! check "an ns-3-dce-style scenario compiles with pkg-config only" [ -x "$BIN/ns3dce-style" ]; then
	tail -20 "$BIN/ns3dce-style.log"
	finish
	exit
fi
# run NAME ARGS...: in a fresh directory (the scenario's output directory is ".")
run() {
	OUT=$SCRATCH/$1
	shift
	mkdir -p "$OUT"
	(cd "$OUT" && timeout 120 "$BIN/ns3dce-style" "$@") >"$OUT.log" 2>&1
	RC=$?
}
run ns3
check "ns-3 stack: the scenario exits 0" [ "$RC" = 0 ]
check "ns-3 stack: ping across the link" grep -q '2 packets transmitted, 2 received' "$OUT/files-0/var/log/1000/stdout"
check "AddArguments with nine arguments" grep -qx 'a1 a2 a3 a4 a5 a6 a7 a8 a9' "$OUT/files-1/var/log/1000/stdout"
check "ProcessStarted trace source fires with the pid at the start time" grep -qx 'started pid 1000 at 1' "$OUT.log"
check "SetFinishedCallback gets the exit status" grep -qx 'finished pid 1000 status 3 at 2.001' "$OUT.log"
check "SetFinishedCallback for a process that exits 0" grep -q '^finished pid 1000 status 0 at 2.00' "$OUT.log"
check "GetProcStatus lists both processes with exit codes and simulated times" diff \
	<(printf '%s\n' 'procstatus node 0 pid 1000 exit 0 start 1000000000 end 2002550400 cmd ping -c 2 10.1.1.2' \
		'procstatus node 1 pid 1000 exit 3 start 2000000000 end 2000000000 cmd sh -c echo $0 $1 $2 $3 $4 $5 $6 $7 $8 $9; exit 3 a1 a2 a3 a4 a5 a6 a7 a8 a9') \
	<(grep '^procstatus' "$OUT.log" | head -2)
check "SetUid/SetGid: the program runs as that user and group" \
	grep -qx 'ids 1000 1000 1000' "$OUT/files-1/var/log/1001/stdout"
check "... without root's powers (creating a file in root's /etc is refused)" \
	grep -q 'Permission denied' "$OUT/files-1/var/log/1001/stderr"

if [ "$HAVE_LINUX" = 1 ]; then
	run linux --linux=1
	check "Linux stack: the scenario exits 0" [ "$RC" = 0 ]
	check "Linux stack: without Simulator::Stop the run ends after the last process" \
		grep -qx 'ended at 3.00855' "$OUT.log"
	check "Ipv4AddressHelper on Linux-stack nodes (interface container addresses)" \
		grep -qx 'addresses 10.1.1.1 10.1.2.2' "$OUT.log"
	check "Ipv4AddressHelper configured the kernel; global routing copied into it" diff \
		<(printf '%s\n' 'default via 10.1.1.2 dev eth0 proto static ' \
			'10.1.1.0/24 dev eth0 proto kernel scope link src 10.1.1.1 ') \
		"$OUT/files-0/var/log/1001/stdout"
	check "RunIp accepts ns-3-dce's device name sim0 (as eth0)" \
		grep -q '^2: eth0: ' "$OUT/files-0/var/log/1000/stdout"
	check "ping across a Linux router routed by PopulateRoutingTables" \
		grep -q '2 packets transmitted, 2 received' "$OUT/files-0/var/log/1002/stdout"
	check "SysctlGet (node, time, key, callback) reads the kernel at that time" \
		grep -qx 'sysctl .net.ipv4.tcp_congestion_control => reno' "$OUT.log"
	check "SysctlSet of a key the kernel lacks (net-next-nuse's mptcp_enabled): one warning, the run goes on" \
		grep -q "the kernel has no net.mptcp.mptcp_enabled (not built in); ignored" "$OUT.log"
	run linux-vegas --linux=1 --cc=vegas
	check "SysctlSet of a value the kernel lacks (vegas, not built in) stops the run naming it (rc $RC)" \
		sh -c "test $RC != 0 && grep -q 'net.ipv4.tcp_congestion_control = vegas: No such file or directory' '$OUT.log'"
fi

# ---- ns-3's own applications on Linux-stack nodes: the kernel's sockets ----
if [ "$HAVE_LINUX" = 1 ]; then
	compile_all "$BIN" "$TOP/test/compat/cradle.cc"
	OUT=$SCRATCH/cradle
	mkdir -p "$OUT"
	(cd "$OUT" && timeout 120 "$BIN/cradle") >"$OUT.log" 2>&1
	check "ns-3 applications on Linux-stack nodes: the scenario exits 0" test $? = 0
	check "BulkSend (ns3::TcpSocketFactory) -> PacketSink (ns3::LinuxTcpSocketFactory): all 500000 bytes" \
		grep -qx 'tcp sink (BulkSend) received 500000 bytes' "$OUT.log"
	check "OnOff (ns3::LinuxUdpSocketFactory) -> PacketSink (ns3::UdpSocketFactory): 50 datagrams" \
		grep -qx 'udp sink (OnOff) received 25600 bytes' "$OUT.log"
	check "UdpEchoClient/Server: three echoes, one RTT (2 x 5 ms + transmission) apart from the sends" \
		test "$(grep -c '^echo reply 100 bytes at [12]\.[05]10' "$OUT.log")" = 3
	check "a real program (nc) sends to an ns-3 PacketSink on the same kernel" \
		grep -qx 'tcp sink (nc) received 20000 bytes' "$OUT.log"
	check "ss on the sink's node lists both TCP connections the kernel holds for the ns-3 sinks" \
		sh -c "grep -q '10.1.1.2:9 ' '$OUT/files-1/var/log/1000/stdout' && grep -q '10.1.1.2:11 ' '$OUT/files-1/var/log/1000/stdout'"
	check "the pcap shows the kernel's TCP (SACK_PERM, window scaling in the SYN)" \
		sh -c "tshark -r '$OUT/cradle-0-0.pcap' -Y 'tcp.flags.syn == 1 && tcp.port == 9' 2>/dev/null | grep -q 'SACK_PERM.*WS=128'"
fi

if [ "$HAVE_LINUX" = 1 ]; then
	run ipv6 --ipv6=1
	check "Ipv6AddressHelper on Linux-stack nodes: the container gives the link-local and global addresses" \
		grep -qx 'ipv6 fe80::200:ff:fe00:1 2001:db8:1:0:200:ff:fe00:1 2001:db8:1:0:200:ff:fe00:2' "$OUT.log"
	check "Ipv6AddressHelper configured the kernel's eth0" \
		grep -q '^2: eth0    inet6 2001:db8:1:0:200:ff:fe00:1/64 scope global' "$OUT/files-0/var/log/1000/stdout"
	check "ping -6 between the two kernels over the helper's addresses" \
		grep -q '2 packets transmitted, 2 received' "$OUT/files-0/var/log/1001/stdout"
fi

run bad-fiber --bad=fiber
check "an unknown fiber manager: one line naming it and the known ones" \
	grep -qx "dce: DceManagerHelper::SetTaskManagerAttribute (\"FiberManagerType\"): unknown fiber manager 'GreenFiberManager' (known: UcontextFiberManager, PthreadFiberManager; dce runs both as its own fibers)" "$OUT.log"
check "an unknown fiber manager ends the run with status 2" [ "$RC" = 2 ]
run bad-freebsd --bad=freebsd
check "ns-3-dce's FreeBSD stack: one line naming the known stacks" \
	grep -qx 'dce: DceManagerHelper::SetNetworkStack: unknown network stack ns3::FreeBSDSocketFdFactory (known: ns3::Ns3SocketFdFactory, ns3::LinuxSocketFdFactory)' "$OUT.log"
run bad-nodce --bad=nodce
check "a Linux stack on a node without dce: a message saying what to do" \
	grep -q 'LinuxStackHelper: node 0 has a Linux stack but no dce: install DceManagerHelper on it too' "$OUT.log"
check "a Linux stack on a node without dce ends the run with status 2" [ "$RC" = 2 ]

# ---- ns-3-dce's own examples (when its source is at hand) ----
if ns3dce_examples; then
	PROGBIN=$SCRATCH/progs/bin
	ns3dce_programs "$SCRATCH/progs" udp-server udp-client tcp-server tcp-client
	EXBIN=$SCRATCH/exbin
	compile_all "$EXBIN" "$NS3DCE/dce-udp-simple.cc" "$NS3DCE/dce-linux-simple.cc"
	check "ns-3-dce's dce-udp-simple.cc compiles unchanged" [ -x "$EXBIN/dce-udp-simple" ]
	check "ns-3-dce's dce-linux-simple.cc compiles unchanged" [ -x "$EXBIN/dce-linux-simple" ]
	OUT=$SCRATCH/ex-udp
	place_programs "$OUT" 0
	(cd "$OUT" && timeout 120 "$EXBIN/dce-udp-simple") >"$OUT.log" 2>&1
	check "dce-udp-simple runs: udp-server reads all of udp-client's datagrams" \
		grep -qx 'did read all buffers' "$OUT/files-0/var/log/1000/stdout"
	check "dce-udp-simple: both exit 0 at the same simulated times as every run" diff \
		<(printf '%s\n' '0 1000 0 4.000000000 1015.500000000 udp-server' '0 1001 0 4.500000000 1006.500000000 udp-client 127.0.0.1') \
		<(awk 'NR > 1 { $1 = $1; print }' "$OUT/exitprocs")
	if [ "$HAVE_LINUX" = 1 ]; then
		OUT=$SCRATCH/ex-linux
		place_programs "$OUT" 0
		(cd "$OUT" && timeout 120 "$EXBIN/dce-linux-simple") >"$OUT.log" 2>&1
		check "dce-linux-simple runs on the Linux stack: ip route list shows lo's routes" \
			grep -q '^local 127.0.0.1 dev lo table local proto kernel' "$OUT/files-0/var/log/1003/stdout"
		check "dce-linux-simple: tcp-server reads all tcp-client wrote over the kernel's loopback" \
			grep -qx 'did read all buffers tot:1024000' "$OUT/files-0/var/log/1004/stdout"
		check "dce-linux-simple: ends after its programs, not at its Simulator::Stop (1000100 s)" \
			grep -Eq '^0 +1005 +0 +4\.500000000 +4\.5[0-9]+ +tcp-client' "$OUT/exitprocs"
	fi
fi
finish
