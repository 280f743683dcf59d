// SPDX-License-Identifier: GPL-2.0
/* The real mm/memory.c of KDIR, built into the userland harness. */
#include "mm/memory.c"
