// SPDX-License-Identifier: GPL-2.0
/* The real lib/rbtree.c of KDIR, built into the userland harness. */
#include "lib/rbtree.c"
