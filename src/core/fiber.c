/* fiber.c - fiber stacks and the first entry; the switch itself is in fiber_switch.S. */
#include "fiber.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void dce_fiber_trampoline(void);
void dce_fiber_start(struct dce_fiber *f);

/* Stacks of ended fibers, kept for the next fiber of the same size instead of
 * unmapped: a process creation then maps no stack and, above all, takes no page
 * fault on it (a fault costs ~17 us on a VM with shadow paging, the munmap a TLB
 * shootdown). A kept stack's pages in memory are zeroed on reuse, so a fiber
 * always starts on a stack that reads as zeros. Bounded: at most POOL_MAX stacks
 * stay, whatever the number of nodes and processes. */
#define POOL_MAX 16
static struct {
	void *map;
	size_t size;
} pool[POOL_MAX];
static int pool_n;

void dce_fiber_start(struct dce_fiber *f)
{
	f->entry(f->arg);
	__builtin_trap(); /* entry must switch away for good */
}

/* Zero what a kept stack holds in memory (pages never touched read as zeros). */
static void zero_resident(char *map, size_t total, size_t page)
{
	unsigned char vec[512];
	for (size_t off = page; off < total; off += sizeof vec * page) {
		size_t n = (total - off) / page < sizeof vec ? (total - off) / page : sizeof vec;
		if (mincore(map + off, n * page, vec)) {
			memset(map + off, 0, n * page);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (vec[i] & 1)
				memset(map + off + i * page, 0, page);
	}
}

static void *stack_get(size_t total, size_t page)
{
	for (int i = pool_n - 1; i >= 0; i--)
		if (pool[i].size == total) {
			void *map = pool[i].map;
			pool[i] = pool[--pool_n];
			zero_resident(map, total, page);
			return map;
		}
	void *map = mmap(NULL, total, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	mprotect(map, page, PROT_NONE); /* guard page: an overflow faults instead of corrupting */
	return map;
}

int dce_fiber_init(struct dce_fiber *f, size_t stack_size, void (*entry)(void *), void *arg)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	stack_size = (stack_size + page - 1) & ~(page - 1);
	size_t total = stack_size + page;
	void *map = stack_get(total, page);
	if (!map)
		return -1;
	memset(f, 0, sizeof *f);
	f->map = map;
	f->map_size = total;
	f->entry = entry;
	f->arg = arg;
	uint64_t *sp = (uint64_t *)((char *)map + total);
	*--sp = 0;                               /* keeps the entry frame 16-byte aligned */
	*--sp = (uint64_t)dce_fiber_trampoline;  /* return address of the switch */
	*--sp = 0;                               /* rbp */
	*--sp = 0;                               /* rbx */
	*--sp = (uint64_t)f;                     /* r12 */
	*--sp = 0;                               /* r13 */
	*--sp = 0;                               /* r14 */
	*--sp = 0;                               /* r15 */
	*--sp = 0x037f00001f80ull;               /* MXCSR 0x1f80, x87 control word 0x37f */
	f->sp = sp;
	return 0;
}

void dce_fiber_destroy(struct dce_fiber *f)
{
	if (!f->map)
		return;
	if (pool_n < POOL_MAX) {
		pool[pool_n].map = f->map;
		pool[pool_n++].size = f->map_size;
	} else
		munmap(f->map, f->map_size);
	f->map = NULL;
}

void *dce_fiber_stack_top(const struct dce_fiber *f)
{
	return (char *)f->map + f->map_size;
}
