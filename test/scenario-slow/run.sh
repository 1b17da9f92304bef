#!/usr/bin/env bash
# test/scenario-slow - the twins of the C++ examples (examples/NAME.yaml and
# examples/NAME.py) that test/scenario leaves out, byte for byte against the C++
# example with the same seed: the Python twins of dce-http and dce-wifi, and
# dce-linux-chain and dce-linux-iperf3 (tens of simulated seconds of idle kernels:
# minutes). test/scenario runs every other twin. ONLY= (empty) runs them all.
. "$(dirname "$0")/../lib.sh"
build_once
export PYTHONPATH=$BUILD/python DCE_RUN
EX=$BUILD/examples
Y=$SCRATCH/yaml
mkdir -p "$Y"
run_yaml() {
	local name=$1 file=$2
	shift 2
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	"$DCE_RUN" --out "$OUT" "$@" "$file" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
. "$TOP/test/scenario/twins.sh"
PYTWINS=all SLOW=1
ONLY=${ONLY-dce-http dce-wifi dce-linux-chain dce-linux-iperf3}
twins ns3
if lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log"); then
	export DCE_LINUX_LIBRARY=$lib
	twins linux
else
	echo "# skipped: the Linux-stack twins need the kernel library (src/kernel/build.sh: $(tail -1 "$SCRATCH/kbuild.log"))"
fi
finish
