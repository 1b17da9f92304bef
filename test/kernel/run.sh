#!/bin/sh
# test/kernel/run.sh - the kernel port's fast inner loop: build (or take from the
# cache) liblinux-6.1.so, build the standalone host, boot several kernel copies in one
# process and run UDP/TCP over loopback on simulated time. Exit status 0 = all ok.
#   NODES=3 (default) kernel copies; KHOST_VERBOSE=1 echoes the kernels' consoles.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${DCE_KERNEL_TEST_DIR:-$top/build/kernel-test}
mkdir -p "$out"

lib=$("$top/src/kernel/build.sh") || { echo "not ok - kernel library builds"; exit 1; }
echo "ok - kernel library: $lib"

cc=${CC:-gcc}
if ! $cc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-o "$out/kernel-test" \
	"$top/src/kernel/host/kernel-test.c" "$top/src/kernel/host/host.c" \
	"$top/src/loader/kernel-image.c" "$top/src/core/fiber.c" "$top/src/core/fiber_switch.S"
then
	echo "not ok - standalone host builds"
	exit 1
fi
echo "ok - standalone host builds"
exec "$out/kernel-test" "$lib" "$out" "${NODES:-3}"
