// SPDX-License-Identifier: GPL-2.0
/* pid 1. kernel_init ends by executing /init; here /init is a four-byte file this
 * port writes into the rootfs, and the binary format that "loads" it makes pid 1
 * return to dce_init_main instead of a user program. pid 1 then serves the host's
 * task-creation requests (see requests.c). */
#include <linux/binfmts.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/init_syscalls.h>
#include <linux/initrd.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <asm/dce.h>

static const char dce_init_magic[4] = { 0x7f, 'D', 'C', 'E' };

static int dce_init_load_binary(struct linux_binprm *bprm)
{
	int ret;

	if (memcmp(bprm->buf, dce_init_magic, sizeof(dce_init_magic)) != 0)
		return -ENOEXEC;
	ret = begin_new_exec(bprm);
	if (ret)
		return ret;
	setup_new_exec(bprm);
	start_thread(current_pt_regs(), (unsigned long)dce_init_main, 0);
	finalize_exec(bprm);
	return 0;
}

static struct linux_binfmt dce_init_format = {
	.module = THIS_MODULE,
	.load_binary = dce_init_load_binary,
};

static int __init dce_init_binfmt(void)
{
	register_binfmt(&dce_init_format);
	return 0;
}
core_initcall(dce_init_binfmt);

static int __init dce_write_init(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

#ifdef CONFIG_BLK_DEV_INITRD
	wait_for_initramfs();
#endif
	f = filp_open("/init", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (IS_ERR(f))
		panic("dce: cannot create /init: %ld", PTR_ERR(f));
	n = kernel_write(f, dce_init_magic, sizeof(dce_init_magic), &pos);
	fput(f);
	/* kernel_init is not a kernel thread, so that fput is deferred to "return to
	 * user space"; run it now or the exec fails with ETXTBSY. */
	task_work_run();
	if (n != sizeof(dce_init_magic))
		panic("dce: cannot write /init: %zd", n);
	return 0;
}
late_initcall(dce_write_init);

/* sysctl and device attributes are files, as on any distribution. */
static int __init dce_mount_pseudo_filesystems(void)
{
	init_mkdir("/proc", 0555);
	init_mkdir("/sys", 0555);
	if (init_mount("proc", "/proc", "proc", 0, NULL))
		pr_err("dce: cannot mount /proc\n");
	if (init_mount("sysfs", "/sys", "sysfs", 0, NULL))
		pr_err("dce: cannot mount /sys\n");
	return 0;
}
late_initcall(dce_mount_pseudo_filesystems);
