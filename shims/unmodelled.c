// SPDX-License-Identifier: GPL-2.0
/* Kernel functions the harness does not model: reaching one is a gap in the harness, not a pass. */
/*
 * Each stub stops the test program and names itself. The real prototypes are deliberately
 * not visible here: a stub never returns, so its arguments and result do not matter.
 * Groups marked "until" are the next parts of the kernel to build in for real.
 */
#include "host.h"

#define UNMODELLED(fn)						\
	void fn(void);						\
	void fn(void)						\
	{							\
		host_die("%s() is not modelled by the harness", #fn); \
	}

/* Files, devices and user memory: the harness' processes have none. */
UNMODELLED(fget)
UNMODELLED(fput)
UNMODELLED(file_update_time)
UNMODELLED(path_noexec)
UNMODELLED(inode_to_bdi)
UNMODELLED(balance_dirty_pages_ratelimited)
UNMODELLED(shmem_get_unmapped_area)
UNMODELLED(shmem_zero_setup)
UNMODELLED(dump_mapping)
UNMODELLED(mapping_evict_folio)
UNMODELLED(ioremap_prot)
UNMODELLED(iounmap)
UNMODELLED(memcpy_fromio)
UNMODELLED(memcpy_toio)
UNMODELLED(set_pte_vaddr)
UNMODELLED(pfnmap_setup_cachemode)
UNMODELLED(pfnmap_track)
UNMODELLED(pfnmap_untrack)
UNMODELLED(_copy_from_user)
UNMODELLED(rep_movs_alternative)
UNMODELLED(strnlen_user)
UNMODELLED(search_exception_tables)
UNMODELLED(smp_call_function)
UNMODELLED(simple_strtoul)
UNMODELLED(get_random_u64)
UNMODELLED(kmem_buckets_create)
UNMODELLED(is_free_buddy_page)
UNMODELLED(memory_failure_queue)
UNMODELLED(handle_userfault)
UNMODELLED(__vmalloc_noprof)
/* GUP and population (mm/gup.c). */
UNMODELLED(get_user_pages_remote)
UNMODELLED(populate_vma_page_range)
UNMODELLED(__mm_populate)
/* Waiting on a migration entry: nothing migrates concurrently in one thread. */
UNMODELLED(migration_entry_wait)
UNMODELLED(pmd_migration_entry_wait)
UNMODELLED(softleaf_entry_wait_on_locked)
/* Until mm/huge_memory.c is built in: no VMA allows THP, so none of these is reached. */
UNMODELLED(__split_huge_pmd)
UNMODELLED(__split_huge_pud)
UNMODELLED(change_huge_pmd)
UNMODELLED(change_huge_pud)
UNMODELLED(copy_huge_pmd)
UNMODELLED(copy_huge_pud)
UNMODELLED(deferred_split_folio)
UNMODELLED(folio_memcg_alloc_deferred)
UNMODELLED(do_huge_pmd_anonymous_page)
UNMODELLED(do_huge_pmd_numa_page)
UNMODELLED(do_huge_pmd_uffd_rwp)
UNMODELLED(do_huge_pmd_wp_page)
UNMODELLED(huge_pmd_set_accessed)
UNMODELLED(huge_pud_set_accessed)
UNMODELLED(maybe_pmd_mkwrite)
UNMODELLED(move_huge_pmd)
UNMODELLED(set_pmd_migration_entry)
UNMODELLED(split_huge_pmd_locked)
UNMODELLED(thp_get_unmapped_area)
UNMODELLED(thp_get_unmapped_area_vmaflags)
UNMODELLED(vma_thp_gfp_mask)
UNMODELLED(zap_huge_pmd)
UNMODELLED(zap_huge_pud)
/* Until mm/ksm.c is built in. */
UNMODELLED(__ksm_enter)
UNMODELLED(__ksm_exit)
UNMODELLED(ksm_might_need_to_copy)
UNMODELLED(rmap_walk_ksm)
/* Until swap (mm/swapfile.c, mm/swap_state.c) is built in: nothing is swapped out yet. */
UNMODELLED(__swap_count)
UNMODELLED(folio_dup_swap)
UNMODELLED(folio_put_swap)
UNMODELLED(folio_free_swap)
UNMODELLED(swap_cache_del_folio)
UNMODELLED(swap_cache_get_folio)
UNMODELLED(swap_dup_entry_direct)
UNMODELLED(swap_put_entries_direct)
UNMODELLED(get_swap_device)
UNMODELLED(swap_update_readahead)
UNMODELLED(swapin_readahead)
UNMODELLED(swapin_sync)
UNMODELLED(swap_retry_table_alloc)
UNMODELLED(swap_migration_ad_supported)
