# dce as a container image: Debian 12 (bookworm), dce built by bake, run as a
# non-root user; outputs go to /output (mount the host's volumes/output/ there).
# See docs/packaging.md. Layers, cheapest to invalidate last:
#   1. system packages   (apt, the versions of ci/image-packages.lock; changes only
#                         with this file, the lock or EXTRA_PACKAGES)
#   2. sources           (bake/, bakeconf.xml, src/kernel, src/glibc: bake configure
#                         + download; the local modules' sources must be there)
#   3. kernel library    (the slow modules: liblinux-6.12.so, glibc-dce; empty for
#                         dce-ns3-dev), keyed by the same inputs
#   4. dce itself        (src/, examples/, test/programs, Makefile)
#   5. the rest          (test/, bench/, ci/, docs/: no rebuild)
# so editing src/ rebuilds layer 4 only.
#
# Base image, pinned Debian 12:
#  - no registry (our machines): `sudo scripts/make-base-image.sh` debootstraps a
#    minimal bookworm from Debian's archive and imports it as dce-base:bookworm,
#    the default below.
#  - with a registry: the official image pinned by digest, e.g.
#      docker build --build-arg BASE_IMAGE=debian:bookworm-slim@sha256:<digest> .
#    (ci/env holds the digest CI uses; DCE_BASE_IMAGE in docker-compose.yml).
# Builds with the classic builder and with BuildKit (no Dockerfile extensions).
ARG BASE_IMAGE=dce-base:bookworm

# The slow modules' sources (src/kernel/: the kernel library, arch/dce; src/glibc/:
# glibc-dce) on their own, so that layer 3 depends on them only: a file edited
# elsewhere in src/ leaves this copy identical. (Empty while they do not exist.)
FROM ${BASE_IMAGE} AS kernel-src
COPY src/ /tmp/src/
RUN mkdir -p /k && for d in kernel glibc; do \
      if [ -d /tmp/src/$d ]; then cp -a /tmp/src/$d /k/; fi; done

FROM ${BASE_IMAGE}

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# 1. System packages: ci/image-packages (bake's own needs, what bakeconf.xml's
#    dce-ns3-dev set needs, kept in step with it: step 2 installs anything added
#    to bakeconf.xml since; what the tests and benchmarks use) at the exact
#    versions of ci/image-packages.lock (written by ci/pin-packages). A version the
#    archive no longer has stops the build with the command to run.
#    EXTRA_PACKAGES: more, at the archive's versions (CI adds clang).
ARG EXTRA_PACKAGES=
COPY ci/image-packages.lock /usr/local/share/dce/image-packages.lock
RUN apt-get update -qq \
 && pins=$(grep -v '^#' /usr/local/share/dce/image-packages.lock) \
 && { apt-get install -y -qq --no-install-recommends $pins ${EXTRA_PACKAGES} >/tmp/apt.log 2>&1 \
      || { grep -E '^E:' /tmp/apt.log; ! grep -q 'was not found' /tmp/apt.log \
           || echo "dce: the archive no longer has a version ci/image-packages.lock records: run ci/pin-packages and commit ci/image-packages.lock" >&2; \
           exit 1; }; } \
 && rm -rf /var/lib/apt/lists/* /tmp/apt.log

# The user that builds and runs dce (uid 1000 by default: the usual first user of a
# Linux desktop, so files in volumes/output/ are yours). /dce is the source tree.
ARG DCE_UID=1000
RUN groupadd --gid "${DCE_UID}" dce \
 && useradd --uid "${DCE_UID}" --gid dce --create-home --shell /bin/bash dce \
 && install -d -o dce -g dce /dce /dce/build /output

# 2. Sources: bake, the module graph and the slow modules' local sources (bake
#    download checks that every local module's directory exists). The set:
#    dce-ns3-dev by default; --build-arg DCE_SET=dce-linux-dev adds advanced mode
#    (the Linux kernel library and glibc-dce: ~20 min more, cold, unless seeded).
ARG DCE_SET=dce-ns3-dev
# Optional modules left out of the image (tshark: ~100 MB, only reads pcaps).
ARG DCE_DISABLE=tshark
ARG JOBS=
COPY --chown=dce:dce scripts/docker-build-step.sh /usr/local/lib/dce/docker-build-step.sh
COPY --chown=dce:dce bake/ /dce/bake/
COPY --chown=dce:dce bakeconf.xml /dce/
RUN /usr/local/lib/dce/docker-build-step.sh missing-packages "${DCE_SET}"
COPY --from=kernel-src --chown=dce:dce /k/ /dce/src/
USER dce
WORKDIR /dce
RUN /usr/local/lib/dce/docker-build-step.sh sources "${DCE_SET}"

# 3. Kernel library: the set's slow modules (DCE_SLOW_MODULES: linux-kernel-lib
#    from src/kernel/, glibc-dce from src/glibc/) that the set has; a no-op for
#    dce-ns3-dev. Their build scripts cache results in ~/.cache/dce by the hash of
#    their inputs: volumes/dce-cache/ (empty in a clone) may hold such results
#    (kernel/<hash>/, glibc/<key>/, e.g. copied from the host's ~/.cache/dce), and
#    then nothing is rebuilt; a result whose inputs differ is simply not used.
ARG DCE_SLOW_MODULES="linux-kernel-lib glibc-dce"
COPY --chown=dce:dce volumes/dce-cache/ /home/dce/.cache/dce/
RUN /usr/local/lib/dce/docker-build-step.sh kernel "${DCE_SET}"

# 4. dce itself.
COPY --chown=dce:dce Makefile /dce/
COPY --chown=dce:dce examples/ /dce/examples/
COPY --chown=dce:dce test/programs/ /dce/test/programs/
COPY --chown=dce:dce src/ /dce/src/
RUN /usr/local/lib/dce/docker-build-step.sh dce "${DCE_SET}"

# 5. Everything else the tests, benchmarks, CI and users read; no rebuild.
COPY --chown=dce:dce test/ /dce/test/
COPY --chown=dce:dce bench/ /dce/bench/
COPY --chown=dce:dce ci/ /dce/ci/
COPY --chown=dce:dce docs/ /dce/docs/
COPY --chown=dce:dce README.md /dce/
COPY scripts/docker-entrypoint.sh /usr/local/bin/dce-entrypoint
# Confinement (docs/security.md): dce puts each run in its own user/mount/network
# namespaces, which Docker's default seccomp profile refuses ("unshare: Operation
# not permitted"; checked: test/packaging-slow). In the image the container is the
# confinement, so DCE_CONFINE=0 turns dce's own off (namespaces and its seccomp
# filter) instead of a warning on every run. To have both layers:
#   docker run --security-opt seccomp=unconfined -e DCE_CONFINE=1 ...
# (compose: security_opt: [seccomp=unconfined], DCE_CONFINE=1 in environment).
ENV PATH=/dce/build/install/bin:$PATH DCE_OUT=/output DCE_CONFINE=0
# The entry point starts as root, prepares /output for DCE_UID (default: the
# owner of /output, else 1000, the user dce) and runs everything as that user.
USER root
# What the image is (last, so a new version rebuilds no layer above): dce, its
# version (git describe) and the dependency hash of its slow modules (ci/deps-hash).
ARG DCE_VERSION=unknown
ARG DCE_DEPS_HASH=unknown
LABEL org.opencontainers.image.title=dce \
      org.opencontainers.image.description="Direct Code Execution: real Linux programs on ns-3 nodes" \
      org.opencontainers.image.version="${DCE_VERSION}" \
      dce.set="${DCE_SET}" \
      dce.deps-hash="${DCE_DEPS_HASH}"
VOLUME ["/output"]
ENTRYPOINT ["/usr/local/bin/dce-entrypoint"]
CMD ["example"]
