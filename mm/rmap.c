// SPDX-License-Identifier: GPL-2.0
/* The real mm/rmap.c of KDIR, built into the userland harness. */
#include "mm/rmap.c"
