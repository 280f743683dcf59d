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
/* /proc and the sysctl handlers: tests set sysctls through shims/sysctl.c instead. */
UNMODELLED(proc_create)
UNMODELLED(proc_dointvec)
UNMODELLED(proc_dointvec_minmax)
UNMODELLED(proc_doulongvec_minmax)
UNMODELLED(seq_file_path)
UNMODELLED(seq_lseek)
UNMODELLED(seq_open)
UNMODELLED(seq_printf)
UNMODELLED(seq_read)
UNMODELLED(seq_release)
UNMODELLED(seq_write)
UNMODELLED(mm_compute_batch)
UNMODELLED(percpu_counter_sync)
UNMODELLED(schedule_on_each_cpu)
/* GUP and population (mm/gup.c). */
UNMODELLED(get_user_pages_remote)
UNMODELLED(populate_vma_page_range)
UNMODELLED(__mm_populate)
/* Waiting on a migration entry: nothing migrates concurrently in one thread. */
UNMODELLED(softleaf_entry_wait_on_locked)
/*
 * Reached from mm/huge_memory.c and mm/migrate.c (built in for THP split) only on paths the
 * harness does not take: thp_anon= boot parsing, file and swap-cache folios, migrate_pages(),
 * MADV_FREE, UFFDIO_MOVE.
 */
UNMODELLED(__bitmap_set)
UNMODELLED(__bitmap_clear)
UNMODELLED(memparse)
UNMODELLED(sized_strscpy)
UNMODELLED(filemap_release_folio)
UNMODELLED(__filemap_remove_folio)
UNMODELLED(folio_account_cleaned)
UNMODELLED(__mod_zone_page_state)
UNMODELLED(xas_load)
UNMODELLED(xas_store)
UNMODELLED(__xa_store)
UNMODELLED(xas_split)
UNMODELLED(xas_split_alloc)
UNMODELLED(xas_try_split)
UNMODELLED(shadow_nodes)
UNMODELLED(workingset_update_node)
UNMODELLED(folio_migrate_ksm)
UNMODELLED(folio_mark_lazyfree)
UNMODELLED(double_pt_lock)
UNMODELLED(double_pt_unlock)
/* Until mm/ksm.c is built in. */
UNMODELLED(__ksm_enter)
UNMODELLED(__ksm_exit)
UNMODELLED(rmap_walk_ksm)
/*
 * Swap: the area is a file whose filesystem swaps through swap_ops (shims/swap.c), set up
 * past sys_swapon()'s file lookup, so the syscalls' file side, the block-device I/O of
 * mm/page_io.c and the bmap() scan of ordinary swap files are never reached.
 */
UNMODELLED(file_open_name)
UNMODELLED(filp_close)
UNMODELLED(getname_flags)
UNMODELLED(putname)
UNMODELLED(I_BDEV)
UNMODELLED(read_cache_folio)
UNMODELLED(inode_dio_wait)
UNMODELLED(filemap_write_and_wait_range)
UNMODELLED(bmap)
UNMODELLED(bio_init)
UNMODELLED(bio_uninit)
UNMODELLED(submit_bio)
UNMODELLED(submit_bio_wait)
UNMODELLED(blkdev_issue_discard)
UNMODELLED(__put_task_struct_rcu_cb)
