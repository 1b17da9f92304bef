/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_IRQFLAGS_H
#define _ASM_DCE_IRQFLAGS_H

/* Interrupts are software: the host marks them pending while the kernel is idle
 * (parked in arch_cpu_idle) and they are delivered the next time the kernel
 * enables interrupts. */
#define ARCH_IRQ_DISABLED 0
#define ARCH_IRQ_ENABLED 1

#ifndef __ASSEMBLY__
extern unsigned long dce_irq_flags;
extern unsigned long dce_irq_pending;
void dce_irq_deliver(void);

static inline unsigned long arch_local_save_flags(void)
{
	return dce_irq_flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	dce_irq_flags = flags;
	if (flags == ARCH_IRQ_ENABLED && dce_irq_pending)
		dce_irq_deliver();
}
#define arch_local_save_flags arch_local_save_flags
#define arch_local_irq_restore arch_local_irq_restore

#include <asm-generic/irqflags.h>
#endif
#endif
