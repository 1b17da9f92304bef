/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_PTRACE_H
#define _ASM_DCE_PTRACE_H
#include <uapi/asm/ptrace.h>
#ifndef __ASSEMBLY__
#define user_mode(regs)			(0)
#define instruction_pointer(regs)	((regs)->pc)
#define profile_pc(regs)		instruction_pointer(regs)
#define user_stack_pointer(regs)	((regs)->sp)
#define current_pt_regs()		task_pt_regs(current)
static inline long regs_return_value(struct pt_regs *regs)
{
	return regs->regs[0];
}
#endif
#endif
