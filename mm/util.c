// SPDX-License-Identifier: GPL-2.0
/* The real mm/util.c of KDIR, built into the userland harness. */
#include "mm/util.c"
