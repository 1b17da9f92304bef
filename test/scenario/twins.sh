# test/scenario/twins.sh - the twins of the C++ examples (examples/NAME.yaml and
# examples/NAME.py) against the C++ example with the same seed: program outputs,
# exitprocs and pcaps byte for byte. Sourced by test/scenario (the fast ones: every
# scenario file, the Python twins that take seconds) and test/scenario-slow (all of
# them, Python twins of the Wi-Fi and Linux-stack examples too). Needs lib.sh's
# check, lib-scenario.sh (run_yaml, $EX, $Y), $PROGS and, for "linux", DCE_LINUX_LIBRARY.
# ---- twins of the C++ examples: byte-identical program outputs ----------------------
# same_outputs LABEL A B [PCAP-PREFIX-A PCAP-PREFIX-B]: the programs' var/log files
# (cmdline, stdout, stderr, status), exitprocs and the pcaps of A equal B's
same_outputs() {
	local label=$1 a=$2 b=$3 pa=${4:-} pb=${5:-} f same=1 n=0
	diff -q <(cd "$a" && find files-* -path '*/var/log/*' -type f | sort) \
		<(cd "$b" && find files-* -path '*/var/log/*' -type f | sort) >/dev/null || { same=0; echo "# $label: other files"; }
	for f in $(cd "$a" && find files-* -path '*/var/log/*' -type f) exitprocs; do
		cmp -s "$a/$f" "$b/$f" || { same=0; echo "# $label differs: $f"; }
	done
	if [ -n "$pa" ]; then
		for f in "$a/$pa"-*.pcap; do
			n=$((n + 1))
			cmp -s "$f" "$b/$pb-${f##*/$pa-}" || { same=0; echo "# $label differs: ${f##*/}"; }
		done
		[ $n -gt 0 ] || same=0
	fi
	check "$label: program outputs and exitprocs${pa:+ and $n pcaps} byte-identical to the C++ example's" [ $same = 1 ]
}
# twin NAME FILE "C++ ARGS" "PYTHON ARGS" [PCAP-PREFIX-C++ PCAP-PREFIX-TWIN]: runs the
# C++ example and the scenario file (at once), then examples/NAME.py, and compares
twin() {
	local name=$1 file=$2 cargs=$3 pargs=$4
	shift 4
	# ONLY: the names to run (test/scenario-slow: what test/scenario leaves out)
	[ -z "${ONLY:-}" ] || case " $ONLY " in *" $name "*) ;; *) return 0 ;; esac
	rm -rf "$SCRATCH/$name-cc" "$SCRATCH/$name-py"
	mkdir -p "$SCRATCH/$name-cc"
	# shellcheck disable=SC2086
	"$EX/$name" --out="$SCRATCH/$name-cc" $cargs >"$SCRATCH/$name-cc.log" 2>&1 &
	run_yaml "$name-yaml" "$file"
	wait
	check "$name.yaml runs (dce-run exit 0)" [ "$RC" = 0 ]
	same_outputs "$name.yaml" "$SCRATCH/$name-cc" "$SCRATCH/$name-yaml" "$@"
	[ "$PYTWINS" = all ] || case " $PYTWINS " in *" $name "*) ;; *) return 0 ;; esac
	# shellcheck disable=SC2086
	(cd "$SCRATCH" && python3 "$TOP/examples/$name.py" --out "$SCRATCH/$name-py" $pargs >"$SCRATCH/$name-py.log" 2>&1)
	check "$name.py runs (exit 0)" [ $? = 0 ]
	same_outputs "$name.py" "$SCRATCH/$name-cc" "$SCRATCH/$name-py" "$@"
}
# twins ns3|linux: the examples on ns-3's stack, or those with Linux-stack nodes.
# PYTWINS: "all", or the names whose Python twin runs too (the file's always runs);
# SLOW=1: also dce-linux-chain and dce-linux-iperf3 (minutes of idle kernels)
twins() {
	if [ "$1" = ns3 ]; then
		twin dce-iperf3 "$TOP/examples/dce-iperf3.yaml" "" "" iperf3 p2p
		twin dce-basic "$TOP/examples/dce-basic.yaml" "" ""
		twin udp-simple "$TOP/examples/udp-simple.yaml" "--programs=$PROGS" "--programs $PROGS"
		[ -e "$SCRATCH/udp-simple-py.log" ] && check "udp-simple: the client got its 5 echoes" grep -qx 'client: 5/5 echoes' "$SCRATCH/udp-simple-py.log"
		twin dce-nc "$TOP/examples/dce-nc.yaml" "" ""
		[ -e "$SCRATCH/dce-nc-py.log" ] && check "dce-nc: the received file's hash is the sent one's" \
			sh -c "awk '{print \$NF}' '$SCRATCH/dce-nc-py.log' | uniq | wc -l | grep -qx 1"
		twin dce-ping "$TOP/examples/dce-ping.yaml" "" "" ping csma
		CMD1="nc -l 8080 > /tmp/f; cat /tmp/f" CMD0="nc -N 10.1.1.2 8080 < /etc/hostname" \
			twin dce-two-nodes "$TOP/examples/dce-two-nodes.yaml" "--pcap=1" "" two-nodes p2p
		twin dce-http "$TOP/examples/dce-http.yaml" "" ""
		twin dce-udp-many "$TOP/examples/dce-udp-many.yaml" "--nodes=4 --programs=$PROGS" "--nodes 4 --programs $PROGS"
		[ -e "$SCRATCH/dce-udp-many-py.log" ] && check "dce-udp-many: every client got every echo" grep -qx 'udp-many: 4/4 clients got every echo' "$SCRATCH/dce-udp-many-py.log"
		# dce-wifi at 1 s of iperf3 (the file's 5 s, shortened in a copy) to keep the suite fast
		sed 's/-t 5,/-t 1,/; s/^stop: 35s/stop: 31s/; s/^    addresses: {ap: 10.1.1.3}/&\n    pcap: true/' \
			"$TOP/examples/dce-wifi.yaml" >"$Y/dce-wifi.yaml"
		twin dce-wifi "$Y/dce-wifi.yaml" "--time=1 --pcap=1" "--time 1 --pcap 1" wifi wifi
	else
		twin dce-linux-idle "$TOP/examples/dce-linux-idle.yaml" "--nodes=4" "--nodes 4"
		twin dce-linux-line "$TOP/examples/dce-linux-line.yaml" "" "" linux-line p2p
		[ "${SLOW:-0}" = 1 ] || return 0
		twin dce-linux-chain "$TOP/examples/dce-linux-chain.yaml" "--nodes=4" "--nodes 4"
		# dce-linux-iperf3 at 10 Mbit/s for 1 s (a copy of the file; 100 Mbit/s for 10 s takes minutes)
		sed 's/-t 10 /-t 1 /; s/^stop: 40s/stop: 31s/; s/rate: 100Mbps/rate: 10Mbps/' \
			"$TOP/examples/dce-linux-iperf3.yaml" >"$Y/dce-linux-iperf3.yaml"
		plot=0
		python3 -c 'import matplotlib' 2>/dev/null && plot=1
		twin dce-linux-iperf3 "$Y/dce-linux-iperf3.yaml" "--rate=10Mbps --time=1 --plot=0" \
			"--rate 10Mbps --time 1 --plot $plot" linux-iperf3 p2p
		[ -e "$SCRATCH/dce-linux-iperf3-py.log" ] || return 0 # left out by ONLY
		check "dce-linux-iperf3.py: a summary line per congestion control" \
			sh -c "grep -c '^cc \\(cubic\\|bbr\\): [0-9.]* Mbit/s' '$SCRATCH/dce-linux-iperf3-py.log' | grep -qx 2"
		[ $plot = 1 ] && check "dce-linux-iperf3.py draws its plot (matplotlib)" [ -s "$SCRATCH/dce-linux-iperf3-py/cc.png" ]
	fi
}
