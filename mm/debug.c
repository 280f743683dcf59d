// SPDX-License-Identifier: GPL-2.0
/* The real mm/debug.c of KDIR, built into the userland harness. */
#include "mm/debug.c"
