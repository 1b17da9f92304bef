/* mm.c - memory system calls: mmap family and brk, forwarded to the host and
 * tracked per process so that exit (and exec) release everything. */
#include "../core/kernel.h"
#include "syscalls.h"
#include "../loader/fixed_image.h"
#include "rewrite.h"
#include "vmspace.h"
#include "net/pring.h"
#include "uaccess.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void dce_mm_track(struct dce_process *p, uintptr_t start, size_t len)
{
	struct dce_mapping *m = malloc(sizeof *m);
	m->start = start;
	m->end = start + len;
	m->next = p->maps;
	p->maps = m;
}

/* Forget [start, start+len) (after munmap or a MAP_FIXED replacement). */
static void untrack(struct dce_process *p, uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	p->uhit_start = p->uhit_end = 0;
	struct dce_mapping **pp = &p->maps;
	while (*pp) {
		struct dce_mapping *m = *pp;
		if (m->end <= start || m->start >= end) {
			pp = &m->next;
			continue;
		}
		if (m->start < start && m->end > end) { /* split */
			struct dce_mapping *tail = malloc(sizeof *tail);
			tail->start = end;
			tail->end = m->end;
			tail->next = m->next;
			m->end = start;
			m->next = tail;
			return;
		}
		if (m->start < start)
			m->end = start;
		else if (m->end > end)
			m->start = end;
		else {
			*pp = m->next;
			free(m);
			continue;
		}
		pp = &m->next;
	}
}

void dce_fork_release(struct dce_process *p);
int dce_fork_shares_memory(struct dce_process *p); /* fork.c */

/* Main-thread stacks of ended processes, kept for the next process's stack of the
 * same size instead of unmapped: its pages stay in memory and mapped, so the next
 * program takes no page fault on them (~17 us each on a VM with shadow paging) and
 * the exit no munmap (a TLB shootdown). The next process gets them zeroed: the pages
 * in memory are cleared on reuse (a stack that held more than STACK_KEEP_PAGES is
 * dropped whole instead, so a kept stack costs little memory). The pool is bounded
 * (STACK_POOL_MAX stacks), whatever the number of nodes; its reservations stay dce's
 * (vmspace) while kept, and which stack a process gets depends only on the order
 * of simulated events. */
#define STACK_POOL_MAX 8
#define STACK_KEEP_PAGES 64
static struct dce_mapping stack_pool[STACK_POOL_MAX];
static int stack_pool_n;

/* Calls f on each run of pages of [start, end) in memory; returns how many there are. */
static size_t resident_runs(uintptr_t start, uintptr_t end, void (*f)(uintptr_t, size_t))
{
	unsigned char vec[2049]; /* an 8 MiB stack (and its gap) in one call */
	size_t n = 0;
	for (uintptr_t at = start; at < end; at += sizeof vec * 4096UL) {
		size_t pages = (end - at) / 4096 < sizeof vec ? (end - at) / 4096 : sizeof vec;
		if (mincore((void *)at, pages * 4096, vec))
			memset(vec, 1, pages); /* cannot tell: treat all as in memory */
		for (size_t i = 0; i < pages; i++)
			if (vec[i] & 1) {
				size_t k = i;
				while (k < pages && (vec[k] & 1))
					k++;
				if (f)
					f(at + i * 4096, (k - i) * 4096);
				n += k - i;
				i = k - 1;
			}
	}
	return n;
}

static void zero_run(uintptr_t at, size_t len)
{
	memset((void *)at, 0, len);
}

/* The stack [start, end) (its first page the unmapped gap) is no longer used by anyone. */
static int stack_keep(uintptr_t start, uintptr_t end)
{
	if (stack_pool_n == STACK_POOL_MAX)
		return 0;
	if (resident_runs(start + 4096, end, NULL) > STACK_KEEP_PAGES)
		madvise((void *)(start + 4096), end - start - 4096, MADV_DONTNEED);
	stack_pool[stack_pool_n++] = (struct dce_mapping){ start, end, NULL };
	return 1;
}

uintptr_t dce_mm_stack_reuse(size_t len)
{
	for (int i = stack_pool_n - 1; i >= 0; i--) {
		if (stack_pool[i].end - stack_pool[i].start != len)
			continue;
		uintptr_t s = stack_pool[i].start;
		stack_pool[i] = stack_pool[--stack_pool_n];
		/* the program may have changed its stack's protection */
		if (mprotect((void *)(s + 4096), len - 4096, PROT_READ | PROT_WRITE)) {
			munmap((void *)s, len);
			dce_vm_release(s, len);
			return 0;
		}
		resident_runs(s + 4096, s + len, zero_run);
		return s;
	}
	return 0;
}

static int mapping_cmp(const void *a, const void *b)
{
	const struct dce_mapping *x = *(struct dce_mapping *const *)a, *y = *(struct dce_mapping *const *)b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every mapping of p goes (its stack to the pool). Mappings that touch each other
 * (an image's segments, its heap and stack reservations, placed one after the
 * other) are unmapped by one munmap per run: each munmap is a TLB flush. */
void dce_mm_release_all(struct dce_process *p)
{
	dce_fork_release(p); /* fork.c: mappings still used by a fork child stay */
	p->uhit_start = p->uhit_end = 0;
	size_t n = 0;
	for (struct dce_mapping *m = p->maps; m; m = m->next)
		n++;
	struct dce_mapping **v = n ? malloc(n * sizeof *v) : NULL;
	if (v) {
		n = 0;
		for (struct dce_mapping *m = p->maps; m; m = m->next)
			v[n++] = m;
		qsort(v, n, sizeof *v, mapping_cmp);
		uintptr_t run_start = 0, run_end = 0;
		struct dce_mapping *kept_stack = NULL;
		for (size_t i = 0; i <= n; i++) {
			struct dce_mapping *m = i < n ? v[i] : NULL;
			int kept = m && m->start == p->stack_lo && m->end == p->stack_hi && stack_keep(m->start, m->end);
			if (kept)
				kept_stack = m;
			if (m && !kept && run_end && m->start == run_end) {
				run_end = m->end;
				continue;
			}
			if (run_end)
				munmap((void *)run_start, run_end - run_start);
			run_start = run_end = 0;
			if (m && !kept) {
				run_start = m->start;
				run_end = m->end;
			}
		}
		for (size_t i = 0; i < n; i++)
			if (v[i] != kept_stack)
				dce_vm_release(v[i]->start, v[i]->end - v[i]->start);
		free(v);
	}
	while (p->maps) {
		struct dce_mapping *m = p->maps;
		p->maps = m->next;
		if (!v) { /* no memory for the sorted list: one by one */
			munmap((void *)m->start, m->end - m->start);
			dce_vm_release(m->start, m->end - m->start);
		}
		free(m);
	}
	p->brk_base = p->brk_cur = p->brk_max = 0;
	p->stack_lo = p->stack_hi = 0;
}

long sys_mmap(struct dce_thread *t, uint64_t addr, uint64_t len, long prot, long flags, long fd, long off)
{
	struct dce_process *p = t->proc;
	int hostfd = -1;
	/* no prefaulting: one program asking to populate terabytes must not take the
	 * host's memory from every node (pages still come on first touch) */
	flags &= ~(MAP_POPULATE | MAP_LOCKED);
	if (!(flags & MAP_ANONYMOUS)) {
		struct dce_file *f = dce_fd_lookup(p, (int)fd);
		if (!f)
			return -EBADF;
		if (dce_file_hostfd(f) < 0) {
			/* an AF_PACKET socket's PACKET_MMAP ring (net/pring.c), always shared */
			long r = dce_pring_mapfd(f, len, off);
			if (r < 0)
				return r;
			hostfd = (int)r;
			flags = (flags & ~MAP_PRIVATE) | MAP_SHARED;
		} else
			hostfd = dce_file_hostfd(f);
	}
	if (flags & MAP_FIXED) {
		/* never let a program map over dce's own memory */
		int owned = 0;
		for (struct dce_mapping *m = p->maps; m; m = m->next)
			if (addr >= m->start && addr + len <= m->end)
				owned = 1;
		if (!owned)
			flags = (flags & ~MAP_FIXED) | MAP_FIXED_NOREPLACE;
	}
	void *r;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		r = mmap((void *)addr, len, (int)prot, (int)flags, hostfd, off);
	else /* dce picks the address: no host ASLR in what programs see */
		r = dce_vm_map(len, 4096, (int)prot, (int)flags, hostfd, off);
	if (r == MAP_FAILED) {
		int e = errno;
		dce_preflight_failed(e); /* the host's mapping limit: say which */
		return -e;
	}
	if ((flags & MAP_FIXED_NOREPLACE) && addr && (uint64_t)r != addr) {
		munmap(r, len);
		return -EEXIST;
	}
	len = (len + 4095) & ~4095UL;
	if (flags & MAP_FIXED)
		untrack(p, (uintptr_t)r, len);
	dce_mm_track(p, (uintptr_t)r, len);
	return (long)r;
}

long sys_munmap(struct dce_thread *t, uint64_t addr, uint64_t len)
{
	len = (len + 4095) & ~4095UL;
	int owned = 0;
	for (struct dce_mapping *m = t->proc->maps; m; m = m->next)
		if (addr >= m->start && addr + len <= m->end)
			owned = 1;
	if (!owned)
		return addr & 4095 ? -EINVAL : 0; /* not the program's memory: pretend */
	if (dce_fork_shares_memory(t->proc)) {
		/* a fork child (or parent) still has its own contents there: the range stays
		 * mapped (and tracked, released with the group); this image's pages go */
		return madvise((void *)addr, len, MADV_DONTNEED) ? -errno : 0;
	}
	if (munmap((void *)addr, len))
		return -errno;
	untrack(t->proc, addr, len);
	dce_vm_release(addr, len);
	return 0;
}

/* Memory calls act on the caller's own mappings only: anything else (dce itself,
 * another process's image) is "not mapped", ENOMEM, as Linux says. */
static long own_range(struct dce_thread *t, uint64_t addr, uint64_t len)
{
	if (addr & 4095)
		return -EINVAL;
	len = (len + 4095) & ~4095UL;
	return len && !dce_user_ok(t->proc, addr, len) ? -ENOMEM : 0;
}

long sys_mprotect(struct dce_thread *t, uint64_t addr, uint64_t len, long prot)
{
	long r = own_range(t, addr, len);
	if (r)
		return r;
	/* a non-PIE image shared by several processes keeps dce's protections: its
	 * RELRO must stay writable for the next instance's ld.so (fixed_image.c) */
	if (dce_fixed_image_contains(addr, len))
		return 0;
	if (prot & PROT_WRITE) /* a program writing its code sees its own bytes */
		dce_rewrite_unprotect((uintptr_t)addr, len);
	if (mprotect((void *)addr, len, (int)prot) == 0)
		return 0;
	int e = errno;
	dce_preflight_failed(e); /* splitting a mapping can reach the host's limit */
	return -e;
}

long sys_mremap(struct dce_thread *t, uint64_t old, uint64_t oldlen, uint64_t newlen, long flags, uint64_t newaddr)
{
	(void)newaddr;
	if (flags & MREMAP_FIXED)
		return -EINVAL;
	if (old & 4095)
		return -EINVAL;
	if (!oldlen || !newlen || !dce_user_ok(t->proc, old, (oldlen + 4095) & ~4095UL) ||
	    dce_fixed_image_contains(old, oldlen))
		return -EFAULT; /* not a mapping of the caller's */
	oldlen = (oldlen + 4095) & ~4095UL;
	newlen = (newlen + 4095) & ~4095UL;
	void *r = mremap((void *)old, oldlen, newlen, 0); /* in place first */
	if (r == MAP_FAILED && (flags & MREMAP_MAYMOVE)) {
		/* move it to an address dce picks, onto a placeholder reservation */
		void *dst = dce_vm_map(newlen, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (dst == MAP_FAILED)
			return -ENOMEM;
		r = mremap((void *)old, oldlen, newlen, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		if (r == MAP_FAILED) {
			int e = errno;
			munmap(dst, newlen);
			dce_vm_release((uintptr_t)dst, newlen);
			return -e;
		}
	}
	if (r == MAP_FAILED)
		return -errno;
	untrack(t->proc, old, oldlen);
	if ((uintptr_t)r != old)
		dce_vm_release(old, oldlen);
	else if (newlen < oldlen)
		dce_vm_release(old + newlen, oldlen - newlen);
	dce_mm_track(t->proc, (uintptr_t)r, newlen);
	return (long)r;
}

long sys_brk(struct dce_thread *t, uint64_t addr)
{
	struct dce_process *p = t->proc;
	if (addr < p->brk_base || addr > p->brk_max)
		return (long)p->brk_cur;
	uintptr_t oldtop = (p->brk_cur + 4095) & ~4095UL, newtop = (addr + 4095) & ~4095UL;
	/* the area above the break is reserved but unmapped (loader.c): growing maps
	 * the new pages next to the old (the host merges them into one mapping). If
	 * something is mapped there already, it is the heap of a fork relative sharing
	 * the address space (fork.c) or the program's own mapping: made accessible, as
	 * when the whole area was mapped up front. */
	if (newtop > oldtop) {
		void *r = mmap((void *)oldtop, newtop - oldtop, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r != MAP_FAILED && (uintptr_t)r != oldtop) { /* kernels before 4.17 */
			munmap(r, newtop - oldtop);
			r = MAP_FAILED;
			errno = EEXIST;
		}
		if (r == MAP_FAILED && (errno != EEXIST ||
		                        mprotect((void *)oldtop, newtop - oldtop, PROT_READ | PROT_WRITE))) {
			dce_preflight_failed(errno);
			return (long)p->brk_cur;
		}
	}
	if (newtop < oldtop) {
		/* a fork relative sharing the address space may still have its heap there
		 * (fork.c): the pages stay mapped for it, this image's contents go */
		if (dce_fork_shares_memory(p))
			madvise((void *)newtop, oldtop - newtop, MADV_DONTNEED);
		else
			munmap((void *)newtop, oldtop - newtop);
	}
	p->brk_cur = addr;
	return (long)addr;
}

long sys_madvise(struct dce_thread *t, uint64_t addr, uint64_t len, long advice)
{
	long r = own_range(t, addr, len);
	if (r)
		return r;
	return madvise((void *)addr, len, (int)advice) ? -errno : 0;
}
