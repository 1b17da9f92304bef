// SPDX-License-Identifier: GPL-2.0
/* The ways in and out of the kernel. The host enters by switching from its fiber
 * to the kernel fiber that last left (normally the idle task, parked in
 * arch_cpu_idle); the kernel leaves by switching back. Entries never nest. */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <asm/dce.h>
#include <asm/setup.h>

struct dce_kernel_host dce_host;
struct dce_kernel_boot_params dce_boot_params;
int dce_dead;

static void *dce_parked_fiber;
static struct dce_kernel_request *dce_incoming_head, *dce_incoming_tail;

void dce_leave_to_host(void)
{
	void *self = current->thread.fiber;

	dce_parked_fiber = self;
	dce_host.fiber_switch(dce_host.ctx, self, dce_boot_params.host_fiber);
}

static void dce_enter(void)
{
	dce_host.fiber_switch(dce_host.ctx, dce_boot_params.host_fiber, dce_parked_fiber);
}

/* Fiber entries realign the stack: the host's first frame may be 8 bytes off the
 * ABI's 16, and host callbacks (compiled with SSE) run on these stacks. */
__attribute__((force_align_arg_pointer)) static void dce_boot_entry(void *unused)
{
	start_kernel();
}

DCE_EXPORT int dce_kernel_boot(const struct dce_kernel_host *host,
			       const struct dce_kernel_boot_params *params)
{
	void *fiber;

	if (!host || host->abi != DCE_KERNEL_ABI || !params || !params->host_fiber)
		return -EINVAL;
	dce_host = *host;
	dce_boot_params = *params;
	if (params->cmdline)
		strscpy(boot_command_line, params->cmdline, COMMAND_LINE_SIZE);
	fiber = dce_host.fiber_new(dce_host.ctx, DCE_TASK_STACK_SIZE, dce_boot_entry, NULL);
	if (!fiber)
		return -ENOMEM;
	init_task.thread.fiber = fiber;
	dce_parked_fiber = fiber;
	dce_enter();
	return dce_dead ? -EIO : 0;
}

DCE_EXPORT void dce_kernel_interrupt(int irq)
{
	if (dce_dead || irq < 0 || irq > DCE_IRQ_NET)
		return;
	dce_irq_pending |= 1UL << irq;
	dce_enter();
}

DCE_EXPORT void dce_kernel_submit(struct dce_kernel_request *r)
{
	if (dce_dead) {
		r->result = -EIO;
		dce_host.request_done(dce_host.ctx, r);
		return;
	}
	r->next = NULL;
	if (dce_incoming_tail)
		dce_incoming_tail->next = r;
	else
		dce_incoming_head = r;
	dce_incoming_tail = r;
	dce_irq_pending |= 1UL << DCE_IRQ_REQUESTS;
	dce_enter();
}

/* Called with interrupts off: hand over the requests the host queued. */
struct dce_kernel_request *dce_requests_take(void)
{
	struct dce_kernel_request *r = dce_incoming_head;

	dce_incoming_head = dce_incoming_tail = NULL;
	return r;
}
