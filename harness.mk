# SPDX-License-Identifier: GPL-2.0-only
# Build rules of the userland harness; included by the top-level Makefile.
#
# Real kernel files (each mm/*.c, lib/*.c and arch/x86/mm/*.c here includes the file of the
# same name from KDIR) and the kernel-mode models in shims/ are compiled with the flags kbuild
# uses for mm/ in the harness configuration (configs/harness.config), so they see the real
# kernel headers. Only shims/host.c is built against the C library.
#
#   HARNESS_VARIANT  stock (configs/harness.config) or lazy (plus configs/lazy.config:
#                    CONFIG_ANON_VMA_LAZY=y, which needs the series)
#   SAN              asan (AddressSanitizer + UBSan, default), none (for Valgrind) or fuzz
#                    (the libFuzzer target of tests/fuzz, built by clang: see below)
#   HARNESS_OUT      build directory (default build/harness), relative to this directory or
#                    absolute

HARNESS_VARIANT ?= stock
SAN ?= asan
# Where objects go; a second working copy of the harness (another build) can use its own.
HARNESS_OUT ?= build/harness
# A build belongs to one tree: each KDIR, by its real path, has a directory of its own
# (HT), with its kbuild configuration, flags and objects, whose dependency files name that
# tree's sources and headers. Switching KDIR then never compiles against, or keeps the
# objects of, another tree, and switching back to a tree already built rebuilds nothing.
# Within one tree, the flags follow its HEAD (tools/harness-config) and the objects its files.
HARNESS_TREE := $(shell . tools/lib.sh && tree_id '$(KDIR)')
HT := $(abspath $(HARNESS_OUT))/$(HARNESS_TREE)
HB := $(HT)/$(HARNESS_VARIANT)
HO := $(HB)/$(SAN)
HARNESS_FRAGMENTS := configs/harness.config $(if $(filter lazy,$(HARNESS_VARIANT)),configs/lazy.config)

# SAN=fuzz: libFuzzer needs clang's coverage instrumentation, and kbuild's flags differ by
# compiler, so the tree gets a kbuild configuration of its own for clang ($(HB)/clang); the
# gcc builds keep theirs ($(HB)). HC is where the flags come from, HCC what compiles.
FUZZ_CC := clang-19
ifeq ($(SAN),fuzz)
HC := $(HB)/clang
HCC := $(FUZZ_CC)
HARNESS_CONFIG_ARGS := --cc=$(FUZZ_CC)
else
HC := $(HB)
HCC := $(CC)
HARNESS_CONFIG_ARGS :=
endif

REAL_CUS := $(wildcard mm/*.c lib/*.c lib/math/*.c arch/x86/mm/*.c)
SHIM_CUS := $(filter-out shims/host.c,$(wildcard shims/*.c))
# Tests by area, and their library; tests/shims/ holds self-tests of the models, built apart,
# tests/qemu/ programs that run in the guest of make qemu-test, and tests/fuzz/ the libFuzzer
# target, which links only the library and the random sequences (FUZZ_OBJS below).
TEST_CUS := $(filter-out tests/shims/% tests/qemu/% tests/fuzz/%,$(wildcard tests/*/*.c))
KERNEL_OBJS := $(patsubst %.c,$(HO)/%.o,$(REAL_CUS) $(SHIM_CUS) $(TEST_CUS))

# UBSan with the checks of the kernel's own CONFIG_UBSAN defaults (scripts/Makefile.ubsan:
# bounds, strict with gcc, shift, division by zero, unreachable, bool, enum), no more. The
# kernel's code is written for those: it forms &folio->mapping->i_pages for anonymous
# folios, whose mapping is anon_vma | 1 (no alignment check), and &mapping->i_pages with
# mapping NULL in __folio_migrate_mapping() (no null check); a real NULL dereference faults
# under ASan. The checks it does not have (null, pointer overflow, object size, ...) would
# cost a sixth of the compile time.
UBSAN_BOUNDS := $(if $(filter fuzz,$(SAN)),array-bounds,bounds-strict)
SAN_FLAGS_asan := -fsanitize=address -fno-sanitize-recover=all \
	-fsanitize=$(UBSAN_BOUNDS),shift,integer-divide-by-zero,unreachable,bool,enum
SAN_FLAGS_none :=
# The same sanitizers, plus the coverage libFuzzer steers by (the fuzzer's runtime is linked
# into the target only).
SAN_FLAGS_fuzz := -fsanitize=fuzzer-no-link $(SAN_FLAGS_asan)
SAN_FLAGS := $(SAN_FLAGS_$(SAN))

# Debug information: line tables and inlined frames (-g1), all that sanitizer and Valgrind
# reports use, at two thirds of the compile time of -g; HARNESS_DEBUG_INFO=-g adds the
# variables, for a debugger.
HARNESS_DEBUG_INFO ?= -g1
# Our shadow headers come first; then kbuild's flags; then the tree for "mm/x.c" includes.
KERNEL_CFLAGS = -I$(CURDIR)/include $(shell cat $(HC)/kernel.cflags 2>/dev/null) \
	-iquote $(KDIR) -iquote $(CURDIR)/shims -iquote $(CURDIR)/tests/lib \
	-O1 $(HARNESS_DEBUG_INFO) -fno-omit-frame-pointer $(SAN_FLAGS)
# The fuzz target names its symbolizer, so that a replayed input's report has files and lines.
HOST_CFLAGS = -O1 $(HARNESS_DEBUG_INFO) -fno-omit-frame-pointer -Wall -Wextra $(SAN_FLAGS) \
	$(if $(filter fuzz,$(SAN)),-DHARNESS_FUZZ \
	-DHARNESS_SYMBOLIZER='"$(shell $(FUZZ_CC) -print-prog-name=llvm-symbolizer)"')

.PHONY: harness-config harness-objs FORCE
FORCE:

# The targets scripts ask for (harness, valgrind-run, fuzz-target, model-tests) compile in
# parallel, one job per CPU, unless the caller runs make with -j already.
HARNESS_JOBS := $(if $(findstring -j,$(MAKEFLAGS)),,-j$(shell nproc))

$(HC)/kernel.cflags: FORCE
	+@bash tools/harness-config $(HARNESS_CONFIG_ARGS) $(KDIR) $(abspath $(HC)) $(HARNESS_FRAGMENTS)

harness-config: $(HC)/kernel.cflags

# The entry points below configure in a make of their own before they build: within one make,
# an object whose generated headers the configuration rewrites may have had their old times
# read already, and would stay stale until the next make.

# Objects depend on the flags file, whose stamp changes with the tree's HEAD and the fragments,
# on the flags chosen here (HO/harness.flags: debug information and sanitizers, rewritten
# only when they change), and on every shadow header: a new one changes what an existing
# #include finds.
SHADOW_HEADERS := $(shell find include -name '*.h')
$(HO)/harness.flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(HARNESS_DEBUG_INFO) $(SAN_FLAGS)' | cmp -s - $@ || \
		echo '$(HARNESS_DEBUG_INFO) $(SAN_FLAGS)' > $@
$(HO)/%.o: %.c $(HC)/kernel.cflags $(HO)/harness.flags $(SHADOW_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(HCC) $(KERNEL_CFLAGS) -DKBUILD_MODNAME='"$(*F)"' -DKBUILD_BASENAME='"$(*F)"' -MMD -MP -c $< -o $@

$(HO)/shims/host.o: shims/host.c $(HO)/harness.flags
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

harness-objs: $(KERNEL_OBJS) $(HO)/shims/host.o

# The x86 kernel reads current through const_current_task, a linker alias of current_task.
$(HO)/harness: $(KERNEL_OBJS) $(HO)/shims/host.o
	@echo "  LD      $@"
	@$(CC) -no-pie -rdynamic $(SAN_FLAGS) -Wl,--defsym=const_current_task=current_task -o $@ $^

# The libFuzzer target: the real code, the models, the test library and the random
# sequences; libFuzzer provides main() (host.c leaves it out with HARNESS_FUZZ).
FUZZ_OBJS := $(patsubst %.c,$(HO)/%.o,$(REAL_CUS) $(SHIM_CUS) $(wildcard tests/lib/*.c) \
	$(wildcard tests/random/*.c) $(wildcard tests/fuzz/*.c))
$(HO)/fuzz: $(FUZZ_OBJS) $(HO)/shims/host.o
	@echo "  LD      $@"
	@$(HCC) -no-pie -rdynamic -fsanitize=fuzzer $(SAN_FLAGS_asan) \
		-Wl,--defsym=const_current_task=current_task -o $@ $^

# Builds it (with SAN=fuzz), for tests/fuzz/run and make fuzz-long.
.PHONY: fuzz-target
fuzz-target:
	+@$(MAKE) -s SAN=fuzz harness-config
	+@$(MAKE) -s $(HARNESS_JOBS) SAN=fuzz $(HB)/fuzz/fuzz

-include $(shell find $(HO) -name '*.d' 2>/dev/null)

# For the scripts: where the program is built, and the directory of this tree's builds
# (tests/harness keeps its traces there). Both absolute.
.PHONY: print-harness-objdir print-harness-treedir
print-harness-objdir:
	@echo $(HO)
print-harness-treedir:
	@echo $(HT)

# The harness test program; FILTER=area/name runs the matching tests only.
.PHONY: harness
harness:
	+@$(MAKE) --no-print-directory harness-config
	+@$(MAKE) --no-print-directory $(HARNESS_JOBS) $(HO)/harness

# The harness with one deliberate bug, for tools/mutate: the compilation units MUTANT_CUS
# (those whose dependency files name the mutated file) are compiled again with MUTANT_TREE,
# a copy of KDIR that holds the bug, in place of KDIR; every other object is the build of
# KDIR itself, which is built first if needed. The copy is configured as KDIR is, so
# KDIR's kbuild configuration serves it.
MO := $(HO)-mutant
MUTANT_OBJS := $(patsubst %.c,$(MO)/%.o,$(MUTANT_CUS))
MUTANT_CFLAGS = -iquote $(MUTANT_TREE) $(subst $(KDIR)/,$(MUTANT_TREE)/,$(KERNEL_CFLAGS))
$(MO)/%.o: %.c FORCE
	@mkdir -p $(dir $@)
	@echo "  CC      $< (from $(MUTANT_TREE))"
	@$(HCC) $(MUTANT_CFLAGS) -DKBUILD_MODNAME='"$(*F)"' -DKBUILD_BASENAME='"$(*F)"' -c $< -o $@

$(MO)/harness: $(filter-out $(patsubst %.c,$(HO)/%.o,$(MUTANT_CUS)),$(KERNEL_OBJS)) \
		$(MUTANT_OBJS) $(HO)/shims/host.o
	@echo "  LD      $@"
	@$(CC) -no-pie -rdynamic $(SAN_FLAGS) -Wl,--defsym=const_current_task=current_task -o $@ $^

.PHONY: mutant-harness
mutant-harness:
	@test -n "$(MUTANT_TREE)" -a -n "$(MUTANT_CUS)" || \
		{ echo "mutant-harness needs MUTANT_TREE and MUTANT_CUS" >&2; exit 1; }
	+@$(MAKE) --no-print-directory harness
	+@$(MAKE) --no-print-directory $(HARNESS_JOBS) $(MO)/harness

# Every variant of HARNESS_VARIANTS at once: their configurations run side by side, and their
# objects share the job slots (one per CPU unless make was given -j).
HARNESS_VARIANTS ?= $(HARNESS_VARIANT)
.PHONY: harnesses
harnesses:
	+@$(MAKE) --no-print-directory $(HARNESS_JOBS) $(addprefix harness-variant-,$(HARNESS_VARIANTS))
harness-variant-%:
	+@$(MAKE) --no-print-directory harness HARNESS_VARIANT=$*

# The same tests without sanitizers, under Valgrind memcheck; forked test processes are
# followed, and any error or definitely lost block fails the test it happens in.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite

# The Valgrind run itself, for tests/valgrind (which gives KDIR and needs no setup);
# HARNESS_ARGS passes options such as --lazy=on to the harness.
.PHONY: valgrind-run
valgrind-run:
	+@$(MAKE) -s SAN=none harness-config
	+@$(MAKE) -s $(HARNESS_JOBS) SAN=none $(HB)/none/harness
	@$(VALGRIND) $(HB)/none/harness $(HARNESS_ARGS) $(FILTER)

# Self-tests of the models (tests/shims/*_test.c), each linked with only the model it tests.
MODEL_TESTS := $(HO)/tests/shims/slab_test $(HO)/tests/shims/locks_test \
	$(HO)/tests/shims/sched_test $(if $(filter asan,$(SAN)),$(HO)/tests/shims/host_test)
# The lock model tells the RCU model of read-side sections, which wait on the scheduler's
# tasks, and RCU hands kvfree_rcu() objects back to the slab model.
LOCK_MODEL_OBJS := $(HO)/shims/locks.o $(HO)/shims/lockdep.o $(HO)/shims/sched.o \
	$(HO)/shims/rcu.o $(HO)/shims/slab.o $(HO)/shims/host.o
# slab_test brings its own lockdep: a count of each map's holds.
$(HO)/tests/shims/slab_test: $(HO)/tests/shims/slab_test.o $(HO)/shims/slab.o $(HO)/shims/rcu.o \
	$(HO)/shims/sched.o $(HO)/shims/host.o
$(HO)/tests/shims/locks_test: $(HO)/tests/shims/locks_test.o $(LOCK_MODEL_OBJS)
$(HO)/tests/shims/sched_test: $(HO)/tests/shims/sched_test.o $(LOCK_MODEL_OBJS)
# The leak check's roots (ASan builds only).
$(HO)/tests/shims/host_test: $(HO)/tests/shims/host_test.o $(HO)/shims/host.o
# As the harness: current is read through const_current_task, a linker alias.
$(HO)/tests/shims/slab_test $(HO)/tests/shims/locks_test $(HO)/tests/shims/sched_test: \
	MODEL_LDFLAGS := -Wl,--defsym=const_current_task=current_task
$(MODEL_TESTS):
	@echo "  LD      $@"
	@$(CC) -no-pie -rdynamic $(SAN_FLAGS) $(MODEL_LDFLAGS) -o $@ $^

.PHONY: model-tests print-model-tests
model-tests:
	+@$(MAKE) --no-print-directory harness-config
	+@$(MAKE) --no-print-directory $(HARNESS_JOBS) $(MODEL_TESTS)
print-model-tests:
	@echo $(MODEL_TESTS)
