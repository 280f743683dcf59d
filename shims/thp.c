// SPDX-License-Identifier: GPL-2.0
/* Stands in for mm/khugepaged.c and mm/mm_init.c's __zero_page. */
/*
 * What mm/huge_memory.c, mm/shrinker.c and mm/migrate.c need from outside mm/ to boot THP
 * and split folios. khugepaged never runs: collapse is not modelled. Boot is lazy (the
 * first THP operation of a test) because process.c's harness_boot() does not call it.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/khugepaged.h>
#include <linux/swap.h>
#include <linux/percpu-refcount.h>
#include <asm/cpufeature.h>
#include "mm/internal.h"
#include "mm/swap.h"
#include "host.h"
#include "thp.h"

/* mm/huge_memory.c, through the few lines its unit adds after the real file. */
int harness_hugepage_init(void);
unsigned long harness_deferred_split_queued(void);

/* mm/mm_init.c: the shared zero page, which memmap.c allocated (process.c sets it at boot). */
struct page *__zero_page;

/* The kernel's default: never split a THP for being underused (thp_underused() returns early). */
unsigned int khugepaged_max_ptes_none __read_mostly = HPAGE_PMD_NR - 1;

/* The kernel creates khugepaged's slab cache here; nothing in the harness scans. */
int khugepaged_init(void)
{
	return 0;
}

void khugepaged_destroy(void)
{
}

/* No khugepaged thread to start or stop. */
int start_stop_khugepaged(void)
{
	return 0;
}

static bool booted;

bool harness_thp_booted(void)
{
	return booted;
}

void harness_thp_boot(void)
{
	if (booted)
		return;
	/* mm/mm_init.c's lruvec_init(): splitting a folio on the LRU takes this lock. */
	spin_lock_init(&NODE_DATA(0)->__lruvec.lru_lock);
	/* The modelled CPU maps 2 MiB pages, as every x86-64 one does. */
	set_cpu_cap(&boot_cpu_data, X86_FEATURE_PSE);
	if (harness_hugepage_init())
		host_die("hugepage_init() failed");
	booted = true;
}

unsigned long harness_thp_deferred_queued(void)
{
	return harness_deferred_split_queued();
}
