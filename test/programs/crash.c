/* crash MODE: dies the way MODE says (segv, bus, abort, assert, stack, fpe, ill),
 * after printing a line, so tests see both the output and the signal. */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile int *p, int depth)
{
	volatile char pad[1024];
	pad[0] = (char)depth;
	return recurse(p, depth + 1) + pad[0];
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "segv";
	printf("crash %s: before\n", m);
	fflush(stdout);
	if (!strcmp(m, "segv"))
		*(volatile int *)16 = 1;
	else if (!strcmp(m, "bus")) {
		/* a file mapping beyond the end of the file */
		FILE *f = tmpfile();
		char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fileno(f), 0);
		printf("%d\n", p[4096]);
	} else if (!strcmp(m, "abort"))
		abort();
	else if (!strcmp(m, "assert"))
		assert(argc == 42);
	else if (!strcmp(m, "stack"))
		return recurse(NULL, 0);
	else if (!strcmp(m, "fpe")) {
		volatile int z = 0;
		volatile int x = 100;
		printf("%d\n", x / z);
	} else if (!strcmp(m, "ill"))
		__builtin_trap();
	printf("crash %s: survived\n", m);
	return 0;
}
