# test/lib.sh - helpers shared by the test suites (sourced).
# Provides: ok/notok/check, run_dce, and the paths of the build.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${DCE_BUILDDIR:-$TOP/build/dce}
DCE_RUN=$BUILD/dce-run
PROGS=$BUILD/test-programs
FAILS=0
PASSES=0
ok() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
notok() { FAILS=$((FAILS + 1)); echo "not ok - $*"; }
# check "description" command...: ok if the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
# A fresh output directory per scenario, under the suite's scratch space.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/dce-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
# run_dce NAME ARGS... : runs dce-run with --out $SCRATCH/NAME; its stdout/stderr go
# to $SCRATCH/NAME.log; sets OUT and RC.
run_dce() {
	local name=$1
	shift
	OUT=$SCRATCH/$name
	rm -rf "$OUT"
	"$DCE_RUN" --out "$OUT" --map "$PROGS" "$@" >"$SCRATCH/$name.log" 2>&1
	RC=$?
}
# stdout_of NODE PID : path of a process's stdout in the last run
stdout_of() { echo "$OUT/files-$1/var/log/$2/stdout"; }
status_of() { echo "$OUT/files-$1/var/log/$2/status"; }
build_once() {
	make -s -C "$TOP" -j2 >/dev/null || { echo "not ok - build failed"; exit 1; }
}
finish() {
	echo "# $PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
