/* rewrite-test: a rewritten `syscall` site behaves as a trapped one (test/rewrite).
 * Each check runs its call several times: the first trap at a site rewrites it,
 * the next ones go through the rewritten code. Output is deterministic and the
 * same with DCE_REWRITE=0 (every call trapped) and natively, but for the pids. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* Our own sites, in .text: pattern A (mov $NR,%eax; syscall), with a second
 * entry label at the `syscall` itself (a jump into the middle of the pattern). */
long rw_getpid(void);
long rw_mid(long nr); /* enters at the syscall with eax = nr */
long rw_getppid_site(void);
__asm__(".text\n"
        ".globl rw_getpid\n.type rw_getpid,@function\n"
        "rw_getpid:\n"
        "  movl $39, %eax\n"
        "rw_getpid_sys:\n"
        "  syscall\n"
        "  ret\n"
        ".globl rw_mid\n.type rw_mid,@function\n"
        "rw_mid:\n"
        "  movq %rdi, %rax\n"
        "  jmp rw_getpid_sys\n"
        ".p2align 12\n" /* a page of its own: mprotect'ed and changed below */
        ".globl rw_getppid_site\n.type rw_getppid_site,@function\n"
        "rw_getppid_site:\n"
        "  movl $39, %eax\n" /* getpid; the program turns it into getppid (110) */
        "  syscall\n"
        "  ret\n"
        ".p2align 12\n");

/* rw_regs(v): loads rbx rbp rdx rsi r8 r9 r10 r12 r13 r14 r15 rdi from v[0..11]
 * and xmm0, xmm1, xmm7, xmm15 from v[12..19], makes getpid through pattern A,
 * and stores them back, with rax, rcx and r11 in v[20..22]. */
void rw_regs(uint64_t *v);
extern char rw_regs_after[];
__asm__(".text\n"
        ".globl rw_regs\n.type rw_regs,@function\n"
        "rw_regs:\n"
        "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
        "  push %rdi\n"
        "  mov 0(%rdi),%rbx\n mov 8(%rdi),%rbp\n mov 16(%rdi),%rdx\n mov 24(%rdi),%rsi\n"
        "  mov 32(%rdi),%r8\n mov 40(%rdi),%r9\n mov 48(%rdi),%r10\n mov 56(%rdi),%r12\n"
        "  mov 64(%rdi),%r13\n mov 72(%rdi),%r14\n mov 80(%rdi),%r15\n"
        "  movdqu 96(%rdi),%xmm0\n movdqu 112(%rdi),%xmm1\n movdqu 128(%rdi),%xmm7\n movdqu 144(%rdi),%xmm15\n"
        "  mov 88(%rdi),%rdi\n"
        "  movl $39, %eax\n"
        "  syscall\n"
        ".globl rw_regs_after\n"
        "rw_regs_after:\n"
        "  xchg %rdi,(%rsp)\n"
        "  mov %rax,160(%rdi)\n mov %rcx,168(%rdi)\n mov %r11,176(%rdi)\n"
        "  mov %rbx,0(%rdi)\n mov %rbp,8(%rdi)\n mov %rdx,16(%rdi)\n mov %rsi,24(%rdi)\n"
        "  mov %r8,32(%rdi)\n mov %r9,40(%rdi)\n mov %r10,48(%rdi)\n mov %r12,56(%rdi)\n"
        "  mov %r13,64(%rdi)\n mov %r14,72(%rdi)\n mov %r15,80(%rdi)\n"
        "  pop %rax\n mov %rax,88(%rdi)\n"
        "  movdqu %xmm0,96(%rdi)\n movdqu %xmm1,112(%rdi)\n movdqu %xmm7,128(%rdi)\n movdqu %xmm15,144(%rdi)\n"
        "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
        "  ret\n");

static volatile int got;
static int wfd = -1;
static void on_alarm(int s)
{
	(void)s;
	got++;
	if (wfd >= 0 && write(wfd, "x", 1) != 1)
		_exit(3);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t pid = getpid(), ppid = getppid();
	/* 1. a plain call: the same result every time (glibc's getpid, our own site) */
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= syscall(SYS_getpid) == pid && rw_getpid() == pid;
	printf("getpid same %d\n", same);

	/* 1b. registers: all but rax, rcx and r11 kept, rcx = the next instruction */
	int regs_ok = 1, rcx_ok = 1;
	for (int i = 0; i < 5; i++) {
		uint64_t v[23], want[20];
		for (int k = 0; k < 20; k++)
			want[k] = v[k] = 0x1111111111111111ULL * (uint64_t)(k + 1) + (uint64_t)i;
		rw_regs(v);
		regs_ok &= !memcmp(v, want, sizeof want) && v[20] == (uint64_t)pid;
		rcx_ok &= v[21] == (uint64_t)(uintptr_t)rw_regs_after;
	}
	printf("registers kept %d rcx %d\n", regs_ok, rcx_ok);

	/* 2. errno: a failing call through glibc (read, close) and syscall() */
	for (int i = 0; i < 3; i++) {
		char c;
		errno = 0;
		long r = read(-1, &c, 1);
		int e1 = errno;
		errno = 0;
		long r2 = syscall(SYS_close, 12345);
		int e2 = errno;
		errno = 0;
		long r3 = write(1, NULL, 0) ; /* 0, no error */
		printf("errno %ld %s %ld %s %ld %d\n", r, strerrorname_np(e1), r2, strerrorname_np(e2), r3, errno);
	}

	/* 3. a signal arriving during a blocking call: SA_RESTART restarts the read
	 * (its handler writes what the read then gets), without it read says EINTR */
	int p[2];
	if (pipe(p))
		return 1;
	wfd = p[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		char c = 0;
		errno = 0;
		long r = read(p[0], &c, 1);
		printf("restart %ld %c %s handlers %d\n", r, c ? c : '-', strerrorname_np(errno) ?: "0", got);
	}
	wfd = -1;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		char c;
		errno = 0;
		long r = read(p[0], &c, 1);
		printf("interrupt %ld %s handlers %d\n", r, strerrorname_np(errno), got);
	}

	/* 4. a jump into the middle of a rewritten pattern, to its `syscall`, with
	 * another number in eax: that number is served (getuid, getppid) */
	for (int i = 0; i < 3; i++)
		printf("mid getuid %d getppid %d\n", rw_mid(SYS_getuid) == (long)getuid(),
		       rw_mid(SYS_getppid) == (long)ppid);

	/* 5. a program changing its own code: it reads its own bytes, makes the page
	 * writable, turns getpid (39) into getppid (110), and calls it */
	int ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= rw_getppid_site() == pid;
	unsigned char *code = (unsigned char *)rw_getppid_site;
	if (mprotect((void *)((uintptr_t)code & ~4095UL), 4096, PROT_READ | PROT_WRITE | PROT_EXEC))
		return 2;
	printf("own code %02x %02x %02x %02x %02x %02x %02x\n", code[0], code[1], code[2], code[3], code[4],
	       code[5], code[6]);
	code[1] = 110;
	__builtin___clear_cache((char *)code, (char *)code + 8);
	for (int i = 0; i < 3; i++)
		ok &= rw_getppid_site() == ppid;
	printf("self-modified ok %d\n", ok);
	return 0;
}
