/* sched.c - running simulated threads on fibers inside simulator events.
 *
 * A thread runs only inside an event: the event switches from the host fiber to the
 * thread's fiber, which runs until it blocks or exits and switches back. Waking a
 * thread schedules a zero-delay event, so the run order is the simulator's event
 * order: a pure function of the scenario. */
#include "kernel.h"
#include "sim.h"
#include "../libc-ns3/vdso.h"
#include "../loader/fixed_image.h"
#include <errno.h>
#include <stdlib.h>

struct dce_thread *dce_current;
static struct dce_fiber host_fiber;
static struct dce_thread *dead_threads; /* stacks freed once off them */
extern uint64_t dce_kstack_top;
void dce_fork_activate(struct dce_process *p); /* libc-ns3/fork.c: its image in memory */

static void reap_dead(void)
{
	while (dead_threads) {
		struct dce_thread *t = dead_threads;
		dead_threads = t->next;
		dce_fiber_destroy(&t->fiber);
		free(t);
	}
}

void dce_thread_run(struct dce_thread *t)
{
	if (t->state == DCE_T_DEAD)
		return;
	dce_fork_activate(t->proc);
	dce_fixed_image_activate(t->proc);
	t->state = DCE_T_RUNNING;
	dce_current = t;
	dce_entries++;
	dce_slow_entries++;
	dce_vdso_enter(dce_sim_now());
	dce_kstack_top = (uint64_t)dce_fiber_stack_top(&t->fiber);
	dce_fiber_switch(&host_fiber, &t->fiber);
	dce_current = NULL;
	if (dce_n_ahead_pending)
		dce_ahead_sync(); /* before any event: reads served in program context */
	reap_dead();
}

static void run_event(void *arg)
{
	struct dce_thread *t = arg;
	t->wake_event = 0;
	dce_thread_run(t);
}

static void timeout_event(void *arg)
{
	struct dce_thread *t = arg;
	t->timer_event = 0;
	if (t->state == DCE_T_BLOCKED) {
		t->wake_reason = -ETIMEDOUT;
		t->state = DCE_T_RUNNABLE;
		dce_thread_run(t);
	}
}

int dce_thread_block(struct dce_thread *t, int64_t timeout_ns)
{
	uint64_t since = dce_sim_now();
	t->state = DCE_T_BLOCKED;
	t->wake_reason = 0;
	t->clock_reads = 0;
	if (timeout_ns >= 0)
		t->timer_event = dce_sim_schedule((uint64_t)timeout_ns, t->proc->node->id, timeout_event, t);
	dce_fiber_switch(&t->fiber, &host_fiber);
	/* resumed by dce_thread_run */
	if (t->timer_event) {
		dce_sim_cancel(t->timer_event);
		t->timer_event = 0;
	}
	if (dce_sim_now() > since)
		t->cpu_debt_ns = 0; /* it waited while time passed (a zero-time yield does not count) */
	return t->wake_reason;
}

void dce_thread_wake(struct dce_thread *t, int reason)
{
	if (t->state != DCE_T_BLOCKED)
		return;
	t->state = DCE_T_RUNNABLE;
	t->wake_reason = reason;
	t->wake_event = dce_sim_schedule(0, t->proc->node->id, run_event, t);
}

void dce_thread_exit_fiber(struct dce_thread *t)
{
	t->state = DCE_T_DEAD;
	if (t->timer_event)
		dce_sim_cancel(t->timer_event);
	if (t->wake_event)
		dce_sim_cancel(t->wake_event);
	t->next = dead_threads;
	dead_threads = t;
	dce_fiber_switch(&t->fiber, &host_fiber);
	__builtin_trap();
}

void dce_waitq_add(struct dce_waitq *q, struct dce_waiter *w, struct dce_thread *t)
{
	w->thread = t;
	w->q = q;
	w->tnext = t->waits;
	t->waits = w;
	w->next = NULL;
	w->prev = q->tail;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

void dce_waitq_del(struct dce_waiter *w)
{
	struct dce_waitq *q = w->q;
	if (!q)
		return;
	for (struct dce_waiter **pp = &w->thread->waits; *pp; pp = &(*pp)->tnext)
		if (*pp == w) {
			*pp = w->tnext;
			break;
		}
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->q = NULL;
}

void dce_waitq_wake_all(struct dce_waitq *q)
{
	for (struct dce_waiter *w = q->head; w; w = w->next)
		dce_thread_wake(w->thread, 0);
}

void dce_waitq_wake_one(struct dce_waitq *q)
{
	for (struct dce_waiter *w = q->head; w; w = w->next) {
		if (w->thread->state == DCE_T_BLOCKED) {
			dce_thread_wake(w->thread, 0);
			return;
		}
	}
}

int dce_wait_on(struct dce_thread *t, struct dce_waitq *q, int64_t timeout_ns)
{
	if (dce_signal_pending(t))
		return -EINTR;
	struct dce_waiter w;
	dce_waitq_add(q, &w, t);
	int r = dce_thread_block(t, timeout_ns);
	dce_waitq_del(&w);
	if (r == 0 && dce_signal_pending(t))
		return -EINTR;
	return r;
}

void dce_thread_block_uninterruptible(struct dce_thread *t, struct dce_waitq *q)
{
	struct dce_waiter w;
	dce_waitq_add(q, &w, t);
	dce_thread_block(t, -1);
	dce_waitq_del(&w);
}

void dce_futex_forget(struct dce_thread *t);

void dce_thread_forget_waits(struct dce_thread *t)
{
	while (t->waits)
		dce_waitq_del(t->waits);
	dce_futex_forget(t);
}

int dce_debug_nodeid(void)
{
	return dce_current ? (int)dce_current->proc->node->id : -1;
}

int dce_debug_pid(void)
{
	return dce_current ? dce_current->proc->pid : -1;
}
