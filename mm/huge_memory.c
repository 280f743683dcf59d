// SPDX-License-Identifier: GPL-2.0
/* The real mm/huge_memory.c of KDIR, built into the userland harness. */
#include "mm/huge_memory.c"

/*
 * Boot and the deferred split queue are static in huge_memory.c, so the harness reaches
 * them from this unit (shims/thp.c): nothing below changes what the kernel code does.
 */
int harness_hugepage_init(void);
unsigned long harness_deferred_split_queued(void);

/* The THP part of boot, as the subsys_initcall runs it. */
int harness_hugepage_init(void)
{
	return hugepage_init();
}

unsigned long harness_deferred_split_queued(void)
{
	return list_lru_count(&deferred_split_lru);
}
