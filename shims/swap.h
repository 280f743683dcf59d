/* SPDX-License-Identifier: GPL-2.0 */
/* The harness' swap area: its device (swap.c) and its swapon/swapoff (mm/swapfile.c CU). */
#ifndef HARNESS_SWAP_H
#define HARNESS_SWAP_H

#include <linux/types.h>

struct file;
struct swap_info_struct;
struct folio;

/*
 * The swap area is a swap file on a filesystem that swaps through swap_ops, as NFS does:
 * page contents go to host memory, one page per slot, and come back on swap-in. Its
 * device properties (SWP_SOLIDSTATE, SWP_SYNCHRONOUS_IO, SWP_STABLE_WRITES) are what
 * sys_swapon() would read from a block device; the default is a non-rotational device
 * without synchronous I/O, so swap-in goes through readahead and the swap cache.
 */
#define HARNESS_SWAP_SLOTS	1024
#define HARNESS_SWAP_DEFAULT	SWP_SOLIDSTATE

struct harness_swap_stats {
	unsigned long pages_written;	/* pages that reached the device */
	unsigned long pages_read;
	unsigned long write_errors;	/* writes failed on purpose (harness_swap_fail_writes) */
};

/* swapon of a fresh area of nr_slots slots (slot 0 holds the header); 0 or -errno. */
int harness_swap_activate(unsigned long nr_slots, unsigned long dev_flags);
/* swapoff, the real try_to_unuse() included; 0 or -errno. */
int harness_swap_deactivate(void);
/* The active area, or NULL. */
struct swap_info_struct *harness_swap_area(void);
/* Slots in use in the active area (0 without one). */
unsigned long harness_swap_slots_in_use(void);
/* Make the next n page writes fail with an I/O error. */
void harness_swap_fail_writes(unsigned long n);
const struct harness_swap_stats *harness_swap_stats(void);
/* Run the work that swap queued (the kworker's turn); returns how many items ran. */
unsigned long harness_swap_run_work(void);

/* The parts of sys_swapon()/sys_swapoff() past the file lookup (mm/swapfile.c CU). */
int harness_swapon(struct file *swap_file, void *header, unsigned long dev_flags);
int harness_swapoff(struct swap_info_struct *si);
long harness_swap_usage(struct swap_info_struct *si);
/* One slot's swap count (-1: free or bad) and swap-cache folio; several, a cluster lock each. */
int harness_swap_slot(struct swap_info_struct *si, unsigned long offset, struct folio **cached);
void harness_swap_slots(struct swap_info_struct *si, unsigned long offset, unsigned long n,
			int *count, struct folio **cached);
/* mm/swap_state.c's subsys_initcall, which sizes readahead by memory: run at first swapon. */
void harness_swap_state_init(void);

#endif /* HARNESS_SWAP_H */
