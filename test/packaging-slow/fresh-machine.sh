#!/usr/bin/env bash
# test/packaging-slow/fresh-machine.sh - the README's two commands on a fresh Debian 12
# machine, as root without sudo: a container of the base image (debootstrap
# minbase: no compiler, no git, no sudo), a clean clone of the repository, then
#     scripts/quickstart  &&  test/run [SUITE...]
# Prints "# quickstart: N s", "# test/run: N s" and the last lines of each; exits
# with the first failing command's status.
#   fresh-machine.sh REPO [SUITE...]     (REPO: a git repository to clone)
# The container has every capability this host has (a machine's root has them:
# --cap-add ALL but SYS_RESOURCE, which this sandbox lacks, so --privileged fails
# here) and no seccomp/AppArmor profile (dce's confinement and the security suite
# need namespaces, Docker's default profile refuses them), on the host's network
# (dockerd --iptables=false gives bridges no NAT; apt needs the archive).
# The slow modules are not rebuilt: the host's ~/.cache/dce (kernel library and
# glibc-dce results, keyed by the hash of their inputs) is mounted at
# /root/.cache/dce, as a cache restored by CI would be; DCE_FRESH_COLD=1 mounts an
# empty one instead (~20 min more on 2 cores).
# Environment: DCE_BASE_IMAGE (default dce-base:bookworm), DCE_FRESH_LOG (a file
# for the whole log; default: the scratch directory, removed).
set -uo pipefail
repo=$1
shift
base=${DCE_BASE_IMAGE:-dce-base:bookworm}
work=$(mktemp -d "${TMPDIR:-/tmp}/dce-fresh.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/dce"
cache=$HOME/.cache/dce
if [ "${DCE_FRESH_COLD:-0}" = 1 ]; then cache=$work/cache; fi
mkdir -p "$cache"
log=${DCE_FRESH_LOG:-$work/log}
suites=$*
# shellcheck disable=SC2016  # expanded in the container
docker run --rm --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
	--security-opt apparmor=unconfined --network host \
	-v "$work/dce:/mnt/clone:ro" -v "$cache:/root/.cache/dce" \
	-e SUITES="$suites" "$base" bash -c '
	cp -a /mnt/clone /root/dce && cd /root/dce
	command -v sudo >/dev/null && echo "# sudo is installed: not a fresh machine" && exit 1
	t=$(date +%s)
	scripts/quickstart >/tmp/qs.log 2>&1; rc=$?
	echo "# quickstart: $(( $(date +%s) - t )) s, exit $rc"
	tail -15 /tmp/qs.log | sed "s/^/#   /"
	[ $rc = 0 ] || exit $rc
	t=$(date +%s)
	test/run $SUITES >/tmp/test.log 2>&1; rc=$?
	echo "# test/run: $(( $(date +%s) - t )) s, exit $rc"
	grep -E "^=== suite|^not ok|FAILED|all suites passed" /tmp/test.log | sed "s/^/#   /"
	exit $rc
' >"$log" 2>&1
rc=$?
cat "$log"
exit $rc
