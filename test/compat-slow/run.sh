#!/usr/bin/env bash
# test/compat-slow - every scenario in ns-3-dce 1.12's example/ folder, compiled
# unchanged against the installed dce with pkg-config, and run where its programs
# exist (Debian's iperf and ip, and the small socket programs ns-3-dce ships in
# example/, compiled for the host). Prints the table docs/porting.md reports and
# checks that it has not got worse. Needs the ns-3-dce 1.12 source (see
# test/compat/lib-compat.sh); skips with a message without it.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../compat/lib-compat.sh"
build_once
compat_install
if ! ns3dce_examples; then
	finish
	exit
fi

# the example programs ns-3-dce built (those that build on this host)
PROGBIN=$SCRATCH/progs/bin
mkdir -p "$PROGBIN"
for p in tcp-server tcp-client udp-server udp-client unix-server unix-client tcp-loopback \
	udp-perf dccp-server dccp-client sctp-server sctp-client; do
	g++ -O1 -w "$NS3DCE/$p.cc" -o "$PROGBIN/$p" -lpthread 2>/dev/null || echo "# $p: does not build on this host"
done

EXBIN=$SCRATCH/exbin
mapfile -t SCENARIOS < <(cd "$NS3DCE" && ls dce-*.cc linear-udp-perf.cc)
compile_all "$EXBIN" "${SCENARIOS[@]/#/$NS3DCE/}"

# Expected today (docs/porting.md explains each): which compile, which run.
EXPECT_NO_COMPILE=" dce-debug-aspect dce-freebsd dce-mptcp-handoff-v4v6 dce-mptcp-handoff-v6 dce-mptcp-lte-wifi-v6 dce-tcp-ns3-nsc-comparison "
EXPECT_RUN=${DCE_COMPAT_EXPECT_RUN:-" dce-cradle-simple dce-linux dce-local-simple dce-tcp-simple dce-udp-perf dce-udp-simple dce-iperf dce-iperf-emulation dce-iperf-heterogeneous-multihop "}

TABLE=$SCRATCH/table
printf '%-38s %-9s %s\n' example compiles runs >"$TABLE"
for f in "${SCENARIOS[@]}"; do
	n=${f%.cc}
	if [ ! -x "$EXBIN/$n" ]; then
		why=$(grep -m1 -E 'error' "$EXBIN/$n.log" | sed 's/^[^ ]* //' | cut -c1-90)
		printf '%-38s %-9s %s\n' "$n" no "- ($why)" >>"$TABLE"
		case "$EXPECT_NO_COMPILE" in
		*" $n "*) ok "$n: does not compile, as documented" ;;
		*) notok "$n compiles unchanged"; tail -5 "$EXBIN/$n.log" ;;
		esac
		continue
	fi
	case "$EXPECT_NO_COMPILE" in *" $n "*) notok "$n now compiles: update docs/porting.md and this list" ;; *) ok "$n compiles unchanged" ;; esac
	OUT=$SCRATCH/run-$n
	for node in $(seq 0 15); do
		mkdir -p "$OUT/files-$node/usr/local/bin"
		cp "$PROGBIN"/* "$OUT/files-$node/usr/local/bin/"
	done
	start=$(date +%s)
	(cd "$OUT" && timeout 300 "$EXBIN/$n") >"$OUT.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	procs=$(awk 'NR > 1' "$OUT/exitprocs" 2>/dev/null | wc -l)
	bad=$(awk 'NR > 1 && $3 != "0"' "$OUT/exitprocs" 2>/dev/null | wc -l)
	if [ "$rc" = 0 ] && [ "$procs" -gt 0 ] && [ "$bad" = 0 ]; then
		result="yes: $procs processes exit 0 (${secs}s)"
	else
		why=$(grep -m1 -E 'dce:|error|abort|assert|msg=' "$OUT.log" | cut -c1-90)
		[ "$rc" = 124 ] && why="still running after 300 s of host time"
		[ -z "$why" ] && [ "$bad" != 0 ] && why="$bad of $procs processes failed: $(awk 'NR > 1 && $3 != "0" { $1=$2=$4=$5=""; print; exit }' "$OUT/exitprocs" | cut -c1-80)"
		result="no: status $rc; $why"
	fi
	printf '%-38s %-9s %s\n' "$n" yes "$result" >>"$TABLE"
	case "$EXPECT_RUN" in
	*" $n "*) check "$n runs (every process exits 0)" [ "${result%%:*}" = yes ] ;;
	esac
done
echo "# ---- ns-3-dce 1.12 examples ----"
sed 's/^/# /' "$TABLE"
finish
