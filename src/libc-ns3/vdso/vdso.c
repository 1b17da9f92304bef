/* vdso.c - dce's own vDSO, offered to every simulated program (AT_SYSINFO_EHDR).
 *
 * glibc calls these for clock_gettime, gettimeofday, time, clock_getres and getcpu
 * instead of making system calls: a time read then costs a few nanoseconds instead
 * of a trap. They read the simulated clock from dce_vvar, which dce keeps current
 * (time only moves between simulator events) in a page next to the image. A thread reading the clock many times
 * without blocking falls back to the trapping system call, where dce lets
 * busy-waiting programs advance time. Built freestanding: no libc, no relocations. */
#include <stdint.h>

struct dce_vvar {
	volatile uint64_t now_ns;   /* simulated time */
	uint64_t epoch_ns;          /* CLOCK_REALTIME at simulated time 0 */
	volatile uint32_t reads;    /* clock reads since the thread last blocked */
	uint32_t limit;             /* after this many, use the system call */
};

/* Set by dce before the image is made read-only: the clock page lives outside the
 * image (glibc accepts a vDSO with one PT_LOAD only). */
__attribute__((visibility("protected"))) struct dce_vvar *__dce_vvar_ptr = 0;
#define __dce_vvar (*__dce_vvar_ptr)

struct kts {
	long tv_sec, tv_nsec;
};
struct ktv {
	long tv_sec, tv_usec;
};

static long sys2(long nr, long a, long b)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

/* 0: realtime, 1: monotonic, -1: not a clock we serve here */
static int kind(long clk)
{
	switch (clk) {
	case 0: case 5: case 11: return 0;          /* REALTIME, REALTIME_COARSE, TAI */
	case 1: case 4: case 6: case 7: return 1;   /* MONOTONIC, _RAW, _COARSE, BOOTTIME */
	default: return -1;
	}
}

int __vdso_clock_gettime(long clk, struct kts *ts)
{
	int k = kind(clk);
	if (k < 0 || ++__dce_vvar.reads > __dce_vvar.limit)
		return (int)sys2(228, clk, (long)ts);
	uint64_t ns = __dce_vvar.now_ns + (k == 0 ? __dce_vvar.epoch_ns : 1000000000ULL);
	ts->tv_sec = (long)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}

int __vdso_gettimeofday(struct ktv *tv, void *tz)
{
	if (++__dce_vvar.reads > __dce_vvar.limit)
		return (int)sys2(96, (long)tv, (long)tz);
	uint64_t ns = __dce_vvar.now_ns + __dce_vvar.epoch_ns;
	if (tv) {
		tv->tv_sec = (long)(ns / 1000000000ULL);
		tv->tv_usec = (long)(ns % 1000000000ULL / 1000);
	}
	if (tz) {
		((int *)tz)[0] = 0;
		((int *)tz)[1] = 0;
	}
	return 0;
}

long __vdso_time(long *t)
{
	if (++__dce_vvar.reads > __dce_vvar.limit)
		return sys2(201, (long)t, 0);
	long s = (long)((__dce_vvar.now_ns + __dce_vvar.epoch_ns) / 1000000000ULL);
	if (t)
		*t = s;
	return s;
}

int __vdso_clock_getres(long clk, struct kts *res)
{
	if (kind(clk) < 0)
		return (int)sys2(229, clk, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
	(void)cache;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}
