// SPDX-License-Identifier: GPL-2.0
/* The real mm/vma_init.c of KDIR, built into the userland harness. */
#include "mm/vma_init.c"
