/* SPDX-License-Identifier: GPL-2.0 */
/* THP boot and policy of the harness (thp.c), over the real mm/huge_memory.c. */
#ifndef HARNESS_THP_H
#define HARNESS_THP_H

#include <linux/types.h>

/* Run the THP part of boot (hugepage_init()) once per test process; later calls do nothing. */
void harness_thp_boot(void);
bool harness_thp_booted(void);
/* Folios on the deferred split queue (huge_memory.c's deferred_split_lru). */
unsigned long harness_thp_deferred_queued(void);

#endif /* HARNESS_THP_H */
