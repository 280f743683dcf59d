// SPDX-License-Identifier: GPL-2.0
/* The real mm/madvise.c of KDIR, built into the userland harness. */
#include "mm/madvise.c"
