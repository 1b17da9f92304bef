/* time.c - clocks and sleeping on the simulated clock. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "timespec.h"
#include "creds.h"
#include "vdso.h"
#include "uaccess.h"
#include <stdlib.h>
#include <sys/timex.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static uint64_t node_realtime(struct dce_node *n, uint64_t now);

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
	/* This sleep is the polling's own cost, not a wait: it pays off only its length
	 * of the system-call debt (below). A wait forgives the whole debt; if this did,
	 * a loop of ready pselects and clock reads (iperf3 between its writes) would
	 * never owe a whole slice and would run ~100 times more calls per simulated
	 * millisecond than the model allows. */
	uint64_t debt = t->cpu_debt_ns;
	dce_thread_block(t, (int64_t)poller.step);
	t->cpu_debt_ns = debt > poller.step ? debt - poller.step : 0;
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

/* ---- a node's own realtime clock: set, stepped, slewed, frequency-adjusted ----
 *
 * CLOCK_REALTIME of a node is epoch + simulated time until a program changes it.
 * Then it is base_real + elapsed * (1 + freq) + the slewed part of a pending
 * adjustment, elapsed being simulated ns since base_sim: a pure function of
 * simulated time, so NTP clients can be studied deterministically. The monotonic
 * clocks are not adjusted. */
struct dce_nodeclock {
	int64_t base_sim, base_real;
	int64_t freq;          /* scaled ppm (ppm << 16), as struct timex */
	int64_t slew;          /* ns still to apply, at 500 ppm (adjtime, ADJ_OFFSET) */
	long maxerror, esterror, constant, tick, tai;
	int status;
};

#define SLEW_PPM 500
#define FREQ_MAX (500LL << 16)

static int64_t slewed(const struct dce_nodeclock *c, int64_t dt)
{
	int64_t can = dt * SLEW_PPM / 1000000;
	int64_t mag = c->slew < 0 ? -c->slew : c->slew;
	int64_t d = can < mag ? can : mag;
	return c->slew < 0 ? -d : d;
}

static uint64_t node_realtime(struct dce_node *n, uint64_t now)
{
	struct dce_nodeclock *c = n ? n->clock : NULL;
	if (!c)
		return dce_world.epoch_ns + now;
	int64_t dt = (int64_t)now - c->base_sim;
	/* dt * freq / 2^16 / 10^6, without overflowing for runs of years */
	int64_t drift = (dt / 1000000) * c->freq / 65536 + (dt % 1000000) * c->freq / 65536 / 1000000;
	int64_t r = c->base_real + dt + drift + slewed(c, dt);
	return r < 0 ? 0 : (uint64_t)r;
}

uint64_t dce_time_node_realtime_ns(struct dce_node *n)
{
	return node_realtime(n, dce_sim_now());
}

uint64_t dce_time_realtime_ns(void)
{
	return node_realtime(dce_current ? dce_current->proc->node : NULL, dce_sim_now());
}

/* Start a new segment at now, so that parameters change from here on. */
static struct dce_nodeclock *clock_rebase(struct dce_node *n)
{
	uint64_t now = dce_sim_now();
	int64_t real = (int64_t)node_realtime(n, now);
	struct dce_nodeclock *c = n->clock;
	if (!c) {
		c = calloc(1, sizeof *c);
		c->status = STA_UNSYNC;
		c->maxerror = 16000000;
		c->esterror = 16000000;
		c->constant = 2;
		c->tick = 10000;
		n->clock = c;
	} else
		c->slew -= slewed(c, (int64_t)now - c->base_sim);
	c->base_sim = (int64_t)now;
	c->base_real = real;
	return c;
}

static long clock_step_to(struct dce_thread *t, int64_t real_ns)
{
	if (!dce_cred_capable(t->proc, CAP_SYS_TIME))
		return -EPERM;
	if (real_ns < 0)
		return -EINVAL;
	struct dce_nodeclock *c = clock_rebase(t->proc->node);
	c->base_real = real_ns;
	c->slew = 0;
	dce_vdso_enter(dce_sim_now()); /* the vDSO reads the new clock from now on */
	return 0;
}

long sys_settimeofday(struct dce_thread *t, uint64_t tvp, uint64_t tzp)
{
	(void)tzp; /* the kernel's timezone is not kept */
	if (!tvp)
		return dce_cred_capable(t->proc, CAP_SYS_TIME) ? 0 : -EPERM;
	struct timeval tv;
	if (dce_copy_from_user(&tv, tvp, sizeof tv))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000 || tv.tv_sec < 0)
		return -EINVAL;
	return clock_step_to(t, (int64_t)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL);
}

long sys_clock_settime(struct dce_thread *t, long clk, uint64_t tsp)
{
	struct timespec ts;
	if (dce_copy_from_user(&ts, tsp, sizeof ts))
		return -EFAULT;
	if (clk != CLOCK_REALTIME)
		return -EINVAL; /* only the realtime clock can be set, as on Linux */
	if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L || ts.tv_sec < 0)
		return -EINVAL;
	return clock_step_to(t, (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

long sys_clock_adjtime(struct dce_thread *t, long clk, uint64_t txp)
{
	struct timex tx;
	if (dce_copy_from_user(&tx, txp, sizeof tx))
		return -EFAULT;
	if (clk != CLOCK_REALTIME)
		return clock_valid(clk) ? -EOPNOTSUPP : -EINVAL;
	struct dce_node *n = t->proc->node;
	unsigned modes = tx.modes;
	int singleshot = (modes & ADJ_OFFSET_SINGLESHOT) == ADJ_OFFSET_SINGLESHOT;
	int ss_read = modes == ADJ_OFFSET_SS_READ;
	if (modes && !ss_read && !dce_cred_capable(t->proc, CAP_SYS_TIME))
		return -EPERM;
	if ((modes & ADJ_TICK) && (tx.tick < 9000 || tx.tick > 11000))
		return -EINVAL;
	struct dce_nodeclock *c = clock_rebase(n);
	int64_t old_slew = c->slew;
	if (singleshot && !ss_read) /* adjtime(3): microseconds */
		c->slew = (int64_t)tx.offset * 1000;
	else if (!singleshot && !ss_read) {
		if (modes & ADJ_NANO)
			c->status |= STA_NANO;
		if (modes & ADJ_MICRO)
			c->status &= ~STA_NANO;
		if (modes & ADJ_STATUS)
			c->status = (c->status & ~0xff) | (tx.status & 0xff) | (c->status & STA_NANO);
		if (modes & ADJ_FREQUENCY)
			c->freq = tx.freq > FREQ_MAX ? FREQ_MAX : tx.freq < -FREQ_MAX ? -FREQ_MAX : tx.freq;
		if (modes & ADJ_MAXERROR)
			c->maxerror = tx.maxerror;
		if (modes & ADJ_ESTERROR)
			c->esterror = tx.esterror;
		if (modes & ADJ_TIMECONST)
			c->constant = tx.constant;
		if (modes & ADJ_TICK)
			c->tick = tx.tick;
		if (modes & ADJ_TAI)
			c->tai = tx.constant;
		if (modes & ADJ_OFFSET) /* the kernel's PLL steers; here: slewed at 500 ppm */
			c->slew = (int64_t)tx.offset * ((c->status & STA_NANO) ? 1 : 1000);
		if (modes & ADJ_SETOFFSET) {
			int64_t off = (int64_t)tx.time.tv_sec * 1000000000LL +
			              (int64_t)tx.time.tv_usec * ((modes & ADJ_NANO) ? 1 : 1000);
			c->base_real += off;
		}
	}
	int nano = (c->status & STA_NANO) != 0;
	uint64_t real = node_realtime(n, dce_sim_now());
	int64_t report = singleshot ? old_slew / 1000 : nano ? c->slew : c->slew / 1000;
	memset(&tx, 0, sizeof tx);
	tx.offset = report;
	tx.freq = c->freq;
	tx.maxerror = c->maxerror;
	tx.esterror = c->esterror;
	tx.status = c->status;
	tx.constant = c->constant;
	tx.precision = 1;
	tx.tolerance = FREQ_MAX;
	tx.time.tv_sec = (time_t)(real / 1000000000ULL);
	tx.time.tv_usec = (long)(real % 1000000000ULL / (nano ? 1 : 1000));
	tx.tick = c->tick;
	tx.tai = (int)c->tai;
	dce_vdso_enter(dce_sim_now());
	if (dce_copy_to_user(txp, &tx, sizeof tx))
		return -EFAULT;
	return (c->status & STA_UNSYNC) ? TIME_ERROR : TIME_OK;
}
