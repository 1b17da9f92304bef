/* fastcall-test: the calls dce serves without leaving program context
 * (src/libc-ns3/fastcall.c) give what the full entry gives.
 *   ids     each call of the fast set, made 3 times from one `syscall` site (the
 *           first traps and rewrites it, the next ones take the fast path), in
 *           the process, a thread and a child with other ids and process group
 *   signal  a child sends its parent two signals, which makes getpid in a loop:
 *           each handler runs after the same call as with the full entry (the
 *           calls' simulated cost decides when the parent sleeps, lets the
 *           child run and gets the signals)
 *   loop N  N getpid calls, each must equal the first (run under a storm of host
 *           signals by test/rewrite)
 *   time    best cycles per call over batches of 500 getpid calls: from our own
 *           site, and through libc's syscall() (glibc-dce: its hook) */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

/* `mov $NR,%eax; syscall`: the pattern dce rewrites (A) */
#define SC0(nr) ({ long r_; __asm__ volatile("movl %1, %%eax\n\tsyscall" : "=a"(r_) : "i"(nr) : "rcx", "r11", "memory"); r_; })

static void ids(const char *who)
{
	long v[8][3];
	for (int i = 0; i < 3; i++) {
		v[0][i] = SC0(SYS_getpid);
		v[1][i] = SC0(SYS_getppid);
		v[2][i] = SC0(SYS_gettid);
		v[3][i] = SC0(SYS_getuid);
		v[4][i] = SC0(SYS_geteuid);
		v[5][i] = SC0(SYS_getgid);
		v[6][i] = SC0(SYS_getegid);
		v[7][i] = SC0(SYS_getpgrp);
	}
	int same = 1;
	for (int k = 0; k < 8; k++)
		same &= v[k][0] == v[k][1] && v[k][1] == v[k][2];
	printf("%s pid %ld ppid %ld tid-pid %ld uid %ld euid %ld gid %ld egid %ld pgrp-pid %ld same %d libc %d\n", who,
	       v[0][2], v[1][2], v[2][2] - v[0][2], v[3][2], v[4][2], v[5][2], v[6][2], v[7][2] - v[0][2], same,
	       v[0][2] == getpid() && v[3][2] == (long)getuid() && v[6][2] == (long)getegid() &&
	               v[2][2] == gettid());
	fflush(stdout);
}

static void *thread_ids(void *a)
{
	ids((const char *)a);
	return NULL;
}

static volatile sig_atomic_t got;
static volatile long calls, at[2];
static void on_usr(int s)
{
	if (got < 2)
		at[got] = calls * 100 + s;
	got++;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "ids";
	if (!strcmp(mode, "ids")) {
		ids("main");
		pthread_t th;
		pthread_create(&th, NULL, thread_ids, "thread");
		pthread_join(th, NULL);
		pid_t c = fork();
		if (c == 0) {
			setpgid(0, 0);
			if (setresgid(5, 6, 7) || setresuid(1, 2, 3))
				printf("setres failed\n");
			ids("child");
			_exit(0);
		}
		waitpid(c, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "signal")) {
		signal(SIGUSR1, on_usr);
		signal(SIGUSR2, on_usr);
		pid_t parent = getpid();
		pid_t c = fork();
		if (c == 0) {
			kill(parent, SIGUSR2);
			kill(parent, SIGUSR1);
			_exit(0);
		}
		while (got < 2 && calls < 100000000)
			calls += SC0(SYS_getpid) == parent;
		printf("signals %d: SIG%s after %ld calls, SIG%s after %ld\n", (int)got, sigabbrev_np((int)(at[0] % 100)),
		       at[0] / 100, sigabbrev_np((int)(at[1] % 100)), at[1] / 100);
		waitpid(c, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "loop")) {
		long n = argc > 2 ? atol(argv[2]) : 1000000, first = SC0(SYS_getpid), bad = 0;
		for (long i = 0; i < n; i++)
			bad += SC0(SYS_getpid) != first || SC0(SYS_gettid) != first;
		printf("loop %ld bad %ld\n", n, bad);
		return 0;
	}
	if (!strcmp(mode, "time")) {
		unsigned long long best = ~0ULL, lbest = ~0ULL;
		for (int b = 0; b < 200; b++) {
			unsigned long long t0 = __rdtsc();
			for (int i = 0; i < 500; i++)
				SC0(SYS_getpid);
			unsigned long long t1 = __rdtsc();
			for (int i = 0; i < 500; i++)
				syscall(SYS_getpid);
			unsigned long long t2 = __rdtsc();
			best = t1 - t0 < best ? t1 - t0 : best;
			lbest = t2 - t1 < lbest ? t2 - t1 : lbest;
		}
		printf("cycles site %llu libc %llu\n", best / 500, lbest / 500);
		return 0;
	}
	return 2;
}
