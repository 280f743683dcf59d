// SPDX-License-Identifier: GPL-2.0
/* The real lib/interval_tree.c of KDIR, built into the userland harness. */
#include "lib/interval_tree.c"
