# test/compat/lib-compat.sh - shared by test/compat and test/compat-slow (sourced
# after test/lib.sh): the installed tree, compiling a scenario against it with
# pkg-config the way a user outside the tree does, and ns-3-dce 1.12's examples.

# Install dce into build/install (what the quickstart gives a user) and make sure
# the Linux kernel library is there too (bake installs it there in advanced mode).
compat_install() {
	PREFIX=$TOP/build/install
	make -s -C "$TOP" -j2 install >"$SCRATCH/install.log" 2>&1 || {
		echo "not ok - make install (see below)"
		tail -20 "$SCRATCH/install.log"
		exit 1
	}
	export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	HAVE_LINUX=1
	# the library of the current src/kernel (cached by its hash), not one a former
	# checkout left in build/install
	local lib
	if lib=$("$TOP/src/kernel/build.sh" 2>"$SCRATCH/kbuild.log"); then
		cmp -s "$lib" "$PREFIX/lib/$(basename "$lib")" || cp "$lib" "$PREFIX/lib/$(basename "$lib")"
	elif ! ls "$PREFIX"/lib/liblinux-*.so >/dev/null 2>&1; then
		HAVE_LINUX=0
		echo "# skip Linux-stack cases: no kernel library (scripts/quickstart dce-linux-dev builds it)"
	fi
	# what is checked is that nothing else is needed
	unset DCE_LINUX_LIBRARY DCE_GLIBC_DIR
}

# compile_all DIR FILE.cc...: compile each scenario unchanged with only
# `pkg-config --cflags --libs dce` (plus the extra ns-3 modules ns-3-dce's
# examples use), two at a time; DIR/NAME on success, DIR/NAME.log either way.
NS3_EXTRA="ns3-lte ns3-netanim ns3-flow-monitor ns3-config-store ns3-fd-net-device ns3-internet-apps"
compile_all() {
	local dir=$1
	shift
	mkdir -p "$dir"
	local flags
	flags="$(pkg-config --cflags --libs dce $NS3_EXTRA)" || return 1
	# ns-3-dce linked its examples with example/ccnx/misc-tools.cc (setPos ...)
	printf '%s\n' "$@" | xargs -P2 -I{} sh -c \
		'n=$(basename "{}" .cc); extra=; m=$(dirname "{}")/ccnx/misc-tools.cc
		 grep -q "setPos" "{}" && [ -f "$m" ] && extra=$m
		 g++ -O0 "{}" $extra '"$flags"' -o "'"$dir"'/$n" >"'"$dir"'/$n.log" 2>&1'
	return 0
}

# The ns-3-dce 1.12 source, fetched once into the shared mirror (not in our tree):
# $DCE_NS3DCE_REPO, else the mirror's git directory. Extracts example/ into
# $SCRATCH/ns3dce; returns 1 (with a message) when it is not available.
ns3dce_examples() {
	local repo=${DCE_NS3DCE_REPO:-/work/.mirror/direct-code-execution+ns-3-dce/repo}
	if ! git -C "$repo" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		echo "# skip ns-3-dce's own examples: no ns-3-dce 1.12 checkout at $repo (set DCE_NS3DCE_REPO to one)"
		return 1
	fi
	mkdir -p "$SCRATCH/ns3dce"
	git -C "$repo" archive HEAD example | tar -x -C "$SCRATCH/ns3dce"
	NS3DCE=$SCRATCH/ns3dce/example
}

# The example programs ns-3-dce built for its scenarios (plain socket programs),
# compiled for the host and placed where the scenarios' nodes find them in PATH.
ns3dce_programs() {
	local out=$1
	shift
	mkdir -p "$out/bin"
	local p
	for p in "$@"; do
		g++ -O1 -w "$NS3DCE/$p.cc" -o "$out/bin/$p" -lpthread || return 1
	done
}

# place_programs DIR NODES...: files-N/usr/local/bin/ of each node gets the programs
place_programs() {
	local dir=$1 n
	shift
	for n in "$@"; do
		mkdir -p "$dir/files-$n/usr/local/bin"
		cp "$PROGBIN"/* "$dir/files-$n/usr/local/bin/"
	done
}
