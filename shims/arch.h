/* SPDX-License-Identifier: GPL-2.0 */
/* Counters of the modelled x86 TLB (arch.c). */
#ifndef HARNESS_ARCH_H
#define HARNESS_ARCH_H

struct harness_tlb_stats {
	unsigned long mm_range_flushes;		/* flush_tlb_mm_range() */
	unsigned long kernel_range_flushes;	/* flush_tlb_kernel_range() */
	unsigned long batch_flushes;		/* arch_tlbbatch_flush(): deferred reclaim flushes */
};

const struct harness_tlb_stats *harness_tlb_stats(void);

#endif /* HARNESS_ARCH_H */
