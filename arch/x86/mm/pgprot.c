// SPDX-License-Identifier: GPL-2.0
/* The real arch/x86/mm/pgprot.c of KDIR, built into the userland harness. */
#include "arch/x86/mm/pgprot.c"
