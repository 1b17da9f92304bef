#!/usr/bin/env bash
# Time, the long cases: the issue's own scenario with the default costs.
. "$(dirname "$0")/../lib.sh"
build_once
# ~2 million trapped writes: about a minute here (no FSGSBASE: each trap also
# switches FS with arch_prctl)
run_dce yes2s --stop 2s "0: sh -c 'yes > /dev/null'"
check "yes > /dev/null under --stop 2s ends at 2 s" grep -q 'simulation ended at 2.000000000 s' "$SCRATCH/yes2s.log"
check "... with a status file" grep -qx 'running: still running when the simulation ended' "$(status_of 0 1001)"
check "... ending at 2 s" grep -qx 'end: 2.000000000' "$(status_of 0 1001)"
finish
