/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random operation sequences as data: a sequence is an array of steps, each naming an
 * operation and a few byte-sized arguments. Every field is reduced to its range when the
 * step runs, so that any array of steps - generated from a seed, enumerated, shrunk, or
 * decoded from a fuzzer's bytes - is a valid sequence. The executor (random.c) keeps a
 * shadow of every page's expected contents and checks it after every step.
 */
#ifndef HARNESS_RANDOM_H
#define HARNESS_RANDOM_H

#include <linux/types.h>

/* The window every process works in: small, so that operations keep meeting each other. */
#define RANDOM_WINDOW_PAGES 48
#define RANDOM_MAX_PROCS 8

enum random_op {
	RANDOM_ACCESS,		/* page start: write 1 + arg2 % 255 if arg % 3 and writable, else read */
	RANDOM_MMAP,		/* [start, start + n): a new anonymous read-write mapping (MAP_FIXED) */
	RANDOM_MUNMAP,		/* [start, start + n) */
	RANDOM_MPROTECT,	/* [start, start + n) to PROT_READ, READ|WRITE or NONE (arg % 3) */
	RANDOM_MREMAP,		/* [start, start + n) to 1 + arg2 % 8 pages: moved (arg & 1) to
				 * page (arg >> 1) of the window, or resized in place */
	RANDOM_FORK,		/* the process forks (if fewer than the maximum run) */
	RANDOM_EXIT,		/* the process exits (unless it is the last) */
	RANDOM_RECLAIM,		/* the folio of page start goes to swap */
	RANDOM_MIGRATE,		/* the folio of page start moves */
	RANDOM_SWITCH,		/* vm.anon_vma_lazy = arg & 1 */
	RANDOM_MADVISE,		/* [start, start + n): DONTNEED, WIPEONFORK, KEEPONFORK, DONTFORK or
				 * DOFORK (arg % 5) */
	RANDOM_KSM,		/* MADV_MERGEABLE, MADV_UNMERGEABLE of [start, start + n), or one
				 * turn of ksmd (arg % 3) */
	NR_RANDOM_OPS
};

/* One step; proc is an index into the live processes, modulo their number. */
struct random_step {
	u8 op, proc, start, n, arg, arg2;
};

/*
 * Run steps[0, nr_steps) from the initial state (one process, the window mapped read-write)
 * with at most max_procs processes; every invariant and the shadow are checked after every
 * step, and a failure ends the test through harness_fail().
 */
void harness_random_steps(const struct random_step *steps, int nr_steps, int max_procs);
/*
 * The same one step at a time, for callers that decide the next step from where the run
 * is (tests/random/exhaustive.c): random_start() sets up the initial state,
 * random_run_step() runs step number i and checks the shadow, random_finish() frees the
 * run (its processes stay, for harness_exit_all()).
 */
struct random_run;
struct random_run *random_start(int max_procs);
void random_run_step(struct random_run *r, const struct random_step *s, int i);
int random_nr_procs(const struct random_run *r);
void random_finish(struct random_run *r);
/* The nr_steps steps that the seed stands for; the same on every machine. */
void harness_random_generate(unsigned long seed, struct random_step *steps, int nr_steps);
/* Print steps as a test case ready to add to tests/random/regressions.c. */
void harness_random_print_test(const char *name, const char *origin,
			       const struct random_step *steps, int nr_steps, int max_procs);

#endif /* HARNESS_RANDOM_H */
