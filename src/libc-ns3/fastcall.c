/* fastcall.c - system calls served without leaving program context.
 *
 * A call that only reads what dce keeps about the calling thread (its pid, tid,
 * parent, process group, user and group ids), or that repeats a read(2) or
 * write(2) the full path just found would return EAGAIN (a non-blocking socket
 * drained or full: the read-until-EAGAIN and write-until-EAGAIN loops of event
 * driven programs; dce_file_again), needs none of dce's own TLS, stack
 * protector or host system calls. From a rewritten site (trap_entry.S) or the
 * glibc-dce hook (hook_entry.S), FAST_CALL (fastcall.h) calls dce_fastcall on the
 * fiber's kernel stack with the program's FS base still loaded and the Syscall
 * User Dispatch selector untouched: without FSGSBASE the two FS switches
 * (arch_prctl, ~3 us each under a hypervisor) were nearly all of such a call.
 *
 * The result is the slow path's (dce_trap) in every way a program can see: the
 * call is only served here when the slow path would do nothing else, i.e. no
 * signal is deliverable, the call's simulated cost (time.c) does not complete a
 * slice (which would sleep), the thread has not exhausted its vDSO clock reads
 * and DCE_TRACE is off; otherwise FAST_CALL falls through to the full entry. The
 * accounting is the same: the cost is added to the thread's debt, the entry is
 * counted (the watchdog's progress), last_nr is set.
 *
 * Conditions, relied on and checked by test/rewrite (the built code's disassembly):
 * - one host thread runs every fiber, so dce_current (a plain global written at
 *   each fiber switch) is the calling thread; MPI ranks are separate processes;
 * - the code reads no TLS (%fs is the program's: a stack protector would read
 *   the program's canary, errno the program's errno), touches no vector register
 *   (only general registers are saved), calls nothing but dce_vdso_over_limit
 *   (a leaf reading one global, checked the same way) and cannot fault;
 * - FAST_CALL clears dce_in_user first: a watchdog tick or a synchronous fault
 *   landing here sees dce's context, so the watchdog returns at once and leaves
 *   the kernel stack this runs on alone.
 * DCE_FASTCALL=0 turns it off (every call takes the full entry). */
#include "../core/kernel.h"
#include "creds.h"
#include "fastcall.h"
#include "vdso.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

/* read by FAST_CALL: 1 for a number dce_fastcall may serve */
unsigned char dce_fast_nr[DCE_FAST_NR];
static int fast_on;

__attribute__((constructor)) static void fastcall_init(void)
{
	const char *e = getenv("DCE_FASTCALL");
	fast_on = !(e && !strcmp(e, "0"));
	if (!fast_on)
		return;
	static const int nrs[] = { SYS_getpid, SYS_getppid, SYS_gettid, SYS_getuid, SYS_geteuid,
		                   SYS_getgid, SYS_getegid, SYS_getpgrp, SYS_read, SYS_write,
	                           SYS_recvfrom, SYS_sendto };
	for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
		dce_fast_nr[nrs[i]] = 1;
}

int dce_fastcall_on(void)
{
	return fast_on && !dce_world.trace;
}

struct fast_result {
	long value;
	long served; /* 0: take the full entry */
};


#define FAST_CODE no_stack_protector, target("general-regs-only"), \
	no_sanitize("address", "undefined", "thread"), no_instrument_function
#define FAST_ATTRS __attribute__((FAST_CODE, noinline))

/* fastcall_user.S: program memory, a fault returning -1 */
long dce_fast_probe(uintptr_t ptr, size_t len, int out);
long dce_fast_copy(void *dst, const void *src, size_t n);

/* What the entry's check of a buffer argument (uaccess_table.c) says of [ptr,
 * ptr+len), len > 0: 1 when it passes uncut (the process's tracked mappings hold
 * it all and the probed pages answer), 0 when the full entry must decide. */
static inline __attribute__((FAST_CODE, always_inline)) int user_ok(struct dce_process *p, uintptr_t ptr,
                                                                    size_t len, int out)
{
	uintptr_t end = ptr + len, at = ptr;
	if (end < ptr)
		return 0;
	for (int pieces = 0; at < end; pieces++) {
		struct dce_mapping *m = p->maps;
		while (m && !(at >= m->start && at < m->end))
			m = m->next;
		if (!m || pieces == 4)
			return 0; /* the fixed images and fork groups are the full entry's */
		at = m->end;
	}
	return dce_fast_probe(ptr, len, out) == 0;
}

/* read(2), write(2), recvfrom(2) or sendto(2) (args r): -EAGAIN when the full
 * path recorded, in the current full entry's window, that the same call on this
 * file says EAGAIN (dce_file_again), with the same flags and address arguments,
 * and the entry's check of the buffer would pass; else 0. The file's status
 * flags are read now. */
static inline __attribute__((FAST_CODE, always_inline)) long again(struct dce_process *p, long nr,
                                                                   struct dce_file *f,
                                                                   const struct dce_fast_regs *r)
{
	if (f->again_at != dce_slow_entries || f->again_nr != nr)
		return 0;
	int sock = nr == SYS_recvfrom || nr == SYS_sendto;
	if (sock && (r->r10 != f->again_args[0] || r->r8 != f->again_args[1] || r->r9 != f->again_args[2]))
		return 0;
	if (!(f->flags & O_NONBLOCK) && !(sock && (r->r10 & MSG_DONTWAIT)))
		return 0;
	if (!user_ok(p, (uintptr_t)r->rsi, (size_t)r->rdx, nr == SYS_read || nr == SYS_recvfrom))
		return 0;
	return -EAGAIN;
}

/* read(2) of a file with a copy of its stack's next bytes (struct dce_ahead, made
 * in this full entry's window): what the full path would read, as long as the
 * copy covers the read or is all the stack holds. The bytes are taken from the
 * stack at the next full entry (dce_ahead_sync). 0: not served. */
static inline __attribute__((FAST_CODE, always_inline)) long ahead(struct dce_process *p, struct dce_file *f,
                                                                   const struct dce_fast_regs *r)
{
	struct dce_ahead *a = f->ahead;
	size_t len = (size_t)r->rdx, have = a->len - a->off;
	if (len > have && !a->all)
		return 0;
	if (!a->taken && dce_n_ahead_pending == DCE_AHEAD_PENDING)
		return 0;
	if (!user_ok(p, (uintptr_t)r->rsi, len, 1))
		return 0;
	size_t n = len < have ? len : have;
	if (dce_fast_copy((void *)r->rsi, a->buf + a->off, n))
		return 0; /* a page the probe did not see: the full entry's EFAULT */
	if (!a->taken)
		dce_ahead_pending[dce_n_ahead_pending++] = a;
	a->off += n;
	a->taken += n;
	return (long)n;
}

static inline __attribute__((FAST_CODE, always_inline)) long file_call(struct dce_process *p, long nr,
                                                                       const struct dce_fast_regs *r)
{
	struct dce_fdtable *ft = p->fds;
	int n = (int)r->rdi;
	if (!ft || n < 0 || n >= ft->size || r->rdx <= 0)
		return 0;
	struct dce_file *f = ft->files[n];
	if (!f)
		return 0;
	struct dce_ahead *a = f->ahead;
	if (nr == SYS_read && a && a->at == dce_slow_entries && a->len > a->off)
		return ahead(p, f, r);
	return again(p, nr, f, r);
}

FAST_ATTRS struct fast_result dce_fastcall(long nr, const struct dce_fast_regs *r)
{
	struct fast_result no = { 0, 0 };
	struct dce_thread *t = dce_current;
	if (!t || dce_world.trace)
		return no;
	struct dce_process *p = t->proc;
	if ((t->sigpending | p->sigpending) & ~t->sigmask)
		return no; /* dce_trap delivers it on the way out */
	uint64_t debt = t->cpu_debt_ns + dce_world.syscall_cost;
	if (dce_world.syscall_cost && debt >= dce_world.cost_slice)
		return no; /* the slice is complete: the thread sleeps it off */
	if (dce_vdso_over_limit())
		return no; /* dce_trap marks the thread as polling the clock */
	struct dce_cred *c = p->cred;
	long v;
	switch (nr) {
	case SYS_getpid: v = p->pid; break;
	case SYS_getppid: v = p->ppid; break;
	case SYS_gettid: v = t->tid; break;
	case SYS_getpgrp: v = p->pgid; break;
	case SYS_getuid: if (!c) return no; v = c->ruid; break;
	case SYS_geteuid: if (!c) return no; v = c->euid; break;
	case SYS_getgid: if (!c) return no; v = c->rgid; break;
	case SYS_getegid: if (!c) return no; v = c->egid; break;
	case SYS_read:
	case SYS_write:
	case SYS_recvfrom:
	case SYS_sendto:
		if (!(v = file_call(p, nr, r)))
			return no;
		break;
	default: return no;
	}
	if (dce_world.syscall_cost)
		t->cpu_debt_ns = debt;
	t->last_nr = nr;
	dce_entries++;
	return (struct fast_result){ v, 1 };
}
