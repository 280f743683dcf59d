// SPDX-License-Identifier: GPL-2.0
/* The real mm/vma.c of KDIR, built into the userland harness. */
#include "mm/vma.c"
