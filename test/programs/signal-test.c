/* signal-test: sigaction, masks, kill/tgkill, sigaltstack, sigtimedwait, SA_RESTART,
 * a handler interrupting a blocking pipe read, alarm, setitimer, POSIX timers
 * (SIGEV_SIGNAL and SIGEV_THREAD), SIGPIPE. Deterministic output. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct timespec t0;
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static volatile sig_atomic_t got, got_sig, on_alt, got_code, got_val, got_pid;
static char altstack[65536];

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got++;
	got_sig = sig;
	got_code = si->si_code;
	got_val = si->si_value.sival_int;
	got_pid = si->si_pid;
	char probe;
	on_alt = &probe >= altstack && &probe < altstack + sizeof altstack;
}

static void set(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int pfd[2];
static void *writer_later(void *arg)
{
	(void)arg;
	usleep(300000);
	if (write(pfd[1], "x", 1) != 1)
		printf("write failed\n");
	return NULL;
}

static volatile int thread_timer_fired;
static void thread_notify(union sigval v)
{
	thread_timer_fired = v.sival_int;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("pid>1: %d ppid: %d\n", getpid() > 1, getppid());

	/* 1. kill to self: delivered on return */
	set(SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	printf("kill self: got=%d sig=%d code=%s pid_ok=%d\n", got, got_sig, got_code == SI_USER ? "SI_USER" : "?", got_pid == getpid());

	/* 2. blocked, pending, then unblocked */
	sigset_t s, old, pend;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	raise(SIGUSR1);
	sigpending(&pend);
	printf("blocked: got=%d pending=%d\n", got, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: got=%d\n", got);

	/* 3. tgkill and sigaltstack */
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	sigaltstack(&ss, NULL);
	set(SIGUSR2, SA_ONSTACK);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	printf("tgkill+altstack: sig=%d on_alt=%d\n", got_sig, on_alt);

	/* 4. sigtimedwait: times out, then takes a queued signal */
	sigprocmask(SIG_BLOCK, &s, NULL);
	struct timespec to = { 0, 300000000 };
	double b = now();
	int r = sigtimedwait(&s, NULL, &to);
	printf("sigtimedwait: r=%d errno=%s after %.3f\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?", now() - b);
	kill(getpid(), SIGUSR1);
	siginfo_t si;
	r = sigtimedwait(&s, &si, &to);
	printf("sigtimedwait: r=%d signo=%d\n", r, si.si_signo);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	/* 5. handler interrupts a blocking pipe read (no SA_RESTART): EINTR */
	pipe(pfd);
	set(SIGALRM, 0);
	struct itimerval it = { { 0, 0 }, { 0, 200000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	char c;
	b = now();
	ssize_t n = read(pfd[0], &c, 1);
	printf("read interrupted: n=%zd errno=%s after %.3f sig=%d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", now() - b, got_sig);

	/* 6. SA_RESTART: the read is restarted and gets the byte written at +0.3 s */
	set(SIGALRM, SA_RESTART);
	alarm(0);
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_t th;
	pthread_create(&th, NULL, writer_later, NULL);
	int before = got;
	b = now();
	n = read(pfd[0], &c, 1);
	printf("read restarted: n=%zd c=%c handler_ran=%d after %.3f\n", n, c, got - before, now() - b);
	pthread_join(th, NULL);

	/* 7. alarm() and pause() */
	set(SIGALRM, 0);
	alarm(1);
	b = now();
	pause();
	printf("alarm+pause: woke after %.3f sig=%d\n", now() - b, got_sig);

	/* 8. periodic setitimer: 3 ticks of 0.1 s */
	struct itimerval per = { { 0, 100000 }, { 0, 100000 } };
	before = got;
	b = now();
	setitimer(ITIMER_REAL, &per, NULL);
	while (got - before < 3)
		pause();
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("setitimer periodic: 3 ticks after %.3f\n", now() - b);

	/* 9. POSIX timer, SIGEV_SIGNAL with a value */
	set(SIGRTMIN, 0);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGRTMIN;
	ev.sigev_value.sival_int = 42;
	timer_t tid;
	r = timer_create(CLOCK_MONOTONIC, &ev, &tid);
	struct itimerspec its = { { 0, 0 }, { 0, 750000000 } };
	timer_settime(tid, 0, &its, NULL);
	struct itimerspec cur;
	timer_gettime(tid, &cur);
	b = now();
	pause();
	printf("timer_create: r=%d left=%.3f fired after %.3f code=%s value=%d\n", r,
	       cur.it_value.tv_sec + cur.it_value.tv_nsec / 1e9, now() - b,
	       got_code == SI_TIMER ? "SI_TIMER" : "?", got_val);
	timer_delete(tid);

	/* 10. POSIX timer, SIGEV_THREAD (glibc: a helper thread, SIGEV_THREAD_ID) */
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = thread_notify;
	ev.sigev_value.sival_int = 7;
	r = timer_create(CLOCK_REALTIME, &ev, &tid);
	struct itimerspec its2 = { { 0, 0 }, { 0, 400000000 } };
	timer_settime(tid, 0, &its2, NULL);
	b = now();
	while (!thread_timer_fired)
		usleep(10000);
	printf("SIGEV_THREAD: r=%d fired=%d after %.2f\n", r, thread_timer_fired, now() - b);
	timer_delete(tid);

	/* 11. write to a pipe with no reader: EPIPE when ignored, SIGPIPE kills a child */
	int q[2];
	pipe(q);
	close(q[0]);
	signal(SIGPIPE, SIG_IGN);
	n = write(q[1], "x", 1);
	printf("SIGPIPE ignored: n=%zd errno=%s\n", n, n < 0 && errno == EPIPE ? "EPIPE" : "?");
	signal(SIGPIPE, SIG_DFL);
	pid_t pid = fork();
	if (pid == 0) {
		if (write(q[1], "x", 1) < 0) {
		}
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("SIGPIPE child: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));

	/* 12. kill a child blocked in sleep: wait reports the signal */
	pid = fork();
	if (pid == 0) {
		sleep(10);
		_exit(3);
	}
	usleep(100000);
	kill(pid, SIGTERM);
	b = now();
	waitpid(pid, &st, 0);
	printf("kill child: signaled=%d sig=%d after %.3f\n", WIFSIGNALED(st), WTERMSIG(st), now() - b);
	printf("%.3f done\n", now());
	return 0;
}
