#!/usr/bin/env bash
# test/linux-6.1 - the linux suite against Linux 6.1 (test/linux runs the default,
# 6.12): both kernels arch/dce supports keep passing every Linux-stack test.
export DCE_KERNEL_VERSION=6.1
exec bash "$(dirname "$0")/../linux/run.sh"
