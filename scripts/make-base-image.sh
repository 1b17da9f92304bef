#!/usr/bin/env bash
# scripts/make-base-image.sh - build the Debian 12 (bookworm) base image of the
# Dockerfile without any container registry: debootstrap a minimal bookworm from
# Debian's archive and `docker import` it under the name the Dockerfile expects
# (its BASE_IMAGE default, dce-base:bookworm).
#
#   sudo scripts/make-base-image.sh [--force] [NAME]
#
# NAME defaults to $DCE_BASE_IMAGE or dce-base:bookworm. An existing image of that
# name is kept (the script says so and exits 0) unless --force is given.
# Environment:
#   DCE_DEBIAN_MIRROR  archive to debootstrap from (default: http://deb.debian.org/debian)
#   DCE_BASE_CACHE     where debootstrap keeps the .deb files it downloads, so a second
#                      run (or a rebuilt machine with the same disk) downloads nothing
#                      (default: /var/cache/dce-base)
# Needs root, debootstrap and a running docker engine (see docs/packaging.md).
# With a registry reachable you can skip this script and use the digest-pinned
# official image instead: docker build --build-arg BASE_IMAGE=debian:bookworm-slim@sha256:...
set -euo pipefail
force=0
name=${DCE_BASE_IMAGE:-dce-base:bookworm}
for a in "$@"; do
	case "$a" in
	--force) force=1 ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	-*) echo "make-base-image: unknown option $a" >&2; exit 2 ;;
	*) name=$a ;;
	esac
done
mirror=${DCE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${DCE_BASE_CACHE:-/var/cache/dce-base}

if [ "$force" = 0 ] && docker image inspect "$name" >/dev/null 2>&1; then
	echo "make-base-image: $name exists ($(docker image inspect -f '{{.Created}}' "$name")); --force rebuilds it"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "make-base-image: needs root (debootstrap)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
	echo "make-base-image: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
docker info >/dev/null 2>&1 || { echo "make-base-image: no docker engine (start dockerd, see docs/packaging.md)" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$cache"
root=$(mktemp -d "${TMPDIR:-/var/tmp}/dce-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
echo "make-base-image: debootstrap --variant=minbase bookworm from $mirror (debs cached in $cache)"
if ! debootstrap --variant=minbase --cache-dir="$cache" bookworm "$root/rootfs" "$mirror" >"$root/debootstrap.log" 2>&1; then
	tail -20 "$root/debootstrap.log" >&2
	echo "make-base-image: debootstrap failed (full log above)" >&2
	exit 1
fi
r=$root/rootfs
# Same apt sources as the official debian:bookworm image (deb822), on the mirror used.
security=${DCE_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
rm -f "$r/etc/apt/sources.list"
cat >"$r/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
# Container conventions of the official image: no recommends, no docs, clean caches.
cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CONF
echo 'APT::Install-Recommends "false";' >"$r/etc/apt/apt.conf.d/docker-no-recommends"
cat >"$r/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
CONF
# Reproducible: the same archive state gives the same image digest. The time is the
# archive's (the Date of bookworm's Release file, or SOURCE_DATE_EPOCH), files
# that record the build moment or host are removed or emptied, every mtime is
# clamped to that time, the tar is sorted, and the image config is written here
# (docker import would stamp the current time into it) and loaded with docker load.
release=$(ls "$r"/var/lib/apt/lists/*_bookworm_InRelease "$r"/var/lib/apt/lists/*_bookworm_Release 2>/dev/null | head -1)
epoch=${SOURCE_DATE_EPOCH:-$(date -d "$(sed -n 's/^Date: //p' "$release" | head -1)" +%s)}
# The package list with exact versions, kept in the image (/usr/share/dce-base/packages).
mkdir -p "$r/usr/share/dce-base"
chroot "$r" dpkg-query -W -f '${Package}=${Version}\n' | LC_ALL=C sort >"$r/usr/share/dce-base/packages"
rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb "$r"/var/log/*.log "$r"/tmp/*
rm -rf "$r"/var/cache/ldconfig/aux-cache "$r"/var/cache/debconf/*-old "$r"/var/lib/dpkg/*-old \
	"$r"/var/log/apt/* "$r"/var/log/bootstrap.log "$r"/var/lib/apt/extended_states.old "$r"/root/.bash_history
: >"$r/etc/machine-id"
rm -f "$r/var/lib/dbus/machine-id"
# last password change, in days: the archive's day, not today's
days=$((epoch / 86400))
sed -i -E "s/^([^:]*:[^:]*:)[0-9]+:/\1$days:/" "$r/etc/shadow"
[ -f "$r/etc/shadow-" ] && sed -i -E "s/^([^:]*:[^:]*:)[0-9]+:/\1$days:/" "$r/etc/shadow-"
version=$(cat "$r/etc/debian_version")
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
echo "make-base-image: packing (Debian $version, archive time $created)"
img=$root/image
mkdir -p "$img"
tar --sort=name --numeric-owner --mtime="@$epoch" --clamp-mtime \
	--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
	--format=posix -C "$r" -cf "$img/layer.tar" .
diff_id=$(sha256sum "$img/layer.tar" | cut -d' ' -f1)
cat >"$img/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],"Cmd":["bash"],"Labels":{"org.opencontainers.image.title":"dce-base","org.opencontainers.image.version":"$version","org.opencontainers.image.created":"$created","dce.base.mirror":"$mirror"}},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created":"$created","created_by":"scripts/make-base-image.sh: debootstrap --variant=minbase bookworm"}]}
JSON
config_id=$(sha256sum "$img/config.json" | cut -d' ' -f1)
mv "$img/config.json" "$img/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]\n' "$config_id" "$name" >"$img/manifest.json"
tar --sort=name --mtime="@$epoch" -C "$img" -cf - manifest.json "$config_id.json" layer.tar | docker load >/dev/null
echo "make-base-image: $name ready: sha256:$config_id ($(( $(date +%s) - start )) s, $(docker image inspect -f '{{.Size}}' "$name" | awk '{printf "%d MB", $1/1e6}'))"
