// SPDX-License-Identifier: GPL-2.0
/* The real mm/mmap_lock.c of KDIR, built into the userland harness. */
#include "mm/mmap_lock.c"
