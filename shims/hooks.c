// SPDX-License-Identifier: GPL-2.0
/* Stands in for the hooks of fs/userfaultfd.c, kernel/events/core.c, mm/khugepaged.c and mm/ksm.c. */
/*
 * The mm code calls these on its ordinary paths. The harness registers no userfaultfd
 * context, no perf event and no khugepaged scan, and KSM merges nothing unless asked, so
 * each hook does what the kernel does in that state.
 */
#include <linux/mm.h>
#include <linux/userfaultfd_k.h>
#include <linux/perf_event.h>
#include <linux/khugepaged.h>
#include <linux/ksm.h>
#include <linux/huge_mm.h>
#include <linux/mman.h>
#include "mm/internal.h"
#include "host.h"

void perf_event_mmap(struct vm_area_struct *vma)
{
}

void __perf_sw_event(u32 event_id, u64 nr, struct pt_regs *regs, u64 addr)
{
}

void khugepaged_enter_vma(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
}

void __khugepaged_enter(struct mm_struct *mm)
{
}

/* KSM leaves new VMAs alone unless the process asked for merge-any (prctl), which none does. */
vma_flags_t ksm_vma_flags(struct mm_struct *mm, const struct file *file, vma_flags_t vma_flags)
{
	return vma_flags;
}

/* Until mm/ksm.c is built in: unmerging a VMA that never merged is nothing to do. */
int ksm_madvise(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		int advice, vm_flags_t *vm_flags)
{
	if (advice == MADV_UNMERGEABLE && !(*vm_flags & VM_MERGEABLE))
		return 0;
	host_die("ksm_madvise(%d): KSM is not built into the harness yet", advice);
}

/* The harness' processes map no files, so there is no executable to share. */
void dup_mm_exe_file(struct mm_struct *mm, struct mm_struct *oldmm)
{
	RCU_INIT_POINTER(mm->exe_file, NULL);
}

/*
 * --- migration. folio_migrate_flags() hands every folio to KSM; a folio KSM never merged
 * (every folio until mm/ksm.c is built in) has no stable node to move. Weak, so that the
 * real mm/ksm.c replaces it once it is built.
 */
void __weak folio_migrate_ksm(struct folio *newfolio, struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_test_ksm(folio), folio);
}

/* --- userfaultfd: its hooks are the real ones now, mm/userfaultfd.c is built in. */
