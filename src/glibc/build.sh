#!/bin/sh
# build.sh - glibc-dce: Debian's glibc 2.36 with dce's system call hook.
#
#   src/glibc/build.sh INSTALLDIR [JOBS]
#   src/glibc/build.sh --key          (print the cache key and exit)
#
# Builds the source of Debian's `glibc-source` package (/usr/src/glibc: the
# tarball there already carries Debian's patches) plus dce-syscall-hook.patch,
# configured like Debian's libc6 (prefix /usr, slibdir /lib/x86_64-linux-gnu,
# rtlddir /lib64, sysconfdir /etc), so that the result has the same ABI,
# symbol versions and search paths as the system's libc. The shared objects
# are copied to INSTALLDIR/lib/glibc-dce/ (ld-linux-x86-64.so.2, libc.so.6,
# libm.so.6, ...), with a BUILD-INFO file.
#
# The build (~5 min with 2 cores) is cached under
#   ${DCE_GLIBC_CACHE:-$HOME/.cache/dce/glibc}/<key>/
# where <key> hashes the inputs: the tarball, the patch, the configure flags
# and configparms, the list of objects kept and the compiler version. A cached key is only
# copied. Variables: GLIBC_TARBALL (default /usr/src/glibc/glibc-2.36.tar.xz),
# DCE_GLIBC_WORK (scratch directory, default a temporary one, removed after).
set -eu

INSTALLDIR=${1:?usage: build.sh INSTALLDIR [JOBS]}
JOBS=${2:-$(nproc)}
HERE=$(cd "$(dirname "$0")" && pwd)
TARBALL=${GLIBC_TARBALL:-/usr/src/glibc/glibc-2.36.tar.xz}
PATCH=$HERE/dce-syscall-hook.patch
CACHE_ROOT=${DCE_GLIBC_CACHE:-${HOME:-/root}/.cache/dce/glibc}
DEBVER=$(cat /usr/src/glibc/debian/changelog 2>/dev/null | sed -n '1s/.*(\(.*\)).*/\1/p')

# Debian packages the build needs: the source, and gawk and bison for configure.
missing=""
[ -f "$TARBALL" ] || [ -n "${GLIBC_TARBALL:-}" ] || missing="glibc-source"
command -v gawk >/dev/null || missing="$missing gawk"
command -v bison >/dev/null || missing="$missing bison"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "glibc-dce: installing$missing"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; }
	else
		echo "glibc-dce: missing Debian packages; run: apt-get install -y$missing" >&2
		exit 1
	fi
fi
if [ ! -f "$TARBALL" ]; then
	echo "glibc-dce: $TARBALL is missing (package glibc-source)" >&2
	exit 1
fi

# Configuration (part of the cache key).
MULTIARCH=x86_64-linux-gnu
CONFIGURE_FLAGS="--host=$MULTIARCH --build=$MULTIARCH --prefix=/usr \
 --without-selinux --disable-crypt --enable-stackguard-randomization \
 --enable-stack-protector=strong --enable-multi-arch --enable-kernel=3.2 \
 --disable-werror --disable-build-nscd --disable-timezone-tools"
# The shared objects of Debian's libc6 package that glibc builds.
LIBS="elf/ld.so:ld-linux-x86-64.so.2 libc.so:libc.so.6 math/libm.so:libm.so.6
 mathvec/libmvec.so:libmvec.so.1 resolv/libresolv.so:libresolv.so.2
 resolv/libanl.so:libanl.so.1 rt/librt.so:librt.so.1 nptl/libpthread.so:libpthread.so.0
 dlfcn/libdl.so:libdl.so.2 login/libutil.so:libutil.so.1 nis/libnsl.so:libnsl.so.1
 nss/libnss_files.so:libnss_files.so.2 resolv/libnss_dns.so:libnss_dns.so.2
 nss/libnss_compat.so:libnss_compat.so.2 hesiod/libnss_hesiod.so:libnss_hesiod.so.2
 malloc/libc_malloc_debug.so:libc_malloc_debug.so.0 nptl_db/libthread_db.so:libthread_db.so.1
 locale/libBrokenLocale.so:libBrokenLocale.so.1 malloc/libmemusage.so:libmemusage.so
 debug/libpcprofile.so:libpcprofile.so"

CONFIGPARMS="CFLAGS = -pipe -O2
ASFLAGS = -pipe -O2
sysconfdir = /etc
libexecdir = /usr/lib
rootsbindir = /sbin
libdir = /usr/lib/$MULTIARCH
slibdir = /lib/$MULTIARCH
rtlddir = /lib64"
# Bump when the way of building changes in a way the lines below do not show.
RECIPE=1
KEY=$({ sha256sum "$TARBALL" "$PATCH" | cut -d' ' -f1; echo "$RECIPE $CONFIGURE_FLAGS";
        echo "$CONFIGPARMS"; echo "$LIBS"; gcc --version | head -1; } | sha256sum | cut -c1-16)
CACHE=$CACHE_ROOT/$KEY
if [ "$INSTALLDIR" = --key ]; then
	echo "$KEY"
	exit 0
fi

if [ -f "$CACHE/BUILD-INFO" ]; then
	echo "glibc-dce: cached build $CACHE"
else
	start=$(date +%s)
	WORK=${DCE_GLIBC_WORK:-$(mktemp -d /tmp/glibc-dce.XXXXXX)}
	mkdir -p "$WORK"
	echo "glibc-dce: building in $WORK (key $KEY, about 5 minutes)"
	rm -rf "$WORK/src" "$WORK/obj"
	mkdir -p "$WORK/src" "$WORK/obj"
	tar -C "$WORK/src" --strip-components=1 -xf "$TARBALL"
	patch -d "$WORK/src" -p1 -s < "$PATCH"
	cd "$WORK/obj"
	echo "$CONFIGPARMS" > configparms
	# shellcheck disable=SC2086
	CC="gcc -Wl,--hash-style=both" CXX="g++ -Wl,--hash-style=both" AUTOCONF=false MAKEINFO=: \
		"$WORK/src/configure" $CONFIGURE_FLAGS \
		--with-pkgversion="Debian GLIBC ${DEBVER:-2.36} + dce syscall hook" \
		--with-bugurl="http://www.debian.org/Bugs/" > configure.log 2>&1 ||
		{ tail -30 configure.log >&2; exit 1; }
	make -j"$JOBS" > make.log 2>&1 || { grep -n "Error\|error:" make.log | tail -20 >&2; tail -20 make.log >&2; exit 1; }
	mkdir -p "$CACHE.tmp"
	for pair in $LIBS; do
		if [ -f "${pair%%:*}" ]; then
			cp "${pair%%:*}" "$CACHE.tmp/${pair#*:}"
		else
			echo "glibc-dce: note: ${pair%%:*} was not built" >&2
		fi
	done
	[ -f "$CACHE.tmp/libc.so.6" ] && [ -f "$CACHE.tmp/ld-linux-x86-64.so.2" ]
	end=$(date +%s)
	{
		echo "glibc: $(basename "$TARBALL") (Debian ${DEBVER:-?}) + dce-syscall-hook.patch"
		echo "key: $KEY"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((end - start)) s with -j$JOBS"
	} > "$CACHE.tmp/BUILD-INFO"
	rm -rf "$CACHE"
	mv "$CACHE.tmp" "$CACHE"
	cd /
	[ -n "${DCE_GLIBC_WORK:-}" ] || rm -rf "$WORK"
	echo "glibc-dce: built in $((end - start)) s"
fi

DEST=$INSTALLDIR/lib/glibc-dce
mkdir -p "$DEST"
cp -p "$CACHE"/* "$DEST/"
echo "glibc-dce: installed in $DEST"
