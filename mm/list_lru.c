// SPDX-License-Identifier: GPL-2.0
/* The real mm/list_lru.c of KDIR, built into the userland harness. */
#include "mm/list_lru.c"
