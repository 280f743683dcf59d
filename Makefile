# Entry points of the project; `make help` explains them.
#
# KDIR=/path/to/linux runs any target on another tree of the pinned kernel version instead of
# build/linux. build/linux is assembled (and kept up to date with patches/) only when KDIR is
# not given.

SHELL := /bin/bash
# `make` alone means `make all`, whatever the included rules define first.
.DEFAULT_GOAL := all
ifeq ($(origin KDIR),undefined)
KDIR := $(CURDIR)/build/linux
ASSEMBLE := tree
endif
override KDIR := $(abspath $(KDIR))

# Test suites: executables that take KDIR and end with "N passed, N failed". make test runs
# SUITES_ALONGSIDE in a second lane beside SUITES (tools/run-tests --alongside), so that the
# cores are busy when a suite of one lane runs a single job. Those two build kernel trees
# of their own (build/kbuild, build/series-check), and take about as long as the rest.
SUITES := tests/upstream-vma tests/harness tests/fail-sweep tests/exhaustive tests/valgrind \
	tests/models tests/mutants/run tools/copies tests/tooling/run tests/fuzz/run
SUITES_ALONGSIDE := tools/kbuild tools/series-check

.PHONY: all report test check valgrind qemu-test fuzz race fuzz-long kbuild series-check tree export repin deps clean distclean help

include harness.mk

# The main job: the harness in every configuration the tree has, with L2, and the tree's
# tools/testing/vma; then the summary and the memory table. The concurrent tests run a few
# schedules each, as in make check. `make test` is the full suite.
all: deps $(ASSEMBLE)
	@HARNESS_ARGS=--few-schedules tools/run-tests $(KDIR) tests/upstream-vma tests/harness \
		tools/copies
	@echo
	@tools/report $(KDIR)

# The same summary with the costs: the random sequences' throughput and the instructions per
# operation under callgrind (minutes). Needs the log of a harness run (make or make test).
report: deps $(ASSEMBLE)
	@tools/report --costs $(KDIR)

test: deps $(ASSEMBLE)
	@tools/run-tests $(KDIR) $(SUITES) --alongside $(SUITES_ALONGSIDE)

# Boots the tree under qemu and runs the mm selftests and tests/qemu (see qemu/runs).
# QEMU_RUNS="name ..." picks runs of qemu/runs.
qemu-test: deps $(ASSEMBLE)
	@tools/run-tests $(KDIR) tests/qemu/run

# x86_64 defconfig + configs/kbuild.config: mm/ and the series' objects with W=1, lazy =y and
# =n, no warning the base does not have.
kbuild: deps $(ASSEMBLE)
	@tools/run-tests $(KDIR) tools/kbuild

# Every prefix of patches/series: the harness (all configurations) and tools/testing/vma.
series-check: deps $(ASSEMBLE)
	@tools/run-tests $(KDIR) tools/series-check

# One seeded random sequence (tests/random) in every configuration, compared by L2.
SEED ?= 1
OPS ?= 1000
PROCS ?= 4
fuzz: deps $(ASSEMBLE)
	@HARNESS_ARGS="--random=$(SEED):$(OPS):$(PROCS)" tests/harness $(KDIR)

# The concurrent tests (tests/race/, or those FILTER names) with SCHEDULES PCT schedules from
# seed SEED instead of their own, in every configuration; a failure names its seed.
SCHEDULES ?= 1000
race: deps $(ASSEMBLE)
	@FILTER="$(or $(FILTER),race/)" HARNESS_ARGS="--schedules=$(SEED):$(SCHEDULES)" \
		tests/harness $(KDIR)

# The libFuzzer target (tests/fuzz) for FUZZ_TIME seconds on a corpus kept in build/fuzz/corpus;
# make test runs it briefly.
FUZZ_TIME ?= 3600
fuzz-long: deps $(ASSEMBLE)
	@FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run --long $(KDIR)

# The harness alone, every configuration the tree has, with L2 (FILTER=area/name): the fast
# loop, and what `git bisect run` needs; the concurrent tests run a few schedules each
# (make race runs more).
check: deps $(ASSEMBLE)
	@FILTER="$(FILTER)" HARNESS_ARGS="--few-schedules" tests/harness $(KDIR)

# The harness without sanitizers under Valgrind (harness.mk: valgrind-run).
valgrind: deps $(ASSEMBLE) valgrind-run

tree: deps
	@tools/assemble-tree $(KDIR)

export:
	@tools/export-patches $(KDIR)

repin:
	@test -n "$(VERSION)" || { echo "usage: make repin VERSION=<debian version> [PACKAGE=<name>]" >&2; exit 1; }
	@tools/fetch-kernel --repin "$(VERSION)" $(PACKAGE)

deps:
	@tools/deps

clean:
	@if [ -d $(KDIR)/tools/testing/vma ]; then $(MAKE) -s -C $(KDIR)/tools/testing/vma clean; fi
	rm -rf build/logs

# Removes build/ entirely, but only if build/linux holds nothing that is not in patches/.
distclean: clean
	@tools/assemble-tree --check $(CURDIR)/build/linux
	rm -rf build

help:
	@echo "make            assemble build/linux if needed, run the harness (every configuration,"
	@echo "                L2) and tools/testing/vma, print the summary and the memory table"
	@echo "make report     the summary with the random sequences' throughput and callgrind costs"
	@echo "make test       run the whole test suite; the last line is 'N passed, N failed'"
	@echo "make qemu-test  boot the tree under qemu (TCG), run the mm selftests and tests/qemu"
	@echo "make check      the harness only, every configuration (FILTER=area/name): for git bisect run"
	@echo "make fuzz SEED=1 OPS=1000 PROCS=4  one random operation sequence, every configuration"
	@echo "make race SEED=1 SCHEDULES=1000  the concurrent tests (tests/race/) with that many PCT schedules"
	@echo "make fuzz-long FUZZ_TIME=3600  the libFuzzer target (tests/fuzz) for that long, corpus in build/fuzz"
	@echo "make kbuild     compile mm/ of the tree for x86_64 with W=1, lazy =y and =n; no new warnings"
	@echo "make series-check  build and test every prefix of patches/series (bisectability)"
	@echo "make tree       assemble build/linux: the pinned kernel as commit 'base' + patches/series"
	@echo "make export     write the commits since base in build/linux back into patches/"
	@echo "make repin VERSION=<v> [PACKAGE=<p>]  pin another linux-source package in kernel.lock"
	@echo "make deps       install the Debian packages of tools/packages (as root)"
	@echo "make clean      remove build products; keeps build/linux"
	@echo "make distclean  remove build/ too, if build/linux holds no unexported work"
	@echo "Every target takes KDIR=/path/to/linux to use another tree of the pinned version."
