// SPDX-License-Identifier: GPL-2.0
/* The real lib/hexdump.c of KDIR, built into the userland harness. */
#include "lib/hexdump.c"
