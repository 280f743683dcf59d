// SPDX-License-Identifier: GPL-2.0
/* Stands in for arch/x86/mm/{tlb,init,physaddr}.c and the arch/x86/lib page helpers. */
/*
 * The page tables the real code builds are never loaded into a CPU, so a TLB flush has
 * nothing to invalidate: it is counted, which is what the tests look at.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <asm/tlbflush.h>
#include <asm/tlbbatch.h>
#include "host.h"
#include "arch.h"

unsigned int pgdir_shift = 39;
unsigned int ptrs_per_p4d = 1;
pteval_t __supported_pte_mask = ~0ULL;
pteval_t __default_kernel_pte_mask = ~0ULL;
pgd_t init_top_pgt[PTRS_PER_PGD] __aligned(PAGE_SIZE);
LIST_HEAD(pgd_list);
DEFINE_SPINLOCK(pgd_lock);

static struct harness_tlb_stats tlb_stats;

const struct harness_tlb_stats *harness_tlb_stats(void)
{
	return &tlb_stats;
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, bool freed_tables)
{
	tlb_stats.mm_range_flushes++;
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	tlb_stats.kernel_range_flushes++;
}

void arch_tlbbatch_flush(struct arch_tlbflush_unmap_batch *batch)
{
	tlb_stats.batch_flushes++;
}

/* Only direct-map addresses of the arena are valid, as on a kernel without highmem. */
bool __virt_addr_valid(unsigned long x)
{
	return x >= page_offset_base &&
	       pfn_valid((x - page_offset_base) >> PAGE_SHIFT);
}

bool pfn_modify_allowed(unsigned long pfn, pgprot_t prot)
{
	return true;
}

/* Both layouts search the modelled mm's gaps with the real vm_unmapped_area(). */
unsigned long arch_get_unmapped_area(struct file *filp, unsigned long addr, unsigned long len,
				     unsigned long pgoff, unsigned long flags, vm_flags_t vm_flags)
{
	return generic_get_unmapped_area(filp, addr, len, pgoff, flags,
					 legacy_to_vma_flags(vm_flags));
}

unsigned long arch_get_unmapped_area_topdown(struct file *filp, unsigned long addr,
					     unsigned long len, unsigned long pgoff,
					     unsigned long flags, vm_flags_t vm_flags)
{
	return generic_get_unmapped_area_topdown(filp, addr, len, pgoff, flags,
						 legacy_to_vma_flags(vm_flags));
}

void arch_sync_kernel_mappings(unsigned long start, unsigned long end)
{
}

/*
 * clear_pages() calls this with the length in %rcx, the address in %rdi and zero in %rax,
 * and expects no other register to change: exactly what "rep stosb" uses.
 */
asm(".pushsection .text\n"
    ".globl __clear_pages_unrolled\n"
    "__clear_pages_unrolled:\n"
    "	rep stosb\n"
    "	ret\n"
    ".popsection\n");

/*
 * hweight: the kernel calls these from inline asm that says only %rdi goes in and %rax
 * comes out, so every other register must survive (arch/x86/lib/hweight.S).
 */
asm(".pushsection .text\n"
    ".globl __sw_hweight64\n"
    "__sw_hweight64:\n"
    "	pushq %rdi\n"
    "	pushq %rcx\n"
    "	xorl %eax, %eax\n"
    "1:	testq %rdi, %rdi\n"
    "	jz 2f\n"
    "	leaq -1(%rdi), %rcx\n"
    "	andq %rcx, %rdi\n"
    "	incl %eax\n"
    "	jmp 1b\n"
    "2:	popq %rcx\n"
    "	popq %rdi\n"
    "	ret\n"
    ".globl __sw_hweight32\n"
    "__sw_hweight32:\n"
    "	pushq %rdi\n"
    "	movl %edi, %edi\n"
    "	call __sw_hweight64\n"
    "	popq %rdi\n"
    "	ret\n"
    ".popsection\n");

/* No machine checks in the model: the copy always succeeds (arch/x86/lib/copy_mc.c). */
unsigned long copy_mc_to_kernel(void *dst, const void *src, unsigned int len)
{
	memcpy(dst, src, len);
	return 0;
}

void copy_page(void *to, void *from)
{
	memcpy(to, from, PAGE_SIZE);
}
