#!/usr/bin/env bash
# test/packaging-slow - the container path (docs/packaging.md), as root on Debian 12
# without a registry: workflow and compose files valid; docker.io, docker-compose and
# dockerd (overlay2, --iptables=false) set up if missing; the base image from
# scripts/make-base-image.sh; `docker-compose build` (twice: the second all cached);
# `docker-compose up dce` prints the example's result, leaves its outputs in
# volumes/output/ on the host, as a non-root user, exits 0; the dev service rebuilds
# a touched source (and nothing else), on demand and when watching.
# Works on a copy of the working tree (nothing in the repository is touched).
# Timings go to the "# " lines. DCE_PKG_KEEP=1 keeps the copy and the named volume.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$TOP"
export DEBIAN_FRONTEND=noninteractive
T0=$SECONDS
phase() { echo "# $1: $(( SECONDS - ${2:-$T0} )) s"; }

# 1. The workflow and the compose file, before anything slow.
if ! python3 -c 'import yaml' 2>/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -qq python3-yaml >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-yaml >/dev/null; }
fi
ci/check-workflow >"$SCRATCH/wf.log" 2>&1
check "workflow files: valid YAML with on/jobs/runs-on/steps (ci/check-workflow)" test $? = 0 || cat "$SCRATCH/wf.log"
grep -q 'restore-keys' .github/workflows/ci.yml && grep -q 'github.sha' .github/workflows/ci.yml &&
	grep -q 'deps-hash' .github/workflows/ci.yml && grep -Eq 'ci/image .*--pull' .github/workflows/ci.yml
check "workflow: cache keyed by HEAD with fallbacks, CI image built, pushed and pulled" test $? = 0

# 2. Docker: client, engine, compose.
if [ "$(id -u)" != 0 ] && ! docker info >/dev/null 2>&1; then
	notok "needs root (or a running docker engine) for the container suite"
	finish; exit
fi
t=$SECONDS
need=()
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need[@]}" >"$SCRATCH/apt.log" 2>&1
	check "installed ${need[*]}" test $? = 0
fi
started_dockerd=
if ! docker info >/dev/null 2>&1; then
	# No systemd here: start the engine by hand (build-findings.md).
	setsid dockerd --storage-driver=overlay2 --iptables=false \
		</dev/null >/var/log/dce-dockerd.log 2>&1 &
	started_dockerd=$!
	for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
fi
driver=$(docker info -f '{{.Driver}}' 2>/dev/null)
check "docker engine answers (storage driver: ${driver:-none}${started_dockerd:+; started here})" test -n "$driver"
stop_dockerd() {
	if [ -n "$started_dockerd" ]; then
		kill "$started_dockerd" 2>/dev/null
		for _ in $(seq 40); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.5; done
	fi
}
phase "docker set up" "$t"

# 3. A copy of the working tree, as a fresh clone would have it (plus local edits).
W=$SCRATCH/dce
mkdir -p "$W"
git ls-files -z --cached --others --exclude-standard | grep -zv '^volumes/output/' |
	xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' | tar --null -T - -cf - | tar -C "$W" -xf -
cd "$W" || exit 1
export COMPOSE_PROJECT_NAME=dcepkgtest DCE_TAG=${DCE_TAG:-latest}
unset DCE_UID DCE_GID
cleanup() {
	if [ "${DCE_PKG_KEEP:-0}" != 1 ]; then
		(cd "$W" && docker-compose down -v --remove-orphans >/dev/null 2>&1)
	else
		echo "# kept $W and volume ${COMPOSE_PROJECT_NAME}_dce-build"
	fi
	stop_dockerd
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
check "docker-compose.yml is valid (docker-compose config)" docker-compose config -q

# 4. The base image (debootstrap + docker import), then the image.
t=$SECONDS
base=$(docker-compose config | awk '/BASE_IMAGE:/ {print $2; exit}')
check "base image $base from scripts/make-base-image.sh" scripts/make-base-image.sh "$base"
phase "base image" "$t"
t=$SECONDS
docker-compose build >"$SCRATCH/build.log" 2>&1
check "docker-compose build" test $? = 0 || tail -30 "$SCRATCH/build.log"
phase "docker-compose build" "$t"
t=$SECONDS
docker-compose build >"$SCRATCH/build2.log" 2>&1
rc=$?
steps=$(grep -c '^Step' "$SCRATCH/build2.log") cached=$(grep -c 'Using cache' "$SCRATCH/build2.log")
check "docker-compose build again, no change: every layer cached ($cached cached, $((SECONDS - t)) s)" \
	test $rc = 0 -a "$cached" -gt 0 -a $((SECONDS - t)) -lt 60
grep -B1 'Running in' "$SCRATCH/build2.log" | grep '^Step' | sed 's/^/#   not cached: /' | grep -v 'ENTRYPOINT\|CMD\|VOLUME\|ENV\|USER\|WORKDIR\|ARG' || true
phase "rebuild with no change" "$t"

# 5. docker-compose up dce: the default example, outputs on the host.
t=$SECONDS
install -d -o 1000 -g 1000 volumes/output   # the image's user (uid 1000) writes there
docker-compose up dce >"$SCRATCH/up.log" 2>&1
rc=$?
cid=$(docker-compose ps -q dce)
code=$(docker inspect -f '{{.State.ExitCode}}' "$cid" 2>/dev/null)
check "docker-compose up dce exits 0 (container exit code ${code:-?})" test "$rc" = 0 -a "${code:-1}" = 0 || tail -20 "$SCRATCH/up.log"
check "it prints the example's result (stock iperf3 over a simulated 10 Mbps link)" \
	grep -Eq '[0-9.]+ Mbits/sec .*receiver' "$SCRATCH/up.log"
check "volumes/output/exitprocs on the host" test -s volumes/output/exitprocs
check "volumes/output/files-0 and files-1 on the host" test -d volumes/output/files-0/var/log -a -d volumes/output/files-1/var/log
check "every process of the example exited 0" \
	awk 'NR > 1 { n++; if ($3 != 0) bad = 1 } END { exit bad || n < 2 }' volumes/output/exitprocs
check "the iperf3 client's report in files-0" grep -q 'iperf Done' volumes/output/files-0/var/log/1000/stdout
check "the example's pcaps on the host" sh -c 'ls volumes/output/*.pcap >/dev/null 2>&1'
check "outputs written by a non-root user (uid $(stat -c %u volumes/output/exitprocs))" \
	test "$(stat -c %u volumes/output/exitprocs)" != 0
extra=$(cd volumes/output && ls -d *.pcap *.plt *.png 2>/dev/null | tr '\n' ' ')
echo "# outputs: $(ls volumes/output | tr '\n' ' ')${extra:+(pcaps/plots: $extra)}"
check "the image runs as a non-root user by default" \
	test "$(docker run --rm --entrypoint id "dce:$DCE_TAG" -u)" = 1000
phase "docker-compose up dce" "$t"

# 6. The dev service: host sources, named build volume, incremental rebuilds.
t=$SECONDS
docker-compose run --rm dev make >"$SCRATCH/dev1.log" 2>&1
check "docker-compose run --rm dev make (first: fills the named volume)" test $? = 0 || tail -20 "$SCRATCH/dev1.log"
docker-compose run --rm dev make >"$SCRATCH/dev2.log" 2>&1
check "again, nothing changed: nothing compiled" grep -q 'dce: compiled: nothing' "$SCRATCH/dev2.log"
src=$(ls src/core/*.c | head -1)
sleep 1
touch "$src"
docker-compose run --rm dev make >"$SCRATCH/dev3.log" 2>&1
rc=$?
compiled=$(sed -n 's/.*dce: compiled: //p' "$SCRATCH/dev3.log" | tr -d '\r' | xargs)
check "touch $src on the host, dev make: it (alone) is recompiled [$compiled]" test $rc = 0 -a "$compiled" = "$src"
others=$(grep -E '^\[ *[0-9]+/[0-9]+\] ' "$SCRATCH/dev3.log" | grep -E ' (build|configure) +ok' | grep -v ' dce-core ' || true)
check "  ... and no other module rebuilt (the kernel library stays up to date)" test -z "$others"
grep -E 'linux-kernel-lib|dce-core ' "$SCRATCH/dev3.log" | sed 's/^/#   /'
# Watching: `docker-compose up dev` rebuilds on start, then on each change.
docker-compose up -d dev >/dev/null 2>&1
for _ in $(seq 60); do docker-compose logs dev 2>/dev/null | grep -q 'dce: watching' && break; sleep 1; done
src2=$(ls src/libc-ns3/*.c | head -1)
touch "$src2"
ok_watch=1
for _ in $(seq 90); do
	docker-compose logs dev 2>/dev/null | grep -q "dce: compiled: $src2" && { ok_watch=0; break; }
	sleep 1
done
check "docker-compose up dev: rebuilt on start, then $src2 touched: rebuilt while watching" test $ok_watch = 0
docker-compose logs dev >"$SCRATCH/watch.log" 2>&1
docker-compose stop -t 2 dev >/dev/null 2>&1
phase "dev service" "$t"
phase "total"
finish
