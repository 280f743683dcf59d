// SPDX-License-Identifier: GPL-2.0
/* The real mm/mmu_gather.c of KDIR, built into the userland harness. */
#include "mm/mmu_gather.c"
