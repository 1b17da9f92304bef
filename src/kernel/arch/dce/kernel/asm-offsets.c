// SPDX-License-Identifier: GPL-2.0
/* arch/dce has no assembly, so no structure offsets are needed. */
#include <linux/kbuild.h>

int main(void)
{
	return 0;
}
