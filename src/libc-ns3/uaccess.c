/* uaccess.c - see uaccess.h. */
#include "../core/kernel.h"
#include "../loader/fixed_image.h"
#include "uaccess.h"
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

uintptr_t dce_fork_group_owned_end(struct dce_process *p, uintptr_t addr); /* fork.c */

sigjmp_buf *dce_uaccess_fixup;

/* The end of the piece of p's own memory that holds addr, 0 if none does. */
static uintptr_t owned_end(struct dce_process *p, uintptr_t addr)
{
	if (addr >= p->uhit_start && addr < p->uhit_end)
		return p->uhit_end;
	for (struct dce_mapping *m = p->maps; m; m = m->next)
		if (addr >= m->start && addr < m->end) {
			p->uhit_start = m->start;
			p->uhit_end = m->end;
			return m->end;
		}
	uintptr_t e = dce_fixed_image_owned_end(p, addr);
	if (!e)
		e = dce_fork_group_owned_end(p, addr);
	return e;
}

size_t dce_user_extent(struct dce_process *p, uint64_t addr, size_t len)
{
	if (!p || !len)
		return 0;
	uint64_t end = addr + len;
	if (end < addr) /* wraps around */
		end = UINT64_MAX;
	uint64_t at = addr;
	while (at < end) {
		uintptr_t e = owned_end(p, (uintptr_t)at);
		if (!e)
			break;
		at = e;
	}
	return (size_t)((at < end ? at : end) - addr);
}

int dce_user_ok(struct dce_process *p, uint64_t addr, size_t len)
{
	if (!len)
		return 1;
	return addr + len >= addr && dce_user_extent(p, addr, len) == len;
}

void dce_uaccess_allow(struct dce_thread *t, const void *buf, size_t len)
{
	t->kbuf_start = (uintptr_t)buf;
	t->kbuf_end = buf ? (uintptr_t)buf + len : 0;
}

/* [addr, addr+len) is the calling thread's own memory, or the dce buffer it may use */
static int usable(uint64_t addr, size_t len)
{
	struct dce_thread *t = dce_current;
	if (!t)
		return 0;
	if (t->kbuf_end && addr >= t->kbuf_start && addr + len >= addr && addr + len <= t->kbuf_end)
		return 1;
	return dce_user_ok(t->proc, addr, len);
}

void *dce_user_ptr(uint64_t addr, size_t len)
{
	if (!addr || !dce_current || !dce_user_ok(dce_current->proc, addr, len ? len : 1))
		return NULL;
	return (void *)(uintptr_t)addr;
}

/* memcpy that turns a fault into -EFAULT (the addresses were checked before: a
 * fault here is a protection the program set on its own memory). */
static int guarded_copy(void *dst, const void *src, size_t len)
{
	sigjmp_buf here, *outer = dce_uaccess_fixup;
	if (sigsetjmp(here, 0)) {
		dce_uaccess_fixup = outer;
		return -EFAULT;
	}
	dce_uaccess_fixup = &here;
	memcpy(dst, src, len);
	dce_uaccess_fixup = outer;
	return 0;
}

int dce_copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!len)
		return 0;
	if (!src || !usable(src, len))
		return -EFAULT;
	return guarded_copy(dst, (const void *)(uintptr_t)src, len);
}

int dce_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!dst || !usable(dst, len))
		return -EFAULT;
	return guarded_copy((void *)(uintptr_t)dst, src, len);
}

long dce_string_from_user(char *buf, size_t max, uint64_t src)
{
	if (!src || !dce_current)
		return -EFAULT;
	/* only the part that is the program's memory; a string running off its end
	 * faults as on Linux */
	size_t avail = dce_user_extent(dce_current->proc, src, max);
	if (!avail)
		return -EFAULT;
	sigjmp_buf here, *outer = dce_uaccess_fixup;
	if (sigsetjmp(here, 0)) {
		dce_uaccess_fixup = outer;
		return -EFAULT;
	}
	dce_uaccess_fixup = &here;
	const char *s = (const char *)(uintptr_t)src;
	size_t n = strnlen(s, avail);
	if (n < avail)
		memcpy(buf, s, n + 1);
	dce_uaccess_fixup = outer;
	if (n < avail)
		return (long)n;
	return avail < max ? -EFAULT : -E2BIG;
}

int dce_path_from_user(char *buf, uint64_t src)
{
	long r = dce_string_from_user(buf, PATH_MAX, src);
	return r == -E2BIG ? -ENAMETOOLONG : r < 0 ? (int)r : 0;
}

int dce_user_fault_is_efault(uintptr_t addr)
{
	struct dce_thread *t = dce_current;
	return t && dce_user_extent(t->proc, addr, 1) == 1;
}
