// SPDX-License-Identifier: GPL-2.0
/* The real lib/bug.c of KDIR, built into the userland harness. */
#include "lib/bug.c"
