// SPDX-License-Identifier: GPL-2.0
/*
 * THP operations: the policy knobs of huge_memory.c, PMD splits, folio splits and the
 * deferred split shrinker, each entered as the kernel's callers enter them. Every
 * operation ends, as in ops.c, with no lock held and every invariant checked.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/huge_mm.h>
#include <linux/pagewalk.h>
#include <linux/mmap_lock.h>
#include "mm/internal.h"
#include "host.h"
#include "process.h"
#include "locks.h"
#include "thp.h"
#include "harness.h"

void harness_thp_set_mode(enum harness_thp_mode mode, unsigned long orders)
{
	harness_sweep_pause(true);
	harness_thp_boot();
	harness_sweep_pause(false);
	clear_bit(TRANSPARENT_HUGEPAGE_FLAG, &transparent_hugepage_flags);
	clear_bit(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG, &transparent_hugepage_flags);
	if (mode == HARNESS_THP_ALWAYS)
		set_bit(TRANSPARENT_HUGEPAGE_FLAG, &transparent_hugepage_flags);
	else if (mode == HARNESS_THP_MADVISE)
		set_bit(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG, &transparent_hugepage_flags);
	/* The faults may use the huge zero folio, as by default. */
	set_bit(TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG, &transparent_hugepage_flags);
	WRITE_ONCE(huge_anon_orders_always, 0);
	WRITE_ONCE(huge_anon_orders_madvise, 0);
	WRITE_ONCE(huge_anon_orders_inherit, orders & THP_ORDERS_ALL_ANON);
	harness_log("thp: mode %d, orders %#lx", mode, orders);
}

static u8 fill_value(unsigned long i, u8 seed)
{
	return (seed + i) % 255 + 1;
}

void op_thp_fill(struct task_struct *task, unsigned long addr, unsigned long npages, u8 seed)
{
	unsigned long i;

	harness_op_enter(task, UNDO_NONE);
	for (i = 0; i < npages; i++) {
		u8 v = fill_value(i, seed);

		harness_touch(task, addr + i * PAGE_SIZE, true, &v);
	}
	harness_log("p%d: fill [%#lx, +%lu pages) seed %u", task->pid, addr, npages, seed);
	harness_op_leave(false);
}

void harness_thp_expect_fill(struct task_struct *task, unsigned long addr,
			     unsigned long npages, u8 seed)
{
	unsigned long i;

	harness_op_enter(task, UNDO_NONE);
	for (i = 0; i < npages; i++) {
		u8 v = 0;

		harness_touch(task, addr + i * PAGE_SIZE, false, &v);
		if (v != fill_value(i, seed))
			harness_fail("p%d: page %lu at %#lx holds %u, expected %u", task->pid, i,
				     addr + i * PAGE_SIZE, v, fill_value(i, seed));
	}
	harness_log("p%d: checked [%#lx, +%lu pages) seed %u", task->pid, addr, npages, seed);
	harness_op_leave(false);
}

/* As vma_adjust_trans_huge() does at a VMA boundary, under mmap_lock. */
void op_split_huge_pmd(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma;

	harness_op_enter(task, UNDO_NONE);
	mmap_write_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	EXPECT(vma, "no VMA at %#lx", addr);
	split_huge_pmd_address(vma, addr, false);
	mmap_write_unlock(task->mm);
	harness_log("p%d: split_huge_pmd(%#lx)", task->pid, addr);
	harness_op_leave(false);
}

/* As madvise's split of a large folio: a reference and the folio lock, under mmap_lock. */
int op_split_folio(struct task_struct *task, unsigned long addr, unsigned int new_order)
{
	struct vm_area_struct *vma;
	struct folio_walk fw;
	struct folio *folio;
	int ret;

	harness_op_enter(task, UNDO_EXACT);
	mmap_read_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	EXPECT(vma, "no VMA at %#lx", addr);
	folio = folio_walk_start(&fw, vma, addr, 0);
	EXPECT(folio, "no folio mapped at %#lx", addr);
	folio_get(folio);
	folio_walk_end(&fw, vma);
	if (!folio_trylock(folio))
		harness_fail("folio at %#lx is locked", addr);
	ret = split_folio_to_order(folio, new_order);
	/* The folio that keeps the lock is the one holding our reference. */
	folio_unlock(folio);
	folio_put(folio);
	mmap_read_unlock(task->mm);
	harness_log("p%d: split_folio(%#lx, order %u) = %d", task->pid, addr, new_order, ret);
	harness_op_leave(ret < 0);
	return ret;
}

unsigned long op_thp_shrink(struct task_struct *task)
{
	unsigned long freed;

	harness_op_enter(task, UNDO_NONE);
	freed = shrink_slab(GFP_KERNEL, 0, NULL, 0);
	harness_log("p%d: shrink_slab() = %lu", task ? task->pid : 0, freed);
	harness_op_leave(false);
	return freed;
}

static int level_at(struct task_struct *task, unsigned long addr, struct folio **foliop)
{
	struct vm_area_struct *vma;
	struct folio_walk fw;
	struct folio *folio;
	int level = -1;

	harness_set_current(task);
	mmap_read_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	folio = vma ? folio_walk_start(&fw, vma, addr, FW_ZEROPAGE) : NULL;
	if (folio) {
		level = fw.level;
		*foliop = fw.page && !is_zero_folio(folio) && !is_huge_zero_folio(folio) ?
			folio : NULL;
		folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(task->mm);
	harness_set_current(NULL);
	return level;
}

bool harness_pmd_mapped(struct task_struct *task, unsigned long addr)
{
	struct folio *folio;

	return level_at(task, addr, &folio) == FW_LEVEL_PMD;
}

int harness_folio_order_at(struct task_struct *task, unsigned long addr)
{
	struct folio *folio = NULL;

	if (level_at(task, addr, &folio) < 0 || !folio)
		return -1;
	return folio_order(folio);
}
