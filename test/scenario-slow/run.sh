#!/usr/bin/env bash
# test/scenario-slow - the twins of the C++ examples (examples/NAME.yaml and
# examples/NAME.py) that test/scenario leaves out, byte for byte against the C++
# example with the same seed: the Python twins of dce-http and dce-wifi, and
# dce-linux-chain and dce-linux-iperf3 (tens of simulated seconds of idle kernels:
# minutes). test/scenario runs every other twin. ONLY= (empty) runs them all.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../scenario/lib-scenario.sh"
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
