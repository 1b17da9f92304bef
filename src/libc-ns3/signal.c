/* signal.c - virtual signals: actions, masks, sending, and delivery on the way back
 * to the program (a frame is built on the program's stack, as Linux does). */
#include "../core/kernel.h"
#include "uaccess.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "timespec.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>

#define BIT(s) (1ULL << ((s) - 1))
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))

enum { ACT_TERM, ACT_CORE, ACT_IGN };

static int default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: /* no job control: ignored */
		return ACT_IGN;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return ACT_CORE;
	default:
		return ACT_TERM;
	}
}

static int ignored(struct dce_process *p, int sig)
{
	uint64_t h = p->sigact[sig].handler;
	return h == (uint64_t)SIG_IGN || (h == (uint64_t)SIG_DFL && default_action(sig) == ACT_IGN);
}

/* The siginfo of a pending signal when it is more than SI_USER from ourselves
 * (timers: SI_TIMER with the timer's value; kill: the sender's pid). Kept beside
 * the pending bits, keyed by process and tid (0: directed to the process). */
struct sig_info {
	struct dce_process *p;
	int tid, sig;
	siginfo_t si;
	struct sig_info *next;
};
static struct sig_info *sig_infos;

static struct sig_info **info_find(struct dce_process *p, int tid, int sig)
{
	struct sig_info **pp = &sig_infos;
	while (*pp && !((*pp)->p == p && (*pp)->tid == tid && (*pp)->sig == sig))
		pp = &(*pp)->next;
	return pp;
}

/* Dequeue the info of sig (pending on the thread if from_thread, else the process). */
static void info_take(struct dce_thread *t, int sig, int from_thread, siginfo_t *out)
{
	struct sig_info **pp = info_find(t->proc, from_thread ? t->tid : 0, sig);
	memset(out, 0, sizeof *out);
	out->si_signo = sig;
	out->si_code = SI_USER;
	out->si_pid = t->proc->pid;
	if (*pp) {
		struct sig_info *i = *pp;
		*out = i->si;
		*pp = i->next;
		free(i);
	}
}

static void info_forget_proc(struct dce_process *p)
{
	for (struct sig_info **pp = &sig_infos; *pp;) {
		if ((*pp)->p == p) {
			struct sig_info *i = *pp;
			*pp = i->next;
			free(i);
		} else
			pp = &(*pp)->next;
	}
}

static uint64_t deliverable(struct dce_thread *t)
{
	return (t->sigpending | t->proc->sigpending) & ~t->sigmask;
}

int dce_signal_pending(struct dce_thread *t)
{
	return deliverable(t) != 0;
}

void dce_signal_send_thread(struct dce_thread *t, int sig)
{
	struct dce_process *p = t->proc;
	if (sig == SIGKILL) {
		dce_process_kill(p, SIGKILL);
		return;
	}
	if (ignored(p, sig))
		return;
	t->sigpending |= BIT(sig);
	if (!(t->sigmask & BIT(sig)))
		dce_thread_wake(t, -EINTR);
}

void dce_signal_send_proc(struct dce_process *p, int sig)
{
	if (p->state != DCE_P_RUNNING)
		return;
	if (sig == SIGKILL) {
		dce_process_kill(p, SIGKILL);
		return;
	}
	if (ignored(p, sig))
		return;
	p->sigpending |= BIT(sig);
	for (struct dce_thread *t = p->threads; t; t = t->next)
		if (!(t->sigmask & BIT(sig))) {
			dce_thread_wake(t, -EINTR);
			break;
		}
}

/* Send sig with its siginfo to thread t, or to process p when t is NULL. A timer
 * signal still pending counts an overrun instead. */
void dce_signal_send_info(struct dce_process *p, struct dce_thread *t, const siginfo_t *si)
{
	int sig = si->si_signo;
	if (p->state != DCE_P_RUNNING || sig == SIGKILL || ignored(p, sig)) {
		if (sig == SIGKILL)
			dce_signal_send_proc(p, sig);
		return;
	}
	uint64_t pending = t ? t->sigpending : p->sigpending;
	struct sig_info **pp = info_find(p, t ? t->tid : 0, sig);
	if (pending & BIT(sig)) {
		if (*pp && (*pp)->si.si_code == SI_TIMER)
			(*pp)->si.si_overrun++;
		return;
	}
	if (!*pp) {
		*pp = calloc(1, sizeof **pp);
		(*pp)->p = p;
		(*pp)->tid = t ? t->tid : 0;
		(*pp)->sig = sig;
	}
	(*pp)->si = *si;
	if (t)
		dce_signal_send_thread(t, sig);
	else
		dce_signal_send_proc(p, sig);
}

/* What the program's handler sees as its third argument, and what rt_sigreturn
 * restores: the interrupted registers, the mask to restore; the FPU state (the
 * whole XSAVE area when the interrupted context has one, as Linux saves it) sits
 * above, 64-byte aligned, where uc_mcontext.fpregs points. */
struct sigframe {
	uint64_t pretcode;
	ucontext_t uc;
	siginfo_t info;
};

#define FP_XSTATE_MAGIC1 0x46505853U
#define UC_FP_XSTATE 1

/* Bytes of an FPU area: 512 (fxsave) unless its software-reserved bytes announce
 * an XSAVE area (magic1 and its extended size, as the kernel writes them). */
static size_t fp_size(const unsigned char *fx)
{
	uint32_t sw[2];
	memcpy(sw, fx + 464, sizeof sw);
	return sw[0] == FP_XSTATE_MAGIC1 && sw[1] > 512 && sw[1] <= 64 * 1024 ? sw[1] : 512;
}

/* Synchronous signals first, as Linux picks them: the fault at hand before
 * anything else pending. */
#define SYNCHRONOUS (BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGFPE) | BIT(SIGSYS))

/* A fault in t's own code: queue it with its siginfo when a handler of the
 * program will take it (not blocked, not ignored, not the default); else 0,
 * and the caller kills the process, as Linux's force_sig_fault does. */
int dce_signal_fault_handled(struct dce_thread *t, int sig, const siginfo_t *info)
{
	struct dce_process *p = t->proc;
	uint64_t h = p->sigact[sig].handler;
	if (sig < 1 || sig >= DCE_NSIG || h == (uint64_t)SIG_DFL || h == (uint64_t)SIG_IGN ||
	    (t->sigmask & BIT(sig)) || p->state != DCE_P_RUNNING)
		return 0;
	siginfo_t si = *info;
	si.si_signo = sig;
	t->sigpending &= ~BIT(sig); /* this fault's info replaces a pending one */
	dce_signal_send_info(p, t, &si);
	return 1;
}

static int never_restarted(long nr)
{
	switch (nr) {
	case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_poll: case SYS_ppoll:
	case SYS_select: case SYS_pselect6: case SYS_epoll_wait: case SYS_epoll_pwait:
	case SYS_epoll_pwait2: case SYS_rt_sigtimedwait: case SYS_rt_sigsuspend: case SYS_pause:
		return 1;
	}
	return 0;
}

void dce_signal_deliver(struct dce_thread *t, ucontext_t *uc)
{
	struct dce_process *p = t->proc;
	uint64_t ready = deliverable(t);
	if (!ready)
		return;
	if (ready & SYNCHRONOUS)
		ready &= SYNCHRONOUS;
	int sig = __builtin_ctzll(ready) + 1;
	int from_thread = (t->sigpending & BIT(sig)) != 0;
	if (from_thread)
		t->sigpending &= ~BIT(sig);
	else
		p->sigpending &= ~BIT(sig);
	siginfo_t info;
	info_take(t, sig, from_thread, &info);
	struct dce_sigaction *sa = &p->sigact[sig];
	if (sa->handler == (uint64_t)SIG_IGN)
		return;
	if (sa->handler == (uint64_t)SIG_DFL) {
		if (default_action(sig) == ACT_IGN)
			return;
		dce_process_fatal(p, "killed by SIG%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
		dce_process_exit(p, 0, sig);
	}
	greg_t *g = uc->uc_mcontext.gregs;
	if (g[REG_RAX] == -EINTR && (sa->flags & SA_RESTART) && t->last_nr >= 0 && !never_restarted(t->last_nr)) {
		g[REG_RAX] = t->last_nr; /* restart the call after the handler */
		g[REG_RIP] -= 2;
	}
	/* Below the program's stack pointer and its red zone, or on its alternate stack. */
	uintptr_t sp = (uintptr_t)g[REG_RSP] - 128;
	if ((sa->flags & SA_ONSTACK) && t->altstack.ss_size && !(t->altstack.ss_flags & SS_DISABLE)) {
		uintptr_t lo = (uintptr_t)t->altstack.ss_sp, hi = lo + t->altstack.ss_size;
		if (!((uintptr_t)g[REG_RSP] > lo && (uintptr_t)g[REG_RSP] <= hi))
			sp = hi;
	}
	const unsigned char *fp = (const unsigned char *)uc->uc_mcontext.fpregs;
	size_t fpsize = fp ? fp_size(fp) : 0;
	uintptr_t fpaddr = fp ? (sp - fpsize) & ~63UL : sp;
	sp = ((fpaddr - sizeof(struct sigframe)) & ~15UL) - 8; /* as after a call: rsp+8 aligned */
	if (fpaddr > (uintptr_t)g[REG_RSP] || !dce_user_ok(p, sp, fpaddr + fpsize - sp)) {
		/* a stack (or alternate stack) that is not the program's memory: Linux
		 * cannot write the frame either and kills with SIGSEGV */
		dce_process_fatal(p, "killed by SIGSEGV (no room for a signal frame on its stack)");
		dce_process_exit(p, 0, SIGSEGV);
	}
	struct sigframe *f = (struct sigframe *)sp;
	memset(f, 0, sizeof *f);
	f->pretcode = sa->restorer;
	f->uc.uc_mcontext = uc->uc_mcontext;
	f->uc.uc_flags = 2 | 4; /* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	memcpy(&f->uc.uc_sigmask, t->restore_sigmask ? &t->saved_sigmask : &t->sigmask, 8);
	f->uc.uc_stack = t->altstack;
	if (!t->altstack.ss_size)
		f->uc.uc_stack.ss_flags = SS_DISABLE;
	else if ((uintptr_t)g[REG_RSP] > (uintptr_t)t->altstack.ss_sp &&
	         (uintptr_t)g[REG_RSP] <= (uintptr_t)t->altstack.ss_sp + t->altstack.ss_size)
		f->uc.uc_stack.ss_flags |= SS_ONSTACK;
	if (fp) {
		memcpy((void *)fpaddr, fp, fpsize);
		f->uc.uc_mcontext.fpregs = (fpregset_t)fpaddr;
		if (fpsize > 512)
			f->uc.uc_flags |= UC_FP_XSTATE;
	}
	f->info = info;
	t->restore_sigmask = 0;
	uint64_t newmask = t->sigmask | sa->mask;
	if (!(sa->flags & SA_NODEFER))
		newmask |= BIT(sig);
	t->sigmask = newmask & ~UNBLOCKABLE;
	if (sa->flags & SA_RESETHAND)
		memset(sa, 0, sizeof *sa);
	g[REG_RSP] = (greg_t)sp;
	g[REG_RIP] = (greg_t)(sa->handler ? sa->handler : 0);
	g[REG_RDI] = sig;
	g[REG_RSI] = (greg_t)&f->info;
	g[REG_RDX] = (greg_t)&f->uc;
	g[REG_RAX] = 0;
}

/* Restore what the handler's frame says. A frame that cannot be read kills with
 * SIGSEGV, as on Linux. FPU state is copied into the trap context's own area, no
 * more than that area holds; MXCSR's reserved bits are cleared (the real
 * rt_sigreturn that resumes the program would fault on them). */
long sys_rt_sigreturn(struct dce_thread *t)
{
	ucontext_t *uc = t->uc;
	struct sigframe f;
	uint64_t fa = (uint64_t)uc->uc_mcontext.gregs[REG_RSP] - 8;
	if (dce_copy_from_user(&f, fa, sizeof f)) {
		dce_process_fatal(t->proc, "killed by SIGSEGV (rt_sigreturn: no signal frame at its stack pointer)");
		dce_process_exit(t->proc, 0, SIGSEGV);
	}
	greg_t csgsfs = uc->uc_mcontext.gregs[REG_CSGSFS];
	memcpy(uc->uc_mcontext.gregs, f.uc.uc_mcontext.gregs, sizeof(gregset_t));
	uc->uc_mcontext.gregs[REG_CSGSFS] = csgsfs;
	unsigned char *dst = (unsigned char *)uc->uc_mcontext.fpregs;
	uint64_t src = (uint64_t)(uintptr_t)f.uc.uc_mcontext.fpregs;
	if (dst && src) {
		unsigned char fx[512];
		if (dce_copy_from_user(fx, src, sizeof fx) == 0) {
			size_t n = fp_size(fx), cap = fp_size(dst);
			if (n > cap)
				n = 512; /* more than the trap context holds: the legacy part */
			uint32_t mxcsr;
			memcpy(&mxcsr, fx + 24, 4);
			mxcsr &= 0xffff;
			memcpy(fx + 24, &mxcsr, 4);
			if (n > 512 && dce_copy_from_user(dst + 512, src + 512, n - 512))
				n = 512;
			if (n == 512 && cap > 512)
				memset(fx + 464, 0, 8); /* only the legacy part came: say so */
			memcpy(dst, fx, 512);
		}
	}
	memcpy(&t->sigmask, &f.uc.uc_sigmask, 8);
	t->sigmask &= ~UNBLOCKABLE;
	if (f.uc.uc_stack.ss_size && !(f.uc.uc_stack.ss_flags & SS_DISABLE)) {
		t->altstack = f.uc.uc_stack;
		t->altstack.ss_flags &= SS_AUTODISARM;
	}
	return DCE_SYSCALL_NORETURN;
}

long sys_rt_sigaction(struct dce_thread *t, long sig, uint64_t actp, uint64_t oldp, uint64_t size)
{
	if (size != 8 || sig < 1 || sig >= DCE_NSIG)
		return -EINVAL;
	struct dce_sigaction *sa = &t->proc->sigact[sig];
	if (oldp)
		memcpy(DCE_USER(oldp), sa, sizeof *sa);
	if (actp) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		memcpy(sa, DCE_USER(actp), sizeof *sa);
		if (ignored(t->proc, (int)sig)) {
			t->proc->sigpending &= ~BIT(sig);
			for (struct dce_thread *th = t->proc->threads; th; th = th->next)
				th->sigpending &= ~BIT(sig);
		}
	}
	return 0;
}

long sys_rt_sigprocmask(struct dce_thread *t, long how, uint64_t setp, uint64_t oldp, uint64_t size)
{
	if (size != 8)
		return -EINVAL;
	uint64_t old = t->sigmask;
	if (setp) {
		uint64_t set = *(uint64_t *)DCE_USER(setp);
		switch (how) {
		case SIG_BLOCK: t->sigmask |= set; break;
		case SIG_UNBLOCK: t->sigmask &= ~set; break;
		case SIG_SETMASK: t->sigmask = set; break;
		default: return -EINVAL;
		}
		t->sigmask &= ~UNBLOCKABLE;
	}
	if (oldp)
		*(uint64_t *)DCE_USER(oldp) = old;
	return 0;
}

long sys_rt_sigpending(struct dce_thread *t, uint64_t setp, uint64_t size)
{
	if (size != 8)
		return -EINVAL;
	*(uint64_t *)DCE_USER(setp) = (t->sigpending | t->proc->sigpending) & t->sigmask;
	return 0;
}

long sys_rt_sigsuspend(struct dce_thread *t, uint64_t setp, uint64_t size)
{
	if (size != 8)
		return -EINVAL;
	t->saved_sigmask = t->sigmask;
	t->sigmask = *(uint64_t *)DCE_USER(setp) & ~UNBLOCKABLE;
	while (!dce_signal_pending(t))
		dce_thread_block(t, -1);
	t->restore_sigmask = 1;
	return -EINTR;
}

long sys_pause(struct dce_thread *t)
{
	while (!dce_signal_pending(t))
		dce_thread_block(t, -1);
	return -EINTR;
}

long sys_rt_sigtimedwait(struct dce_thread *t, uint64_t setp, uint64_t infop, uint64_t tsp, uint64_t size)
{
	if (size != 8)
		return -EINVAL;
	uint64_t set = *(uint64_t *)DCE_USER(setp) & ~UNBLOCKABLE;
	const struct timespec *ts = DCE_USER(tsp);
	int64_t timeout = ts ? (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec : -1;
	uint64_t deadline = timeout >= 0 ? dce_sim_now() + (uint64_t)timeout : 0;
	for (;;) {
		uint64_t have = (t->sigpending | t->proc->sigpending) & set;
		if (have) {
			int sig = __builtin_ctzll(have) + 1;
			int from_thread = (t->sigpending & BIT(sig)) != 0;
			if (from_thread)
				t->sigpending &= ~BIT(sig);
			else
				t->proc->sigpending &= ~BIT(sig);
			siginfo_t info;
			info_take(t, sig, from_thread, &info);
			if (infop)
				*(siginfo_t *)DCE_USER(infop) = info;
			return sig;
		}
		if (dce_signal_pending(t))
			return -EINTR;
		if (timeout >= 0 && dce_sim_now() >= deadline)
			return -EAGAIN;
		/* the awaited signals are blocked, so senders do not wake us: poll the mask */
		uint64_t saved = t->sigmask;
		t->sigmask &= ~set;
		int r = dce_thread_block(t, timeout >= 0 ? (int64_t)(deadline - dce_sim_now()) : -1);
		t->sigmask = saved;
		if (r == -ETIMEDOUT)
			continue;
	}
}

long sys_sigaltstack(struct dce_thread *t, uint64_t ssp, uint64_t oldp)
{
	if (oldp) {
		stack_t *o = DCE_USER(oldp);
		*o = t->altstack;
		if (!o->ss_size)
			o->ss_flags = SS_DISABLE;
	}
	if (ssp) {
		stack_t *n = DCE_USER(ssp);
		if (n->ss_flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (!(n->ss_flags & SS_DISABLE) && n->ss_size < 2048)
			return -ENOMEM;
		t->altstack = *n;
		if (n->ss_flags & SS_DISABLE)
			memset(&t->altstack, 0, sizeof t->altstack);
	}
	return 0;
}

static struct dce_thread *find_thread(struct dce_process *p, long tid)
{
	for (struct dce_thread *t = p->threads; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void send_user(struct dce_thread *t, struct dce_process *p, int sig)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = SI_USER;
	si.si_pid = t->proc->pid;
	dce_signal_send_info(p, NULL, &si);
}

long sys_kill(struct dce_thread *t, long pid, long sig)
{
	if (sig < 0 || sig >= DCE_NSIG)
		return -EINVAL;
	struct dce_node *n = t->proc->node;
	if (pid > 0) {
		struct dce_process *p = dce_process_find(n, (int)pid);
		if (!p || p->state == DCE_P_ZOMBIE)
			return p ? 0 : -ESRCH;
		if (sig)
			send_user(t, p, (int)sig);
		return 0;
	}
	int pgid = pid == 0 ? t->proc->pgid : (int)-pid;
	int found = 0;
	for (struct dce_process *p = dce_world.procs; p; p = p->next_all) {
		if (p->node != n || p->state != DCE_P_RUNNING)
			continue;
		if (pid == -1 ? p == t->proc : p->pgid != pgid)
			continue;
		found = 1;
		if (sig && p != t->proc)
			send_user(t, p, (int)sig);
	}
	if (sig && (pid == 0 || (pid < -1 && t->proc->pgid == pgid)))
		dce_signal_send_proc(t->proc, (int)sig);
	return found || pid == 0 ? 0 : -ESRCH;
}

long sys_tgkill(struct dce_thread *t, long tgid, long tid, long sig)
{
	if (sig < 0 || sig >= DCE_NSIG || tid <= 0)
		return -EINVAL;
	struct dce_process *p = dce_process_find(t->proc->node, (int)tgid);
	struct dce_thread *target = p ? find_thread(p, tid) : NULL;
	if (!target)
		return -ESRCH;
	if (sig)
		dce_signal_send_thread(target, (int)sig);
	return 0;
}

long sys_tkill(struct dce_thread *t, long tid, long sig)
{
	return sys_tgkill(t, t->proc->pid, tid, sig);
}

/* ---- alarm and ITIMER_REAL ---- */
struct itimer {
	uint64_t interval;
	uint64_t expires; /* simulated ns, 0 = disarmed */
};
static struct itimer *itimer_of(struct dce_process *p);

static void itimer_fire(void *arg)
{
	struct dce_process *p = arg;
	struct itimer *it = itimer_of(p);
	p->alarm_event = 0;
	if (p->state != DCE_P_RUNNING)
		return;
	if (it->interval) {
		it->expires = dce_sim_now() + it->interval;
		p->alarm_event = dce_sim_schedule(it->interval, p->node->id, itimer_fire, p);
	} else
		it->expires = 0;
	dce_signal_send_proc(p, SIGALRM);
}

/* One ITIMER_REAL per process, kept beside it (no field in the process table). */
struct itimer_slot {
	struct dce_process *p;
	struct itimer it;
	struct itimer_slot *next;
};
static struct itimer_slot *itimers;

static struct itimer *itimer_of(struct dce_process *p)
{
	for (struct itimer_slot *s = itimers; s; s = s->next)
		if (s->p == p)
			return &s->it;
	struct itimer_slot *s = calloc(1, sizeof *s);
	s->p = p;
	s->next = itimers;
	itimers = s;
	return &s->it;
}

void dce_posix_timers_release(struct dce_process *p);

void dce_timers_release(struct dce_process *p)
{
	dce_posix_timers_release(p);
	info_forget_proc(p);
	if (p->alarm_event)
		dce_sim_cancel(p->alarm_event);
	p->alarm_event = 0;
	for (struct itimer_slot **pp = &itimers; *pp; pp = &(*pp)->next)
		if ((*pp)->p == p) {
			struct itimer_slot *s = *pp;
			*pp = s->next;
			free(s);
			break;
		}
}

static void itimer_set(struct dce_process *p, uint64_t value, uint64_t interval, uint64_t *old_left,
                       uint64_t *old_interval)
{
	struct itimer *it = itimer_of(p);
	uint64_t now = dce_sim_now();
	if (old_left)
		*old_left = it->expires > now ? it->expires - now : 0;
	if (old_interval)
		*old_interval = it->interval;
	if (p->alarm_event)
		dce_sim_cancel(p->alarm_event);
	p->alarm_event = 0;
	it->interval = interval;
	it->expires = value ? now + value : 0;
	if (value)
		p->alarm_event = dce_sim_schedule(value, p->node->id, itimer_fire, p);
}

long sys_alarm(struct dce_thread *t, long secs)
{
	uint64_t left;
	itimer_set(t->proc, (uint64_t)secs * 1000000000ULL, 0, &left, NULL);
	return (long)((left + 999999999ULL) / 1000000000ULL);
}

long sys_setitimer(struct dce_thread *t, long which, uint64_t newp, uint64_t oldp)
{
	if (which != ITIMER_REAL) {
		if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
			if (oldp)
				memset(DCE_USER(oldp), 0, sizeof(struct itimerval));
			return 0; /* CPU time never advances in the simulation */
		}
		return -EINVAL;
	}
	struct itimerval *nv = DCE_USER(newp);
	uint64_t left, interval;
	if (nv && (nv->it_value.tv_usec >= 1000000 || nv->it_interval.tv_usec >= 1000000 ||
	           nv->it_value.tv_usec < 0 || nv->it_interval.tv_usec < 0))
		return -EINVAL;
	if (nv)
		itimer_set(t->proc, dce_tv_ns(&nv->it_value), dce_tv_ns(&nv->it_interval), &left, &interval);
	else {
		struct itimer *it = itimer_of(t->proc);
		uint64_t now = dce_sim_now();
		left = it->expires > now ? it->expires - now : 0;
		interval = it->interval;
	}
	if (oldp) {
		struct itimerval *ov = DCE_USER(oldp);
		dce_ns_tv(left, &ov->it_value);
		dce_ns_tv(interval, &ov->it_interval);
	}
	return 0;
}

long sys_getitimer(struct dce_thread *t, long which, uint64_t valp)
{
	return sys_setitimer(t, which, 0, valp);
}
