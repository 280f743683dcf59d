// SPDX-License-Identifier: GPL-2.0
/* The real mm/ksm.c of KDIR, built into the userland harness. */
#include "mm/ksm.c"

/*
 * Boot, ksmd's loop and the sysfs knobs are static in ksm.c, so the harness reaches them
 * from this unit (tests/lib/ksm.c): nothing below changes what the kernel code does.
 */
#include "ksm_harness.h"

/* The KSM part of boot, as the subsys_initcall runs it (ksmd is created, never run). */
int harness_ksm_init(void)
{
	return ksm_init();
}

/* One turn of ksm_scan_thread()'s loop, without the sleep; the pages it scanned. */
unsigned long harness_ksmd_turn(void)
{
	unsigned long scanned = ksm_pages_scanned;

	mutex_lock(&ksm_thread_mutex);
	wait_while_offlining();
	if (ksmd_should_run())
		ksm_do_scan(ksm_thread_pages_to_scan);
	mutex_unlock(&ksm_thread_mutex);
	return ksm_pages_scanned - scanned;
}

/* Whether ksmd has an mm to scan (ksmd_should_run() without the run flag). */
bool harness_ksm_has_mms(void)
{
	return !list_empty(&ksm_mm_head.slot.mm_node);
}

void harness_ksm_set(const struct harness_ksm_knobs *knobs)
{
	ksm_thread_pages_to_scan = knobs->pages_to_scan;
	ksm_use_zero_pages = knobs->use_zero_pages;
	ksm_smart_scan = knobs->smart_scan;
	ksm_max_page_sharing = knobs->max_page_sharing;
}

void harness_ksm_get(struct harness_ksm_knobs *knobs)
{
	knobs->pages_to_scan = ksm_thread_pages_to_scan;
	knobs->use_zero_pages = ksm_use_zero_pages;
	knobs->smart_scan = ksm_smart_scan;
	knobs->max_page_sharing = ksm_max_page_sharing;
}

/* What /sys/kernel/mm/ksm/ shows. */
void harness_ksm_stats(struct harness_ksm_stats *st)
{
	st->pages_scanned = ksm_pages_scanned;
	st->pages_shared = ksm_pages_shared;
	st->pages_sharing = ksm_pages_sharing;
	st->pages_unshared = ksm_pages_unshared;
	st->rmap_items = ksm_rmap_items;
	st->stable_node_chains = ksm_stable_node_chains;
	st->stable_node_dups = ksm_stable_node_dups;
	st->zero_pages = atomic_long_read(&ksm_zero_pages);
	st->full_scans = ksm_scan.seqnr;
}

/* The stable node of a KSM folio, or NULL (a folio KSM has not merged, or a stale one). */
void *harness_ksm_stable_node(struct folio *folio)
{
	return folio_stable_node(folio);
}

/* The number of rmap_items hanging off the stable node of a KSM folio. */
int harness_ksm_rmap_items_of(struct folio *folio)
{
	struct ksm_stable_node *stable_node = folio_stable_node(folio);

	return stable_node ? stable_node->rmap_hlist_len : 0;
}

/* Whether a rmap_item of the KSM folio's stable node records @addr in @mm. */
bool harness_ksm_item_at(struct folio *folio, struct mm_struct *mm, unsigned long addr)
{
	struct ksm_stable_node *stable_node = folio_stable_node(folio);
	struct ksm_rmap_item *rmap_item;

	if (!stable_node)
		return false;
	hlist_for_each_entry(rmap_item, &stable_node->hlist, hlist)
		if (rmap_item->mm == mm && (rmap_item->address & PAGE_MASK) == addr)
			return true;
	return false;
}
