/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_DCE_H
#define _ASM_DCE_DCE_H
/* What the arch code shares internally: the host's callbacks and the ways in
 * and out of the kernel (arch/dce/kernel/host.c). */
#include <asm/dce-kernel.h>

#define DCE_TASK_STACK_SIZE	(64 * 1024)
/* A host request is pending (private interrupt line next to DCE_KIRQ_*). */
#define DCE_IRQ_REQUESTS	31
/* A frame from the host is waiting (netdev.c). */
#define DCE_IRQ_NET		30

extern struct dce_kernel_host dce_host;
extern struct dce_kernel_boot_params dce_boot_params;
extern int dce_dead;

/* Park the running kernel fiber and give control back to the host. */
void dce_leave_to_host(void);
/* Interrupt handlers, run by dce_irq_deliver in hardirq context. */
void dce_timer_interrupt(void);
void dce_requests_deliver(void);
void dce_netdev_receive(void);
long dce_netdev_new(const long *args);
/* Exported entry, also used internally to raise a line and run the kernel. */
DCE_EXPORT void dce_kernel_interrupt(int irq);
/* Run one system call in the current task. */
long dce_syscall(long nr, const long *args);
/* The entry of pid 1 once it has "executed" /init: serves the host's requests. */
void dce_init_main(void);
#endif
