// SPDX-License-Identifier: GPL-2.0
/* The real mm/page_vma_mapped.c of KDIR, built into the userland harness. */
#include "mm/page_vma_mapped.c"
