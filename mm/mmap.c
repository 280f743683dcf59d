// SPDX-License-Identifier: GPL-2.0
/* The real mm/mmap.c of KDIR, built into the userland harness. */
#include "mm/mmap.c"
