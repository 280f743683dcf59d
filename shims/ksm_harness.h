/* SPDX-License-Identifier: GPL-2.0 */
/* The harness side of the real mm/ksm.c: boot, ksmd's loop, the sysfs knobs and counters. */
#ifndef HARNESS_KSM_H
#define HARNESS_KSM_H

#include <linux/types.h>

struct folio;

/* /sys/kernel/mm/ksm/ knobs that tests may set; run is always 1 (merge). */
struct harness_ksm_knobs {
	unsigned int pages_to_scan;
	bool use_zero_pages;
	bool smart_scan;
	int max_page_sharing;
};

/* /sys/kernel/mm/ksm/ counters; full_scans is the scan cursor's seqnr. */
struct harness_ksm_stats {
	unsigned long pages_scanned;
	unsigned long pages_shared;
	unsigned long pages_sharing;
	unsigned long pages_unshared;
	unsigned long rmap_items;
	unsigned long stable_node_chains;
	unsigned long stable_node_dups;
	long zero_pages;
	unsigned long full_scans;
};

int harness_ksm_init(void);
unsigned long harness_ksmd_turn(void);
bool harness_ksm_has_mms(void);
void harness_ksm_set(const struct harness_ksm_knobs *knobs);
void harness_ksm_get(struct harness_ksm_knobs *knobs);
void harness_ksm_stats(struct harness_ksm_stats *st);
void *harness_ksm_stable_node(struct folio *folio);
int harness_ksm_rmap_items_of(struct folio *folio);
/* Whether one of them records address @addr. */
bool harness_ksm_item_at(struct folio *folio, struct mm_struct *mm, unsigned long addr);

#endif /* HARNESS_KSM_H */
