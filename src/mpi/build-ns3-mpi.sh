#!/bin/sh
# build-ns3-mpi.sh - ns-3's MPI module and an MPI-enabled point-to-point module, built
# from Debian's ns3 source package (the version of the installed libns3-dev) against
# Debian's OpenMPI and the system's ns-3 headers and libraries.
#
# Usage: src/mpi/build-ns3-mpi.sh [-j N] [--force] [--cached]
# Prints the prefix of the result on stdout (progress on stderr):
#   PREFIX/lib/libns3-mpi.so.37            ns-3's src/mpi (DistributedSimulatorImpl,
#                                          NullMessageSimulatorImpl, MpiInterface, ...)
#   PREFIX/lib/libns3-point-to-point.so.37 src/point-to-point built with NS3_MPI (its
#                                          helper makes PointToPointRemoteChannel links
#                                          between ranks); same soname as the system's,
#                                          so a program linked with -rpath PREFIX/lib
#                                          (DT_RPATH) loads this one instead
#   PREFIX/include/ns3/*.h                 the mpi module's and the remote channel's headers
#   PREFIX/lib/pkgconfig/ns3-mpi.pc
# Only those two modules change when ns-3 is configured with MPI (the rest of ns-3 has no
# NS3_MPI code), and NS3_MPI changes no class layout of point-to-point (it appears only
# in point-to-point-helper.cc), so the rest of Debian's ns-3 is used as installed.
#
# Cache (DCE_NS3_MPI_CACHE, default ~/.cache/dce/ns3-mpi): <hash>/ for one set of inputs
# (ns3 source package version, libns3-dev version, OpenMPI version, this script).
# --cached only prints the prefix when it is built (exit 3 otherwise).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jobs=2
force=0
cached_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--force) force=1; shift ;;
	--cached) cached_only=1; shift ;;
	*) echo "usage: $0 [-j N] [--force] [--cached]" >&2; exit 2 ;;
	esac
done
say() { echo "ns3-mpi: $*" >&2; }
die() { echo "ns3-mpi: error: $*" >&2; exit 1; }

ns3v=$(dpkg-query -W -f '${Version}' libns3-dev 2>/dev/null || true)
[ -n "$ns3v" ] || die "libns3-dev is not installed (apt-get install libns3-dev)"
mpiv=$(dpkg-query -W -f '${Version}' libopenmpi-dev 2>/dev/null || true)
major=$(echo "$ns3v" | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\2/')
cache=${DCE_NS3_MPI_CACHE:-$HOME/.cache/dce/ns3-mpi}
hash=$( (echo "ns3 $ns3v"; echo "openmpi $mpiv"; sha256sum < "$0") | sha256sum | cut -c1-16)
out=$cache/$hash
if [ $force = 0 ] && [ -f "$out/done" ]; then echo "$out"; exit 0; fi
[ $cached_only = 1 ] && exit 3
[ -n "$mpiv" ] && command -v mpicxx >/dev/null ||
	die "OpenMPI is not installed (apt-get install libopenmpi-dev openmpi-bin)"

start=$(date +%s)
work=$cache/work-$hash
rm -rf "$work" "$out"
mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial" "$work/src"
# Debian's source archive through a private apt configuration (the host's is untouched).
cat > "$work/apt/sources.list.d/ns3-src.sources" <<SRC
Types: deb-src
URIs: ${DCE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
aptopt="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$work/apt/sources.list.d -o Dir::State::Lists=$work/apt/lists"
orig=${DCE_NS3_ORIG_TARBALL:-}
if [ -z "$orig" ]; then
	say "fetching Debian's ns3 $ns3v source"
	# shellcheck disable=SC2086
	apt-get -q $aptopt update >&2 || die "apt-get update of a private deb-src list failed (is deb.debian.org reachable? set DCE_DEBIAN_MIRROR)"
	# shellcheck disable=SC2086
	(cd "$work/src" && apt-get -q $aptopt source --download-only "ns3=$ns3v" >&2) ||
		die "apt-get source ns3=$ns3v failed"
	orig=$(ls "$work"/src/ns3_*.orig.tar.* | head -1)
fi
tar -C "$work/src" -xf "$orig" --wildcards '*/src/mpi/model/*' '*/src/point-to-point/model/*' '*/src/point-to-point/helper/*'
ns3src=$(ls -d "$work"/src/*/ns-3.* | head -1)

mkdir -p "$work/inc/ns3" "$work/obj"
cp "$ns3src"/src/mpi/model/*.h "$ns3src"/src/point-to-point/model/*.h \
	"$ns3src"/src/point-to-point/helper/*.h "$work/inc/ns3/"
# As Debian's build (release profile, logs on), plus MPI.
flags="-std=c++17 -O2 -fPIC -DNS3_BUILD_PROFILE_RELEASE -DNS3_LOG_ENABLE -DNS3_MPI -I$work/inc -I/usr/include/libxml2"
compile() { # name sources...
	n=$1; shift
	for s in "$@"; do
		o=$work/obj/$n-$(basename "$s" .cc).o
		echo "mpicxx -c $s" >&2
		echo "mpicxx $flags -c $s -o $o"
	done
}
{
	compile mpi "$ns3src"/src/mpi/model/*.cc
	compile p2p "$ns3src"/src/point-to-point/model/*.cc "$ns3src"/src/point-to-point/helper/*.cc
} > "$work/jobs"
xargs -P "$jobs" -I{} sh -c '{}' < "$work/jobs" >&2 || die "compiling ns-3's mpi/point-to-point failed"

mkdir -p "$out.tmp/lib/pkgconfig" "$out.tmp/include/ns3"
libs="-lns3-network -lns3-core"
mpicxx -shared -o "$out.tmp/lib/libns3-mpi.so.$major" -Wl,-soname,libns3-mpi.so.$major \
	"$work"/obj/mpi-*.o $libs
ln -s "libns3-mpi.so.$major" "$out.tmp/lib/libns3-mpi.so"
mpicxx -shared -o "$out.tmp/lib/libns3-point-to-point.so.$major" \
	-Wl,-soname,libns3-point-to-point.so.$major "$work"/obj/p2p-*.o \
	-L"$out.tmp/lib" -lns3-mpi $libs -Wl,-rpath,"$out/lib"
ln -s "libns3-point-to-point.so.$major" "$out.tmp/lib/libns3-point-to-point.so"
for h in mpi-interface.h mpi-receiver.h parallel-communication-interface.h \
	distributed-simulator-impl.h null-message-simulator-impl.h point-to-point-remote-channel.h; do
	cp "$work/inc/ns3/$h" "$out.tmp/include/ns3/"
done
printf '%s\n' '#include "mpi-interface.h"' '#include "mpi-receiver.h"' \
	'#include "parallel-communication-interface.h"' > "$out.tmp/include/ns3/mpi-module.h"
mpiflags=$(mpicxx --showme:compile)
mpilibs=$(mpicxx --showme:link)
cat > "$out.tmp/lib/pkgconfig/ns3-mpi.pc" <<PC
prefix=$out
Name: ns3-mpi
Description: ns-3 $ns3v mpi module and MPI-enabled point-to-point (built by dce)
Version: $ns3v
Requires: ns3-core ns3-network
Cflags: -DNS3_MPI -I\${prefix}/include $mpiflags
Libs: -L\${prefix}/lib -Wl,--disable-new-dtags -Wl,-rpath,\${prefix}/lib -lns3-mpi -lns3-point-to-point $mpilibs
PC
echo "ns3 $ns3v openmpi $mpiv" > "$out.tmp/inputs"
mv "$out.tmp" "$out"
touch "$out/done"
rm -rf "$work"
say "built in $(( $(date +%s) - start )) s: $out"
echo "$out"
