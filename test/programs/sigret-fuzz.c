/* sigret-fuzz - hostile signal frames (test/fuzz).
 *   sigret-fuzz SEED CHILDREN
 * Each child installs handlers for the synchronous signals (some on a sigaltstack
 * of its own, itself sometimes bogus) that overwrite the interrupted context with
 * random values — registers, stack pointer, FPU area and its MXCSR, the XSAVE
 * header, the signal mask, uc_stack — and return into it; or it calls rt_sigreturn
 * directly on a random frame. Whatever follows (more faults, a kill) must stay
 * inside the child: the parent prints how each one ended, then "done". */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static volatile int faults;
static char alt[64 * 1024];

static uint64_t wild(void)
{
	switch (next() % 6) {
	case 0: return 0;
	case 1: return next() & 0xffff;
	case 2: return next();
	case 3: return (uint64_t)(uintptr_t)alt + (next() % sizeof alt);
	case 4: return 0x555555554000ULL + (next() & 0xffffff); /* where dce-run sits without ASLR */
	default: return 0x100000000000ULL + (next() & 0xffffffffULL); /* program memory */
	}
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	ucontext_t *uc = ucv;
	if (++faults > 20)
		_exit(faults);
	int what = (int)(next() % 5);
	if (what == 0) { /* one register */
		uc->uc_mcontext.gregs[next() % NGREG] = (greg_t)wild();
	} else if (what == 1) { /* all of them */
		for (int i = 0; i < NGREG; i++)
			uc->uc_mcontext.gregs[i] = (greg_t)wild();
	} else if (what == 2 && uc->uc_mcontext.fpregs) { /* the FPU area, MXCSR included */
		unsigned char *fp = (unsigned char *)uc->uc_mcontext.fpregs;
		for (int i = 0; i < 64; i++)
			fp[next() % 1024] = (unsigned char)next();
	} else if (what == 3) {
		uc->uc_mcontext.fpregs = (fpregset_t)(uintptr_t)wild();
		memset(&uc->uc_sigmask, 0xff, sizeof uc->uc_sigmask);
	} else {
		uc->uc_stack.ss_sp = (void *)(uintptr_t)wild();
		uc->uc_stack.ss_size = next() % (1 << 20);
		uc->uc_stack.ss_flags = (int)(next() % 8);
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)wild();
	}
}

static void child(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	if (next() % 2) {
		stack_t ss = { .ss_sp = next() % 4 ? alt : (void *)(uintptr_t)wild(), .ss_size = sizeof alt };
		sigaltstack(&ss, NULL);
	}
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO | (next() % 2 ? SA_ONSTACK : 0) | (next() % 4 ? 0 : SA_NODEFER);
		sigaction(sigs[i], &sa, NULL);
	}
	if (next() % 4 == 0) { /* rt_sigreturn on a frame of random words */
		uint64_t frame[256];
		for (int i = 0; i < 256; i++)
			frame[i] = wild();
		__asm__ volatile("movq %0, %%rsp\n\tmovl $15, %%eax\n\tsyscall" : : "r"(frame + 1) : "rax", "memory");
	}
	volatile int *p = (int *)(uintptr_t)(next() % 4096);
	(void)*p;
	_exit(100);
}

int main(int argc, char **argv)
{
	rng = (argc > 1 ? strtoull(argv[1], NULL, 0) : 1) * 0x9e3779b97f4a7c15ULL + 1;
	int n = argc > 2 ? atoi(argv[2]) : 100;
	int killed = 0, exited = 0;
	for (int i = 0; i < n; i++) {
		next();
		pid_t c = fork();
		if (c == 0)
			child();
		/* a child may end up in a loop of its own: 2 simulated seconds, then SIGKILL */
		int st = 0, waited = 0;
		pid_t w;
		while ((w = waitpid(c, &st, WNOHANG)) == 0) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			if (++waited == 200)
				kill(c, SIGKILL);
		}
		if (w != c) {
			printf("child %d: lost\n", i);
			return 1;
		}
		if (WIFSIGNALED(st))
			killed++;
		else
			exited++;
	}
	printf("children %d killed %d exited %d\ndone\n", n, killed, exited);
	return 0;
}
