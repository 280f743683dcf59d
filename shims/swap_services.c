// SPDX-License-Identifier: GPL-2.0
/* Stands in for what else swap needs of mm/workingset.c, mm/shmem.c, kernel/cpu.c and kernel/printk/printk.c; the real lib/plist.c is built in below. */
#include <linux/mm.h>
#include <linux/cpumask.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/rmap.h>
#include <linux/ksm.h>
#include <linux/highmem.h>
#include "mm/internal.h"
#include <linux/slab.h>
#include "host.h"
#include "swap.h"

/* kernel/printk/printk.c */
int oops_in_progress;

/* kernel/cpu.c: one CPU runs everything (see shims/kernel.c). */
struct cpumask __cpu_possible_mask = { .bits = { 1 } };

/* mm/shmem.c: the harness has no shmem, so no shmem page holds a swap entry. */
int shmem_unuse(unsigned int type)
{
	return 0;
}

/*
 * mm/workingset.c: reclaim leaves empty shadows (no eviction clock is kept), so no refault
 * is ever judged recent and the folio stays inactive, as the kernel decides for a distant one.
 */
void workingset_refault(struct folio *folio, void *shadow)
{
}

/* The real priority lists that order swap areas. */
#include "lib/plist.c"
