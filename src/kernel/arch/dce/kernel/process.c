// SPDX-License-Identifier: GPL-2.0
/* Tasks are host fibers: a context switch is a fiber switch, a new task is a new
 * fiber that finishes the scheduler's bookkeeping (schedule_tail) and runs its
 * thread function, and the idle task hands the host control back. */
#include <linux/cpu.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>
#include <linux/resume_user_mode.h>
#include <asm/dce.h>

struct task_struct *dce_current_task = &init_task;
static struct task_struct *dce_switch_last;

struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	dce_switch_last = prev;
	dce_current_task = next;
	dce_host.fiber_switch(dce_host.ctx, prev->thread.fiber, next->thread.fiber);
	/* Back on prev's fiber: whoever switched to us left its task here. */
	return dce_switch_last;
}

/* "Return to user space" for a user-mode thread: run pending task work (deferred
 * fput, ...), then the entry an exec installed, if any; a task with nothing left
 * to run exits. */
static void dce_return_to_user(void)
{
	void (*entry)(void);

	if (task_work_pending(current))
		task_work_run();
	entry = current->thread.user_entry;
	if (entry)
		entry();
	do_exit(0);
}

__attribute__((force_align_arg_pointer)) static void dce_task_entry(void *arg)
{
	struct task_struct *p = arg;

	schedule_tail(dce_switch_last);
	if (p->thread.fn)
		p->thread.fn(p->thread.fn_arg);
	dce_return_to_user();
}

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	/* Tasks only come from kernel_thread/user_mode_thread: there is no user
	 * register state to fork. */
	if (!args->fn)
		return -EINVAL;
	memset(&p->thread, 0, sizeof(p->thread));
	p->thread.fn = args->fn;
	p->thread.fn_arg = args->fn_arg;
	p->thread.fiber = dce_host.fiber_new(dce_host.ctx, DCE_TASK_STACK_SIZE,
					     dce_task_entry, p);
	return p->thread.fiber ? 0 : -ENOMEM;
}

/* The task is dead and another fiber runs: its stack can go. */
void arch_release_task_struct(struct task_struct *tsk)
{
	if (tsk->thread.fiber && tsk != &init_task)
		dce_host.fiber_free(dce_host.ctx, tsk->thread.fiber);
	tsk->thread.fiber = NULL;
}

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	regs->pc = pc;
	regs->sp = sp;
	current->thread.user_entry = (void (*)(void))pc;
}

void flush_thread(void)
{
}

unsigned long __get_wchan(struct task_struct *p)
{
	return 0;
}

/* Nothing to run: give the host control until it has an interrupt for us. */
void arch_cpu_idle(void)
{
	if (!dce_irq_pending)
		dce_leave_to_host();
	raw_local_irq_enable();
}

void show_regs(struct pt_regs *regs)
{
	show_regs_print_info(KERN_DEFAULT);
}

void show_stack(struct task_struct *task, unsigned long *sp, const char *loglvl)
{
}
