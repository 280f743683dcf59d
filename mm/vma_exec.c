// SPDX-License-Identifier: GPL-2.0
/* The real mm/vma_exec.c of KDIR, built into the userland harness. */
#include "mm/vma_exec.c"
