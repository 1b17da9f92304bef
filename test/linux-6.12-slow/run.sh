#!/usr/bin/env bash
# test/linux-6.12-slow - Linux 6.12 through the kernel and linux suites: builds
# liblinux-6.12.so (12+ minutes cold on 2 cores, then cached), boots it in the
# standalone host (test/kernel) and runs every Linux-stack test on it (test/linux).
# Slow only because of the cold build; it becomes the default (and this suite
# test/linux's twin for 6.1) once 6.12 passes.
here=$(dirname "$0")
status=0
DCE_KERNEL_VERSIONS="6.1 6.12" bash "$here/../kernel/run.sh" || status=1
DCE_KERNEL_VERSION=6.12 bash "$here/../linux/run.sh" || status=1
exit $status
