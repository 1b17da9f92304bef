/* sigfault - signals as Linux delivers them (test/signals).
 * Each check prints "ok NAME" or "FAIL NAME: why"; the last line is "done N"
 * with the number of failures.
 *   segv-longjmp  a SIGSEGV handler sees si_addr and si_code, siglongjmp leaves it
 *   segv-resume   a handler that moves rip past the faulting instruction resumes there
 *   fpe           integer division by zero reaches a SIGFPE handler (FPE_INTDIV)
 *   overflow      a stack overflow is caught on a sigaltstack
 *   below-sp      a system call writes nothing below the stack pointer's red zone
 *   avx           ymm registers survive a signal handler that clobbers them
 *   mask          a handler runs with its signal blocked; the mask comes back after
 *   thread        tgkill interrupts another thread blocked in a system call
 *   default       a fault without a handler still kills (run last, in a child) */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
static void result(const char *name, int good, const char *why)
{
	if (good)
		printf("ok %s\n", name);
	else {
		printf("FAIL %s: %s\n", name, why);
		fails++;
	}
	fflush(stdout);
}

static sigjmp_buf jb;
static volatile void *seen_addr;
static volatile int seen_code, seen_sig, blocked_inside;

static void on_fault_jump(int sig, siginfo_t *si, void *ucv)
{
	(void)ucv;
	seen_sig = sig;
	seen_addr = si->si_addr;
	seen_code = si->si_code;
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	blocked_inside = sigismember(&now, sig);
	siglongjmp(jb, 1);
}

static void on_fault_skip(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	ucontext_t *uc = ucv;
	uc->uc_mcontext.gregs[REG_RIP] += 3; /* movl (%rax), %eax is 2 bytes + a nop */
	uc->uc_mcontext.gregs[REG_RAX] = 1234;
}

static void set(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

static void segv_longjmp(void)
{
	set(SIGSEGV, on_fault_jump, 0);
	volatile int *bad = (int *)(uintptr_t)0x1238;
	if (!sigsetjmp(jb, 1)) {
		(void)*bad;
		result("segv-longjmp", 0, "no fault");
		return;
	}
	char why[128];
	snprintf(why, sizeof why, "sig %d addr %p code %d blocked %d", seen_sig, seen_addr, seen_code, blocked_inside);
	result("segv-longjmp", seen_sig == SIGSEGV && seen_addr == (void *)0x1238 && seen_code == SEGV_MAPERR &&
	                               blocked_inside,
	       why);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	result("segv-mask-restored", !sigismember(&now, SIGSEGV), "SIGSEGV still blocked after siglongjmp");
	/* twice: the handler is still installed and works again */
	seen_sig = 0;
	if (!sigsetjmp(jb, 1))
		(void)*bad;
	result("segv-again", seen_sig == SIGSEGV, "second fault not handled");
}

static void segv_resume(void)
{
	set(SIGSEGV, on_fault_skip, 0);
	long v;
	__asm__ volatile("xorl %%eax, %%eax\n\tmovl (%%rax), %%eax\n\tnop\n\t" : "=a"(v) : : "memory");
	char why[64];
	snprintf(why, sizeof why, "rax %ld", v);
	result("segv-resume", v == 1234, why);
	signal(SIGSEGV, SIG_DFL);
}

static void fpe(void)
{
	set(SIGFPE, on_fault_jump, 0);
	volatile int zero = 0, x = 7;
	if (!sigsetjmp(jb, 1)) {
		x = x / zero;
		result("fpe", 0, "no fault");
		return;
	}
	result("fpe", seen_sig == SIGFPE && seen_code == FPE_INTDIV, "wrong signal or code");
	signal(SIGFPE, SIG_DFL);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int n)
{
	volatile char buf[4096];
	buf[0] = (char)n;
	return recurse(n + 1) + buf[0];
}

static void overflow(void)
{
	/* in a thread with a small stack, so the overflow comes fast */
	static char alt[64 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
	sigaltstack(&ss, NULL);
	set(SIGSEGV, on_fault_jump, SA_ONSTACK);
	if (!sigsetjmp(jb, 1)) {
		recurse(0);
		result("overflow", 0, "no fault");
		return;
	}
	result("overflow", seen_sig == SIGSEGV, "not SIGSEGV");
	signal(SIGSEGV, SIG_DFL);
}

static void *overflow_thread(void *arg)
{
	(void)arg;
	overflow();
	return NULL;
}

static void below_sp(void)
{
	/* 16 KiB below the red zone filled with a pattern, then a real `syscall`
	 * (getppid) from the same frame: the pattern must be intact */
	enum { N = 16384 };
	long r, bad = -1;
	__asm__ volatile(
	        "movq %%rsp, %%r12\n\t"
	        "leaq -128(%%rsp), %%rdi\n\t"
	        "movq $%c[n], %%rcx\n\t"
	        "1: subq $8, %%rdi\n\t"
	        "movabsq $0x5a5a5a5a5a5a5a5a, %%rax\n\t"
	        "movq %%rax, (%%rdi)\n\t"
	        "subq $8, %%rcx\n\t"
	        "jnz 1b\n\t"
	        "movl $110, %%eax\n\t" /* getppid */
	        "syscall\n\t"
	        "movq %%rax, %[r]\n\t"
	        "leaq -128(%%r12), %%rdi\n\t"
	        "movq $%c[n], %%rcx\n\t"
	        "movabsq $0x5a5a5a5a5a5a5a5a, %%rax\n\t"
	        "xorq %%rdx, %%rdx\n\t"
	        "2: subq $8, %%rdi\n\t"
	        "cmpq %%rax, (%%rdi)\n\t"
	        "je 3f\n\t"
	        "movq %%rcx, %%rdx\n\t"
	        "3: subq $8, %%rcx\n\t"
	        "jnz 2b\n\t"
	        "movq %%rdx, %[bad]\n\t"
	        : [r] "=m"(r), [bad] "=m"(bad)
	        : [n] "i"(N)
	        : "rax", "rcx", "rdx", "rdi", "r11", "r12", "memory");
	char why[96];
	snprintf(why, sizeof why, "a word %ld bytes from the bottom of the pattern changed", bad);
	result("below-sp", bad == 0, why);
	(void)r;
}

static void on_usr1_clobber(int sig)
{
	(void)sig;
	__asm__ volatile("vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t"
	                 "vpcmpeqd %%ymm1, %%ymm1, %%ymm1" ::: "xmm0", "xmm1");
}

static void avx(void)
{
	signal(SIGUSR1, on_usr1_clobber);
	uint64_t in[4] = { 0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444 };
	uint64_t out[4] = { 0, 0, 0, 0 };
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
	__asm__ volatile("vmovdqu (%[in]), %%ymm1\n\t"
	                 "movl $234, %%eax\n\t" /* tgkill(pid, tid, SIGUSR1): the handler runs on return */
	                 "movslq %[pid], %%rdi\n\t"
	                 "movslq %[tid], %%rsi\n\t"
	                 "movl $10, %%edx\n\t"
	                 "syscall\n\t"
	                 "vmovdqu %%ymm1, (%[out])\n\t"
	                 "vzeroupper"
	                 :
	                 : [in] "r"(in), [out] "r"(out), [pid] "r"(pid), [tid] "r"(tid)
	                 : "rax", "rdi", "rsi", "rdx", "rcx", "r11", "xmm1", "memory");
	result("avx", !memcmp(in, out, sizeof in), "ymm1 changed across the handler");
	signal(SIGUSR1, SIG_DFL);
}

static volatile int got_usr2;
static void on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

static void *sleeper(void *arg)
{
	int *res = arg;
	struct timespec ts = { 100, 0 };
	int r = nanosleep(&ts, NULL);
	*res = r < 0 && errno == EINTR && got_usr2;
	return NULL;
}

static void thread_signal(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	pthread_t th;
	int res = 0;
	pthread_create(&th, NULL, sleeper, &res);
	usleep(1000);
	pthread_kill(th, SIGUSR2);
	pthread_join(th, NULL);
	result("thread", res, "the sleeping thread was not interrupted by its handler");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "crash")) {
		volatile int *p = NULL;
		return *p;
	}
	segv_longjmp();
	segv_resume();
	fpe();
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 256 * 1024);
	pthread_t th;
	pthread_create(&th, &at, overflow_thread, NULL);
	pthread_join(th, NULL);
	below_sp();
	avx();
	thread_signal();
	pid_t c = fork();
	if (c == 0) {
		execl(argv[0], argv[0], "crash", (char *)NULL);
		_exit(99);
	}
	int st = 0;
	waitpid(c, &st, 0);
	result("default", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "child not killed by SIGSEGV");
	printf("done %d\n", fails);
	return fails != 0;
}
