// SPDX-License-Identifier: GPL-2.0
/* Software interrupts: the host sets a bit in dce_irq_pending and enters the
 * kernel; the handlers run when the kernel next enables interrupts, inside
 * irq_enter/irq_exit so softirqs and the tick follow as on hardware. */
#include <linux/hardirq.h>
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/seq_file.h>
#include <asm/dce.h>
#include <asm/irq_regs.h>

unsigned long dce_irq_flags = ARCH_IRQ_DISABLED;
unsigned long dce_irq_pending;
static int dce_irq_delivering;
/* The register frame of an interrupt. No task state lives in it, but its presence
 * matters: the tick handler (tick_sched_timer) only runs update_process_times -
 * the timer wheel, scheduler_tick, RCU - when get_irq_regs() is set, as it is
 * on hardware inside an interrupt. */
static struct pt_regs dce_irq_regs;

void dce_irq_deliver(void)
{
	unsigned long pending;
	struct pt_regs *old_regs;

	if (dce_irq_delivering)
		return;
	dce_irq_delivering = 1;
	old_regs = set_irq_regs(&dce_irq_regs);
	while ((pending = dce_irq_pending) != 0) {
		dce_irq_pending = 0;
		dce_irq_flags = ARCH_IRQ_DISABLED;
		irq_enter();
		if (pending & (1UL << DCE_KIRQ_TIMER))
			dce_timer_interrupt();
		if (pending & (1UL << DCE_IRQ_NET))
			dce_netdev_receive();
		if (pending & (1UL << DCE_IRQ_REQUESTS))
			dce_requests_deliver();
		irq_exit();
		dce_irq_flags = ARCH_IRQ_ENABLED;
	}
	set_irq_regs(old_regs);
	dce_irq_delivering = 0;
}

void __init init_IRQ(void)
{
}

int arch_show_interrupts(struct seq_file *p, int prec)
{
	return 0;
}
