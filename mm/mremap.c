// SPDX-License-Identifier: GPL-2.0
/* The real mm/mremap.c of KDIR, built into the userland harness. */
#include "mm/mremap.c"
