#!/usr/bin/env bash
# test/linux-6.12 - the linux suite against Linux 6.12 (test/linux runs the
# default, build.sh's): both kernels arch/dce supports run every Linux-stack test.
export DCE_KERNEL_VERSION=6.12
exec bash "$(dirname "$0")/../linux/run.sh"
