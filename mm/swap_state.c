// SPDX-License-Identifier: GPL-2.0
/* The real mm/swap_state.c of KDIR, built into the userland harness. */
#include "mm/swap_state.c"
#include "swap.h"

void harness_swap_state_init(void)
{
	swap_init();
}
