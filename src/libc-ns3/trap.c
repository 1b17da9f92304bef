/* trap.c - arming Syscall User Dispatch and the fault handlers; the C side of trap.S. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "vdso.h"
#include "hook.h"
#include "uaccess.h"
#include "vmspace.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <asm/prctl.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif
#define SUD_INCLUSIVE 2 /* PR_SYS_DISPATCH_INCLUSIVE_ON, Linux >= 6.16 */

/* Read by trap.S. Only one host thread ever runs simulated code. */
volatile unsigned char dce_sud_selector;
volatile unsigned char dce_in_user;
uint64_t dce_host_fs;
uint64_t dce_user_fs;
uint64_t dce_kstack_top;
uint64_t dce_altstack_top; /* signal frames are moved from there (FRAME_TO_KSTACK) */
/* wrfsbase is usable; else the trap paths switch FS with arch_prctl (setfs.h) */
unsigned char dce_have_fsgsbase;
/* Syscall User Dispatch by address: every call made from program memory traps,
 * whatever any byte in memory says (no selector a program could clear). */
int dce_sud_by_address;

extern char dce_exempt_start[], dce_exempt_end[];
void dce_sigsys_entry(int, siginfo_t *, void *);
void dce_fault_entry(int, siginfo_t *, void *);
void dce_trap(ucontext_t *uc);
ucontext_t *dce_user_fault(int sig, siginfo_t *info, ucontext_t *uc);
void dce_host_fault(int sig, siginfo_t *info, void *uc);

/* The host alternate stack: every signal dce handles arrives here, never on a
 * program's stack (Linux writes nothing below a program's stack pointer on a
 * system call, and Go runs its calls on small goroutine stacks). */
static char fault_stack[256 * 1024] __attribute__((aligned(64)));

int dce_trap_init(char *err, size_t errlen)
{
	/* HWCAP2_FSGSBASE; DCE_FSGSBASE=0 forces the fallback (tested on machines with it) */
	const char *force = getenv("DCE_FSGSBASE");
	dce_have_fsgsbase = (getauxval(AT_HWCAP2) & 2) && !(force && !strcmp(force, "0"));
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &dce_host_fs)) {
		snprintf(err, errlen, "arch_prctl(ARCH_GET_FS) failed: %s", strerror(errno));
		return -1;
	}
	stack_t ss = { .ss_sp = fault_stack, .ss_size = sizeof fault_stack };
	sigaltstack(&ss, NULL);
	dce_altstack_top = (uint64_t)(uintptr_t)(fault_stack + sizeof fault_stack);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = dce_sigsys_entry;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigaction(SIGSYS, &sa, NULL);
	sa.sa_sigaction = dce_fault_entry;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		sigaction(faults[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* SIGPIPE is emulated per process */
	dce_sud_selector = 0;
	/* Where the kernel can, dispatch by address: calls made from program memory
	 * [0, dce_vm_limit()) trap, dce's own calls (above) do not, and there is no
	 * selector. Else the selector (exclusive range: dce's one exempt instruction).
	 * DCE_SUD=selector forces the selector (tests, older kernels' behaviour). */
	const char *mode = getenv("DCE_SUD");
	if (!(mode && !strcmp(mode, "selector")) &&
	    prctl(PR_SET_SYSCALL_USER_DISPATCH, SUD_INCLUSIVE, 0UL, (unsigned long)dce_vm_limit(), 0UL) == 0) {
		dce_sud_by_address = 1;
		return dce_hook_init(err, errlen);
	}
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
	          (unsigned long)dce_exempt_start,
	          (unsigned long)(dce_exempt_end - dce_exempt_start + 1),
	          (unsigned long)&dce_sud_selector) != 0) {
		snprintf(err, errlen, "Syscall User Dispatch unavailable (%s): dce needs Linux >= 5.11",
		         strerror(errno));
		return -1;
	}
	return dce_hook_init(err, errlen); /* glibc-dce: DCE_LIBC, DCE_HOOK */
}

/* Serve one call. A fault on the caller's own memory anywhere in serving it (a
 * pointer the entry checked, used in place) comes back here as EFAULT. */
static long serve(struct dce_thread *t, long nr, greg_t *g)
{
	sigjmp_buf fixup;
	void *outer = t->fault_fixup;
	if (sigsetjmp(fixup, 0)) {
		t->fault_fixup = outer;
		return -EFAULT;
	}
	t->fault_fixup = &fixup;
	long r = dce_syscall(t, nr, g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
	t->fault_fixup = outer;
	return r;
}

/* Build a signal frame on the program's stack; one it cannot be written to kills
 * the process with SIGSEGV, as Linux's force_sigsegv does. */
static void deliver_signals(struct dce_thread *t, ucontext_t *uc)
{
	sigjmp_buf fixup;
	if (sigsetjmp(fixup, 0)) {
		t->fault_fixup = NULL;
		dce_process_fatal(t->proc, "killed by SIGSEGV (signal frame could not be written)");
		dce_process_exit(t->proc, 0, SIGSEGV);
		return;
	}
	t->fault_fixup = &fixup;
	dce_signal_deliver(t, uc);
	t->fault_fixup = NULL;
}

void dce_trap(ucontext_t *uc)
{
	struct dce_thread *t = dce_current;
	greg_t *g = uc->uc_mcontext.gregs;
	t->uc = uc;
	long nr = g[REG_RAX];
	dce_entries++;
	dce_slow_entries++;
	if (dce_n_ahead_pending)
		dce_ahead_sync(); /* reads fastcall.c served since the last full entry */
	if (dce_vdso_over_limit())
		t->clock_reads = 99; /* polled the clock through the vDSO: next read yields */
	long r = serve(t, nr, g);
	if (t->n_ahead_want)
		dce_file_read_ahead(t); /* a poll said readable: fastcall.c serves the read */
	if (dce_world.trace)
		fprintf(dce_world.err, "[%u %d %.3f] syscall %lld(%#llx, %#llx, %#llx) = %ld\n", t->proc->node->id,
		        t->tid, dce_sim_now() / 1e9, (long long)nr, (long long)g[REG_RDI],
		        (long long)g[REG_RSI], (long long)g[REG_RDX], r);
	if (r != DCE_SYSCALL_NORETURN)
		g[REG_RAX] = r;
	dce_time_syscall_cost(t); /* may sleep: time moves once the call is done */
	deliver_signals(t, uc);
	t->uc = NULL;
	dce_user_fs = t->user_fs;
}

static const char *signame(int sig)
{
	const char *d = sigabbrev_np(sig);
	return d ? d : "?";
}

/* A synchronous fault in program code (from trap.S, on the fiber's kernel stack,
 * with the frame's copy). As Linux's force_sig_fault: a handler the program set
 * and has not blocked runs, with the fault's siginfo and registers, and its
 * return resumes the (possibly changed) context; otherwise the process is killed
 * by the signal. Returns the context to resume. */
ucontext_t *dce_user_fault(int sig, siginfo_t *info, ucontext_t *uc)
{
	struct dce_thread *t = dce_current;
	struct dce_process *p = t->proc;
	dce_entries++;
	dce_slow_entries++;
	if (dce_n_ahead_pending)
		dce_ahead_sync();
	if (dce_signal_fault_handled(t, sig, info)) {
		t->uc = uc;
		t->last_nr = -1; /* not in a system call: nothing to restart */
		deliver_signals(t, uc);
		t->uc = NULL;
		dce_user_fs = t->user_fs;
		return uc;
	}
	/* host addresses differ from run to run: they go to dce's own log only, so that
	 * the status file stays the same when the scenario is run again */
	fprintf(dce_world.err, "dce: node %u pid %d: SIG%s at fault address %p, instruction %p\n",
	        p->node->id, p->pid, signame(sig), info->si_addr, (void *)uc->uc_mcontext.gregs[REG_RIP]);
	dce_process_fatal(p, "killed by SIG%s%s", signame(sig),
	                  (uintptr_t)info->si_addr < 4096 && (sig == SIGSEGV || sig == SIGBUS)
	                          ? " (null pointer access)" : "");
	dce_process_exit(p, 0, sig);
	return uc; /* not reached */
}

/* core/shutdown.c: write exitprocs and every status file before leaving */
void dce_run_emergency_end(const char *why) __attribute__((weak));

void dce_host_fault(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	uintptr_t addr = (uintptr_t)info->si_addr;
	if ((sig == SIGSEGV || sig == SIGBUS) && dce_user_fault_is_efault(addr)) {
		/* dce touched the calling program's memory and the page said no: EFAULT */
		if (dce_uaccess_fixup)
			siglongjmp(*dce_uaccess_fixup, 1);
		if (dce_current && dce_current->fault_fixup)
			siglongjmp(*(sigjmp_buf *)dce_current->fault_fixup, 1);
	}
	static int dying;
	if (dying++) { /* faulted again while saving the outputs */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	char msg[256];
	int n;
	if (dce_current)
		n = snprintf(msg, sizeof msg, "dce: internal error: SIG%s at %p while serving system call %ld of "
		             "node %u pid %d; outputs so far are saved; please report this with the scenario\n",
		             signame(sig), info->si_addr, dce_current->last_nr, dce_current->proc->node->id,
		             dce_current->proc->pid);
	else
		n = snprintf(msg, sizeof msg, "dce: internal error: SIG%s at %p in the simulator itself; "
		             "outputs so far are saved; please report this with the scenario\n",
		             signame(sig), info->si_addr);
	if (write(2, msg, (size_t)n) < 0) {
	}
	if (dce_run_emergency_end) {
		char why[64];
		snprintf(why, sizeof why, "run ended by an internal error (SIG%s)", signame(sig));
		dce_run_emergency_end(why);
	}
	_exit(128 + sig);
}
