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

/* Files (beyond shims/fs.c), devices and user memory. */
UNMODELLED(fget)
UNMODELLED(file_update_time)
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
/* mm/maccess.c: a copy larger than its object; gcc proves it never happens, clang does not. */
UNMODELLED(__copy_overflow)
UNMODELLED(rep_movs_alternative)
UNMODELLED(strnlen_user)
UNMODELLED(search_exception_tables)
UNMODELLED(smp_call_function)
UNMODELLED(simple_strtoul)
UNMODELLED(get_random_u64)
UNMODELLED(kmem_buckets_create)
UNMODELLED(is_free_buddy_page)
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
UNMODELLED(faultin_page_range)
UNMODELLED(get_user_pages_fast)
/*
 * madvise(): advice on files (MADV_REMOVE, MADV_WILLNEED, MADV_PAGEOUT of file pages),
 * khugepaged's (MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_COLLAPSE) and process_madvise().
 */
UNMODELLED(inode_owner_or_capable)
UNMODELLED(inode_permission)
UNMODELLED(vfs_fallocate)
UNMODELLED(vfs_fadvise)
UNMODELLED(hugepage_madvise)
UNMODELLED(madvise_collapse)
UNMODELLED(import_iovec)
UNMODELLED(iov_iter_advance)
UNMODELLED(pidfd_get_task)
UNMODELLED(mm_access)
/* ksmd's loop (mm/ksm.c): the thread never runs; tests run its body (tests/lib/ksm.c). */
UNMODELLED(set_user_nice)
UNMODELLED(kthread_should_stop)
UNMODELLED(__msecs_to_jiffies)
UNMODELLED(schedule_timeout)
UNMODELLED(init_wait_entry)
UNMODELLED(prepare_to_wait_event)
UNMODELLED(finish_wait)
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
UNMODELLED(folio_mark_lazyfree)
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
/*
 * mm/userfaultfd.c: its file, its fault handling and its copies to and from user memory.
 * The harness makes contexts without a file and never faults on a registered range.
 */
UNMODELLED(anon_inode_create_getfd)
UNMODELLED(anon_inode_create_getfile)
UNMODELLED(get_unused_fd_flags)
UNMODELLED(put_unused_fd)
UNMODELLED(fd_install)
UNMODELLED(noop_llseek)
UNMODELLED(_copy_to_user)
UNMODELLED(__put_user_8)
UNMODELLED(_copy_to_iter)
UNMODELLED(iov_iter_revert)
UNMODELLED(add_wait_queue)
UNMODELLED(default_wake_function)
UNMODELLED(wake_up_state)
UNMODELLED(__wake_up_locked)
UNMODELLED(__task_pid_nr_ns)
UNMODELLED(__printk_ratelimit)
/* mm/memory-failure.c beyond the collection of an anonymous page's processes. */
UNMODELLED(zone_pcp_enable)
UNMODELLED(zone_pcp_disable)
UNMODELLED(take_page_off_buddy)
UNMODELLED(put_page_back_buddy)
UNMODELLED(panic)
UNMODELLED(errseq_set)
UNMODELLED(__filemap_set_wb_err)
