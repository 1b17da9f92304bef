/* timer.c - POSIX per-process timers (timer_create and friends) on the simulated
 * clock. Expiry sends the timer's signal with SI_TIMER and its sigev_value, to the
 * process (SIGEV_SIGNAL) or one thread (SIGEV_THREAD_ID: glibc's SIGEV_THREAD). */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "timespec.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

void dce_signal_send_info(struct dce_process *p, struct dce_thread *t, const siginfo_t *si);

/* The kernel's struct sigevent (glibc's has the same layout). */
struct ksigevent {
	uint64_t value;
	int signo;
	int notify;
	int tid;
};

struct ptimer {
	struct dce_process *p;
	int id;
	int clock;
	struct ksigevent ev;
	uint64_t interval, expires; /* simulated ns; expires 0 = disarmed */
	uint64_t event;
	int overrun;                /* of the last expiry delivered */
	struct ptimer *next;
};
static struct ptimer *timers;

static struct ptimer *find(struct dce_process *p, long id)
{
	for (struct ptimer *tm = timers; tm; tm = tm->next)
		if (tm->p == p && tm->id == id)
			return tm;
	return NULL;
}

static struct dce_thread *thread_of(struct dce_process *p, int tid)
{
	for (struct dce_thread *t = p->threads; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void fire(void *arg)
{
	struct ptimer *tm = arg;
	struct dce_process *p = tm->p;
	tm->event = 0;
	if (tm->interval) {
		tm->expires += tm->interval;
		tm->event = dce_sim_schedule(tm->expires - dce_sim_now(), p->node->id, fire, tm);
	} else
		tm->expires = 0;
	if (tm->ev.notify == SIGEV_NONE || p->state != DCE_P_RUNNING)
		return;
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = tm->ev.signo;
	si.si_code = SI_TIMER;
	si.si_timerid = tm->id;
	si.si_value.sival_ptr = (void *)(uintptr_t)tm->ev.value;
	struct dce_thread *t = NULL;
	if (tm->ev.notify == SIGEV_THREAD_ID && !(t = thread_of(p, tm->ev.tid)))
		return;
	tm->overrun = 0;
	dce_signal_send_info(p, t, &si);
}

static void disarm(struct ptimer *tm)
{
	if (tm->event)
		dce_sim_cancel(tm->event);
	tm->event = 0;
	tm->expires = 0;
}

void dce_posix_timers_release(struct dce_process *p)
{
	for (struct ptimer **pp = &timers; *pp;) {
		if ((*pp)->p == p) {
			struct ptimer *tm = *pp;
			*pp = tm->next;
			disarm(tm);
			free(tm);
		} else
			pp = &(*pp)->next;
	}
}

long sys_timer_create(T *t, long clock, U evp, U idp)
{
	struct dce_process *p = t->proc;
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM &&
	    clock != CLOCK_PROCESS_CPUTIME_ID && clock != CLOCK_THREAD_CPUTIME_ID && clock >= 0)
		return -EINVAL;
	if (!idp)
		return -EFAULT;
	struct ksigevent ev = { .signo = SIGALRM, .notify = SIGEV_SIGNAL };
	if (evp)
		memcpy(&ev, DCE_USER(evp), sizeof ev);
	switch (ev.notify) {
	case SIGEV_NONE:
		break;
	case SIGEV_SIGNAL:
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		if (ev.signo < 1 || ev.signo >= DCE_NSIG)
			return -EINVAL;
		if (ev.notify & SIGEV_THREAD_ID) {
			ev.notify = SIGEV_THREAD_ID;
			if (!thread_of(p, ev.tid))
				return -EINVAL;
		}
		break;
	default:
		return -EINVAL;
	}
	int id = 0;
	while (find(p, id))
		id++;
	struct ptimer *tm = calloc(1, sizeof *tm);
	tm->p = p;
	tm->id = id;
	tm->clock = (int)clock;
	tm->ev = ev;
	if (!evp)
		tm->ev.value = (uint64_t)id;
	struct ptimer **pp = &timers;
	while (*pp)
		pp = &(*pp)->next;
	*pp = tm;
	*(int *)DCE_USER(idp) = id;
	return 0;
}

static void get(struct ptimer *tm, struct itimerspec *cur)
{
	uint64_t now = dce_sim_now();
	dce_ns_ts(tm->expires > now ? tm->expires - now : (tm->expires ? 1 : 0), &cur->it_value);
	dce_ns_ts(tm->interval, &cur->it_interval);
}

long sys_timer_gettime(T *t, long id, U curp)
{
	struct ptimer *tm = find(t->proc, id);
	if (!tm)
		return -EINVAL;
	if (!curp)
		return -EFAULT;
	get(tm, DCE_USER(curp));
	return 0;
}

static int ts_bad(const struct timespec *ts)
{
	return ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L;
}

long sys_timer_settime(T *t, long id, long flags, U newp, U oldp)
{
	struct ptimer *tm = find(t->proc, id);
	if (!tm)
		return -EINVAL;
	const struct itimerspec *nv = DCE_USER(newp);
	if (!nv)
		return -EFAULT;
	if (ts_bad(&nv->it_value) || ts_bad(&nv->it_interval))
		return -EINVAL;
	if (oldp)
		get(tm, DCE_USER(oldp));
	disarm(tm);
	uint64_t now = dce_sim_now();
	uint64_t value = (uint64_t)nv->it_value.tv_sec * 1000000000ULL + (uint64_t)nv->it_value.tv_nsec;
	tm->interval = (uint64_t)nv->it_interval.tv_sec * 1000000000ULL + (uint64_t)nv->it_interval.tv_nsec;
	if (!value)
		return 0;
	if (tm->clock == CLOCK_PROCESS_CPUTIME_ID || tm->clock == CLOCK_THREAD_CPUTIME_ID || tm->clock < 0)
		return 0; /* CPU time never advances: the timer never expires */
	if (flags & TIMER_ABSTIME) {
		uint64_t base = tm->clock == CLOCK_REALTIME || tm->clock == CLOCK_REALTIME_ALARM
		                        ? dce_time_realtime_ns() - now
		                        : 1000000000ULL; /* monotonic reads sim time + 1 s */
		tm->expires = value > base ? value - base : 0;
		if (tm->expires < now)
			tm->expires = now;
	} else
		tm->expires = now + value;
	tm->event = dce_sim_schedule(tm->expires - now, t->proc->node->id, fire, tm);
	return 0;
}

long sys_timer_getoverrun(T *t, long id)
{
	struct ptimer *tm = find(t->proc, id);
	return tm ? tm->overrun : -EINVAL;
}

long sys_timer_delete(T *t, long id)
{
	for (struct ptimer **pp = &timers; *pp; pp = &(*pp)->next)
		if ((*pp)->p == t->proc && (*pp)->id == id) {
			struct ptimer *tm = *pp;
			*pp = tm->next;
			disarm(tm);
			free(tm);
			return 0;
		}
	return -EINVAL;
}
