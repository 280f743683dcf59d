// SPDX-License-Identifier: GPL-2.0
/* The real lib/sort.c of KDIR, built into the userland harness. */
#include "lib/sort.c"
