/* fiber-align: a new fiber's entry sees the stack alignment the x86-64 ABI
 * promises (rsp+8 16-byte aligned at function entry), so SSE spills work. */
#include <stdint.h>
#include <stdio.h>
#include "../../src/core/fiber.h"

static struct dce_fiber host, fib;
static int aligned;

__attribute__((noinline)) static void body(void *arg)
{
	(void)arg;
	/* at -O0 the frame pointer is rsp after "push rbp": 16-aligned iff the entry was */
	aligned = ((uintptr_t)__builtin_frame_address(0) % 16) == 0;
	dce_fiber_switch(&fib, &host);
}

int main(void)
{
	if (dce_fiber_init(&fib, 64 * 1024, body, NULL))
		return 2;
	dce_fiber_switch(&host, &fib);
	printf("fiber entry aligned: %s\n", aligned ? "yes" : "no");
	return aligned ? 0 : 1;
}
