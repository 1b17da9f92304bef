#!/bin/bash
# scripts/docker-entrypoint.sh - the dce image's entry point (docs/packaging.md).
# Started as root (the image's default), it prepares $DCE_OUT for the user
# DCE_UID:DCE_GID (default: the owner of $DCE_OUT when that is not root, else
# 1000:1000, the image's user dce), then runs the command as that user; with
# DCE_UID=0 it stays root. Started as another user (docker run --user), it runs as
# that user and says what to do when $DCE_OUT is not writable.
#   example [ARGS]    run the default example ($DCE_EXAMPLE, default dce-iperf3) into
#                     $DCE_OUT (default /output, the host's volumes/output/) and
#                     print what its programs wrote; exit status: the example's,
#                     or 1 when one of its programs failed or was still running
#                     when the simulation ended
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

# As root: the host limit that thousands of nodes reach (vm.max_map_count, ~20
# mappings per program; not namespaced, so only a privileged container may raise it).
if [ "$(id -u)" = 0 ] && [ -z "${DCE_ENTRYPOINT_USER:-}" ]; then
	max_maps=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
	if [ "$max_maps" -lt 1048576 ] && sysctl -qw vm.max_map_count=1048576 2>/dev/null; then
		echo "dce: vm.max_map_count raised from $max_maps to 1048576 (runs of thousands of nodes)" >&2
	fi
fi

# As root: the output directory for the user, then that user (once).
if [ "$(id -u)" = 0 ] && [ -z "${DCE_ENTRYPOINT_USER:-}" ]; then
	mkdir -p "$out"
	owner=$(stat -c %u "$out")
	[ "$owner" = 0 ] && owner=1000
	uid=${DCE_UID:-$owner}
	gid=${DCE_GID:-$uid}
	case "$uid$gid" in *[!0-9]*)
		echo "dce: DCE_UID/DCE_GID must be numbers (got '$uid:$gid')" >&2; exit 2 ;;
	esac
	if [ "$uid" != 0 ]; then
		# Outputs of a run as another user (DCE_UID=0 before) would be undeletable.
		chown "$uid:$gid" "$out"
		find "$out" -mindepth 1 \( ! -uid "$uid" -o ! -gid "$gid" \) -exec chown -h "$uid:$gid" {} + 2>/dev/null || true
		# The build tree belongs to uid 1000 in the image: another user's rebuilds
		# (dev service) need it to be theirs (once per named volume).
		if [ "$(stat -c %u /dce/build)" != "$uid" ]; then
			case "${1:-example}" in make | build | watch | test)
				echo "dce: giving /dce/build and /home/dce to uid $uid (once per build volume)"
				chown -R "$uid:$gid" /dce/build /home/dce
				chown "$uid:$gid" /dce
				# (bind mounts of the host's files are read-only: left as they are)
				find /dce -maxdepth 1 -type f -exec chown "$uid:$gid" {} + 2>/dev/null || true ;;
			esac
		fi
		export DCE_ENTRYPOINT_USER=$uid HOME=/home/dce
		exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all "$0" "$@"
	fi
	export DCE_ENTRYPOINT_USER=0
fi

need_writable_out() {
	mkdir -p "$out" 2>/dev/null || true
	if [ ! -w "$out" ]; then
		echo "dce: cannot write to $out (the host's volumes/output/): it belongs to uid" \
			"$(stat -c %u "$out") and this container runs as uid $(id -u); start it as root" \
			"(the image's default: drop --user) with DCE_UID=$(id -u), or on the host:" \
			"sudo chown -R $(id -u) volumes/output" >&2
		exit 1
	fi
	# Files of an earlier run as another user that this one cannot delete.
	[ "$(id -u)" = 0 ] && return 0
	local foreign
	foreign=$(find "$out" -mindepth 1 ! -uid "$(id -u)" -print -quit 2>/dev/null || true)
	if [ -n "$foreign" ]; then
		echo "dce: $out holds files of uid $(stat -c %u "$foreign") from an earlier run as" \
			"another user; start the container as root (the image's default) and it fixes" \
			"them, or on the host: sudo rm -rf volumes/output/*" >&2
		exit 1
	fi
}

# unfinished_programs: exitprocs lines of programs that failed or still ran at the end
unfinished_programs() {
	local f
	for f in "$out"/files-*/var/log/*/status; do
		[ -f "$f" ] || continue
		if grep -q '^running' "$f"; then
			printf '%s: %s\n' "${f#"$out"/}" "$(grep '^running' "$f" | head -1)"
		fi
	done
	[ -f "$out/exitprocs" ] && awk 'NR > 1 && $3 != 0 { print "exitprocs: " $0 }' "$out/exitprocs"
	return 0
}

# bake build, then the sources make compiled (from the new part of its logs).
rebuild() {
	local t0=$SECONDS log=build/logs/dce-core.log size=0 rc=0
	[ -f "$log" ] && size=$(stat -c %s "$log")
	echo "dce: rebuilding with bake (build directory: /dce/build, a named volume)"
	./bake/bake build -j "${JOBS:-$(nproc)}" || rc=$?
	if [ -f "$log" ]; then
		local compiled
		# every source a compiler command of this build named: objects (-c) and
		# the examples, which the Makefile compiles and links in one command
		compiled=$(tail -c +$((size + 1)) "$log" | grep -E '^(gcc|g\+\+|cc|c\+\+|clang\+*) ' |
			grep -oE ' [^ -][^ ]*\.(c|cc|S)( |$)' | awk '{print $1}' | sort -u | tr '\n' ' ') || true
		local n
		n=$(echo "$compiled" | wc -w)
		[ "$n" -le 1 ] || echo "dce: $n files compiled"
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
	example=${DCE_EXAMPLE:-dce-iperf3}
	bin=build/install/bin/$example
	if [ ! -x "$bin" ]; then
		echo "dce: no example '$example' in this image (DCE_EXAMPLE); there are:" \
			"$(ls build/install/bin | grep -v '^dce-run$' | tr '\n' ' ')" >&2
		exit 2
	fi
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
	bad=$(unfinished_programs)
	if [ -n "$bad" ]; then
		echo "dce: not all of the example's programs finished with status 0:"
		echo "$bad"
		[ "$rc" != 0 ] || rc=1
	fi
	echo "dce: example $example exited with status $rc; outputs in volumes/output/ on the host"
	exit "$rc"
	;;
make | build)
	if [ $# -gt 0 ]; then exec make "$@"; fi
	rebuild
	;;
watch)
	# PID 1 ignores SIGTERM unless it traps it: `docker stop` ends the watcher at
	# once between builds (a build in progress finishes first).
	trap 'echo "dce: watcher stopped"; exit 0' TERM INT
	interval=${DCE_WATCH_INTERVAL:-2}
	stamp=$(mktemp)
	rebuild || echo "dce: build failed; waiting for the next change"
	echo "dce: watching src/ examples/ bake/ bakeconf.xml (every ${interval} s; Ctrl-C stops)"
	while sleep "$interval" & wait $!; do
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
