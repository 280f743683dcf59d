// SPDX-License-Identifier: GPL-2.0
/* The real mm/interval_tree.c of KDIR, built into the userland harness. */
#include "mm/interval_tree.c"
