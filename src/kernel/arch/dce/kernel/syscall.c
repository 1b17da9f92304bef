// SPDX-License-Identifier: GPL-2.0
/* The asm-generic system call table, and one system call run as a function call
 * from the host's request (no register frame, no return to user mode). */
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <asm/syscalls.h>
#include <asm/unistd.h>
#include <asm/dce.h>

#undef __SYSCALL
#define __SYSCALL(nr, call) [nr] = (call),

void *sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = sys_ni_syscall,
#include <asm/unistd.h>
};

typedef long (*dce_syscall_fn)(long, long, long, long, long, long);

long dce_syscall(long nr, const long *a)
{
	struct pt_regs *regs = current_pt_regs();
	int i;

	if (nr < 0 || nr >= __NR_syscalls)
		return -ENOSYS;
	for (i = 0; i < 6; i++)
		regs->regs[i] = a[i];
	return ((dce_syscall_fn)sys_call_table[nr])(a[0], a[1], a[2], a[3], a[4], a[5]);
}
