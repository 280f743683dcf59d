// SPDX-License-Identifier: GPL-2.0
/* The real lib/maple_tree.c of KDIR, built into the userland harness. */
#include "lib/maple_tree.c"
