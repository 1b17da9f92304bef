#!/usr/bin/env bash
# test/install - the install layout's paths and the Debian packaging, fast (no
# compile, no docker; the packages themselves are built, installed and run by
# test/packaging-slow's deb part):
#  - PREFIX and DCE_LIBDIR are compiled in (dce-paths.h), DESTDIR is not: staging
#    neither changes nor rewrites it (no rebuild), the Python module's dce-run
#    path follows BINDIR;
#  - make install stages under DESTDIR only, with no .pth written when staging;
#  - debian/: the five packages, the build profiles leaving the kernel library
#    and glibc-dce out, the changelog parses, every .install names a path that
#    make install creates.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$TOP"
B=$SCRATCH/b
paths() { make -s BUILDDIR="$B" "$@" "$B/gen/dce-paths.h" >/dev/null 2>&1; cat "$B/gen/dce-paths.h" 2>/dev/null; }
h=$(paths PREFIX=/usr DCE_LIBDIR=/usr/lib/dce)
check "dce-paths.h: PREFIX=/usr DCE_LIBDIR=/usr/lib/dce compiled in" \
	sh -c "echo '$h' | grep -qx '#define DCE_INSTALL_LIBDIR \"/usr/lib/dce\"' && echo '$h' | grep -q '/usr/bin/dce-run'"
m1=$(stat -c %Y.%y "$B/gen/dce-paths.h")
sleep 1
h2=$(paths PREFIX=/usr DCE_LIBDIR=/usr/lib/dce DESTDIR="$SCRATCH/stage")
check "  ... DESTDIR changes nothing in it and does not rewrite it (no rebuild when staging)" \
	test "$h2" = "$h" -a "$(stat -c %Y.%y "$B/gen/dce-paths.h")" = "$m1"
h3=$(paths PREFIX=/opt/dce)
check "  ... default DCE_LIBDIR is PREFIX/lib, where bake puts the kernel library" \
	sh -c "echo '$h3' | grep -qx '#define DCE_INSTALL_LIBDIR \"/opt/dce/lib\"'"
n=$(make -n BUILDDIR="$B" PREFIX=/usr DCE_LIBDIR=/usr/lib/dce PYTHONDIR=/usr/lib/python3/dist-packages \
	DESTDIR="$SCRATCH/stage" install 2>/dev/null | grep -E '^\s*(install|printf)' )
check "make -n install PREFIX=/usr DESTDIR=stage: every copy goes under the staging directory" \
	sh -c "echo \"\$0\" | grep -E '^\s*install ' | grep -v -- '-d' | awk '{print \$NF}' | grep -v '^$SCRATCH/stage/' | grep -q . && exit 1 || exit 0" "$n"
check "  ... dce.pc says prefix=/usr, not the staging directory" \
	sh -c "echo \"\$0\" | grep -q \"'prefix=/usr'\" && ! echo \"\$0\" | grep -q \"prefix=$SCRATCH\"" "$n"
check "  ... no .pth file written when staging" sh -c "! make -n BUILDDIR='$B' PREFIX=/usr DESTDIR=/x install 2>/dev/null | grep -q 'install-pth.sh /usr'; make -n BUILDDIR='$B' PREFIX=/usr DESTDIR=/x install 2>/dev/null | grep -q '\"/x\" ] || src/python/install-pth.sh'"

if command -v dh_listpackages >/dev/null && command -v dpkg-parsechangelog >/dev/null; then
	all=$(dh_listpackages 2>/dev/null | sort | xargs)
	check "debian/: dce dce-dev dce-glibc dce-linux-kernel python3-dce [$all]" \
		test "$all" = "dce dce-dev dce-glibc dce-linux-kernel python3-dce"
	few=$(DEB_BUILD_PROFILES="pkg.dce.nokernel pkg.dce.noglibc" dh_listpackages 2>/dev/null | sort | xargs)
	check "  ... profiles pkg.dce.nokernel pkg.dce.noglibc leave the kernel library and glibc-dce out [$few]" \
		test "$few" = "dce dce-dev python3-dce"
	check "  ... the changelog parses" sh -c "dpkg-parsechangelog -S Version | grep -q ."
	dirs="usr/bin usr/lib/libdce.a usr/lib/pkgconfig/dce.pc usr/include usr/share/dce/examples usr/share/doc/dce
usr/lib/python3/dist-packages/dce usr/lib/dce/liblinux-6.12.so usr/lib/dce/glibc-dce"
	bad=
	for f in debian/*.install; do
		while read -r pat; do
			[ -n "$pat" ] || continue
			case "$dirs" in *"${pat%%/dce-\*}"*) ;; *) case "$pat" in usr/bin/*) ;; *) bad="$bad $f:$pat" ;; esac ;; esac
		done <"$f"
	done
	check "  ... every debian/*.install names what make install PREFIX=/usr DCE_LIBDIR=/usr/lib/dce creates${bad:+ (not:$bad)}" test -z "$bad"
else
	ok "# skip debian/ checks: debhelper (dh_listpackages) not installed (apt-get install debhelper)"
fi
finish
