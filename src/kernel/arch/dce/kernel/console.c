// SPDX-License-Identifier: GPL-2.0
/* printk goes to the host's log callback (files-N/var/log/messages in dce). */
#include <linux/console.h>
#include <linux/init.h>
#include <asm/dce.h>

static void dce_console_write(struct console *con, const char *s, unsigned int n)
{
	dce_host.log(dce_host.ctx, s, n);
}

static struct console dce_console = {
	.name = "dce",
	.write = dce_console_write,
	.flags = CON_PRINTBUFFER | CON_ANYTIME,
	.index = -1,
};

void __init dce_console_init(void)
{
	register_console(&dce_console);
}
