// SPDX-License-Identifier: GPL-2.0
/* The real mm/pgtable-generic.c of KDIR, built into the userland harness. */
#include "mm/pgtable-generic.c"
