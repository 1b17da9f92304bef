/* time.c - clocks and sleeping on the simulated clock. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "timespec.h"
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

uint64_t dce_time_realtime_ns(void)
{
	return dce_world.epoch_ns + dce_sim_now();
}

/* A program polling the clock in a loop must see time move: after 100 reads in a
 * row without blocking, the reading thread sleeps for the clock quantum. A thread
 * that does nothing but poll sleeps twice as long each time (up to 1 ms), so that a
 * busy-wait of seconds costs thousands of steps, not millions. */
static struct {
	struct dce_process *p;
	int tid;
	uint64_t woke_at, step;
} poller;

static void clock_read_cost(struct dce_thread *t)
{
	if (++t->clock_reads < 100 || !dce_world.clock_quantum)
		return;
	uint64_t now = dce_sim_now();
	if (poller.p == t->proc && poller.tid == t->tid && poller.woke_at == now)
		poller.step = poller.step * 2 < 1000000 ? poller.step * 2 : 1000000;
	else
		poller.step = dce_world.clock_quantum;
	poller.p = t->proc;
	poller.tid = t->tid;
	dce_thread_block(t, (int64_t)poller.step);
	poller.woke_at = dce_sim_now();
	t->clock_reads = 0;
}

void dce_time_busy_tick(struct dce_thread *t)
{
	clock_read_cost(t);
}

/* Every system call costs simulated time, so that a loop of calls that never
 * block (`yes > /dev/null`) still moves the clock and reaches its stop time. The
 * cost is owed, not slept at once: a thread sleeps only when it owes a whole
 * slice, which keeps the number of events small. Owed time is dropped when the
 * thread waits while simulated time passes (sched.c): the model bounds how long
 * a thread can run without time passing; it is not a CPU model. It depends only
 * on the calls made, so runs stay deterministic. */
void dce_time_syscall_cost(struct dce_thread *t)
{
	if (!dce_world.syscall_cost)
		return;
	t->cpu_debt_ns += dce_world.syscall_cost;
	if (t->cpu_debt_ns < dce_world.cost_slice)
		return;
	uint64_t owed = t->cpu_debt_ns;
	t->cpu_debt_ns = 0;
	dce_thread_block(t, (int64_t)owed);
}

static uint64_t clock_ns(struct dce_thread *t, long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		return dce_time_realtime_ns();
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return 0; /* computing costs no simulated time */
	default:
		(void)t;
		return dce_sim_now() + 1000000000ULL; /* monotonic starts at 1 s, never 0 */
	}
}

static int clock_valid(long clk)
{
	return (clk >= 0 && clk <= 11 && clk != 10) || clk < 0; /* negative: per-process CPU clocks */
}

long sys_clock_gettime(struct dce_thread *t, long clk, uint64_t tsp)
{
	if (!clock_valid(clk))
		return -EINVAL;
	clock_read_cost(t);
	uint64_t ns = clock_ns(t, clk);
	struct timespec *ts = DCE_USER(tsp);
	if (!ts)
		return -EFAULT;
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}

long sys_clock_getres(struct dce_thread *t, long clk, uint64_t tsp)
{
	(void)t;
	if (!clock_valid(clk))
		return -EINVAL;
	struct timespec *ts = DCE_USER(tsp);
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = 1;
	}
	return 0;
}

long sys_gettimeofday(struct dce_thread *t, uint64_t tvp, uint64_t tzp)
{
	clock_read_cost(t);
	uint64_t ns = dce_time_realtime_ns();
	struct timeval *tv = DCE_USER(tvp);
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000ULL);
		tv->tv_usec = (long)(ns % 1000000000ULL / 1000);
	}
	if (tzp)
		memset(DCE_USER(tzp), 0, 8);
	return 0;
}

long sys_time(struct dce_thread *t, uint64_t tp)
{
	clock_read_cost(t);
	long s = (long)(dce_time_realtime_ns() / 1000000000ULL);
	if (tp)
		*(long *)DCE_USER(tp) = s;
	return s;
}

/* Sleep until absolute simulated time `until` (ns since start) or a signal. */
static long sleep_until(struct dce_thread *t, uint64_t until, uint64_t remp)
{
	uint64_t now = dce_sim_now();
	if (until <= now) {
		dce_thread_block(t, 0); /* still yield: sleep(0) lets others run */
		return 0;
	}
	int r = dce_thread_block(t, (int64_t)(until - now));
	if (r == -EINTR || (r == 0 && dce_sim_now() < until)) {
		if (remp) {
			uint64_t left = until - dce_sim_now();
			struct timespec *rem = DCE_USER(remp);
			rem->tv_sec = (time_t)(left / 1000000000ULL);
			rem->tv_nsec = (long)(left % 1000000000ULL);
		}
		return -EINTR;
	}
	return 0;
}

static int ts_valid(const struct timespec *ts)
{
	return ts && ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

long sys_nanosleep(struct dce_thread *t, uint64_t reqp, uint64_t remp)
{
	const struct timespec *req = DCE_USER(reqp);
	if (!req)
		return -EFAULT;
	if (!ts_valid(req))
		return -EINVAL;
	return sleep_until(t, dce_sim_now() + dce_ts_ns(req), remp);
}

long sys_clock_nanosleep(struct dce_thread *t, long clk, long flags, uint64_t reqp, uint64_t remp)
{
	const struct timespec *req = DCE_USER(reqp);
	if (!clock_valid(clk) || clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (!req)
		return -EFAULT;
	if (!ts_valid(req))
		return -EINVAL;
	uint64_t until;
	if (flags & TIMER_ABSTIME) {
		uint64_t base = clock_ns(t, clk) - dce_sim_now(); /* clock value at sim time 0 */
		uint64_t abs = dce_ts_ns(req);
		until = abs > base ? abs - base : 0;
		remp = 0;
	} else {
		until = dce_sim_now() + dce_ts_ns(req);
	}
	long r = sleep_until(t, until, remp);
	return r;
}

long sys_times(struct dce_thread *t, uint64_t bufp)
{
	(void)t;
	if (bufp)
		memset(DCE_USER(bufp), 0, sizeof(struct tms));
	return (long)(dce_sim_now() / 10000000ULL); /* clock ticks at 100 Hz */
}

long sys_getrusage(struct dce_thread *t, long who, uint64_t up)
{
	(void)t;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	if (!up)
		return -EFAULT;
	memset(DCE_USER(up), 0, sizeof(struct rusage));
	return 0;
}
