// SPDX-License-Identifier: GPL-2.0
/* Stands in for the hooks of kernel/events/core.c and mm/khugepaged.c. */
/*
 * The mm code calls these on its ordinary paths. The harness registers no perf event and
 * no khugepaged scan, so each hook does what the kernel does in that state.
 */
#include <linux/mm.h>
#include <linux/userfaultfd_k.h>
#include <linux/perf_event.h>
#include <linux/khugepaged.h>
#include <linux/huge_mm.h>
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

/* The harness' processes map no files, so there is no executable to share. */
void dup_mm_exe_file(struct mm_struct *mm, struct mm_struct *oldmm)
{
	RCU_INIT_POINTER(mm->exe_file, NULL);
}
