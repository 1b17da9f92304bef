/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_DCE_PTRACE_H
#define _UAPI_ASM_DCE_PTRACE_H
#ifndef __ASSEMBLY__
/* There is no user-mode register file: "user space" is the dce host, which enters
 * through function calls. The frame only records where a task "returns to". */
struct pt_regs {
	unsigned long pc;
	unsigned long sp;
	unsigned long regs[6];
};
struct user_regs_struct {
	unsigned long pc;
	unsigned long sp;
	unsigned long regs[6];
};
#endif
#endif
