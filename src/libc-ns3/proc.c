/* proc.c - process and thread control: exit, clone/fork/vfork, execve, wait,
 * identity (uname, limits, affinity, arch_prctl). */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "net/kstack.h"
#include "uaccess.h"
#include "creds.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asm/prctl.h>

void dce_futex_wake_addr(struct dce_process *p, uint64_t addr, int n);
int dce_fork_child(struct dce_process *p, struct dce_process *c);
void dce_fork_alias(struct dce_process *p, struct dce_process *c);

long sys_exit(T *t, long code)
{
	struct dce_process *p = t->proc;
	if (p->nthreads <= 1)
		dce_process_exit(p, (int)code, 0);
	if (t->clear_child_tid) {
		static const int zero;
		if (!dce_copy_to_user(t->clear_child_tid, &zero, sizeof zero)) /* as put_user: best effort */
			dce_futex_wake_addr(p, t->clear_child_tid, 1);
	}
	struct dce_thread **pp = &p->threads;
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	p->nthreads--;
	dce_thread_exit_fiber(t);
}

long sys_exit_group(T *t, long code)
{
	dce_process_exit(t->proc, (int)code, 0);
}

long sys_uname(T *t, U bufp)
{
	struct utsname *u = DCE_USER(bufp);
	if (!u)
		return -EFAULT;
	memset(u, 0, sizeof *u);
	strcpy(u->sysname, "Linux");
	snprintf(u->nodename, sizeof u->nodename, "%s", t->proc->node->hostname);
	const char *krel = dce_kstack_release(t->proc->node->id); /* the node's Linux, if any */
	snprintf(u->release, sizeof u->release, "%s", krel ? krel : DCE_UNAME_RELEASE);
	strcpy(u->version, "#1 SMP dce");
	strcpy(u->machine, "x86_64");
	strcpy(u->domainname, "(none)");
	return 0;
}

long sys_sethostname(T *t, U name, long len)
{
	if (len < 0 || len > 64)
		return -EINVAL;
	memcpy(t->proc->node->hostname, DCE_USER(name), (size_t)len);
	t->proc->node->hostname[len] = 0;
	return 0;
}

long sys_arch_prctl(T *t, long code, U addr)
{
	switch (code) {
	case ARCH_SET_FS:
		t->user_fs = addr;
		return 0;
	case ARCH_GET_FS:
		return dce_copy_to_user(addr, &t->user_fs, sizeof t->user_fs);
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

long sys_prctl(T *t, long op, U a2, U a3, U a4, U a5)
{
	long res;
	if (dce_cred_prctl(t, op, a2, a3, a4, a5, &res))
		return res;
	switch (op) {
	case PR_SET_NAME:
	case PR_SET_PDEATHSIG:
	case PR_SET_DUMPABLE:
	case PR_SET_TIMERSLACK:
	case PR_SET_CHILD_SUBREAPER:
		return 0;
	case PR_GET_NAME: {
		const char *comm = t->proc->exe ? strrchr(t->proc->exe, '/') : NULL;
		char name[16] = { 0 };
		snprintf(name, sizeof name, "%s", comm ? comm + 1 : "?");
		return dce_copy_to_user(a2, name, sizeof name);
	}
	case PR_GET_DUMPABLE:
		return 1;
	case PR_GET_PDEATHSIG: {
		static const int none;
		return dce_copy_to_user(a2, &none, sizeof none);
	}
	default:
		return -EINVAL;
	}
}

long sys_prlimit64(T *t, long pid, long res, U newp, U oldp)
{
	(void)t, (void)newp;
	if (pid != 0 && pid != t->proc->pid)
		return -ESRCH;
	if (res < 0 || res >= RLIM_NLIMITS)
		return -EINVAL;
	if (oldp) {
		struct rlimit *rl = DCE_USER(oldp);
		switch (res) {
		case RLIMIT_NOFILE:
			rl->rlim_cur = rl->rlim_max = 1024;
			break;
		case RLIMIT_STACK:
			rl->rlim_cur = 8 << 20;
			rl->rlim_max = RLIM_INFINITY;
			break;
		case RLIMIT_NPROC:
			rl->rlim_cur = rl->rlim_max = 4096;
			break;
		case RLIMIT_CORE:
			rl->rlim_cur = rl->rlim_max = 0;
			break;
		default:
			rl->rlim_cur = rl->rlim_max = RLIM_INFINITY;
		}
	}
	return 0; /* new limits are accepted and not enforced */
}

long sys_sysinfo(T *t, U infop)
{
	(void)t;
	struct sysinfo *si = DCE_USER(infop);
	if (!si)
		return -EFAULT;
	memset(si, 0, sizeof *si);
	si->uptime = (long)(dce_sim_now() / 1000000000ULL);
	si->totalram = 4UL << 30;
	si->freeram = 3UL << 30;
	si->procs = (unsigned short)dce_world.live;
	si->mem_unit = 1;
	return 0;
}

long sys_sched_getaffinity(T *t, long pid, U len, U maskp)
{
	(void)t, (void)pid;
	if (len < 8)
		return -EINVAL;
	memset(DCE_USER(maskp), 0, len);
	*(unsigned char *)DCE_USER(maskp) = 1; /* one simulated CPU */
	return 8;
}

long sys_setpgid(T *t, long pid, long pgid)
{
	struct dce_process *p = pid ? dce_process_find(t->proc->node, (int)pid) : t->proc;
	if (!p)
		return -ESRCH;
	p->pgid = pgid ? (int)pgid : p->pid;
	return 0;
}

long sys_getpgid(T *t, long pid)
{
	struct dce_process *p = pid ? dce_process_find(t->proc->node, (int)pid) : t->proc;
	return p ? p->pgid : -ESRCH;
}

long sys_setsid(T *t)
{
	t->proc->sid = t->proc->pgid = t->proc->pid;
	return t->proc->sid;
}

long sys_getsid(T *t, long pid)
{
	struct dce_process *p = pid ? dce_process_find(t->proc->node, (int)pid) : t->proc;
	return p ? p->sid : -ESRCH;
}

/* ---- wait ---- */
static int child_matches(struct dce_process *self, struct dce_process *c, long pid)
{
	if (c->parent != self || c->state == DCE_P_REAPED)
		return 0;
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == self->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return 1;
}

/* Finds a zombie child (returns it), 0 if children exist but none is done, -ECHILD.
 * Processes stay on the list for the whole run, a child after its parent: the scan
 * starts at the parent's first child not yet reaped (remembered), so a shell that
 * forks and reaps thousands of children does not walk them all at each wait. */
static struct dce_process *find_zombie(struct dce_process *self, long pid, int *any)
{
	*any = 0;
	struct dce_process *first_live = NULL, *last = NULL, *found = NULL;
	for (struct dce_process *c = self->child_scan ? self->child_scan : self; c; c = c->next_all) {
		last = c;
		if (!first_live && c->parent == self && c->state != DCE_P_REAPED)
			first_live = c;
		if (!child_matches(self, c, pid))
			continue;
		*any = 1;
		if (c->state == DCE_P_ZOMBIE) {
			found = c;
			break;
		}
	}
	self->child_scan = first_live ? first_live : last;
	return found;
}

long sys_wait4(T *t, long pid, U statusp, long options, U rusagep)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	for (;;) {
		int any;
		struct dce_process *c = find_zombie(t->proc, pid, &any);
		if (c) {
			if (statusp)
				*(int *)DCE_USER(statusp) = c->killed_by ? c->killed_by : (c->exit_code & 0xff) << 8;
			if (rusagep)
				memset(DCE_USER(rusagep), 0, sizeof(struct rusage));
			c->state = DCE_P_REAPED;
			return c->pid;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		int r = dce_wait_on(t, &t->proc->child_wait, -1);
		if (r == -EINTR)
			return -EINTR;
	}
}

long sys_waitid(T *t, long idtype, long id, U infop, long options, U rusagep)
{
	long pid = idtype == P_ALL ? -1 : idtype == P_PID ? id : idtype == P_PGID ? -id : -2;
	if (pid == -2 || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	for (;;) {
		int any;
		struct dce_process *c = find_zombie(t->proc, pid, &any);
		if (c) {
			siginfo_t *si = DCE_USER(infop);
			if (si) {
				memset(si, 0, sizeof *si);
				si->si_signo = SIGCHLD;
				si->si_pid = c->pid;
				si->si_code = c->killed_by ? CLD_KILLED : CLD_EXITED;
				si->si_status = c->killed_by ? c->killed_by : c->exit_code;
			}
			if (rusagep)
				memset(DCE_USER(rusagep), 0, sizeof(struct rusage));
			if (!(options & WNOWAIT))
				c->state = DCE_P_REAPED;
			return 0;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG) {
			if (infop)
				memset(DCE_USER(infop), 0, sizeof(siginfo_t));
			return 0;
		}
		if (dce_wait_on(t, &t->proc->child_wait, -1) == -EINTR)
			return -EINTR;
	}
}

/* ---- exec ---- */
#define EXEC_MAX_STRINGS 100000
#define EXEC_MAX_BYTES (32 << 20) /* Linux allows a quarter of the stack limit: 2 MiB by default */
#define EXEC_MAX_STRLEN (128 << 10) /* MAX_ARG_STRLEN */

static void free_vec(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* argv or envp, copied out of the program (its image goes away at exec):
 * 0, -EFAULT or -E2BIG. A NULL vector is an empty one, as on Linux. */
static long copy_vec(U up, char ***out, size_t *bytes)
{
	size_t n = 0, cap = 16;
	char **v = calloc(cap + 1, sizeof *v);
	char *buf = malloc(EXEC_MAX_STRLEN);
	for (; up; n++) {
		uint64_t s;
		long r = dce_copy_from_user(&s, up + n * sizeof s, sizeof s);
		if (!r && !s)
			break;
		if (!r)
			r = dce_string_from_user(buf, EXEC_MAX_STRLEN, s);
		if (!r || r > 0)
			*bytes += (size_t)r + 1;
		if (r >= 0 && (n >= EXEC_MAX_STRINGS || *bytes > EXEC_MAX_BYTES))
			r = -E2BIG;
		if (r < 0) {
			free(buf);
			free_vec(v);
			return r;
		}
		if (n == cap) {
			cap *= 2;
			v = realloc(v, (cap + 1) * sizeof *v);
		}
		v[n] = strdup(buf);
		v[n + 1] = NULL;
	}
	free(buf);
	*out = v;
	return 0;
}

static long do_execve(T *t, const char *path, U argvp, U envpp)
{
	char **argv = NULL, **envp = NULL;
	size_t bytes = 0;
	long r = dce_perm_exec(t->proc, path);
	if (!r)
		r = copy_vec(argvp, &argv, &bytes);
	if (!r)
		r = copy_vec(envpp, &envp, &bytes);
	if (!r) {
		/* the new image's credentials; a failed exec gets the old ones back */
		struct dce_cred saved = *dce_cred(t->proc);
		dce_cred_exec(t->proc);
		r = dce_process_exec(t, path, argv, envp);
		gid_t *groups = t->proc->cred->groups;
		*t->proc->cred = saved;
		t->proc->cred->groups = groups;
	}
	free_vec(argv); /* exec copied what it keeps; a failed exec returns here */
	free_vec(envp);
	return r;
}

long sys_execve(T *t, U pathp, U argvp, U envpp)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	return r ? r : do_execve(t, path, argvp, envpp);
}

long sys_execveat(T *t, long dirfd, U pathp, U argvp, U envpp, long flags)
{
	char path[PATH_MAX];
	long r = dce_path_from_user(path, pathp);
	if (r)
		return r;
	if ((flags & AT_EMPTY_PATH) && !path[0]) {
		struct dce_file *f = dce_fd_lookup(t->proc, (int)dirfd);
		if (!f || !f->vpath)
			return -EBADF;
		return do_execve(t, f->vpath, argvp, envpp);
	}
	if ((int)dirfd != AT_FDCWD && path[0] != '/') {
		struct dce_file *f = dce_fd_lookup(t->proc, (int)dirfd);
		if (!f || !f->vpath)
			return -EBADF;
		char full[PATH_MAX];
		if (snprintf(full, sizeof full, "%s/%s", f->vpath, path) >= (int)sizeof full)
			return -ENAMETOOLONG;
		return do_execve(t, full, argvp, envpp);
	}
	return do_execve(t, path, argvp, envpp);
}

/* ---- clone ---- */
struct clone_req {
	uint64_t flags, stack, stack_size, tls, ptid, ctid;
	int exit_signal;
};

static void set_child_context(T *parent, T *child, uint64_t stack)
{
	child->start_uc = *parent->uc;
	child->start_uc.uc_mcontext.fpregs = NULL; /* fresh FPU state */
	child->start_uc.uc_flags = 2 | 4;
	child->start_uc.uc_mcontext.gregs[REG_RAX] = 0;
	if (stack)
		child->start_uc.uc_mcontext.gregs[REG_RSP] = (greg_t)stack;
	sigemptyset(&child->start_uc.uc_sigmask);
	child->sigmask = parent->sigmask;
}

static long clone_thread(T *t, struct clone_req *rq)
{
	struct dce_process *p = t->proc;
	if (!(rq->flags & CLONE_VM) || !(rq->flags & CLONE_SIGHAND))
		return -EINVAL;
	T *c = dce_thread_new(p);
	if (!c)
		return -EAGAIN;
	set_child_context(t, c, rq->stack_size ? rq->stack + rq->stack_size : rq->stack);
	c->user_fs = (rq->flags & CLONE_SETTLS) ? rq->tls : t->user_fs;
	if (rq->flags & CLONE_PARENT_SETTID)
		dce_copy_to_user(rq->ptid, &c->tid, sizeof c->tid); /* as put_user: ignored if it fails */
	if (rq->flags & CLONE_CHILD_SETTID)
		dce_copy_to_user(rq->ctid, &c->tid, sizeof c->tid);
	if (rq->flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = rq->ctid;
	c->state = DCE_T_BLOCKED;
	dce_thread_wake(c, 0);
	return c->tid;
}

/* Wait until a vfork child execs or exits. A CLONE_VM child without a stack of its
 * own runs on ours, below our stack pointer, as on Linux; our trap context is on
 * our kernel stack, out of its way. */
static void vfork_wait(T *t, struct dce_process *c)
{
	(void)t;
	while (!c->vfork_done)
		dce_thread_block_uninterruptible(t, &c->vfork_wait);
}

static long clone_process(T *t, struct clone_req *rq)
{
	struct dce_process *p = t->proc;
	struct dce_process *c = dce_process_new(p->node, p);
	c->fds = (rq->flags & CLONE_FILES) ? p->fds : dce_fdtable_dup(p->fds);
	if (rq->flags & CLONE_FILES)
		p->fds->refs++;
	memcpy(c->sigact, p->sigact, sizeof c->sigact);
	c->brk_base = p->brk_base;
	c->brk_cur = p->brk_cur;
	c->brk_max = p->brk_max;
	c->stack_lo = p->stack_lo;
	c->stack_hi = p->stack_hi;
	c->cmdline = strdup(p->cmdline ? p->cmdline : "");
	c->exe = p->exe ? strdup(p->exe) : NULL;
	c->start_ns = dce_sim_now();
	c->state = DCE_P_RUNNING;
	T *ct = dce_thread_new(c);
	set_child_context(t, ct, rq->stack_size ? rq->stack + rq->stack_size : rq->stack);
	ct->user_fs = (rq->flags & CLONE_SETTLS) ? rq->tls : t->user_fs;
	if (rq->flags & CLONE_PARENT_SETTID)
		dce_copy_to_user(rq->ptid, &c->pid, sizeof c->pid);
	if (rq->flags & CLONE_CHILD_SETTID)
		dce_copy_to_user(rq->ctid, &c->pid, sizeof c->pid);
	if (rq->flags & CLONE_CHILD_CLEARTID)
		ct->clear_child_tid = rq->ctid;
	if (rq->flags & CLONE_VM) {
		dce_fork_alias(p, c);
	} else {
		/* fork in one address space: the child gets a copy of the parent's image
		 * and both run on, their images swapped as they take turns (fork.c) */
		if (dce_fork_child(p, c))
			return -ENOMEM;
	}
	int pid = c->pid;
	ct->state = DCE_T_BLOCKED;
	dce_thread_wake(ct, 0);
	if (rq->flags & CLONE_VFORK)
		vfork_wait(t, c);
	return pid;
}

static long do_clone(T *t, struct clone_req *rq)
{
	if (rq->flags & CLONE_THREAD)
		return clone_thread(t, rq);
	if (rq->flags & (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC))
		return -EPERM;
	return clone_process(t, rq);
}

long sys_clone(T *t, U flags, U stack, U ptid, U ctid, U tls)
{
	struct clone_req rq = { .flags = flags & ~0xffUL, .stack = stack, .tls = tls, .ptid = ptid,
	                        .ctid = ctid, .exit_signal = (int)(flags & 0xff) };
	return do_clone(t, &rq);
}

long sys_clone3(T *t, U argsp, U size)
{
	struct clone_args *a = DCE_USER(argsp);
	if (!a || size < 64)
		return -EINVAL;
	struct clone_req rq = { .flags = a->flags, .stack = a->stack, .stack_size = a->stack_size,
	                        .tls = a->tls, .ptid = a->parent_tid, .ctid = a->child_tid,
	                        .exit_signal = (int)a->exit_signal };
	return do_clone(t, &rq);
}

long sys_fork(T *t)
{
	struct clone_req rq = { .flags = 0, .exit_signal = SIGCHLD };
	return do_clone(t, &rq);
}

long sys_vfork(T *t)
{
	struct clone_req rq = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };
	return do_clone(t, &rq);
}
