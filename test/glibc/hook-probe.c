/* hook-probe: exercises dce's glibc hook entry without glibc-dce. It registers
 * its own hook slot (system call 0xdce, as the patched libc does) and issues
 * system calls with the exact instruction sequence of dce-syscall-hook.patch.
 * Natively the registration fails with ENOSYS and every call is a real
 * `syscall`. Prints "PASS name" / "FAIL name" lines and "N failures". */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((used)) void *probe_hook_slot;

/* The sequence of the patched sysdep.h (DCE_SYSCALL_INSN), with probe_hook_slot. */
#define HOOK_INSN                                   \
	"movq probe_hook_slot(%%rip), %%r11\n\t"    \
	"testq %%r11, %%r11\n\t"                    \
	"jz 7771f\n\t"                              \
	"leaq -128(%%rsp), %%rsp\n\t"               \
	"call *%%r11\n"                             \
	"7771:\n\t"                                 \
	"syscall\n\t"

static long hsys(long nr, long a1, long a2, long a3)
{
	unsigned long r;
	register long d asm("rdi") = a1;
	register long s asm("rsi") = a2;
	register long x asm("rdx") = a3;
	asm volatile(HOOK_INSN : "=a"(r) : "0"(nr), "r"(d), "r"(s), "r"(x) : "memory", "cc", "r11", "rcx");
	return (long)r;
}

static int failures;
static void report(const char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	if (!ok)
		failures++;
}

static volatile int got_usr1, got_alrm;
static void on_usr1(int sig) { (void)sig; got_usr1++; }
static void on_alrm(int sig) { (void)sig; got_alrm++; }

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	long reg = syscall(0xdce, &probe_hook_slot, 0x6b6f6f48656364UL, 1UL);
	int hooked = reg == 0 && probe_hook_slot != NULL;
	printf("mode %s\n", hooked ? "hooked" : "native");
	if (!hooked && (reg != -1 || errno != ENOSYS))
		report("registration fails with ENOSYS when not under dce", 0);

	report("getpid", hsys(SYS_getpid, 0, 0, 0) == getpid());
	static const char msg[] = "write through the hook\n";
	report("write", hsys(SYS_write, 1, (long)msg, sizeof msg - 1) == (long)sizeof msg - 1);
	report("error result", hsys(SYS_close, 12345, 0, 0) == -EBADF);

	/* A program may call with EFLAGS.DF set (an ABI violation, but a program's
	 * choice): dce's own string functions must still copy forwards, and the
	 * program gets its flags back. 48 KiB through a pipe makes dce copy with
	 * `rep movsb` both ways. */
	{
		static char big[49152], back[49152];
		int p[2];
		unsigned long fl;
		long w;
		for (size_t i = 0; i < sizeof big; i++)
			big[i] = (char)(i * 13 + 1);
		if (pipe(p) == 0) {
			register long d asm("rdi") = p[1];
			register long s asm("rsi") = (long)big;
			register long x asm("rdx") = sizeof big;
			asm volatile("std\n\t" HOOK_INSN "pushfq\n\tpopq %%r11\n\tcld\n\tmovq %%r11, %1\n\t"
				     : "=a"(w), "=m"(fl)
				     : "0"((long)SYS_write), "r"(d), "r"(s), "r"(x)
				     : "memory", "cc", "r11", "rcx");
			long r = read(p[0], back, sizeof back);
			report("a hooked call with DF set copies forwards",
			       w == (long)sizeof big && r == (long)sizeof big && !memcmp(big, back, sizeof big));
			report("the program's DF comes back", (fl & 0x400) != 0);
			close(p[0]);
			close(p[1]);
		}
	}

	/* callee- and caller-saved registers other than rcx/r11, and all xmm registers */
	{
		unsigned long in[8] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888 };
		unsigned long out[8];
		unsigned char xin[256], xout[256];
		for (int i = 0; i < 256; i++)
			xin[i] = (unsigned char)(i * 7 + 3);
		memset(xout, 0, sizeof xout);
		asm volatile(
			"pushq %%rbx\n\tpushq %%rbp\n\tpushq %%r12\n\tpushq %%r13\n\tpushq %%r14\n\tpushq %%r15\n\t"
			"pushq %[out]\n\tpushq %[xout]\n\t"
			"movdqu 0(%[xin]), %%xmm0\n\tmovdqu 16(%[xin]), %%xmm1\n\tmovdqu 32(%[xin]), %%xmm2\n\t"
			"movdqu 48(%[xin]), %%xmm3\n\tmovdqu 64(%[xin]), %%xmm4\n\tmovdqu 80(%[xin]), %%xmm5\n\t"
			"movdqu 96(%[xin]), %%xmm6\n\tmovdqu 112(%[xin]), %%xmm7\n\tmovdqu 128(%[xin]), %%xmm8\n\t"
			"movdqu 144(%[xin]), %%xmm9\n\tmovdqu 160(%[xin]), %%xmm10\n\tmovdqu 176(%[xin]), %%xmm11\n\t"
			"movdqu 192(%[xin]), %%xmm12\n\tmovdqu 208(%[xin]), %%xmm13\n\tmovdqu 224(%[xin]), %%xmm14\n\t"
			"movdqu 240(%[xin]), %%xmm15\n\t"
			"movq 0(%[in]), %%rbx\n\tmovq 8(%[in]), %%rbp\n\tmovq 16(%[in]), %%r12\n\tmovq 24(%[in]), %%r13\n\t"
			"movq 32(%[in]), %%r14\n\tmovq 40(%[in]), %%r15\n\tmovq 48(%[in]), %%r8\n\tmovq 56(%[in]), %%r9\n\t"
			"movl $39, %%eax\n\t" /* getpid */
			HOOK_INSN
			"popq %%rax\n\t" /* xout */
			"movdqu %%xmm0, 0(%%rax)\n\tmovdqu %%xmm1, 16(%%rax)\n\tmovdqu %%xmm2, 32(%%rax)\n\t"
			"movdqu %%xmm3, 48(%%rax)\n\tmovdqu %%xmm4, 64(%%rax)\n\tmovdqu %%xmm5, 80(%%rax)\n\t"
			"movdqu %%xmm6, 96(%%rax)\n\tmovdqu %%xmm7, 112(%%rax)\n\tmovdqu %%xmm8, 128(%%rax)\n\t"
			"movdqu %%xmm9, 144(%%rax)\n\tmovdqu %%xmm10, 160(%%rax)\n\tmovdqu %%xmm11, 176(%%rax)\n\t"
			"movdqu %%xmm12, 192(%%rax)\n\tmovdqu %%xmm13, 208(%%rax)\n\tmovdqu %%xmm14, 224(%%rax)\n\t"
			"movdqu %%xmm15, 240(%%rax)\n\t"
			"popq %%rax\n\t" /* out */
			"movq %%rbx, 0(%%rax)\n\tmovq %%rbp, 8(%%rax)\n\tmovq %%r12, 16(%%rax)\n\tmovq %%r13, 24(%%rax)\n\t"
			"movq %%r14, 32(%%rax)\n\tmovq %%r15, 40(%%rax)\n\tmovq %%r8, 48(%%rax)\n\tmovq %%r9, 56(%%rax)\n\t"
			"popq %%r15\n\tpopq %%r14\n\tpopq %%r13\n\tpopq %%r12\n\tpopq %%rbp\n\tpopq %%rbx\n\t"
			:
			: [in] "S"(in), [out] "d"(out), [xin] "D"(xin), [xout] "b"(xout)
			: "rax", "rcx", "r8", "r9", "r10", "r11", "memory", "cc",
			  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			  "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
		report("general registers preserved", !memcmp(in, out, sizeof in));
		report("xmm registers preserved", !memcmp(xin, xout, sizeof xin));
	}

	/* a signal handler runs on the way back (slow path), then the program resumes */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	long k = hsys(SYS_kill, getpid(), SIGUSR1, 0);
	report("signal handler runs after a hooked kill", k == 0 && got_usr1 == 1);

	/* SA_RESTART: a hooked read interrupted by SIGALRM is restarted (rip - 2 is the
	 * `syscall` after the call) and then gets the byte a child writes later */
	int p[2];
	if (pipe(p) == 0) {
		pid_t c = fork();
		if (c == 0) {
			close(p[0]);
			sleep(2);
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			_exit(0);
		}
		close(p[1]);
		sa.sa_handler = on_alrm;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		char b = 0;
		long n = hsys(SYS_read, p[0], (long)&b, 1);
		report("SA_RESTART restarts a hooked read", n == 1 && b == 'x' && got_alrm == 1);
		int st;
		waitpid(c, &st, 0);
	}

	/* fork through the hook: the child resumes after the syscall with rax = 0 */
	long f = hsys(SYS_fork, 0, 0, 0);
	if (f == 0) {
		hsys(SYS_exit_group, 0, 0, 0);
		for (;;)
			;
	}
	int st = 0;
	long w = hsys(SYS_wait4, f, (long)&st, 0);
	report("hooked fork and wait4", f > 0 && w == f && WIFEXITED(st) && WEXITSTATUS(st) == 0);

	printf("%d failures\n", failures);
	return failures != 0;
}
