/* mincore.c - which pages of a range are resident. Every page of a program's own
 * mapping reads as resident: the host's page cache state would differ between
 * runs (GNU grep and others only use the call to probe whether memory is mapped). */
#include "../core/kernel.h"
#include "syscalls.h"
#include "uaccess.h"
#include <errno.h>
#include <string.h>

long sys_mincore(T *t, U addr, U len, U vec)
{
	if (addr & 4095)
		return -EINVAL;
	if (len > (1ULL << 47) || addr + len < addr)
		return -ENOMEM;
	size_t pages = (size_t)((len + 4095) / 4096);
	if (!pages)
		return 0;
	if (!dce_user_ok(t->proc, addr, pages * 4096))
		return -ENOMEM; /* part of the range is not mapped */
	unsigned char ones[256];
	memset(ones, 1, sizeof ones);
	for (size_t done = 0; done < pages;) {
		size_t n = pages - done < sizeof ones ? pages - done : sizeof ones;
		if (dce_copy_to_user(vec + done, ones, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}
