// SPDX-License-Identifier: GPL-2.0
/*
 * THP operations: the policy knobs of huge_memory.c, PMD splits, folio splits and the
 * deferred split shrinker, each entered as the kernel's callers enter them; and accesses
 * that also reach PMD-mapped memory (ops.c's access() handles PTEs only). Every operation
 * ends, as in ops.c, with no lock held and every invariant checked.
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

static void enter(struct task_struct *task)
{
	harness_set_current(task);
}

static void leave(void)
{
	if (current)
		harness_assert_no_locks_held(current);
	harness_check_all();
}

void harness_thp_set_mode(enum harness_thp_mode mode, unsigned long orders)
{
	harness_thp_boot();
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

/* The MMU's access, at whichever level maps addr; false if it would fault. */
static bool access(struct task_struct *task, unsigned long addr, bool write, u8 *value)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	struct folio_walk fw;
	unsigned long pfn;
	bool ok = false;
	u8 *byte;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma || !folio_walk_start(&fw, vma, addr, FW_ZEROPAGE))
		goto out;
	if (fw.level == FW_LEVEL_PTE && (!write || pte_write(fw.pte))) {
		pte_t pte = pte_mkyoung(fw.pte);

		set_pte(fw.ptep, write ? pte_mkdirty(pte) : pte);
		pfn = pte_pfn(fw.pte);
		ok = true;
	} else if (fw.level == FW_LEVEL_PMD && (!write || pmd_write(fw.pmd))) {
		pmd_t pmd = pmd_mkyoung(fw.pmd);

		set_pmd(fw.pmdp, write ? pmd_mkdirty(pmd) : pmd);
		pfn = pmd_pfn(fw.pmd) + ((addr & ~HPAGE_PMD_MASK) >> PAGE_SHIFT);
		ok = true;
	}
	if (ok) {
		byte = (u8 *)page_address(pfn_to_page(pfn)) + offset_in_page(addr);
		if (write)
			*byte = *value;
		else
			*value = *byte;
	}
	folio_walk_end(&fw, vma);
out:
	mmap_read_unlock(mm);
	return ok;
}

/* As ops.c's fault(): the per-VMA lock first, then mmap_lock. */
static void fault(struct task_struct *task, unsigned long addr, bool write)
{
	unsigned int flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER;
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	vm_fault_t ret;

	if (write)
		flags |= FAULT_FLAG_WRITE;
	vma = lock_vma_under_rcu(mm, addr);
	if (vma) {
		ret = handle_mm_fault(vma, addr, flags | FAULT_FLAG_VMA_LOCK, NULL);
		if (!(ret & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
			vma_end_read(vma);
		if (!(ret & VM_FAULT_RETRY))
			goto done;
	}
	for (;;) {
		vma = lock_mm_and_find_vma(mm, addr, NULL);
		if (!vma)
			harness_fail("p%d: fault at %#lx: SIGSEGV (no mapping)", task->pid, addr);
		ret = handle_mm_fault(vma, addr, flags, NULL);
		if (!(ret & VM_FAULT_RETRY))
			break;
		flags |= FAULT_FLAG_TRIED;
	}
	if (!(ret & VM_FAULT_COMPLETED))
		mmap_read_unlock(mm);
done:
	if (ret & VM_FAULT_ERROR)
		harness_fail("p%d: fault at %#lx failed: %#x", task->pid, addr, ret);
}

static void touch(struct task_struct *task, unsigned long addr, bool write, u8 *value)
{
	if (access(task, addr, write, value))
		return;
	fault(task, addr, write);
	if (!access(task, addr, write, value))
		harness_fail("p%d: %s of %#lx still faults after the fault was handled",
			     task->pid, write ? "write" : "read", addr);
}

void op_thp_write(struct task_struct *task, unsigned long addr, u8 value)
{
	enter(task);
	touch(task, addr, true, &value);
	harness_log("p%d: write %#lx = %u", task->pid, addr, value);
	leave();
}

u8 op_thp_read(struct task_struct *task, unsigned long addr)
{
	u8 value = 0;

	enter(task);
	touch(task, addr, false, &value);
	harness_log("p%d: read %#lx -> %u", task->pid, addr, value);
	leave();
	return value;
}

static u8 fill_value(unsigned long i, u8 seed)
{
	return (seed + i) % 255 + 1;
}

void op_thp_fill(struct task_struct *task, unsigned long addr, unsigned long npages, u8 seed)
{
	unsigned long i;

	enter(task);
	for (i = 0; i < npages; i++) {
		u8 v = fill_value(i, seed);

		touch(task, addr + i * PAGE_SIZE, true, &v);
	}
	harness_log("p%d: fill [%#lx, +%lu pages) seed %u", task->pid, addr, npages, seed);
	leave();
}

void harness_thp_expect_fill(struct task_struct *task, unsigned long addr,
			     unsigned long npages, u8 seed)
{
	unsigned long i;

	enter(task);
	for (i = 0; i < npages; i++) {
		u8 v = 0;

		touch(task, addr + i * PAGE_SIZE, false, &v);
		if (v != fill_value(i, seed))
			harness_fail("p%d: page %lu at %#lx holds %u, expected %u", task->pid, i,
				     addr + i * PAGE_SIZE, v, fill_value(i, seed));
	}
	harness_log("p%d: checked [%#lx, +%lu pages) seed %u", task->pid, addr, npages, seed);
	leave();
}

/* As vma_adjust_trans_huge() does at a VMA boundary, under mmap_lock. */
void op_split_huge_pmd(struct task_struct *task, unsigned long addr)
{
	struct vm_area_struct *vma;

	enter(task);
	mmap_write_lock(task->mm);
	vma = vma_lookup(task->mm, addr);
	EXPECT(vma, "no VMA at %#lx", addr);
	split_huge_pmd_address(vma, addr, false);
	mmap_write_unlock(task->mm);
	harness_log("p%d: split_huge_pmd(%#lx)", task->pid, addr);
	leave();
}

/* As madvise's split of a large folio: a reference and the folio lock, under mmap_lock. */
int op_split_folio(struct task_struct *task, unsigned long addr, unsigned int new_order)
{
	struct vm_area_struct *vma;
	struct folio_walk fw;
	struct folio *folio;
	int ret;

	enter(task);
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
	leave();
	return ret;
}

unsigned long op_thp_shrink(struct task_struct *task)
{
	unsigned long freed;

	enter(task);
	freed = shrink_slab(GFP_KERNEL, 0, NULL, 0);
	harness_log("p%d: shrink_slab() = %lu", task ? task->pid : 0, freed);
	leave();
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
