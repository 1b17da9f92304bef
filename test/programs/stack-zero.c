/* stack-zero dirty|check|dirty-exec: a new process's stack reads as zeros, even
 * where an ended process's stack was (dce keeps ended processes' stacks for the
 * next one, mm.c). "dirty" fills 160 KiB below its frame with a marker; "check"
 * looks for the marker in the 200 KiB below its own frame (memory its start-up
 * never wrote must be zero, as on Linux); "dirty-exec" dirties, then execs
 * itself with "check". */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MARK 0x5a5af00ddeadbeefULL
#define SPAN (160 << 10)

static void __attribute__((noinline)) dirty(void)
{
	volatile uint64_t buf[SPAN / 8];
	for (size_t i = 0; i < SPAN / 8; i++)
		buf[i] = MARK;
	__asm__ volatile("" ::"r"(buf) : "memory");
}

static int __attribute__((noinline)) check(void)
{
	volatile uint64_t here = 0;
	const volatile uint64_t *top = &here;
	size_t marks = 0, nonzero = 0;
	for (size_t i = 64; i < (200 << 10) / 8; i++) { /* skip this frame */
		uint64_t w = top[-(long)i];
		marks += w == MARK;
		nonzero += w != 0;
	}
	printf("stack below the frame: %zu marker words of an earlier process\n", marks);
	return marks != 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "check";
	if (!strcmp(what, "dirty")) {
		dirty();
		printf("dirtied\n");
		return 0;
	}
	if (!strcmp(what, "dirty-exec")) {
		dirty();
		fflush(stdout);
		execl("/proc/self/exe", argv[0], "check", (char *)NULL);
		execl(argv[0], argv[0], "check", (char *)NULL);
		perror("exec");
		return 2;
	}
	return check();
}
