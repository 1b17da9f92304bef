#!/usr/bin/env bash
# dce itself built with UndefinedBehaviorSanitizer (aborting on the first report),
# then the core and Linux-stack suites run on that build. (AddressSanitizer's runtime takes over the
# signal handlers dce's trap path needs, so only UBSan runs here.)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=$TOP/build/ubsan
if ! make -s -C "$TOP" -j2 BUILDDIR="$B" CFLAGS="-O2 -g -fsanitize=undefined -fno-sanitize-recover=undefined" \
	CXXFLAGS="-O2 -g" LDFLAGS="-fsanitize=undefined" >/dev/null 2>"$B.log"; then
	echo "not ok - UBSan build failed (see $B.log)"
	exit 1
fi
echo "ok - UBSan build"
DCE_BUILDDIR=$B bash "$TOP/test/core/run.sh" || status=1
DCE_BUILDDIR=$B bash "$TOP/test/linux/run.sh" || status=1
exit ${status:-0}
