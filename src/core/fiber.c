/* fiber.c - fiber stacks and the first entry; the switch itself is in fiber_switch.S. */
#include "fiber.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void dce_fiber_trampoline(void);
void dce_fiber_start(struct dce_fiber *f);

void dce_fiber_start(struct dce_fiber *f)
{
	f->entry(f->arg);
	__builtin_trap(); /* entry must switch away for good */
}

int dce_fiber_init(struct dce_fiber *f, size_t stack_size, void (*entry)(void *), void *arg)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	stack_size = (stack_size + page - 1) & ~(page - 1);
	size_t total = stack_size + page;
	void *map = mmap(NULL, total, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return -1;
	mprotect(map, page, PROT_NONE); /* guard page: an overflow faults instead of corrupting */
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
	if (f->map)
		munmap(f->map, f->map_size);
	f->map = NULL;
}

void *dce_fiber_stack_top(const struct dce_fiber *f)
{
	return (char *)f->map + f->map_size;
}
