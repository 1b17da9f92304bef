#!/bin/sh
# scripts/docker-build-step.sh - the steps of the Dockerfile's cached layers (run by
# `docker build`, not by hand). Each step is one layer; see docs/packaging.md.
#   docker-build-step.sh missing-packages SET   (root) install what bake still misses
#   docker-build-step.sh sources SET            configure the set, fetch its sources
#   docker-build-step.sh kernel SET             build the slow modules SET has
#                                               (DCE_SLOW_MODULES: kernel library, glibc-dce)
#   docker-build-step.sh dce SET                build dce itself
set -eu
step=$1
set_name=$2
cd /dce
jobs=${JOBS:-$(nproc)}
# Optional modules left out (DCE_DISABLE, e.g. tshark): bake configure -d each.
disable=
for m in ${DCE_DISABLE:-}; do disable="$disable -d $m"; done
case "$step" in
missing-packages)
	# System packages the set needs that the Dockerfile's package layer does not
	# list (bakeconf.xml changed since): ask bake, from a throwaway copy so that
	# nothing under /dce becomes root's.
	tmp=$(mktemp -d)
	cp -r /dce/bake /dce/bakeconf.xml "$tmp/"
	"$tmp/bake/bake" -c "$tmp/bakeconf.xml" configure -e "$set_name" $disable >/dev/null
	pkgs=$("$tmp/bake/bake" -c "$tmp/bakeconf.xml" show |
		sed -n 's/^missing system packages://p')
	# glibc-dce's build script needs these and installs them only as root (the
	# kernel layer builds as the user): install them here.
	if grep -q '<module name="glibc-dce"' "$tmp/bakefile.xml" 2>/dev/null ||
		"$tmp/bake/bake" -c "$tmp/bakeconf.xml" show 2>/dev/null | grep -q 'glibc-dce'; then
		pkgs="$pkgs glibc-source gawk bison"
	fi
	rm -rf "$tmp"
	want=$(echo $pkgs)
	if [ -n "$want" ]; then
		echo "docker-build-step: installing what bakeconf.xml needs beyond the package layer: $want"
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $want >/dev/null
		rm -rf /var/lib/apt/lists/*
	else
		echo "docker-build-step: no system package missing for $set_name"
	fi
	;;
sources)
	./bake/bake configure -e "$set_name" $disable
	./bake/bake download -j "$jobs"
	;;
kernel)
	# With dce-linux-dev this builds the Linux kernel library in its own layer, so
	# editing src/ does not rebuild it; dce-ns3-dev has none: the layer is empty.
	# The slow modules the set has (and what they need), built on their own.
	mods=
	for m in ${DCE_SLOW_MODULES:-linux-kernel-lib glibc-dce}; do
		grep -q "<module name=\"$m\"" bakefile.xml && mods="$mods -e $m"
	done
	if [ -n "$mods" ]; then
		./bake/bake configure $mods
		./bake/bake build -j "$jobs"
	else
		echo "docker-build-step: $set_name has none of ${DCE_SLOW_MODULES:-linux-kernel-lib glibc-dce}: no kernel library to build"
	fi
	;;
dce)
	./bake/bake configure -e "$set_name" $disable
	./bake/bake build -j "$jobs"
	test -x build/install/bin/dce-run
	;;
*)
	echo "docker-build-step: unknown step $step" >&2
	exit 2
	;;
esac
