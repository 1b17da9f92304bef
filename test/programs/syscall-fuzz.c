/* syscall-fuzz: calls system calls with adversarial arguments, from several
 * threads and a forked child, seeded and reproducible. Run inside dce (test/fuzz):
 * whatever it does, dce must answer every call and survive.
 *   syscall-fuzz SEED CALLS [THREADS [HEXADDR...]]
 * HEXADDRs are addresses of dce's own memory (from its symbol table) that the
 * arguments may name. Prints how many calls it made and how many failed with
 * EFAULT. Calls that would only end or wedge the fuzzer itself (exit, execve,
 * clone, kill, rt_sigreturn, pause, setting the FS base) are left out or tamed. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH (64 * 1024)
#define REPORT_FD 200

static uint64_t foreign[16];
static int nforeign;
static char *scratch;   /* read-write; its last page is PROT_NONE, the one before read-only */
static long per_thread;

struct rng {
	uint64_t s;
};
static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* raw syscall instruction: no libc wrapper interprets the arguments */
static long raw(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

static int own_memory_ok(long nr)
{
	/* calls that could unmap or remap the fuzzer's own memory get foreign pointers only */
	return nr != SYS_munmap && nr != SYS_mremap && nr != SYS_mprotect && nr != SYS_madvise &&
	       nr != SYS_mmap && nr != SYS_brk && nr != SYS_set_tid_address && nr != SYS_set_robust_list &&
	       nr != SYS_shmdt && nr != SYS_rt_sigaction;
}

static long arg(struct rng *r, long nr)
{
	uint64_t x = next(r);
	switch (x % 16) {
	case 0: return 0;
	case 1: return (long)(next(r) % 16);
	case 2: return -(long)(next(r) % 200) - 1;
	case 3: return (long)(next(r) % 4096);
	case 4: { static const uint64_t huge[] = { UINT64_MAX, 1ULL << 63, (1ULL << 63) - 1, 0x7fffffff,
		                                   0x80000000, 0xffffffff, 1ULL << 47, 1ULL << 40 };
		return (long)huge[next(r) % 8]; }
	case 5: return 0x10 + (long)(next(r) % 0x1000);             /* near NULL */
	case 6: return (long)0xffffffff81000000ULL + (long)(next(r) % 0x100000); /* kernel */
	case 7: return nforeign ? (long)(foreign[next(r) % (uint64_t)nforeign] + next(r) % 64) : (long)x;
	case 8: return (long)x;                                      /* anything */
	case 9: return (long)(next(r) & 0xffff) << (next(r) % 48);   /* flags-like */
	default:
		if (!own_memory_ok(nr))
			return (long)(x >> 16);
		switch (x % 5) {
		case 0: return (long)(scratch + next(r) % (SCRATCH - 8192));           /* valid */
		case 1: return (long)(scratch + 1 + next(r) % 64);                     /* misaligned */
		case 2: return (long)(scratch + SCRATCH - 4096 - 1 - next(r) % 64);    /* runs into PROT_NONE */
		case 3: return (long)(scratch + SCRATCH - 8192 + next(r) % 4096);      /* read-only page */
		default: return (long)(scratch + SCRATCH - 4096 + next(r) % 4096);     /* PROT_NONE */
		}
	}
}

static int excluded(long nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_rt_sigreturn: case SYS_clone: case SYS_clone3:
	case SYS_fork: case SYS_vfork: case SYS_execve: case SYS_execveat: case SYS_kill: case SYS_tkill:
	case SYS_tgkill: case SYS_pause: case SYS_rt_sigsuspend: case SYS_fallocate:
	case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo: case SYS_pidfd_send_signal:
		return 1;
	}
	return 0;
}

static long fuzz(uint64_t seed, long calls, long *efaults)
{
	struct rng r = { seed };
	long done = 0;
	for (long i = 0; i < calls; i++) {
		long nr = (long)(next(&r) % 460);
		if (next(&r) % 64 == 0)
			nr = 1000 + (long)(next(&r) % 100000); /* numbers Linux does not have (dce's own among them) */
		if (excluded(nr))
			continue;
		long a[6];
		for (int k = 0; k < 6; k++)
			a[k] = arg(&r, nr);
		if (nr == SYS_arch_prctl && (a[0] == 0x1001 || a[0] == 0x1002))
			a[0] = 0x1003; /* ARCH_GET_FS: setting FS would break our own TLS */
		if ((nr == SYS_close || nr == SYS_dup2 || nr == SYS_dup3) && (a[0] == REPORT_FD || a[1] == REPORT_FD))
			continue;
		if (nr == SYS_close_range)
			a[1] = a[0] < REPORT_FD ? (a[1] < REPORT_FD ? a[1] : REPORT_FD - 1) : a[1];
		if (nr == SYS_close_range && (unsigned long)a[0] <= REPORT_FD && (unsigned long)a[1] >= REPORT_FD)
			continue;
		if (nr == SYS_prctl && a[0] == PR_SET_SECCOMP)
			continue;
		long ret = raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (ret == -EFAULT)
			(*efaults)++;
		done++;
	}
	return done;
}

struct job {
	uint64_t seed;
	volatile long done, efaults, finished;
};
static void *thread_main(void *p)
{
	struct job *j = p;
	long ef = 0;
	/* in slices, so that the reporter sees progress even if a call blocks for good */
	for (long k = 0; k < per_thread; k += 100) {
		j->done += fuzz(j->seed + (uint64_t)k, 100, &ef);
		j->efaults = ef;
	}
	j->finished = 1;
	return NULL;
}

static void wake_up(int sig)
{
	(void)sig;
}

static void report(const char *who, struct job *jobs, int threads, int final)
{
	long done = 0, efaults = 0, finished = 0;
	for (int i = 0; i < threads; i++) {
		done += jobs[i].done;
		efaults += jobs[i].efaults;
		finished += jobs[i].finished;
	}
	char line[160];
	int n = snprintf(line, sizeof line, "%s: %ld calls, %ld EFAULT, %ld/%d threads finished%s\n", who, done,
	                 efaults, finished, threads, final ? "" : " (so far)");
	if (write(REPORT_FD, line, (size_t)n) < 0)
		_exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: syscall-fuzz SEED CALLS [THREADS [HEXADDR...]]\n");
		return 2;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	long calls = strtol(argv[2], NULL, 0);
	int threads = argc > 3 ? atoi(argv[3]) : 2;
	for (int i = 4; i < argc && nforeign < 16; i++)
		foreign[nforeign++] = strtoull(argv[i], NULL, 16);
	if (threads < 1 || threads > 16)
		threads = 2;
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGSEGV)
			signal(s, SIG_IGN); /* timers and pipes the fuzz arms must not end us */
	struct sigaction sa = { .sa_handler = wake_up }; /* no SA_RESTART: blocked calls return EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	dup2(1, REPORT_FD);
	scratch = mmap(NULL, SCRATCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < SCRATCH; i++)
		scratch[i] = (char)(i * 7);
	mprotect(scratch + SCRATCH - 8192, 4096, PROT_READ);
	mprotect(scratch + SCRATCH - 4096, 4096, PROT_NONE);
	/* a forked child fuzzes too: its pointers are its own fork group's memory
	 * (FUZZ_NOFORK=1: not; every switch between fork members copies memory) */
	const char *nofork = getenv("FUZZ_NOFORK");
	pid_t child = nofork && *nofork == '1' ? 1 : fork();
	if (child == 0)
		seed ^= 0x5555;
	const char *who = child ? "parent" : "child";
	if (nofork && *nofork == '1')
		calls *= 2; /* all of them in this process */
	per_thread = calls / 2 / threads;
	static struct job jobs[16];
	pthread_t tid[16];
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ seed * 131 + (uint64_t)i * 1000003, 0, 0, 0 };
		pthread_create(&tid[i], NULL, thread_main, &jobs[i]);
	}
	long last[16] = { 0 };
	for (;;) { /* the stop time ends us if some call blocks for good */
		int finished = 0;
		for (int i = 0; i < threads; i++)
			finished += jobs[i].finished;
		if (finished == threads)
			break;
		struct timespec ts = { 1, 0 };
		nanosleep(&ts, NULL);
		report(who, jobs, threads, 0);
		for (int i = 0; i < threads; i++) { /* a thread stuck in a call: interrupt it */
			if (!jobs[i].finished && jobs[i].done == last[i])
				pthread_kill(tid[i], SIGUSR1);
			last[i] = jobs[i].done;
		}
	}
	report(who, jobs, threads, 1);
	return 0;
}
