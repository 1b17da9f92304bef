/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_PROCESSOR_H
#define _ASM_DCE_PROCESSOR_H

#include <asm/ptrace.h>

/* Host pointers are "user" pointers: the host and the kernel share one address
 * space and copy_{to,from}_user are memcpy. */
#define TASK_SIZE		(1UL << 47)
#define TASK_UNMAPPED_BASE	0
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		STACK_TOP

#ifndef __ASSEMBLY__
struct task_struct;

/* A task is a host fiber. fn/fn_arg is the kernel (or user-mode) thread function
 * from copy_thread; user_entry is what the task runs when it "returns to user
 * space" after an exec (set by start_thread). */
struct thread_struct {
	void *fiber;
	int (*fn)(void *);
	void *fn_arg;
	void (*user_entry)(void);
	struct pt_regs regs;
};

#define INIT_THREAD { }

#define task_pt_regs(tsk)	(&(tsk)->thread.regs)
#define KSTK_EIP(tsk)		(0UL)
#define KSTK_ESP(tsk)		(0UL)

static inline void cpu_relax(void)
{
	__asm__ __volatile__("" : : : "memory");
}

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp);
unsigned long __get_wchan(struct task_struct *p);
#endif
#endif
