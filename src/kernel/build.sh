#!/bin/sh
# build.sh - build liblinux-<V>.so: Debian's linux-source-<V> with arch/dce overlaid.
#
# Usage: src/kernel/build.sh [--kernel V] [-j N] [--force] [--cached] [--install PREFIX]
# V is a supported kernel series (6.1 or 6.12; default $DCE_KERNEL_VERSION, else the
# default below). Prints the path of the library on stdout (progress goes to
# stderr). --install also copies it to PREFIX/lib/liblinux-<V>.so and the interface
# to PREFIX/include. --cached only prints the path when the library is built
# (exit 3 when it is not), never building.
#
# Cache layout (DCE_KERNEL_CACHE, default ~/.cache/dce/kernel):
#   tree-<version>/linux   the extracted source with arch/dce and our patches
#   tree-<version>/obj     its object tree (kept: an arch change rebuilds in seconds)
#   <hash>/liblinux-<V>.so the result for one set of inputs, where <hash> covers the
#                          source package name and version and every file under
#                          src/kernel except host/ (the test host is not a kernel
#                          input): 6.1 and 6.12 never share a key
# An unchanged kernel is not rebuilt: the script only hashes and prints the path.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
force=0
cached_only=0
prefix=
supported="6.1 6.12"
default_kernel=6.12
kv=${DCE_KERNEL_VERSION:-$default_kernel}
while [ $# -gt 0 ]; do
	case "$1" in
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--force) force=1; shift ;;
	--cached) cached_only=1; shift ;;
	--install) prefix=$2; shift 2 ;;
	--kernel) kv=$2; shift 2 ;;
	--kernel=*) kv=${1#--kernel=}; shift ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [-j N] [--force] [--cached] [--install PREFIX]" >&2; exit 2 ;;
	esac
done

say() { echo "kernel: $*" >&2; }
die() { echo "kernel: error: $*" >&2; exit 1; }
case " $supported " in
*" $kv "*) ;;
*) die "Linux '$kv' is not a kernel arch/dce builds (supported: $supported; use --kernel or DCE_KERNEL_VERSION with one of them)" ;;
esac
name=liblinux-$kv.so
done_with() { # lib
	if [ -n "$prefix" ]; then
		mkdir -p "$prefix/lib" "$prefix/include/dce"
		cp "$1" "$prefix/lib/$name.tmp"
		mv "$prefix/lib/$name.tmp" "$prefix/lib/$name"
		cp "$here/dce-kernel.h" "$prefix/include/dce/dce-kernel.h"
		say "installed $prefix/lib/$name"
	fi
	echo "$1"
	exit 0
}

tarball=${DCE_KERNEL_TARBALL:-/usr/src/linux-source-$kv.tar.xz}
[ -f "$tarball" ] || die "$tarball not found: Linux $kv is not installed (apt-get install linux-source-$kv)"
version=$(dpkg-query -W -f '${Version}' linux-source-$kv 2>/dev/null || true)
[ -n "$version" ] || version=$(stat -c '%s-%Y' "$tarball")

cache=${DCE_KERNEL_CACHE:-$HOME/.cache/dce/kernel}
mkdir -p "$cache"

# The inputs: package version + content of every kernel input file.
inputs_hash() {
	(
		echo "linux-source-$kv $version"
		cd "$here"
		find . -path ./host -prune -o -type f -print | LC_ALL=C sort | while read -r f; do
			echo "$f $(sha256sum < "$f" | cut -c1-64)"
		done
	) | sha256sum | cut -c1-16
}
hash=$(inputs_hash)
out=$cache/$hash
lib=$out/$name
if [ "$force" = 0 ] && [ -f "$lib" ]; then
	say "cached: $lib"
	done_with "$lib"
fi

if [ "$cached_only" = 1 ]; then
	say "Linux $kv is not built for these inputs (src/kernel/build.sh --kernel $kv builds it)"
	exit 3
fi

# One build at a time per cache.
exec 9>"$cache/.lock"
flock 9
if [ "$force" = 0 ] && [ -f "$lib" ]; then
	done_with "$lib"
fi

tree=$cache/tree-$version
src=$tree/linux
obj=$tree/obj
mkdir -p "$tree"

# 1. Extract the pristine source once per package version.
if [ ! -f "$src/Makefile" ]; then
	say "extracting $tarball"
	rm -rf "$tree/extract" "$src"
	mkdir -p "$tree/extract"
	tar -xJf "$tarball" -C "$tree/extract"
	top=$(ls "$tree/extract")
	mv "$tree/extract/$top" "$src"
	rmdir "$tree/extract"
	rm -rf "$obj" "$tree/applied"
fi

# 2. Generic-file patches: undo the previously applied set if it changed.
patches_hash=$( (cd "$here/patches/$kv" 2>/dev/null && cat $(ls *.patch 2>/dev/null | LC_ALL=C sort) 2>/dev/null) | sha256sum | cut -c1-16)
if [ "$(cat "$tree/applied/hash" 2>/dev/null)" != "$patches_hash" ]; then
	if [ -d "$tree/applied" ]; then
		for p in $(ls "$tree/applied"/*.patch 2>/dev/null | LC_ALL=C sort -r); do
			say "reverting $(basename "$p")"
			patch -d "$src" -p1 -R -s < "$p" || die "cannot revert $p (remove $tree to start over)"
		done
	fi
	rm -rf "$tree/applied"
	mkdir -p "$tree/applied"
	for p in $(ls "$here/patches/$kv"/*.patch 2>/dev/null | LC_ALL=C sort); do
		say "applying $(basename "$p")"
		patch -d "$src" -p1 -s --forward < "$p" || die "patch $(basename "$p") does not apply to $version"
		cp "$p" "$tree/applied/"
	done
	echo "$patches_hash" > "$tree/applied/hash"
fi

# 3. Overlay arch/dce, copying only changed files so make sees real changes only.
sync_file() { # src dst
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
	fi
}
(cd "$here/arch/dce" && find . -type f) | while read -r f; do
	sync_file "$here/arch/dce/$f" "$src/arch/dce/$f"
done
(cd "$src/arch/dce" && find . -type f) | while read -r f; do
	case "$f" in ./include/asm/dce-kernel.h|./configs/*) continue ;; esac
	[ -f "$here/arch/dce/$f" ] || rm -f "$src/arch/dce/$f"
done
sync_file "$here/dce-kernel.h" "$src/arch/dce/include/asm/dce-kernel.h"
sync_file "$here/dce_defconfig" "$src/arch/dce/configs/dce_defconfig"

kmake() { make -C "$src" O="$obj" ARCH=dce "$@"; }

# 4. Configure when the configuration changed.
mkdir -p "$obj" "$out"
log=$out/build.log
if ! cmp -s "$here/dce_defconfig" "$obj/.dce_defconfig"; then
	say "configuring"
	kmake dce_defconfig > "$log" 2>&1 || { tail -20 "$log" >&2; die "configuration failed (log: $log)"; }
	cp "$here/dce_defconfig" "$obj/.dce_defconfig"
fi

# 5. Build.
say "building Linux $version for arch/dce with -j$jobs (log: $log)"
start=$(date +%s)
if ! kmake -j"$jobs" vmlinux >> "$log" 2>&1; then
	failing=$(grep -m1 -E '^[^ ]+:[0-9]+(:[0-9]+)?: (fatal )?error:|undefined reference|\*\*\* \[' "$log" || true)
	echo "kernel: build FAILED" >&2
	[ -n "$failing" ] && echo "kernel: first error: $failing" >&2
	echo "kernel: last lines of $log:" >&2
	tail -25 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
say "built in $(( $(date +%s) - start )) s"

cp "$obj/vmlinux" "$lib.tmp"
cp "$obj/.config" "$out/config"
mv "$lib.tmp" "$lib"
done_with "$lib"
