#!/bin/bash
# scripts/docker-entrypoint.sh - the dce image's entry point (docs/packaging.md).
#   example [ARGS]    run the default example ($DCE_EXAMPLE, default dce-iperf3) into
#                     $DCE_OUT (default /output, the host's volumes/output/) and
#                     print what its programs wrote; exit status: the example's
#   make | build      rebuild incrementally with bake (the dev service's command);
#                     `make ARGS...` runs plain make in /dce instead
#   watch             rebuild now, then again whenever src/, examples/, bake/ or
#                     bakeconf.xml change (polls every $DCE_WATCH_INTERVAL s, 2)
#   test [SUITE...]   the test suites (test/run)
#   dce-run ARGS      build/install/bin/dce-run
#   shell             bash
#   anything else     executed as is
set -euo pipefail
cd /dce
out=${DCE_OUT:-/output}

need_writable_out() {
	mkdir -p "$out" 2>/dev/null || true
	if [ ! -w "$out" ]; then
		echo "dce: cannot write to $out (the host's volumes/output/): it belongs to uid" \
			"$(stat -c %u "$out"), this container runs as uid $(id -u)." >&2
		echo "dce: run as your uid: DCE_UID=\$(id -u) DCE_GID=\$(id -g) docker-compose up dce" \
			"(or put DCE_UID/DCE_GID in .env), or give the directory to uid $(id -u)." >&2
		exit 1
	fi
}

# bake build, then the sources make compiled (from the new part of its logs).
rebuild() {
	local t0=$SECONDS log=build/logs/dce-core.log size=0 rc=0
	[ -f "$log" ] && size=$(stat -c %s "$log")
	echo "dce: rebuilding with bake (build directory: /dce/build, a named volume)"
	./bake/bake build -j "${JOBS:-$(nproc)}" || rc=$?
	if [ -f "$log" ]; then
		local compiled
		compiled=$(tail -c +$((size + 1)) "$log" | grep -oE ' -c [^ ]+\.(c|cc|S)( |$)' |
			awk '{print $2}' | sort -u | tr '\n' ' ') || true
		echo "dce: compiled: ${compiled:-nothing}"
	fi
	echo "dce: rebuild $([ $rc = 0 ] && echo done || echo FAILED) in $((SECONDS - t0)) s"
	return $rc
}

cmd=${1:-example}
[ $# -gt 0 ] && shift
case "$cmd" in
example)
	need_writable_out
	# Only what a previous run left: the example's own outputs.
	find "$out" -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
	bin=build/install/bin/${DCE_EXAMPLE:-dce-iperf3}
	rc=0
	"$bin" --out="$out" "$@" || rc=$?
	echo
	echo "== what the programs printed (files-N/var/log/<pid>/stdout):"
	for f in "$out"/files-*/var/log/*/stdout; do
		[ -s "$f" ] || continue
		printf -- '--- %s (%s)\n' "volumes/output${f#"$out"}" "$(cat "$(dirname "$f")/cmdline")"
		cat "$f"
	done
	echo
	if [ -f "$out/exitprocs" ]; then
		echo "== exitprocs (volumes/output/exitprocs):"
		cat "$out/exitprocs"
	fi
	shopt -s nullglob
	extra=("$out"/*.pcap "$out"/*.plt "$out"/*.png "$out"/*.svg)
	[ ${#extra[@]} -eq 0 ] || echo "== also: ${extra[*]#"$out"/}"
	echo "dce: example exited with status $rc; outputs in volumes/output/ on the host"
	exit "$rc"
	;;
make | build)
	if [ $# -gt 0 ]; then exec make "$@"; fi
	rebuild
	;;
watch)
	interval=${DCE_WATCH_INTERVAL:-2}
	stamp=$(mktemp)
	rebuild || echo "dce: build failed; waiting for the next change"
	echo "dce: watching src/ examples/ bake/ bakeconf.xml (every ${interval} s; Ctrl-C stops)"
	while sleep "$interval"; do
		# -newer against a stamp taken before the last build: nothing is missed
		if [ -n "$(find src examples bake bakeconf.xml test/programs Makefile -newer "$stamp" -print -quit 2>/dev/null)" ]; then
			touch "$stamp"
			rebuild || echo "dce: build failed; waiting for the next change"
		fi
	done
	;;
test) exec test/run "$@" ;;
dce-run) exec build/install/bin/dce-run "$@" ;;
shell) exec bash "$@" ;;
*) exec "$cmd" "$@" ;;
esac
