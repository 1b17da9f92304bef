/* uaccess.c - see uaccess.h. */
#include "../core/kernel.h"
#include "uaccess.h"
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static pid_t self_pid(void)
{
	static pid_t pid;
	if (!pid)
		pid = getpid();
	return pid;
}

int dce_copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!len)
		return 0;
	if (!src)
		return -EFAULT;
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)src, len };
	return process_vm_readv(self_pid(), &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

int dce_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!dst)
		return -EFAULT;
	struct iovec l = { (void *)src, len }, r = { (void *)(uintptr_t)dst, len };
	return process_vm_writev(self_pid(), &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

/* Copies page by page: a path may end just before an unmapped page. */
int dce_path_from_user(char *buf, uint64_t src)
{
	if (!src)
		return -EFAULT;
	size_t done = 0;
	while (done < PATH_MAX) {
		uint64_t at = src + done;
		size_t chunk = 4096 - (size_t)(at & 4095);
		if (chunk > PATH_MAX - done)
			chunk = PATH_MAX - done;
		if (dce_copy_from_user(buf + done, at, chunk))
			return -EFAULT;
		if (memchr(buf + done, 0, chunk))
			return 0;
		done += chunk;
	}
	return -ENAMETOOLONG;
}
