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
	"$top/src/loader/kernel-image.c" "$top/src/loader/elf_check.c" "$top/src/core/fiber.c" "$top/src/core/fiber_switch.S"
then
	echo "not ok - standalone host builds"
	exit 1
fi
echo "ok - standalone host builds"
status=0
mkdir -p "$out/run1" "$out/run2"
"$out/kernel-test" "$lib" "$out/run1" "${NODES:-3}" | tee "$out/run1/output" || status=1

# Determinism: a second run must print the same results and the same kernel logs.
"$out/kernel-test" "$lib" "$out/run2" "${NODES:-3}" > "$out/run2/output" 2>&1 || status=1
same=1
grep -v '^#' "$out/run1/output" > "$out/run1/results"
grep -v '^#' "$out/run2/output" > "$out/run2/results"
cmp -s "$out/run1/results" "$out/run2/results" || same=0
for log in "$out"/run1/node-*.log; do
	cmp -s "$log" "$out/run2/$(basename "$log")" || same=0
done
if [ $same = 1 ]; then
	echo "ok - a second run gives identical results and kernel logs"
else
	echo "not ok - a second run gives identical results and kernel logs (diff $out/run1 $out/run2)"
	status=1
fi

# Bad input: a kernel library that does not compile names the failing file and
# shows the end of the log. A copy of src/kernel with one broken arch file builds
# in the same cache (only that file recompiles); the next real build copies the
# good file back.
bad=$(mktemp -d)
cp -a "$top/src/kernel" "$bad/kernel"
echo '#error deliberately broken by test/kernel' >> "$bad/kernel/arch/dce/kernel/console.c"
if "$bad/kernel/build.sh" > "$bad/out" 2> "$bad/err"; then
	echo "not ok - a kernel that does not compile fails to build"
	status=1
elif grep -Eq 'first error: .*arch/dce/kernel/console\.c:[0-9]+.*deliberately broken' "$bad/err" &&
	grep -q 'last lines of' "$bad/err"; then
	echo "ok - a failing kernel build names the file ($(grep -o 'console\.c:[0-9]*' "$bad/err" | head -1)) and shows the log's last lines"
else
	echo "not ok - a failing kernel build names the file and shows the log's last lines:"
	sed 's/^/# /' "$bad/err" | tail -8
	status=1
fi
rm -rf "$bad"
# put the good file back into the shared tree now (a cached library alone would
# not touch the tree)
"$top/src/kernel/build.sh" --force > /dev/null 2>&1 || { echo "not ok - the kernel rebuilds after the failure test"; status=1; }
exit $status
