// SPDX-License-Identifier: GPL-2.0
/* The real mm/memory-failure.c of KDIR, built into the userland harness. */
#include "mm/memory-failure.c"

/*
 * memory_failure()'s collection and signalling of the processes that map a page, for one
 * anonymous page: collect_procs() and kill_procs() are static, so this unit reaches them
 * for tests/lib/hwpoison.c. Nothing below changes what the kernel code does.
 */
int harness_collect_and_kill(struct folio *folio, struct page *page, int flags);

/* Under the folio lock, as hwpoison_user_mappings() collects; the signals go out. */
int harness_collect_and_kill(struct folio *folio, struct page *page, int flags)
{
	LIST_HEAD(tokill);
	struct to_kill *tk;
	int n = 0;

	collect_procs(folio, page, &tokill, flags & MF_ACTION_REQUIRED);
	list_for_each_entry(tk, &tokill, nd)
		n++;
	kill_procs(&tokill, true, page_to_pfn(page), flags);
	return n;
}
