/* vmspace.c - where programs' memory goes, chosen by dce rather than by the host.
 *
 * The host kernel places mmap(NULL) at randomised addresses (ASLR). Programs see
 * those addresses (glibc even derives mkstemp names from a stack address), so they
 * would leak host randomness into the simulation. Every mapping made for a program
 * (images, stacks, heaps, its own mmaps) therefore comes from this allocator: a
 * first-fit free list over a range the host never uses by itself, so the same
 * scenario gives the same addresses. */
#include "../core/kernel.h"
#include "vmspace.h"
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/mman.h>

#define VM_BASE 0x100000000000UL /* 16 TiB: far below the host's mmap area near 128 TiB */
#define VM_END 0x600000000000UL

struct vm_hole {
	uintptr_t start, end;
	struct vm_hole *next;
};
static struct vm_hole *holes; /* sorted, disjoint, coalesced */
static int initialised;

/* First fit walks the holes from the lowest; with 10,000 nodes the holes left by
 * alignment number tens of thousands and every program's heap, stack and images
 * walked them all. For a request of a given size and alignment, the holes before
 * the one it was last served from cannot serve it again until memory is released
 * (takes and claims only shrink or split holes), so each size remembers the hole
 * before its last fit and starts there: the same addresses as a walk from the
 * start. A release, or a hole freed, bumps `gen` and forgets every hint. */
struct fit_hint {
	size_t len, align;
	struct vm_hole *prev; /* the hole before the last fit (NULL: the first hole) */
	unsigned long gen;
};
static struct fit_hint hints[16];
static unsigned next_hint;
static unsigned long gen = 1;

/* The end of programs' memory: VM_END, or below the lowest host mapping above
 * VM_BASE (dce-run's own PIE image, near 85 TiB), so that [0, limit) holds
 * program memory only (trap.c dispatches every system call made from there). */
uintptr_t dce_vm_limit(void)
{
	static uintptr_t limit;
	if (limit)
		return limit;
	limit = VM_END;
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && e > VM_BASE && s < limit)
			limit = s > VM_BASE ? s & ~0xffffUL : VM_BASE;
	}
	if (f)
		fclose(f);
	return limit;
}

static void init(void)
{
	holes = malloc(sizeof *holes);
	holes->start = VM_BASE;
	holes->end = dce_vm_limit();
	holes->next = NULL;
	initialised = 1;
}

static uintptr_t take(size_t len, size_t align)
{
	if (!initialised)
		init();
	struct fit_hint *hn = NULL;
	for (unsigned i = 0; i < sizeof hints / sizeof *hints; i++)
		if (hints[i].gen && hints[i].len == len && hints[i].align == align) {
			hn = &hints[i];
			break;
		}
	struct vm_hole *prev = hn && hn->gen == gen ? hn->prev : NULL;
	for (struct vm_hole **pp = prev ? &prev->next : &holes; *pp; pp = &(*pp)->next) {
		struct vm_hole *h = *pp;
		uintptr_t s = (h->start + align - 1) & ~(align - 1);
		if (s < h->start || s + len > h->end || s + len < s) {
			prev = h;
			continue;
		}
		if (s > h->start) { /* keep the part before the aligned start */
			struct vm_hole *before = malloc(sizeof *before);
			before->start = h->start;
			before->end = s;
			before->next = h;
			*pp = before;
			pp = &before->next;
			prev = before;
		}
		h->start = s + len;
		if (h->start == h->end) {
			*pp = h->next;
			free(h);
			gen++;
		}
		if (!hn)
			hn = &hints[next_hint++ % (sizeof hints / sizeof *hints)];
		*hn = (struct fit_hint){ len, align, prev, gen };
		return s;
	}
	return 0;
}

void dce_vm_release(uintptr_t start, size_t len)
{
	uintptr_t end = start + ((len + 4095) & ~4095UL);
	if (start < VM_BASE || end > VM_END || end <= start)
		return;
	if (!initialised)
		init();
	gen++; /* holes grow or merge: every hint is forgotten */
	struct vm_hole **pp = &holes;
	while (*pp && (*pp)->end < start)
		pp = &(*pp)->next;
	/* merge with every hole touching or overlapping [start, end) */
	while (*pp && (*pp)->start <= end) {
		struct vm_hole *h = *pp;
		if (h->start < start)
			start = h->start;
		if (h->end > end)
			end = h->end;
		*pp = h->next;
		free(h);
	}
	struct vm_hole *n = malloc(sizeof *n);
	n->start = start;
	n->end = end;
	n->next = *pp;
	*pp = n;
}

int dce_vm_claim(uintptr_t start, size_t len)
{
	uintptr_t end = start + ((len + 4095) & ~4095UL);
	if (!initialised)
		init();
	if (end <= VM_BASE || start >= dce_vm_limit())
		return 1;
	for (struct vm_hole **pp = &holes; *pp; pp = &(*pp)->next) {
		struct vm_hole *h = *pp;
		if (start < h->start || end > h->end)
			continue;
		if (start > h->start) { /* keep the part before */
			struct vm_hole *before = malloc(sizeof *before);
			before->start = h->start;
			before->end = start;
			before->next = h;
			*pp = before;
			pp = &before->next;
		}
		h->start = end;
		if (h->start == h->end) {
			*pp = h->next;
			free(h);
			gen++;
		}
		return 0;
	}
	return -1;
}

uintptr_t dce_vm_reserve(size_t len, size_t align)
{
	len = (len + 4095) & ~4095UL;
	return take(len, align < 4096 ? 4096 : align);
}

void *dce_vm_map(size_t len, size_t align, int prot, int flags, int fd, off_t off)
{
	len = (len + 4095) & ~4095UL;
	if (align < 4096)
		align = 4096;
	for (int tries = 0; tries < 64; tries++) {
		uintptr_t a = take(len, align);
		if (!a) {
			errno = ENOMEM;
			return MAP_FAILED;
		}
		void *r = mmap((void *)a, len, prot, (flags & ~MAP_FIXED) | MAP_FIXED_NOREPLACE, fd, off);
		if (r != MAP_FAILED && (uintptr_t)r == a)
			return r;
		if (r != MAP_FAILED)
			munmap(r, len);
		if (errno != EEXIST) {
			int e = errno;
			dce_vm_release(a, len);
			errno = e;
			return MAP_FAILED;
		}
		/* the host uses this range: leave it out of the free list, try further up */
	}
	errno = ENOMEM;
	return MAP_FAILED;
}
