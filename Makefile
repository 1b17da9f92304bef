# dce - one build entry point. Out-of-tree: objects go to $(BUILDDIR).
#   make                 build libdce.a and dce-run into build/dce
#   make install PREFIX=...
#   make check           the whole test suite (same as test/run)
# make MPI=1: distributed runs on ns-3's MPI simulator (docs/mpi.md), built into
# build/dce-mpi against ns-3's mpi module from src/mpi/build-ns3-mpi.sh (cached).
ifneq ($(MPI),)
BUILDDIR ?= build/dce-mpi
endif
BUILDDIR ?= build/dce
# one spelling of each object's path, relative inside the tree: the compiler's .d
# files name their targets as they were built, and make matches those names as
# written (BUILDDIR=$PWD/build/x and build/x would otherwise never see each other's
# header dependencies, and a changed header left stale objects behind)
override BUILDDIR := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILDDIR)))
PREFIX   ?= build/install
CC       ?= gcc
CXX      ?= g++
NS3_MODULES := ns3-core ns3-network ns3-internet ns3-point-to-point ns3-csma ns3-applications ns3-wifi ns3-mobility
NS3_CFLAGS := $(filter-out -I/usr%;,$(shell pkg-config --cflags $(NS3_MODULES) 2>/dev/null))
NS3_LIBS   := $(shell pkg-config --libs $(NS3_MODULES) 2>/dev/null)
ifneq ($(MPI),)
NS3_MPI_PREFIX := $(if $(filter 1,$(MPI)),$(shell $(CURDIR)/src/mpi/build-ns3-mpi.sh --cached),$(MPI))
ifeq ($(NS3_MPI_PREFIX),)
$(error ns-3's MPI module is not built: run src/mpi/build-ns3-mpi.sh first (docs/mpi.md))
endif
NS3_MPI_PC := PKG_CONFIG_PATH=$(NS3_MPI_PREFIX)/lib/pkgconfig pkg-config
NS3_CFLAGS += $(patsubst -I%,-isystem %,$(filter-out -I/usr%;,$(shell $(NS3_MPI_PC) --cflags ns3-mpi)))
NS3_LIBS   := $(shell $(NS3_MPI_PC) --libs ns3-mpi) $(NS3_LIBS)
MPI_SRC    := src/mpi/mpi-ns3.cc
else
MPI_SRC    := src/mpi/mpi-none.cc
endif
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
LDFLAGS  ?=
# make SANITIZE=1: AddressSanitizer + UndefinedBehaviorSanitizer for dce itself
# (the simulated programs are stock binaries and stay uninstrumented).
ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer
CFLAGS += $(SAN)
CXXFLAGS += $(SAN)
LDFLAGS += $(SAN)
endif
ALL_CFLAGS   := -std=gnu11 $(WARN) -fno-strict-aliasing -D_GNU_SOURCE $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 $(WARN) -Wno-unused-parameter $(NS3_CFLAGS) $(CXXFLAGS)

C_SRCS := $(wildcard src/core/*.c src/loader/*.c src/libc-ns3/*.c src/libc-ns3/net/*.c)
S_SRCS := $(wildcard src/core/*.S src/libc-ns3/*.S)
VDSO := $(BUILDDIR)/vdso/dce-vdso.so
CXX_SRCS := $(wildcard src/ns3/*.cc src/ns3/model/*.cc src/ns3/helper/*.cc src/ns3/net/*.cc src/scenario/*.cc) $(MPI_SRC) src/mpi/rank.cc src/mpi/pcap-order.cc
CORE_OBJS := $(C_SRCS:%.c=$(BUILDDIR)/%.o) $(S_SRCS:%.S=$(BUILDDIR)/%.o) $(CXX_SRCS:%.cc=$(BUILDDIR)/%.o)
LIB := $(BUILDDIR)/libdce.a
RUN := $(BUILDDIR)/dce-run
# dce-nuse: the C core on the real-time engine (src/rt), without ns-3 (docs/nuse.md)
NUSE := $(BUILDDIR)/dce-nuse
NUSE_OBJS := $(BUILDDIR)/src/nuse/dce-nuse.o $(BUILDDIR)/src/nuse/no-ns3.o $(BUILDDIR)/src/rt/rt.o \
  $(C_SRCS:%.c=$(BUILDDIR)/%.o) $(S_SRCS:%.S=$(BUILDDIR)/%.o)

# Small programs of our own that tests run inside the simulation (ordinary PIE
# binaries against the system glibc, like any Debian program).
PROG_SRCS := $(wildcard test/programs/*.c)
PROGS := $(PROG_SRCS:test/programs/%.c=$(BUILDDIR)/test-programs/%)

BENCH_BINS := $(BUILDDIR)/bench/fiber-switch $(BUILDDIR)/bench/syscall-loop $(BUILDDIR)/bench/fork-exec

# ns-3 scenarios under examples/, built against the in-tree headers:
# "ns3/dce-module.h" as in ns-3-dce.
EX_SRCS := $(wildcard examples/*.cc) $(if $(MPI),$(wildcard examples/mpi/*.cc))
EXAMPLES := $(EX_SRCS:examples/%.cc=$(BUILDDIR)/examples/%)
INC := $(BUILDDIR)/include

# The scenario layer's model (no ns-3) also goes into the Python module `dce`, which
# runs a scenario by executing the installed dce-run on the file it saves.
SCEN_MODEL := src/scenario/scenario.cc src/scenario/values.cc src/scenario/yaml.cc src/scenario/partition.cc
PY_INC := $(shell pkg-config --cflags python3 2>/dev/null)
PYMOD := $(BUILDDIR)/python/dce/_dce.so
PYPKG := $(BUILDDIR)/python/dce/__init__.py

.PHONY: all install check clean programs bench-bins examples python
all: $(LIB) $(RUN) $(NUSE) programs examples python
python: $(PYMOD) $(PYPKG)
$(PYPKG): src/python/dce/__init__.py
	@mkdir -p $(dir $@)
	cp $< $@
# (objects of their own: the scenario model compiled -fPIC once; dcemodule.o
# again when dce-paths.h changes, i.e. BINDIR)
PY_OBJS := $(SCEN_MODEL:src/scenario/%.cc=$(BUILDDIR)/python/%.o)
$(BUILDDIR)/python/%.o: src/scenario/%.cc
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter -fPIC $(CXXFLAGS) -MMD -MP -c $< -o $@
$(BUILDDIR)/python/dcemodule.o: src/python/dcemodule.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -Wno-unused-parameter -Wno-missing-field-initializers -fPIC $(CFLAGS) $(PY_INC) \
	  -DDCE_RUN_PATH='"$(abspath $(BINDIR))/dce-run"' -DDCE_RUN_BUILD='"$(abspath $(RUN))"' \
	  -MMD -MP -c $< -o $@
$(PYMOD): $(BUILDDIR)/python/dcemodule.o $(PY_OBJS)
	$(CXX) -shared $(LDFLAGS) -o $@ $^ -lyaml
examples: $(EXAMPLES)

$(INC)/ns3/dce-module.h: src/ns3/dce-module.h $(wildcard src/ns3/compat/*.h)
	@mkdir -p $(INC)/ns3
	ln -sfn $(CURDIR)/src/ns3 $(INC)/ns3/dce
	cp src/ns3/compat/*.h $(INC)/ns3/
	cp $< $@

# Where the install tree keeps the kernel library and glibc-dce (DCE_LIBDIR, see
# the install section), compiled into libdce so that scenarios built out of the
# tree need no DCE_* variables; the Python module compiles in BINDIR's dce-run.
# Rewritten only when those paths change (PREFIX, not DESTDIR).
PATHS_H := $(BUILDDIR)/gen/dce-paths.h
$(PATHS_H): FORCE
	@mkdir -p $(dir $@)
	@# one temporary file per make: test/run -j runs several makes at once
	@t=$@.$$$$.tmp; printf '#define DCE_INSTALL_LIBDIR "%s"\n/* dce-run: %s */\n' \
	  '$(abspath $(DCE_LIBDIR))' '$(abspath $(BINDIR))/dce-run' > $$t; \
	  cmp -s $$t $@ && rm -f $$t || mv $$t $@
$(BUILDDIR)/src/ns3/helper/dce-manager-helper.o: $(PATHS_H)
$(BUILDDIR)/python/dcemodule.o: $(PATHS_H)
$(BUILDDIR)/src/ns3/helper/dce-manager-helper.o: ALL_CXXFLAGS += -I$(BUILDDIR)/gen
.PHONY: FORCE

# examples as objects (recompiled when they or the headers they include change),
# linked again when libdce.a changes
$(BUILDDIR)/examples-obj/%.o: examples/%.cc $(INC)/ns3/dce-module.h
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -I$(INC) -MMD -MP -c $< -o $@
.PRECIOUS: $(BUILDDIR)/examples-obj/%.o
$(BUILDDIR)/examples/%: $(BUILDDIR)/examples-obj/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $< -o $@ $(LIB) $(NS3_LIBS)
programs: $(PROGS)
bench-bins: $(BENCH_BINS)

$(BUILDDIR)/bench/fiber-switch: bench/fiber-switch.c $(BUILDDIR)/src/core/fiber.o $(BUILDDIR)/src/core/fiber_switch.o
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) $^ -o $@ -pthread
$(BUILDDIR)/bench/syscall-loop: bench/syscall-loop.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) $< -o $@
$(BUILDDIR)/bench/fork-exec: bench/fork-exec.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) $< -o $@

$(BUILDDIR)/test-programs/%: test/programs/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -pthread $< -o $@ -lm

$(BUILDDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILDDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -MMD -MP -c $< -o $@

# dce's vDSO: freestanding, no relocations; embedded into libdce by vdso_blob.S.
$(VDSO): src/libc-ns3/vdso/vdso.c src/libc-ns3/vdso/vdso.lds src/libc-ns3/vdso/vdso-layout.lds
	@mkdir -p $(dir $@)
	$(CC) -O2 -fPIC -ffreestanding -fno-stack-protector -fno-builtin -nostdlib -shared \
	  -Wl,--version-script=src/libc-ns3/vdso/vdso.lds -Wl,--hash-style=both \
	  -Wl,-T,src/libc-ns3/vdso/vdso-layout.lds \
	  -Wl,-soname=linux-vdso.so.1 -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack $(WARN) $< -o $@
$(BUILDDIR)/src/libc-ns3/vdso_blob.o: src/libc-ns3/vdso_blob.S $(VDSO)
	@mkdir -p $(dir $@)
	$(CC) -DDCE_VDSO_PATH='"$(VDSO)"' -c $< -o $@
$(BUILDDIR)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJS)
	rm -f $@
	ar rcs $@ $^

$(RUN): $(BUILDDIR)/src/cli/dce-run.o $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(NS3_LIBS) -lyaml

$(NUSE): $(NUSE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the layout of the field's
# software. PREFIX (and the directories below) are compiled in: dce-paths.h tells
# libdce where the kernel library and glibc-dce are, the Python module where
# dce-run is, dce.pc where the headers are. DESTDIR only stages the copy (a
# package build: make install PREFIX=/usr DESTDIR=debian/tmp).
#   BINDIR       dce-run and the example scenarios (dce-iperf3, ...)
#   LIBDIR       libdce.a, pkgconfig/dce.pc
#   DCE_LIBDIR   the kernel library (liblinux-6.12.so) and glibc-dce/ (default:
#                LIBDIR, where bake puts them; Debian: /usr/lib/dce, private)
#   INCLUDEDIR   dce/ (C API, scenario.h) and ns3/ (ns-3-dce compatible headers)
#   DATADIR      dce/examples (scenario files, Python examples), doc/dce
#   PYTHONDIR    the directory that gets the package dce/ (default LIBDIR/python3,
#                made visible with a .pth file when DESTDIR is empty; Debian:
#                /usr/lib/python3/dist-packages, no .pth)
# KERNEL_LIB and GLIBC_DCE name the slow modules' results to install (default:
# what bake built into build/install/lib); left out when absent.
DESTDIR      ?=
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
DCE_LIBDIR   ?= $(LIBDIR)
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
DOCDIR       ?= $(DATADIR)/doc/dce
PYTHONDIR    ?= $(LIBDIR)/python3
KERNEL_LIB   ?= build/install/lib/liblinux-6.12.so
GLIBC_DCE    ?= build/install/lib/glibc-dce
DCE_VERSION  ?= $(or $(shell git describe --tags 2>/dev/null | sed 's/^v//'),0.1)
D = $(DESTDIR)
# copy $(1) to directory $(2) unless it is already there (PREFIX=build/install)
same = [ "$$(realpath -m $(1))" = "$$(realpath -m $(2)/$(notdir $(1)))" ]
install: all
	install -d $(D)$(BINDIR) $(D)$(LIBDIR)/pkgconfig $(D)$(INCLUDEDIR)/dce \
	  $(D)$(INCLUDEDIR)/ns3/dce/helper $(D)$(INCLUDEDIR)/ns3/dce/model \
	  $(D)$(DATADIR)/dce/examples $(D)$(DOCDIR) $(D)$(PYTHONDIR)/dce
	install -C -m 755 $(RUN) $(NUSE) $(EXAMPLES) $(D)$(BINDIR)/
	install -C -m 644 $(LIB) $(D)$(LIBDIR)/
	install -C -m 644 src/core/dce.h src/scenario/scenario.h $(D)$(INCLUDEDIR)/dce/
	install -C -m 644 src/ns3/dce-module.h src/ns3/compat/*.h $(D)$(INCLUDEDIR)/ns3/
	install -C -m 644 src/ns3/helper/*.h $(D)$(INCLUDEDIR)/ns3/dce/helper/
	install -C -m 644 src/ns3/model/*.h $(D)$(INCLUDEDIR)/ns3/dce/model/
	install -C -m 644 examples/*.yaml examples/*.py examples/*.cc $(D)$(DATADIR)/dce/examples/
	@# the docs, where the tree has them (the image builds before it copies docs/)
	@if [ -f README.md ]; then echo "install README.md docs/*.md -> $(D)$(DOCDIR)/"; install -m 644 README.md $$(ls docs/*.md 2>/dev/null) $(D)$(DOCDIR)/; fi
	install -C -m 644 $(PYMOD) $(PYPKG) $(D)$(PYTHONDIR)/dce/
	@# the slow modules (advanced mode), when built
	@if [ -f "$(KERNEL_LIB)" ] && ! $(call same,$(KERNEL_LIB),$(D)$(DCE_LIBDIR)); then \
	  echo "install $(KERNEL_LIB) -> $(D)$(DCE_LIBDIR)/"; \
	  install -d $(D)$(DCE_LIBDIR) && install -C -m 644 $(KERNEL_LIB) $(D)$(DCE_LIBDIR)/; fi
	@if [ -f "$(GLIBC_DCE)/libc.so.6" ] && ! $(call same,$(GLIBC_DCE),$(D)$(DCE_LIBDIR)); then \
	  echo "install $(GLIBC_DCE) -> $(D)$(DCE_LIBDIR)/glibc-dce/"; \
	  install -d $(D)$(DCE_LIBDIR)/glibc-dce && install -C -m 644 $(GLIBC_DCE)/* $(D)$(DCE_LIBDIR)/glibc-dce/; fi
	@# a .pth file so that python3 finds the module with no variables (not when staging)
	@[ -n "$(DESTDIR)" ] || src/python/install-pth.sh $(abspath $(PYTHONDIR))
	printf '%s\n' 'prefix=$(abspath $(PREFIX))' 'libdir=$(abspath $(LIBDIR))' 'includedir=$(abspath $(INCLUDEDIR))' '' \
	  'Name: dce' 'Description: Direct Code Execution: real Linux programs on ns-3 nodes' 'Version: $(DCE_VERSION)' \
	  'Requires: $(NS3_MODULES)' 'Cflags: -std=c++17 -DKERNEL_STACK=Y -I$${includedir}' 'Libs: $${libdir}/libdce.a' \
	  > $(D)$(LIBDIR)/pkgconfig/dce.pc

check: all
	test/run

clean:
	rm -rf $(BUILDDIR)

-include $(shell find $(BUILDDIR) -name '*.d' 2>/dev/null)
