#!/usr/bin/env bash
# test/packaging-slow/deb.sh - dce's Debian packages (debian/, docs/packaging.md):
# built with dpkg-buildpackage from a tree, checked with lintian (no error), then
# installed on a clean Debian 12 (a container of the base image, no checkout in
# it) where the default example, dce-run on a scenario file, the Linux stack,
# `import dce` and an out-of-tree C++ scenario (pkg-config dce) must work.
#   deb.sh TREE OUTDIR          TREE: a copy of the repository (its parent gets
#                               the .debs); OUTDIR: logs
# Prints "ok"/"not ok" lines like test/lib.sh's check and "# ..." timings; exits 1
# if any check failed. Environment: DCE_DEB_OBJECTS (an existing build's object
# directory to seed the package build with, e.g. build/obj/dce-core: then only
# what the /usr paths change is rebuilt), DCE_BASE_IMAGE (dce-base:bookworm),
# DCE_DEB_PROFILES (DEB_BUILD_PROFILES, e.g. "pkg.dce.nokernel pkg.dce.noglibc"),
# DCE_DEB_APT_CACHE (the container's /var/cache/apt/archives, kept between runs:
# default ~/.cache/dce/deb-test-apt), DCE_DEB_BUILT=1 (test the .debs in TREE/..).
set -uo pipefail
tree=$1
out=$2
base=${DCE_BASE_IMAGE:-dce-base:bookworm}
fail=0
ok() { echo "ok - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else echo "not ok - $what"; fail=1; return 1; fi; }
mkdir -p "$out"
t=$SECONDS
# the packaging tools, on the build machine
need=()
for p in debhelper dh-python lintian; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
	{ apt-get install -y -qq "${need[@]}" || { apt-get update -qq && apt-get install -y -qq "${need[@]}"; }; } >"$out/apt.log" 2>&1
	check "installed ${need[*]}" test $? = 0 || tail -5 "$out/apt.log"
fi
missing=$(cd "$tree" && DEB_BUILD_PROFILES="${DCE_DEB_PROFILES:-}" dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p')
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086  # version constraints stripped, one name a word
	apt-get install -y -qq $(echo "$missing" | sed 's/([^)]*)//g') >>"$out/apt.log" 2>&1
fi
if [ "${DCE_DEB_BUILT:-0}" != 1 ]; then   # DCE_DEB_BUILT=1: test the packages already in TREE/..
	rm -f "$tree"/../*.deb "$tree"/../*.changes "$tree"/../*.buildinfo
	(cd "$tree" && DEB_BUILD_PROFILES="${DCE_DEB_PROFILES:-}" DEB_BUILD_OPTIONS="parallel=${JOBS:-2} noautodbgsym" \
		dpkg-buildpackage -b -us -uc) >"$out/dpkg-buildpackage.log" 2>&1
	check "dpkg-buildpackage -b -us -uc" test $? = 0 || tail -20 "$out/dpkg-buildpackage.log"
fi
echo "# dpkg-buildpackage: $((SECONDS - t)) s ($(grep -cE '^(cc|gcc|g\+\+|c\+\+) .* -c ' "$out/dpkg-buildpackage.log" 2>/dev/null) files compiled)"
debs=$(cd "$tree/.." && ls -- *.deb 2>/dev/null | grep -v dbgsym | xargs)
echo "# packages: $debs"
want="dce_ dce-dev_ python3-dce_"
case " ${DCE_DEB_PROFILES:-} " in *" pkg.dce.nokernel "*) ;; *) want="$want dce-linux-kernel_" ;; esac
case " ${DCE_DEB_PROFILES:-} " in *" pkg.dce.noglibc "*) ;; *) want="$want dce-glibc_" ;; esac
for w in $want; do
	check "  ... built ${w%_}" sh -c "ls '$tree'/../${w}*.deb >/dev/null 2>&1"
done

# lintian in the background while the packages are tried in a container
tl=$SECONDS
changes=$(ls "$tree"/../*.changes 2>/dev/null | head -1)
lintian --fail-on error --tag-display-limit 0 "$changes" >"$out/lintian.log" 2>&1 &
lintian_pid=$!

# A clean Debian 12: the base image, the packages and their dependencies from
# Debian's archive (host network: dockerd --iptables=false gives bridges no NAT),
# no checkout. Capabilities as a machine's root has them, no seccomp profile
# (dce's own confinement needs namespaces), as in fresh-machine.sh.
t=$SECONDS
apt_cache=${DCE_DEB_APT_CACHE:-$HOME/.cache/dce/deb-test-apt}
mkdir -p "$apt_cache/partial"
# shellcheck disable=SC2016  # expanded in the container
docker run --rm --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
	--security-opt apparmor=unconfined --network host \
	-v "$(cd "$tree/.." && pwd):/mnt/debs:ro" -v "$apt_cache:/var/cache/apt/archives" \
	-e DEBS="$debs" "$base" bash -c '
	export DEBIAN_FRONTEND=noninteractive
	step() { echo "# step: $*"; }
	t=$(date +%s)
	# the downloaded .debs kept between runs (DCE_DEB_APT_CACHE): no download next time
	rm -f /etc/apt/apt.conf.d/docker-clean
	cd /mnt/debs
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $(printf "./%s " $DEBS) g++ iperf3 iputils-ping python3 >/tmp/apt.log 2>&1
	echo "apt=$? $(( $(date +%s) - t )) s"; tail -3 /tmp/apt.log
	cd /tmp
	test -e /dce -o -e /root/dce && echo "checkout=present" || echo "checkout=none"
	step "dce-iperf3"; dce-iperf3 --out=/tmp/ex >/tmp/ex.log 2>&1; echo "iperf3=$?"; tail -4 /tmp/ex.log
	grep -hE "Mbits/sec.*receiver" /tmp/ex/files-*/var/log/*/stdout | tail -1
	echo "exitprocs=$(awk "NR > 1 && \$3 != 0 { bad = 1 } END { print bad ? 1 : 0 }" /tmp/ex/exitprocs)"
	step "dce-run scenario"
	cat >/tmp/s.yaml <<YAML
seed: 1
stop: 20s
nodes:
  - {name: a, stack: linux}
  - {name: b, stack: linux}
links:
  - {type: p2p, nodes: [a, b], rate: 10Mbps, delay: 2ms}
processes:
  - {node: a, cmd: ping -c 3 b, at: 1s}
YAML
	dce-run --out /tmp/sc /tmp/s.yaml >/tmp/sc.log 2>&1; echo "scenario=$?"
	echo "ping=$(cat /tmp/sc/files-0/var/log/*/stdout 2>/dev/null | grep -c " 0% packet loss")"; tail -3 /tmp/sc.log
	step "python"; cd / && python3 -c "import dce, sys; print(\"python=ok\", dce.__file__)"; cd /tmp
	step "pkg-config"
	cat >/tmp/my.cc <<CC
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/dce-module.h"
using namespace ns3;
int main (int argc, char *argv[])
{
  NodeContainer nodes;
  nodes.Create (1);
  DceManagerHelper dce;
  dce.Install (nodes);
  DceApplicationHelper app;
  app.SetBinary ("echo");
  app.AddArgument ("hello-from-dce");
  app.Install (nodes.Get (0)).Start (Seconds (1));
  Simulator::Stop (Seconds (5));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
CC
	g++ -o /tmp/my /tmp/my.cc $(pkg-config --cflags --libs dce) >/tmp/cc.log 2>&1; echo "compile=$?"; tail -5 /tmp/cc.log
	mkdir -p /tmp/myout && cd /tmp/myout && /tmp/my >/tmp/my.log 2>&1; echo "myrun=$?"
	grep -rh hello-from-dce /tmp/myout 2>/dev/null | head -1 | sed "s/^/myout: /"
' >"$out/install.log" 2>&1
grep -E '^(apt|checkout|iperf3|exitprocs|scenario|ping|python|compile|myrun|myout)=?' "$out/install.log" | sed 's/^/#   /'
grep -q '^apt=0' "$out/install.log"
check "apt-get install ./dce*.deb on a clean Debian 12 container (dependencies from the archive)" test $? = 0 ||
	tail -20 "$out/install.log"
check "  ... no checkout there" grep -q '^checkout=none' "$out/install.log"
check "  ... dce-iperf3 (the default example) runs: exit 0, iperf3's result, every process exit 0" \
	sh -c "grep -q '^iperf3=0' '$out/install.log' && grep -q 'Mbits/sec.*receiver' '$out/install.log' && grep -q '^exitprocs=0' '$out/install.log'"
check "  ... dce-run on a scenario file (Linux stack from /usr/lib/dce, ping 3 received)" \
	sh -c "grep -q '^scenario=0' '$out/install.log' && grep -q '^ping=1' '$out/install.log'" || sed -n '/step: dce-run/,/step: python/p' "$out/install.log" | tail -8
check "  ... python3 -c 'import dce'" grep -q '^python=ok /usr/lib/python3/dist-packages/dce' "$out/install.log"
check "  ... g++ my.cc \$(pkg-config --cflags --libs dce) builds an out-of-tree scenario" grep -q '^compile=0' "$out/install.log" ||
	sed -n '/step: pkg-config/,$p' "$out/install.log" | tail -8
check "  ... and it runs (echo on a dce node)" sh -c "grep -q '^myrun=0' '$out/install.log' && grep -q '^myout: hello-from-dce' '$out/install.log'" ||
	tail -5 "$out/install.log"
echo "# install and run on a clean Debian 12: $((SECONDS - t)) s"
wait "$lintian_pid"
rc=$?
check "lintian: no error ($(grep -c '^W:' "$out/lintian.log") warnings, $(grep -c '^I:' "$out/lintian.log") notes; debian/lintian-warnings.md)" \
	sh -c "test $rc = 0 && ! grep -q '^E:' '$out/lintian.log'" || grep '^E:' "$out/lintian.log"
grep '^W:' "$out/lintian.log" | sed 's/^/#   /' | sort | uniq | head -20
echo "# lintian: $((SECONDS - tl)) s (alongside the container)"

exit $fail
