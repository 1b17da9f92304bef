// SPDX-License-Identifier: GPL-2.0
/* What every architecture provides and this one has no hardware for: delays (time
 * only moves in the simulator, so they return at once), power-off and reboot,
 * ptrace, /proc/cpuinfo, the memory-mapping system calls, and panic, which gives
 * control back to the host for good. */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/pm.h>
#include <linux/ptrace.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/syscalls.h>
#include <linux/version.h>
#include <asm/dce.h>
#include <asm/syscalls.h>

void __delay(unsigned long loops)
{
}

void __const_udelay(unsigned long xloops)
{
}

void __udelay(unsigned long usecs)
{
}

void __ndelay(unsigned long nsecs)
{
}

void (*pm_power_off)(void);

static void __noreturn dce_stop(const char *why)
{
	dce_dead = 1;
	dce_host.panic(dce_host.ctx, why);
	for (;;)
		dce_leave_to_host();
}

void machine_restart(char *cmd)
{
	dce_stop("machine restart");
}

void machine_halt(void)
{
	dce_stop("machine halt");
}

void machine_power_off(void)
{
	dce_stop("machine power off");
}

static int dce_panic_event(struct notifier_block *nb, unsigned long event, void *msg)
{
	dce_stop(msg);
}

static struct notifier_block dce_panic_block = {
	.notifier_call = dce_panic_event,
	.priority = INT_MIN,
};

static int __init dce_panic_setup(void)
{
	atomic_notifier_chain_register(&panic_notifier_list, &dce_panic_block);
	return 0;
}
early_initcall(dce_panic_setup);

long arch_ptrace(struct task_struct *child, long request, unsigned long addr,
		 unsigned long data)
{
	return -EIO;
}

void ptrace_disable(struct task_struct *child)
{
}

static int dce_cpuinfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "processor\t: 0\nvendor_id\t: dce\nmodel name\t: simulated\n\n");
	return 0;
}

static void *dce_cpuinfo_start(struct seq_file *m, loff_t *pos)
{
	return *pos == 0 ? (void *)1 : NULL;
}

static void *dce_cpuinfo_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void dce_cpuinfo_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start = dce_cpuinfo_start,
	.next = dce_cpuinfo_next,
	.stop = dce_cpuinfo_stop,
	.show = dce_cpuinfo_show,
};

/* Memory mappings belong to dce, not to this kernel; nothing returns from a
 * signal handler here. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0) /* asm-generic/syscalls.h: 6.1 has off_t */
asmlinkage long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
			 unsigned long flags, unsigned long fd, unsigned long pgoff)
#else
asmlinkage long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
			 unsigned long flags, unsigned long fd, off_t pgoff)
#endif
{
	return -ENOSYS;
}

asmlinkage long sys_rt_sigreturn(struct pt_regs *regs)
{
	return -ENOSYS;
}
