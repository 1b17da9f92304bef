#!/usr/bin/env bash
# test/linux-6.1-slow - the other kernel series, Linux 6.1, through the kernel and
# linux suites: builds liblinux-6.1.so (12+ minutes cold on 2 cores, then cached),
# boots it next to 6.12 in the standalone host (test/kernel) and runs every
# Linux-stack test on it (test/linux). test/linux runs the default, 6.12; this keeps
# 6.1, still selectable (--kernel 6.1, KernelVersion, DCE_KERNEL_VERSION), tested.
here=$(dirname "$0")
status=0
DCE_KERNEL_VERSIONS="6.12 6.1" bash "$here/../kernel/run.sh" || status=1
DCE_KERNEL_VERSION=6.1 bash "$here/../linux/run.sh" || status=1
exit $status
