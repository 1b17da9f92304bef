/* watchdog.c - preempting a program that runs without entering dce.
 *
 * A loop with no system call never gives control back: simulated time stands
 * still and the run freezes. This machine's kernel offers no retired-instruction
 * or branch counter (perf_event_open of hardware events: ENOENT), so preemption
 * cannot be tied to the program's own progress. Instead a timer on the host
 * thread's CPU clock ticks every tenth of the budget; a tick that finds the same
 * program still running since it last entered dce, for a whole budget, preempts
 * it: the thread sleeps for the host CPU time it used, then resumes where it was.
 * Where it is preempted depends on the host, so this fallback is not
 * deterministic; a program that makes system calls is never preempted. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "uaccess.h"
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WATCHDOG_SIGNAL SIGVTALRM

uint64_t dce_entries;
uint64_t dce_slow_entries;
extern volatile unsigned char dce_in_user;
extern uint64_t dce_user_fs;
void dce_watchdog_entry(int, siginfo_t *, void *);

static timer_t timer;
static int have_timer;
static uint64_t tick_ns, budget_ns;
static uint64_t seen_entries; /* dce_entries at the last tick */
static uint64_t spun_ns;      /* host CPU the running program used since */

int dce_watchdog_arm(uint64_t budget)
{
	budget_ns = budget;
	tick_ns = budget / 10 > 1000000 ? budget / 10 : 1000000;
	if (!have_timer) {
		if (!budget)
			return 0;
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = dce_watchdog_entry;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART; /* dce's host calls go on */
		if (sigaction(WATCHDOG_SIGNAL, &sa, NULL))
			return -errno;
		struct sigevent ev;
		memset(&ev, 0, sizeof ev);
		ev.sigev_notify = SIGEV_THREAD_ID;
		ev.sigev_signo = WATCHDOG_SIGNAL;
		ev._sigev_un._tid = (pid_t)syscall(SYS_gettid); /* sigev_notify_thread_id */
		if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &timer))
			return -errno;
		have_timer = 1;
	}
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	if (budget) {
		its.it_value.tv_sec = (time_t)(tick_ns / 1000000000ULL);
		its.it_value.tv_nsec = (long)(tick_ns % 1000000000ULL);
		its.it_interval = its.it_value;
	}
	return timer_settime(timer, 0, &its, NULL) ? -errno : 0;
}

/* From watchdog_entry.S on the fiber's kernel stack with the host FS base, when
 * the tick interrupted a program's own code. Returns the context to resume. */
ucontext_t *dce_watchdog_tick(ucontext_t *uc)
{
	struct dce_thread *t = dce_current;
	if (!t || !budget_ns)
		return uc;
	if (dce_entries != seen_entries) {
		seen_entries = dce_entries;
		spun_ns = 0;
	}
	spun_ns += tick_ns;
	if (spun_ns < budget_ns)
		return uc;
	uint64_t charge = spun_ns;
	spun_ns = 0;
	ucontext_t *u = uc; /* on the fiber's kernel stack (watchdog_entry.S) */
	t->uc = u;
	t->last_nr = -1; /* not in a system call: nothing to restart */
	if (dce_world.trace)
		fprintf(dce_world.err, "[%u %d %.3f] preempted after %.3f s of host CPU without a system call\n",
		        t->proc->node->id, t->tid, dce_sim_now() / 1e9, charge / 1e9);
	dce_thread_block(t, (int64_t)charge);
	sigjmp_buf fixup; /* as trap.c's delivery: a frame that faults kills the process */
	if (sigsetjmp(fixup, 0)) {
		t->fault_fixup = NULL;
		dce_process_fatal(t->proc, "killed by SIGSEGV (signal frame could not be written)");
		dce_process_exit(t->proc, 0, SIGSEGV);
	}
	t->fault_fixup = &fixup;
	dce_signal_deliver(t, u);
	t->fault_fixup = NULL;
	t->uc = NULL;
	dce_user_fs = t->user_fs;
	return u;
}
