// SPDX-License-Identifier: GPL-2.0
/*
 * Sample workloads for the memory report: process layouts typical of the machines the
 * series is about, each run to its steady state.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include "harness.h"

#define P PAGE_SIZE

/*
 * A mapping layout like a small process's heap, stacks and anonymous arenas: @nr VMAs of a
 * few pages, separated by holes so they stay apart, each written once.
 */
static void populate(struct task_struct *t, unsigned long base, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		unsigned long a = base + i * 16 * P;

		EXPECT(op_mmap_anon(t, a, 4) == a, "mapping %d", i);
		op_write(t, a, i);
		op_write(t, a + 2 * P, i);
	}
}

/* Processes that never fork after start: most of what a machine runs. */
HARNESS_WORKLOAD(exec_only)
{
	int i;

	for (i = 0; i < 8; i++)
		populate(op_spawn(), 0x10000000UL, 24);
}

/* An Android-like zygote: a parent with its mappings forks apps that add their own. */
HARNESS_WORKLOAD(zygote_8_apps)
{
	struct task_struct *zygote = op_spawn();
	int i;

	populate(zygote, 0x10000000UL, 24);
	for (i = 0; i < 8; i++) {
		struct task_struct *app = op_fork(zygote);

		op_write(app, 0x10000000UL, 0xff);
		populate(app, 0x40000000UL, 16);
	}
}
