/* futex.c - futexes on fibers, keyed by address (all processes share one address
 * space, and a live address belongs to one process image), FIFO per address. */
#include "../core/kernel.h"
#include "uaccess.h"
#include "../core/sim.h"
#include "syscalls.h"
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <time.h>

struct futex_waiter {
	struct dce_process *proc;  /* private futexes: only this process's wakes match */
	uint64_t addr;
	uint32_t bitset;
	struct dce_thread *thread;
	int woken;
	struct futex_waiter *next, *prev;
};
static struct futex_waiter *fw_head, *fw_tail;

static void fw_unlink(struct futex_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		fw_head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		fw_tail = w->prev;
	w->next = w->prev = NULL;
}

/* A fork child runs at its parent's addresses (fork.c): a private futex is known
 * by (process, address), a shared one (proc NULL) by its address alone. */
static int match(struct futex_waiter *w, struct dce_process *p, uint64_t addr)
{
	return w->addr == addr && (!w->proc || !p || w->proc == p);
}

static int wake(struct dce_process *p, uint64_t addr, int n, uint32_t bitset)
{
	int woken = 0;
	for (struct futex_waiter *w = fw_head, *nx; w && woken < n; w = nx) {
		nx = w->next;
		if (!match(w, p, addr) || !(w->bitset & bitset))
			continue;
		fw_unlink(w);
		w->woken = 1;
		dce_thread_wake(w->thread, 0);
		woken++;
	}
	return woken;
}

void dce_futex_forget(struct dce_thread *t)
{
	struct futex_waiter *w = t->futex_wait;
	if (w && !w->woken)
		fw_unlink(w);
	t->futex_wait = NULL;
}

void dce_futex_wake_addr(struct dce_process *p, uint64_t addr, int n)
{
	wake(p, addr, n, FUTEX_BITSET_MATCH_ANY);
}

static long futex_wait(struct dce_thread *t, struct dce_process *p, uint64_t addr, uint32_t val,
                       const struct timespec *ts, int absolute, int realtime, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	if (*(volatile uint32_t *)DCE_USER(addr) != val)
		return -EAGAIN;
	int64_t timeout = -1;
	if (ts) {
		if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
			return -EINVAL;
		int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
		if (absolute) {
			int64_t now = realtime ? (int64_t)dce_time_realtime_ns() : (int64_t)dce_sim_now() + 1000000000LL;
			timeout = ns > now ? ns - now : 0;
		} else
			timeout = ns;
	}
	if (dce_signal_pending(t))
		return -EINTR;
	struct futex_waiter w = { .proc = p, .addr = addr, .bitset = bitset, .thread = t };
	w.prev = fw_tail;
	if (fw_tail)
		fw_tail->next = &w;
	else
		fw_head = &w;
	fw_tail = &w;
	t->futex_wait = &w;
	int r = dce_thread_block(t, timeout);
	t->futex_wait = NULL;
	if (!w.woken)
		fw_unlink(&w);
	if (w.woken)
		return 0;
	return r == -ETIMEDOUT ? -ETIMEDOUT : -EINTR;
}

static int requeue(struct dce_process *p, uint64_t from, uint64_t to, int nwake, int nmove)
{
	int done = wake(p, from, nwake, FUTEX_BITSET_MATCH_ANY);
	int moved = 0;
	for (struct futex_waiter *w = fw_head; w && moved < nmove; w = w->next)
		if (match(w, p, from)) {
			w->addr = to;
			moved++;
		}
	return done + moved;
}

static int wake_op(struct dce_process *p, uint64_t a1, uint64_t a2, int n1, int n2, uint32_t op)
{
	uint32_t *p2 = DCE_USER(a2);
	int oparg = (int)((op >> 12) & 0xfff), cmparg = (int)(op & 0xfff);
	int kind = (int)((op >> 28) & 7), cmp = (int)((op >> 24) & 15);
	if (op & (8u << 28))
		oparg = 1 << oparg;
	uint32_t old = *p2;
	switch (kind) {
	case FUTEX_OP_SET: *p2 = (uint32_t)oparg; break;
	case FUTEX_OP_ADD: *p2 = old + (uint32_t)oparg; break;
	case FUTEX_OP_OR: *p2 = old | (uint32_t)oparg; break;
	case FUTEX_OP_ANDN: *p2 = old & ~(uint32_t)oparg; break;
	case FUTEX_OP_XOR: *p2 = old ^ (uint32_t)oparg; break;
	default: return -ENOSYS;
	}
	int r = wake(p, a1, n1, FUTEX_BITSET_MATCH_ANY);
	int o = (int)old, c;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: c = o == cmparg; break;
	case FUTEX_OP_CMP_NE: c = o != cmparg; break;
	case FUTEX_OP_CMP_LT: c = o < cmparg; break;
	case FUTEX_OP_CMP_LE: c = o <= cmparg; break;
	case FUTEX_OP_CMP_GT: c = o > cmparg; break;
	case FUTEX_OP_CMP_GE: c = o >= cmparg; break;
	default: return -ENOSYS;
	}
	if (c)
		r += wake(p, a2, n2, FUTEX_BITSET_MATCH_ANY);
	return r;
}

long sys_futex(struct dce_thread *t, uint64_t addr, long op, long val, uint64_t utime, uint64_t addr2, long val3)
{
	int cmd = (int)(op & FUTEX_CMD_MASK);
	int realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
	if (!addr || (addr & 3))
		return -EINVAL;
	if (!dce_user_ok(t->proc, addr, sizeof(uint32_t)))
		return -EFAULT;
	struct dce_process *p = (op & FUTEX_PRIVATE_FLAG) ? t->proc : NULL;
	/* the fourth argument is a timeout for the waits, a count for the others */
	int waits = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
	if (waits && utime && !dce_user_ok(t->proc, utime, sizeof(struct timespec)))
		return -EFAULT;
	if ((cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE || cmd == FUTEX_WAKE_OP) &&
	    !dce_user_ok(t->proc, addr2, sizeof(uint32_t)))
		return -EFAULT;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(t, p, addr, (uint32_t)val, DCE_USER(utime), 0, realtime, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(t, p, addr, (uint32_t)val, DCE_USER(utime), 1, realtime, (uint32_t)val3);
	case FUTEX_WAKE:
		return wake(p, addr, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return val3 ? wake(p, addr, (int)val, (uint32_t)val3) : -EINVAL;
	case FUTEX_REQUEUE:
		return requeue(p, addr, addr2, (int)val, (int)utime);
	case FUTEX_CMP_REQUEUE:
		if (*(volatile uint32_t *)DCE_USER(addr) != (uint32_t)val3)
			return -EAGAIN;
		return requeue(p, addr, addr2, (int)val, (int)utime);
	case FUTEX_WAKE_OP:
		return wake_op(p, addr, addr2, (int)val, (int)utime, (uint32_t)val3);
	default:
		return -ENOSYS; /* PI futexes: glibc falls back or reports it */
	}
}

long sys_set_tid_address(struct dce_thread *t, uint64_t tidptr)
{
	t->clear_child_tid = tidptr;
	return t->tid;
}

long sys_set_robust_list(struct dce_thread *t, uint64_t head, uint64_t len)
{
	if (len != 24)
		return -EINVAL;
	t->robust_list = head;
	return 0;
}

long sys_get_robust_list(struct dce_thread *t, long tid, uint64_t headp, uint64_t lenp)
{
	if (tid && tid != t->tid)
		return -ESRCH;
	*(uint64_t *)DCE_USER(headp) = t->robust_list;
	*(uint64_t *)DCE_USER(lenp) = 24;
	return 0;
}
