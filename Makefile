# dce - one build entry point. Out-of-tree: objects go to $(BUILDDIR).
#   make                 build libdce.a and dce-run into build/dce
#   make install PREFIX=...
#   make check           the whole test suite (same as test/run)
BUILDDIR ?= build/dce
PREFIX   ?= build/install
CC       ?= gcc
CXX      ?= g++
NS3_MODULES := ns3-core ns3-network ns3-internet ns3-point-to-point ns3-csma ns3-applications ns3-wifi ns3-mobility
NS3_CFLAGS := $(filter-out -I/usr%;,$(shell pkg-config --cflags $(NS3_MODULES) 2>/dev/null))
NS3_LIBS   := $(shell pkg-config --libs $(NS3_MODULES) 2>/dev/null)
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
CXX_SRCS := $(wildcard src/ns3/*.cc src/ns3/model/*.cc src/ns3/helper/*.cc src/ns3/net/*.cc src/scenario/*.cc)
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

BENCH_BINS := $(BUILDDIR)/bench/fiber-switch $(BUILDDIR)/bench/syscall-loop

# ns-3 scenarios under examples/, built against the in-tree headers:
# "ns3/dce-module.h" as in ns-3-dce.
EX_SRCS := $(wildcard examples/*.cc)
EXAMPLES := $(EX_SRCS:examples/%.cc=$(BUILDDIR)/examples/%)
INC := $(BUILDDIR)/include

# The scenario layer's model (no ns-3) also goes into the Python module `dce`, which
# runs a scenario by executing the installed dce-run on the file it saves.
SCEN_MODEL := src/scenario/scenario.cc src/scenario/values.cc src/scenario/yaml.cc
PY_INC := $(shell pkg-config --cflags python3 2>/dev/null)
PYMOD := $(BUILDDIR)/python/dce/_dce.so
PYPKG := $(BUILDDIR)/python/dce/__init__.py
ABS_PREFIX = $(abspath $(PREFIX))

.PHONY: all install check clean programs bench-bins examples python
all: $(LIB) $(RUN) $(NUSE) programs examples python
python: $(PYMOD) $(PYPKG)
$(PYPKG): src/python/dce/__init__.py
	@mkdir -p $(dir $@)
	cp $< $@
$(PYMOD): src/python/dcemodule.c $(SCEN_MODEL) src/scenario/scenario.h src/scenario/model.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter -fPIC $(CXXFLAGS) -c src/scenario/scenario.cc -o $(BUILDDIR)/python/scenario.o
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter -fPIC $(CXXFLAGS) -c src/scenario/values.cc -o $(BUILDDIR)/python/values.o
	$(CXX) -std=c++17 $(WARN) -Wno-unused-parameter -fPIC $(CXXFLAGS) -c src/scenario/yaml.cc -o $(BUILDDIR)/python/yaml.o
	$(CC) -std=gnu11 $(WARN) -Wno-unused-parameter -Wno-missing-field-initializers -fPIC $(CFLAGS) $(PY_INC) \
	  -DDCE_RUN_PATH='"$(ABS_PREFIX)/bin/dce-run"' -DDCE_RUN_BUILD='"$(abspath $(RUN))"' \
	  -c src/python/dcemodule.c -o $(BUILDDIR)/python/dcemodule.o
	$(CXX) -shared $(LDFLAGS) -o $@ $(BUILDDIR)/python/dcemodule.o $(BUILDDIR)/python/scenario.o \
	  $(BUILDDIR)/python/values.o $(BUILDDIR)/python/yaml.o -lyaml
examples: $(EXAMPLES)

$(INC)/ns3/dce-module.h: src/ns3/dce-module.h $(wildcard src/ns3/compat/*.h)
	@mkdir -p $(INC)/ns3
	ln -sfn $(CURDIR)/src/ns3 $(INC)/ns3/dce
	cp src/ns3/compat/*.h $(INC)/ns3/
	cp $< $@

# Where the install tree keeps the kernel library and glibc-dce, compiled into
# libdce so that scenarios built out of the tree need no DCE_* variables
# (rewritten only when PREFIX changes).
PATHS_H := $(BUILDDIR)/gen/dce-paths.h
$(PATHS_H): FORCE
	@mkdir -p $(dir $@)
	@printf '#define DCE_INSTALL_LIBDIR "%s/lib"\n' '$(abspath $(PREFIX))' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILDDIR)/src/ns3/helper/dce-manager-helper.o: $(PATHS_H)
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

$(BUILDDIR)/test-programs/%: test/programs/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -pthread $< -o $@ -lm

$(BUILDDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILDDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

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

install: all
	mkdir -p $(PREFIX)/bin $(PREFIX)/lib $(PREFIX)/include/dce
	cp $(RUN) $(NUSE) $(PREFIX)/bin/
	cp $(LIB) $(PREFIX)/lib/
	cp src/core/dce.h $(PREFIX)/include/dce/
	mkdir -p $(PREFIX)/include/ns3/dce/helper $(PREFIX)/include/ns3/dce/model $(PREFIX)/share/dce/examples
	cp src/ns3/dce-module.h $(PREFIX)/include/ns3/
	cp src/ns3/helper/*.h $(PREFIX)/include/ns3/dce/helper/
	cp src/ns3/model/*.h $(PREFIX)/include/ns3/dce/model/
	cp src/ns3/compat/*.h $(PREFIX)/include/ns3/
	cp $(EXAMPLES) $(PREFIX)/bin/ 2>/dev/null || true
	cp src/scenario/scenario.h $(PREFIX)/include/dce/
	cp examples/*.yaml examples/*.py $(PREFIX)/share/dce/examples/ 2>/dev/null || true
	# the Python module, and a .pth file so that python3 finds it with no variables
	mkdir -p $(PREFIX)/lib/python3/dce
	cp $(PYMOD) $(PYPKG) $(PREFIX)/lib/python3/dce/
	src/python/install-pth.sh $(ABS_PREFIX)/lib/python3
	mkdir -p $(PREFIX)/lib/pkgconfig
	printf '%s\n' 'prefix=$(abspath $(PREFIX))' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: dce' 'Description: Direct Code Execution: real Linux programs on ns-3 nodes' 'Version: 0.1' \
	  'Requires: $(NS3_MODULES)' 'Cflags: -std=c++17 -DKERNEL_STACK=Y -I$${includedir}' 'Libs: $${libdir}/libdce.a' \
	  > $(PREFIX)/lib/pkgconfig/dce.pc

check: all
	test/run

clean:
	rm -rf $(BUILDDIR)

-include $(shell find $(BUILDDIR) -name '*.d' 2>/dev/null)
