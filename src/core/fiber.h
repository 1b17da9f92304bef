/* fiber.h - cooperative fibers with a hand-written context switch.
 * One fiber per simulated thread plus the simulator's own (the host main stack).
 * Stacks are mmap'd with a guard page below them. */
#ifndef DCE_FIBER_H
#define DCE_FIBER_H
#include <stddef.h>

struct dce_fiber {
	void *sp;           /* saved stack pointer while switched out */
	void *map;          /* mmap'd region (guard page + stack), NULL for the host stack */
	size_t map_size;
	void (*entry)(void *);
	void *arg;
};

/* Make f runnable: on its first switch-in it calls entry(arg), which must never return. */
int dce_fiber_init(struct dce_fiber *f, size_t stack_size, void (*entry)(void *), void *arg);
/* Release the stack (kept in a small pool for the next fiber of its size, zeroed
 * then); f must not be running and must not run again. */
void dce_fiber_destroy(struct dce_fiber *f);
/* Top of f's stack (the first byte above it). */
void *dce_fiber_stack_top(const struct dce_fiber *f);
/* Save the current context into from and resume to. */
void dce_fiber_switch(struct dce_fiber *from, struct dce_fiber *to);

#endif
