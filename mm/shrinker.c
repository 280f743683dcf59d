// SPDX-License-Identifier: GPL-2.0
/* The real mm/shrinker.c of KDIR, built into the userland harness. */
#include "mm/shrinker.c"
