#!/usr/bin/env bash
# test/run: exclusive docker
# test/packaging-slow - the fresh-machine path and the container path
# (docs/packaging.md), as root on Debian 12 without a registry:
#  1. the workflow (yamllint, ci/check-workflow, jobs/needs/cache keys), the compose
#     file, ci/deps-hash (exit 0, covers src/kernel and src/glibc, clear error);
#  2. docker.io, docker-compose, debootstrap, docker-registry, yamllint installed
#     and dockerd (overlay2, --iptables=false) started if missing;
#  3. the base image (scripts/make-base-image.sh);
#  3b. the Debian packages (deb.sh): dpkg-buildpackage, lintian, installed on a
#     clean Debian 12 container with no checkout and run;
#  4. the README's two commands on a fresh Debian 12 container as root without
#     sudo (fresh-machine.sh: scripts/quickstart, then test/run with the suites
#     that depend on what quickstart installs: DCE_FRESH_SUITES, "all" for every
#     fast suite);
#  5. `docker-compose build` (once per image; again: all cached); `run --rm dce` and
#     `up dce` (status, outputs on the host, as uid 1000, as root, after a root
#     run, DCE_EXAMPLE, unfinished programs, a missing example); confinement;
#  6. the dev service: incremental rebuilds, `run` while `up dev` watches, SIGTERM;
#  7. the CI image path against Debian's docker-registry on 127.0.0.1:5000:
#     ci/image --pull --push (tags by HEAD and by dependency hash), the local
#     images removed, ci/image --pull again: pulled, nothing built, and it runs;
#  8. advanced mode in the image (DCE_SET=dce-linux-dev, its own tag), the kernel
#     library and glibc-dce taken from the host's ~/.cache/dce (copied into the
#     build context's volumes/dce-cache/, so not rebuilt), its example runs.
# Works on a copy of the working tree (nothing in the repository is touched).
# Timings go to the "# " lines. DCE_PKG_KEEP=1 keeps the copy and the named volume.
# DCE_PKG_SKIP="fresh linux registry deb" leaves out those parts (for quick reruns).
set -u
. "$(dirname "$0")/../lib.sh"
cd "$TOP"
export DEBIAN_FRONTEND=noninteractive
T0=$SECONDS
phase() { echo "# $1: $(( SECONDS - ${2:-$T0} )) s"; }
skip() { case " ${DCE_PKG_SKIP:-} " in *" $1 "*) echo "# skipped: $1 (DCE_PKG_SKIP)"; return 0 ;; esac; return 1; }
here=$TOP/test/packaging-slow

if [ "$(id -u)" != 0 ]; then
	notok "the container suite needs root (it installs and starts docker)"
	finish; exit
fi
need=()
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v yamllint >/dev/null || need+=(yamllint)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ ${#need[@]} -gt 0 ]; then
	{ apt-get install -y -qq "${need[@]}" || { apt-get update -qq && apt-get install -y -qq "${need[@]}"; }; } >"$SCRATCH/apt.log" 2>&1
	check "installed ${need[*]}" test $? = 0 || tail -5 "$SCRATCH/apt.log"
fi

# 1. The workflow, the compose file and the dependency hash, before anything slow.
wf=.github/workflows/ci.yml
yamllint -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable, truthy: {check-keys: false}}}' \
	"$wf" >"$SCRATCH/yamllint.log" 2>&1
check "workflow passes yamllint" test $? = 0 || cat "$SCRATCH/yamllint.log"
ci/check-workflow >"$SCRATCH/wf.log" 2>&1
check "workflow structure: on/jobs/runs-on/steps, needs name real jobs (ci/check-workflow)" test $? = 0 || cat "$SCRATCH/wf.log"
python3 - "$wf" >"$SCRATCH/wf2.log" 2>&1 <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
jobs = doc["jobs"]
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)
need(set(jobs) >= {"build-test", "image", "example", "bench-smoke"}, "jobs build-test, image, example, bench-smoke")
need(jobs["image"].get("needs") == "build-test", "image needs build-test")
for j in ("example", "bench-smoke"):
    need(jobs[j].get("needs") == "image", j + " needs image")
    need("needs.image.outputs.ref" in str(jobs[j].get("container", {}).get("image")), j + " runs in the pushed image")
bt = jobs["build-test"]
runs = [s.get("run", "") for s in bt["steps"]]
need("ci/build" in runs and "ci/test" in runs, "build-test runs ci/build and ci/test")
caches = [s for s in bt["steps"] if str(s.get("uses", "")).startswith("actions/cache")]
paths = " ".join(str(s.get("with", {}).get("path")) for s in caches)
keys = " ".join(str(s.get("with", {}).get("key")) for s in caches)
need("~/.cache/dce" in paths, "build-test caches ~/.cache/dce")
need("build" in paths.split(), "build-test caches build/")
need("steps.hash.outputs.deps" in keys and "github.sha" in keys, "cache keys: HEAD and the dependency hash")
img = " ".join(s.get("run", "") for s in jobs["image"]["steps"])
need("ci/image --pull" in img and "--push" in img, "image job: ci/image --pull --push")
need("SYS_PTRACE" not in open(sys.argv[1]).read(), "no SYS_PTRACE (dce does not use process_vm_*)")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
check "workflow jobs, needs and cache keys (build/ by HEAD, ~/.cache/dce by dependency hash)" test $? = 0 ||
	sed 's/^/#   missing: /' "$SCRATCH/wf2.log"

h=$(ci/deps-hash 2>"$SCRATCH/dh.log")
check "ci/deps-hash exits 0 with 16 hex digits ($h)" test $? = 0 -a ${#h} = 16
DCE_DEPS_FILES="bakeconf.xml src/nonexistent" ci/deps-hash >/dev/null 2>"$SCRATCH/dh2.log"
check "ci/deps-hash: a listed path that does not exist is one clear error" \
	sh -c "test \$(wc -l <'$SCRATCH/dh2.log') = 1 && grep -q 'src/nonexistent' '$SCRATCH/dh2.log'"

# 2. Docker: client, engine, compose.
t=$SECONDS
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
registry_pid=
stop_services() {
	[ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null
	if [ -n "$started_dockerd" ]; then
		kill "$started_dockerd" 2>/dev/null
		for _ in $(seq 40); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.5; done
	fi
}
phase "docker set up" "$t"

# A copy of the working tree, as a fresh clone would have it (plus local edits).
W=$SCRATCH/dce
mkdir -p "$W"
git ls-files -z --cached --others --exclude-standard | grep -zv '^volumes/' |
	xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' | tar --null -T - -cf - | tar -C "$W" -xf -
mkdir -p "$W/volumes/dce-cache"
# A clone made before the image was built: sources older than the image's objects,
# so the dev service's first `make` compiles nothing (else: every file, 10+ min).
find "$W" -exec touch -h -d @946684800 {} +
(cd "$W" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm copy)
cd "$W" || exit 1
export COMPOSE_PROJECT_NAME=${DCE_PKG_PROJECT:-dcepkgtest}
unset DCE_UID DCE_GID DCE_SET DCE_EXAMPLE DCE_TAG
cleanup() {
	[ -z "${deb_pid:-}" ] || kill "$deb_pid" 2>/dev/null
	if [ "${DCE_PKG_KEEP:-0}" != 1 ]; then
		(cd "$W" && docker-compose down -v --remove-orphans >/dev/null 2>&1)
	else
		echo "# kept $W and volume ${COMPOSE_PROJECT_NAME}_dce-build"
	fi
	stop_services
	[ "${DCE_PKG_KEEP:-0}" = 1 ] || rm -rf "$SCRATCH"
}
trap cleanup EXIT
check "docker-compose.yml is valid (docker-compose config)" docker-compose config -q
check "docker-compose.yml adds no capability (dce needs none)" sh -c '! docker-compose config | grep -q cap_add'

# 3. The base image (debootstrap + docker import).
t=$SECONDS
base=$(docker-compose config | awk '/BASE_IMAGE:/ {print $2; exit}')
check "base image $base from scripts/make-base-image.sh" scripts/make-base-image.sh "$base"
phase "base image" "$t"
# Reproducible base: built twice from the same archive state, the same digest
# (~2 x 1-5 min: only with DCE_PKG_REPRO=1; measured here: both sha256:dee9881d...).
if [ "${DCE_PKG_REPRO:-0}" = 1 ]; then
	t=$SECONDS
	scripts/make-base-image.sh --force dce-base:repro-a >/dev/null 2>&1 &&
		scripts/make-base-image.sh --force dce-base:repro-b >/dev/null 2>&1
	a=$(docker image inspect -f '{{.Id}}' dce-base:repro-a 2>/dev/null)
	b=$(docker image inspect -f '{{.Id}}' dce-base:repro-b 2>/dev/null)
	check "make-base-image.sh twice: the same image digest (${a:0:19})" test -n "$a" -a "$a" = "$b"
	docker rmi dce-base:repro-a dce-base:repro-b >/dev/null 2>&1
	phase "reproducible base image" "$t"
fi

# 3b. The Debian packages (debian/): dpkg-buildpackage, lintian, then installed on
# a clean Debian 12 (a container of the base image) with no checkout: the default
# example, dce-run on a scenario file, import dce, pkg-config dce (deb.sh). Built
# in their own copy (with the copy's old mtimes), seeded with the host's bake
# objects when there are some (else a full compile: ~8-17 min here). It runs in
# the background, alongside parts 4-7 (mostly waiting on docker), and is
# collected at the end.
deb_pid=
if ! skip deb; then
	deb_t=$SECONDS
	mkdir -p "$SCRATCH/deb" && cp -a "$W" "$SCRATCH/deb/dce"
	seed=$TOP/build/obj/dce-core
	[ -d "$seed" ] || seed=
	DCE_DEB_OBJECTS=$seed DCE_BASE_IMAGE=$base DPKG_DEB_COMPRESSOR_TYPE=gzip DPKG_DEB_COMPRESSOR_LEVEL=1 \
		"$here/deb.sh" "$SCRATCH/deb/dce" "$SCRATCH/deb-logs" >"$SCRATCH/deb.log" 2>&1 &
	deb_pid=$!
fi
deb_collect() {
	[ -n "$deb_pid" ] || return 0
	wait "$deb_pid"
	local rc=$?
	deb_pid=
	sed -n 's/^ok - /  deb: /p; s/^not ok - /  deb FAILED: /p' "$SCRATCH/deb.log" | sed 's/^/# /'
	grep '^#' "$SCRATCH/deb.log"
	check "Debian packages: dpkg-buildpackage, lintian clean of errors, installed and run on a clean Debian 12 (deb.sh)" test $rc = 0 ||
		grep -v '^#' "$SCRATCH/deb.log" | grep -v '^ok' | tail -30
	rm -rf "$SCRATCH/deb"
	phase "Debian packages (in the background from $((deb_t - T0)) s)" "$deb_t"
}

# 4. The README's two commands on a fresh machine (a container of the base image).
if ! skip fresh; then
	t=$SECONDS
	# the suites that depend on what quickstart installs beyond the build (the
	# others run on the host in .ci/run); linux (~5-12 min) only with "all" or named
	suites=${DCE_FRESH_SUITES:-bake glibc kernel security}
	[ "$suites" = all ] && suites=
	"$here/fresh-machine.sh" "$W" $suites >"$SCRATCH/fresh.log" 2>&1
	check "fresh Debian 12 container, root, no sudo: scripts/quickstart, then test/run ${suites:-(every fast suite)} pass" test $? = 0
	grep '^#' "$SCRATCH/fresh.log" | grep -v '^#   ===' | head -40
	phase "fresh machine" "$t"
fi

# 5. The image and the dce service (labelled as ci/image labels it, so that
# step 7's ci/image build finds every layer cached).
t=$SECONDS
DCE_VERSION=$(git describe --tags --always --dirty) DCE_DEPS_HASH=$(ci/deps-hash)
export DCE_VERSION DCE_DEPS_HASH
docker-compose build >"$SCRATCH/build.log" 2>&1
check "docker-compose build" test $? = 0 || tail -30 "$SCRATCH/build.log"
check "  ... builds the image once (dev uses dce's image)" test "$(grep -c '^Step 1/' "$SCRATCH/build.log")" = 1
phase "docker-compose build" "$t"
img=dce:dce-ns3-dev
check "the image is tagged by its set: $img" sh -c "docker image inspect $img >/dev/null"
t=$SECONDS
docker-compose build >"$SCRATCH/build2.log" 2>&1
rc=$?
cached=$(grep -c 'Using cache' "$SCRATCH/build2.log")
check "docker-compose build again, no change: every layer cached ($cached cached, $((SECONDS - t)) s)" \
	test $rc = 0 -a "$cached" -gt 0 -a $((SECONDS - t)) -lt 60
phase "rebuild with no change" "$t"

t=$SECONDS
rm -rf volumes/output   # as in a fresh clone: docker creates it, as root
docker-compose run --rm dce >"$SCRATCH/run.log" 2>&1
rc=$?
check "docker-compose run --rm dce: exits 0 (volumes/output/ created by docker, as root)" test $rc = 0 || tail -20 "$SCRATCH/run.log"
check "it prints the example's result (stock iperf3 over a simulated 10 Mbps link)" \
	grep -Eq '[0-9.]+ Mbits/sec .*receiver' "$SCRATCH/run.log"
check "volumes/output/exitprocs, files-0, files-1, pcaps on the host" \
	sh -c 'test -s volumes/output/exitprocs -a -d volumes/output/files-0/var/log -a -d volumes/output/files-1/var/log && ls volumes/output/*.pcap >/dev/null'
check "every process of the example exited 0" \
	awk 'NR > 1 { n++; if ($3 != 0) bad = 1 } END { exit bad || n < 2 }' volumes/output/exitprocs
check "outputs belong to uid 1000 (the default user), volumes/output/ too" \
	test "$(stat -c %u volumes/output/exitprocs)" = 1000 -a "$(stat -c %u volumes/output)" = 1000
check "no confinement warning in the image (DCE_CONFINE=0 there)" sh -c "! grep -q 'cannot confine' '$SCRATCH/run.log'"
docker-compose up dce >"$SCRATCH/up.log" 2>&1
check "docker-compose up dce: prints the result" grep -Eq '[0-9.]+ Mbits/sec .*receiver' "$SCRATCH/up.log"
# As root, then as the default user again: the root-owned outputs are replaced.
DCE_UID=0 docker-compose run --rm dce >"$SCRATCH/root.log" 2>&1
check "DCE_UID=0 docker-compose run --rm dce: runs as root, outputs root's" \
	test $? = 0 -a "$(stat -c %u volumes/output/exitprocs)" = 0
docker-compose run --rm dce >"$SCRATCH/after-root.log" 2>&1
check "after a DCE_UID=0 run, the default run replaces its outputs (uid 1000 again)" \
	test $? = 0 -a "$(stat -c %u volumes/output/exitprocs)" = 1000 || tail -5 "$SCRATCH/after-root.log"
# Started as a user (--user) on root's outputs: one clear line.
DCE_UID=0 docker-compose run --rm dce >/dev/null 2>&1
docker run --rm --user 1000:1000 -v "$W/volumes/output:/output" "$img" >"$SCRATCH/user.log" 2>&1
rc=$?
check "started as uid 1000 over root's outputs: exit 1, one clear message naming what to run" \
	sh -c "test $rc = 1 && test \$(grep -c '^dce: ' '$SCRATCH/user.log') = 1 && grep -q 'sudo rm -rf volumes/output' '$SCRATCH/user.log'" ||
	cat "$SCRATCH/user.log"
# Another user's uid (a host user who is not 1000).
DCE_UID=1234 DCE_GID=1234 docker-compose run --rm dce >"$SCRATCH/uid.log" 2>&1
check "DCE_UID=1234: outputs belong to 1234" test $? = 0 -a "$(stat -c %u volumes/output/exitprocs)" = 1234
docker-compose run --rm dce >/dev/null 2>&1
check "  ... the next default run keeps the directory's owner (1234), no DCE_UID needed" \
	test "$(stat -c %u volumes/output/exitprocs)" = 1234
rm -rf volumes/output   # the rest: as in a fresh clone again (uid 1000)
# DCE_EXAMPLE reaches the service.
DCE_EXAMPLE=dce-basic docker-compose up dce >"$SCRATCH/basic.log" 2>&1
check "DCE_EXAMPLE=dce-basic docker-compose up dce runs dce-basic" grep -q 'example dce-basic exited with status 0' "$SCRATCH/basic.log"
# Statuses: compose 1.29's `up` exits 0 whatever the container did; `run` and
# `up --exit-code-from dce` give the example's status.
DCE_EXAMPLE=nonexistent docker-compose run --rm dce >"$SCRATCH/noex.log" 2>&1
rc=$?
check "DCE_EXAMPLE=nonexistent: exit 2 and one line listing the examples" \
	sh -c "test $rc = 2 && grep -q \"no example 'nonexistent'.*dce-basic\" '$SCRATCH/noex.log'"
DCE_EXAMPLE=nonexistent docker-compose up --exit-code-from dce dce >/dev/null 2>&1
check "docker-compose up --exit-code-from dce dce: the container's status (2)" test $? = 2
DCE_EXAMPLE=dce-run docker-compose run --rm dce example --stop 3s "0: sleep 100" "0: true" >"$SCRATCH/unfinished.log" 2>&1
rc=$?
check "a program still running when the simulation ends: status 1, and which one" \
	sh -c "test $rc = 1 && grep -q 'running' '$SCRATCH/unfinished.log' && grep -q 'not all of the example.s programs' '$SCRATCH/unfinished.log'" ||
	tail -8 "$SCRATCH/unfinished.log"
# Confinement: refused by Docker's default seccomp profile, works without it.
docker run --rm --network none -e DCE_CONFINE= "$img" dce-run --out /tmp/o "0: true" >"$SCRATCH/conf1.log" 2>&1
check "Docker's default profile refuses dce's namespaces: one warning, the run goes on" \
	sh -c "grep -q 'cannot confine the run (unshare: Operation not permitted)' '$SCRATCH/conf1.log'"
docker run --rm --network none --security-opt seccomp=unconfined -e DCE_CONFINE=1 "$img" \
	dce-run --out /tmp/o "0: true" >"$SCRATCH/conf2.log" 2>&1
check "--security-opt seccomp=unconfined -e DCE_CONFINE=1: the run is confined" \
	sh -c "! grep -q 'cannot confine' '$SCRATCH/conf2.log' && grep -q '0 process(es) failed' '$SCRATCH/conf2.log'" ||
	cat "$SCRATCH/conf2.log"
labels=$(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.title"}} {{index .Config.Labels "org.opencontainers.image.version"}} {{index .Config.Labels "dce.deps-hash"}}' "$img")
check "image labels: dce, its version (git describe) and its inputs' hash (ci/deps-hash) [$labels]" \
	test "$labels" = "dce $DCE_VERSION $DCE_DEPS_HASH"
docker run --rm --entrypoint dpkg-query "$img" -W -f='${Package}=${Version}\n' 2>&1 | sort >"$SCRATCH/inst.txt"
notpinned=$(grep -v '^#' ci/image-packages.lock | sed 's/:[a-z0-9]*=/=/' | sort | comm -23 - "$SCRATCH/inst.txt" | xargs)
check "the image has exactly the versions of ci/image-packages.lock${notpinned:+ (differs: ${notpinned:0:200})}" \
	test -z "$notpinned"
phase "dce service" "$t"

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
check "touch $src on the host, dev make: it is recompiled, and the summary names every file compiled [$compiled]" \
	sh -c "test $rc = 0 && case ' $compiled ' in *' $src '*) true ;; *) false ;; esac"
echo "# $(echo "$compiled" | wc -w) files compiled after touching one source (the examples: compiled and linked in one command each)"
others=$(grep -E '^\[ *[0-9]+/[0-9]+\] ' "$SCRATCH/dev3.log" | grep -E ' (build|configure) +ok' | grep -v ' dce-core ' || true)
check "  ... and no other module rebuilt" test -z "$others"
# Watching: `docker-compose up dev` rebuilds on start, then on each change.
docker-compose up -d dev >/dev/null 2>&1
for _ in $(seq 120); do docker-compose logs dev 2>/dev/null | grep -q 'dce: watching' && break; sleep 1; done
docker-compose run --rm dev test core-proc >"$SCRATCH/devtest.log" 2>&1
check "docker-compose run --rm dev test core-proc, while up dev watches" test $? = 0 || tail -5 "$SCRATCH/devtest.log"
docker-compose run --rm dev make >"$SCRATCH/devmake.log" 2>&1
check "docker-compose run --rm dev make, while up dev watches" test $? = 0 || tail -5 "$SCRATCH/devmake.log"
DCE_EXAMPLE=dce-basic docker-compose run --rm dev example >"$SCRATCH/devex.log" 2>&1
check "docker-compose run --rm dev example, while up dev watches" test $? = 0 || tail -5 "$SCRATCH/devex.log"
docker-compose run --rm dev shell -c 'id -u' >"$SCRATCH/devshell.log" 2>&1
check "docker-compose run --rm dev shell, while up dev watches (uid 1000)" grep -qx '1000' "$SCRATCH/devshell.log"
src2=$(ls src/libc-ns3/*.c | head -1)
touch "$src2"
ok_watch=1
for _ in $(seq 240); do
	docker-compose logs dev 2>/dev/null | grep -q "dce: compiled: .*$src2" && { ok_watch=0; break; }
	sleep 1
done
check "docker-compose up dev: $src2 touched: rebuilt while watching" test $ok_watch = 0
for _ in $(seq 120); do docker-compose logs dev 2>/dev/null | grep -q 'rebuild done\|rebuild FAILED' && break; sleep 1; done
ts=$SECONDS
docker-compose stop -t 20 dev >/dev/null 2>&1
check "the watcher stops on SIGTERM between builds ($((SECONDS - ts)) s, not the 20 s timeout)" test $((SECONDS - ts)) -lt 8
phase "dev service" "$t"

# 7. The CI image path against a local registry (Debian's docker-registry).
if ! skip registry; then
	t=$SECONDS
	mkdir -p "$SCRATCH/registry"
	cat >"$SCRATCH/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $SCRATCH/registry
http:
  addr: 127.0.0.1:5000
EOF
	docker-registry serve "$SCRATCH/registry.yml" >"$SCRATCH/registry.log" 2>&1 &
	registry_pid=$!
	for _ in $(seq 40); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.25; done
	check "docker-registry on 127.0.0.1:5000" sh -c "curl -fsS http://127.0.0.1:5000/v2/ >/dev/null"
	export DCE_REGISTRY=127.0.0.1:5000
	# The image the compose build made (same arguments: every layer cached).
	DOCKER_BUILDKIT=0 DCE_CI_EXTRA_PACKAGES= ci/image --pull --push >"$SCRATCH/ci1.out" 2>"$SCRATCH/ci1.log"
	rc=$?
	ref=$(tail -1 "$SCRATCH/ci1.out")
	deps=$(ci/deps-hash)
	check "ci/image --pull --push: built and pushed $ref" test $rc = 0 -a -n "$ref" || tail -10 "$SCRATCH/ci1.log"
	tags=$(curl -fsS http://127.0.0.1:5000/v2/dce-ci/tags/list)
	check "the registry has dce-ci:<HEAD> and dce-ci:deps-<hash>" \
		sh -c "echo '$tags' | grep -q '$(git rev-parse HEAD)' && echo '$tags' | grep -q 'deps-$deps'"
	check "the image is labelled with its version and dependency hash" \
		test "$(docker image inspect -f '{{index .Config.Labels "dce.deps-hash"}}' "$ref")" = "$deps"
	docker rmi "$ref" "$DCE_REGISTRY/dce-ci:deps-$deps" >/dev/null 2>&1
	check "local CI images removed" sh -c "! docker image inspect '$ref' >/dev/null 2>&1"
	ts=$SECONDS
	DOCKER_BUILDKIT=0 DCE_CI_EXTRA_PACKAGES= ci/image --pull >"$SCRATCH/ci2.out" 2>"$SCRATCH/ci2.log"
	check "ci/image --pull again: pulled, nothing built ($((SECONDS - ts)) s)" \
		sh -c "grep -q 'nothing to build' '$SCRATCH/ci2.log' && ! grep -q 'building' '$SCRATCH/ci2.log'"
	docker run --rm --network none -e DCE_OUT=/tmp/o "$ref" example >"$SCRATCH/ci-ex.log" 2>&1
	check "the pulled image runs the default example (the workflow's example job)" test $? = 0
	docker rmi "$ref" >/dev/null 2>&1
	unset DCE_REGISTRY
	phase "CI image path (registry)" "$t"
fi

# 8. Advanced mode in the image: its own tag, the slow modules from the cache.
if ! skip linux; then
	t=$SECONDS
	n=0
	for d in "$HOME"/.cache/dce/kernel/[0-9a-f]*/ "$HOME"/.cache/dce/glibc/[0-9a-f]*/; do
		[ -d "$d" ] || continue
		mkdir -p "volumes/dce-cache/$(basename "$(dirname "$d")")"
		cp -a "$d" "volumes/dce-cache/$(basename "$(dirname "$d")")/" && n=$((n + 1))
	done
	echo "# seeded the build with $n cached kernel/glibc results from ~/.cache/dce (volumes/dce-cache/)"
	DCE_SET=dce-linux-dev docker-compose build dce >"$SCRATCH/lbuild.log" 2>&1
	check "DCE_SET=dce-linux-dev docker-compose build dce" test $? = 0 || tail -30 "$SCRATCH/lbuild.log"
	# bake keeps each module's output in build/logs/ (in the image)
	docker run --rm --entrypoint sh dce:dce-linux-dev -c \
		'cat /dce/build/logs/linux-kernel-lib.log /dce/build/logs/glibc-dce.log' >"$SCRATCH/lslow.log" 2>&1
	grep -E 'kernel: cached|glibc-dce: cached|glibc-dce: building|kernel: build' "$SCRATCH/lslow.log" | head -4 | sed 's/^/#   /'
	check "  ... the kernel library and glibc-dce came from the cache, not rebuilt" \
		sh -c "grep -q 'kernel: cached' '$SCRATCH/lslow.log' && grep -q 'glibc-dce: cached' '$SCRATCH/lslow.log'"
	check "  ... as dce:dce-linux-dev, dce:dce-ns3-dev kept" \
		sh -c "docker image inspect dce:dce-linux-dev >/dev/null && test \"\$(docker image inspect -f '{{.Id}}' $img)\" != \"\$(docker image inspect -f '{{.Id}}' dce:dce-linux-dev)\""
	DCE_SET=dce-linux-dev DCE_EXAMPLE=dce-linux-iperf3 docker-compose run --rm dce >"$SCRATCH/lrun.log" 2>&1
	check "DCE_SET=dce-linux-dev DCE_EXAMPLE=dce-linux-iperf3 docker-compose run --rm dce" test $? = 0 ||
		tail -10 "$SCRATCH/lrun.log"
	grep -E '^cc ' "$SCRATCH/lrun.log" | sed 's/^/#   /'
	check "  ... cubic and bbr results" sh -c "grep -q '^cc cubic' '$SCRATCH/lrun.log' && grep -q '^cc bbr' '$SCRATCH/lrun.log'"
	phase "advanced mode image" "$t"
fi
deb_collect
phase "total"
finish
