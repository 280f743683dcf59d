// SPDX-License-Identifier: GPL-2.0
/* Stands in for mm/page_alloc.c, mm/sparse.c and the freeing half of mm/folio.c. */
/*
 * "Physical memory" is one host mapping, the arena; its struct pages form the memmap.
 * page_offset_base and vmemmap_base are set so that the kernel's own __va(), __pa(),
 * pfn_to_page() and page_to_pfn() work on it unchanged. Folios are allocated first-fit at
 * their natural alignment and prepared with the kernel's own helpers; a freed folio is
 * checked the way free_pages_prepare() checks it (no mapping, no mapcount, no references).
 */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include "mm/internal.h"
#include "host.h"
#include "memmap.h"
#include "folio.h"

unsigned long page_offset_base;
unsigned long vmemmap_base;
unsigned long phys_base;
struct pglist_data contig_page_data;
struct mem_section **mem_section;
atomic_long_t vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];
atomic_long_t vm_node_stat[NR_VM_NODE_STAT_ITEMS];
atomic_long_t _totalram_pages;
unsigned long zero_page_pfn;

static char *arena;
static struct page *memmap;
static unsigned long *used;		/* one bit per pfn */
static unsigned long first_pfn, nr_pfns;
static struct harness_folio_stats stats;

#define ZONE ZONE_NORMAL

static struct page *alloc_frames(gfp_t gfp, unsigned int order);

void harness_memmap_init(unsigned long nr_pages)
{
	struct page *zero;
	unsigned long i;

	/* pfn 0 stays invalid; start at a THP-aligned frame. */
	first_pfn = HPAGE_PMD_NR;
	nr_pfns = nr_pages;
	arena = host_alloc_zeroed_pages(HPAGE_PMD_SIZE, nr_pages * PAGE_SIZE);
	memmap = host_alloc(nr_pages * sizeof(struct page));
	used = host_alloc(BITS_TO_LONGS(nr_pages) * sizeof(long));
	page_offset_base = (unsigned long)arena - first_pfn * PAGE_SIZE;
	vmemmap_base = (unsigned long)(memmap - first_pfn);
	highest_memmap_pfn = first_pfn + nr_pages - 1;
	atomic_long_set(&_totalram_pages, nr_pages);
	for (i = 0; i < nr_pages; i++) {
		struct page *page = &memmap[i];

		set_page_links(page, ZONE, 0, first_pfn + i);
		atomic_set(&page->_mapcount, -1);
	}
	/* The shared zero page that read faults map, reserved as the kernel's is. */
	zero = alloc_frames(GFP_KERNEL | __GFP_ZERO | __GFP_NOFAIL, 0);
	__SetPageReserved(zero);
	zero_page_pfn = page_to_pfn(zero);
	/* The counters are about what the code under test allocates. */
	memset(&stats, 0, sizeof(stats));
}

static bool range_free(unsigned long idx, unsigned long nr)
{
	unsigned long i;

	for (i = idx; i < idx + nr; i++)
		if (test_bit(i, used))
			return false;
	return true;
}

/* The page allocator proper: memory comes back prepared as the kernel's post_alloc_hook() does. */
static struct page *alloc_frames(gfp_t gfp, unsigned int order)
{
	unsigned long nr = 1UL << order, idx, i;
	struct page *page;

	if (harness_alloc_should_fail(gfp))
		return NULL;
	for (idx = 0; idx + nr <= nr_pfns; idx += nr)
		if (range_free(idx, nr))
			break;
	if (idx + nr > nr_pfns)
		return NULL;
	for (i = idx; i < idx + nr; i++)
		__set_bit(i, used);
	page = &memmap[idx];
	for (i = 0; i < nr; i++) {
		VM_BUG_ON_PAGE(page_ref_count(page + i), page + i);
		page[i].flags.f &= ~(PAGEFLAGS_MASK);
		page[i].private = 0;
		page[i].mapping = NULL;
		atomic_set(&page[i]._mapcount, -1);
	}
	set_page_refcounted(page);
	if (order)
		prep_compound_page(page, order);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, nr * PAGE_SIZE);
	stats.live += nr;
	if (stats.live > stats.peak)
		stats.peak = stats.live;
	stats.allocs++;
	return page;
}

void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	__SetPageHead(page);
	for (i = 1; i < nr; i++)
		prep_compound_tail(page + i, page, order);
	prep_compound_head(page, order);
}

/* What free_pages_prepare() insists on: a freed page is nobody's any more. */
static void check_free_page(struct page *page)
{
	const char *why = NULL;

	if (atomic_read(&page->_mapcount) != -1)
		why = "nonzero mapcount";
	if (page->mapping)
		why = "non-NULL mapping";
	if (page_ref_count(page))
		why = "nonzero _refcount";
	if (page->flags.f & PAGE_FLAGS_CHECK_AT_FREE)
		why = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	if (why) {
		dump_page(page, why);
		harness_fail("bad page state: freeing pfn %#lx: %s", page_to_pfn(page), why);
	}
}

static void free_frames(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order, idx = page - memmap, i;
	struct folio *folio = (struct folio *)page;

	if (idx >= nr_pfns || (idx & (nr - 1)))
		host_die("freeing pfn %#lx, order %u: not an allocated block",
			 page_to_pfn(page), order);
	if (order && (atomic_read(&folio->_entire_mapcount) != -1 ||
		      atomic_read(&folio->_large_mapcount) != -1 ||
		      atomic_read(&folio->_pincount)))
		harness_fail("bad page state: freeing large folio pfn %#lx that is still mapped or pinned",
			     page_to_pfn(page));
	/* As free_pages_prepare(): what an anonymous folio and a typed page keep is dropped. */
	if (folio_test_anon(folio))
		folio->mapping = NULL;
	if (page_has_type(page))
		page->page_type = UINT_MAX;
	/* A large folio keeps flags of its own in its second page (_flags_1). */
	if (order)
		page[1].flags.f &= ~PAGE_FLAGS_SECOND;
	for (i = 0; i < nr; i++) {
		if (!test_bit(idx + i, used))
			host_die("double free of pfn %#lx", page_to_pfn(page + i));
		if (i) {
			/* As free_tail_page_prepare(): folio fields overlay tails 1 and 2's ->mapping. */
			if (i == 2 && !list_empty(&folio->_deferred_list))
				harness_fail("bad page state: freeing pfn %#lx still on the deferred split queue",
					     page_to_pfn(page));
			if (i <= 2 || page[i].mapping == TAIL_MAPPING)
				page[i].mapping = NULL;
			page[i].compound_info = 0;
		}
		check_free_page(page + i);
		page[i].flags.f &= ~PAGEFLAGS_MASK;
		memset(page_address(page + i), 0x6b, PAGE_SIZE);
		__clear_bit(idx + i, used);
	}
	stats.live -= nr;
}

struct folio *__folio_alloc_noprof(gfp_t gfp, unsigned int order, int preferred_nid,
				   nodemask_t *nodemask)
{
	struct page *page = alloc_frames(gfp, order);

	return page ? page_rmappable_folio(page) : NULL;
}

struct page *alloc_pages_node_noprof(int nid, gfp_t gfp, unsigned int order)
{
	return alloc_frames(gfp, order);
}

unsigned long get_free_pages_noprof(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_frames(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_frames(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* The last reference to an anonymous or page-table folio is gone (mm/folio.c). */
void __folio_put(struct folio *folio)
{
	harness_lru_del(folio);
	folio_unqueue_deferred_split(folio);
	if (folio_test_mlocked(folio))
		__folio_clear_mlocked(folio);
	free_frames(&folio->page, folio_order(folio));
}

const struct harness_folio_stats *harness_folio_stats(void)
{
	return &stats;
}
