#!/usr/bin/env bash
# The long system-call fuzz: 1M calls on 16 nodes, two of which fork (see test/fuzz/run.sh).
FUZZ_CALLS=${FUZZ_CALLS:-1000000} FUZZ_NODES=${FUZZ_NODES:-16} FUZZ_FORK_NODES=${FUZZ_FORK_NODES:-2} FUZZ_SEED=${FUZZ_SEED:-7} \
	exec bash "$(dirname "$0")/../fuzz/run.sh"
