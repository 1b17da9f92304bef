#!/bin/sh
# test/kernel/run.sh - the kernel port's fast inner loop: build (or take from the
# cache) liblinux-<V>.so for every supported kernel series V, build the standalone
# host, boot several kernel copies in one process and run UDP/TCP over loopback on
# simulated time. Exit status 0 = all ok.
#   NODES=3 (default) kernel copies; KHOST_VERBOSE=1 echoes the kernels' consoles;
#   DCE_KERNEL_VERSIONS: the series to build and boot (default: 6.12, the default
#   kernel, plus 6.1 when its library is already built for these inputs;
#   test/linux-6.1-slow builds it, 12+ minutes cold).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${DCE_KERNEL_TEST_DIR:-$top/build/kernel-test}
mkdir -p "$out"

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
libs=
versions=${DCE_KERNEL_VERSIONS:-}
if [ -z "$versions" ]; then
	versions=6.12
	if "$top/src/kernel/build.sh" --kernel 6.1 --cached > /dev/null 2>&1; then
		versions="6.12 6.1"
	else
		echo "# Linux 6.1 is not built for these inputs: only 6.12 here (test/linux-6.1-slow or DCE_KERNEL_VERSIONS=\"6.12 6.1\" builds and tests it)"
	fi
fi
for kv in $versions; do
	if ! lib=$("$top/src/kernel/build.sh" --kernel "$kv"); then
		echo "not ok - Linux $kv: kernel library builds"
		status=1
		continue
	fi
	echo "ok - Linux $kv: kernel library $lib"
	libs="$libs $lib"
	case "$(basename "$lib")" in
	"liblinux-$kv.so") echo "ok - Linux $kv: the library is named liblinux-$kv.so" ;;
	*) echo "not ok - Linux $kv: the library is named liblinux-$kv.so ($lib)"; status=1 ;;
	esac
	o=$out/$kv
	rm -rf "$o"
	mkdir -p "$o/run1" "$o/run2"
	"$out/kernel-test" "$lib" "$o/run1" "${NODES:-3}" | tee "$o/run1/output" || status=1
	if grep -q "Linux version $kv\." "$o/run1/node-0.log"; then
		echo "ok - Linux $kv: the kernel says its version ($(grep -o "Linux version [^ ]*" "$o/run1/node-0.log"))"
	else
		echo "not ok - Linux $kv: the kernel says its version"
		status=1
	fi

	# Determinism: a second run must print the same results and the same kernel logs.
	"$out/kernel-test" "$lib" "$o/run2" "${NODES:-3}" > "$o/run2/output" 2>&1 || status=1
	same=1
	grep -v '^#' "$o/run1/output" > "$o/run1/results"
	grep -v '^#' "$o/run2/output" > "$o/run2/results"
	cmp -s "$o/run1/results" "$o/run2/results" || same=0
	for log in "$o"/run1/node-*.log; do
		cmp -s "$log" "$o/run2/$(basename "$log")" || same=0
	done
	if [ $same = 1 ]; then
		echo "ok - Linux $kv: a second run gives identical results and kernel logs"
	else
		echo "not ok - Linux $kv: a second run gives identical results and kernel logs (diff $o/run1 $o/run2)"
		status=1
	fi
done
set -- $libs
if [ $# = 2 ] && [ "$(dirname "$1")" != "$(dirname "$2")" ]; then
	echo "ok - the two kernels have their own cache keys ($(basename "$(dirname "$1")"), $(basename "$(dirname "$2")"))"
elif [ $# = 2 ]; then
	echo "not ok - the two kernels have their own cache keys ($1 $2)"
	status=1
fi

# Bad input: a kernel series arch/dce does not build is one line naming it.
if "$top/src/kernel/build.sh" --kernel 5.10 > /dev/null 2> "$out/badver"; then
	echo "not ok - build.sh --kernel 5.10 fails"
	status=1
elif [ "$(wc -l < "$out/badver")" = 1 ] && grep -q "Linux '5.10' is not a kernel arch/dce builds (supported: 6.1 6.12" "$out/badver"; then
	echo "ok - build.sh --kernel 5.10 is one line naming it and the supported ones"
else
	echo "not ok - build.sh --kernel 5.10 is one line naming it:"
	sed 's/^/# /' "$out/badver"
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
