/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_SYSCALL_H
#define _ASM_DCE_SYSCALL_H
#include <uapi/linux/audit.h>
#include <linux/sched.h>
#include <linux/err.h>

/* System calls are function calls from the host; the frame only mirrors the
 * arguments for code (audit, ptrace info) that asks. */
extern void *sys_call_table[];

static inline int syscall_get_nr(struct task_struct *task, struct pt_regs *regs)
{
	return -1;
}
static inline void syscall_rollback(struct task_struct *task, struct pt_regs *regs)
{
}
static inline long syscall_get_error(struct task_struct *task, struct pt_regs *regs)
{
	return IS_ERR_VALUE(regs->regs[0]) ? regs->regs[0] : 0;
}
static inline long syscall_get_return_value(struct task_struct *task, struct pt_regs *regs)
{
	return regs->regs[0];
}
static inline void syscall_set_return_value(struct task_struct *task, struct pt_regs *regs,
					    int error, long val)
{
	regs->regs[0] = error ? error : val;
}
static inline void syscall_get_arguments(struct task_struct *task, struct pt_regs *regs,
					 unsigned long *args)
{
	int i;

	for (i = 0; i < 6; i++)
		args[i] = regs->regs[i];
}
static inline int syscall_get_arch(struct task_struct *task)
{
	return AUDIT_ARCH_X86_64;
}
#endif
