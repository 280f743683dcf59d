// SPDX-License-Identifier: GPL-2.0
/* The real lib/ctype.c of KDIR, built into the userland harness. */
#include "lib/ctype.c"
