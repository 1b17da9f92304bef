/* fork-threads: a forked child (no exec) and its multi-threaded parent run at the
 * same addresses; each waits on its own copy of one condition variable. The
 * parent's signal must wake the parent's thread, not the child. */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int flag;
static struct timespec t0;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!flag)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	printf("%.3f parent thread woken\n", now());
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0) { /* waits on its copy of cv, nobody signals it: times out at 1 s */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_mutex_lock(&mu);
		int r = 0;
		while (!flag && r == 0)
			r = pthread_cond_timedwait(&cv, &mu, &ts);
		pthread_mutex_unlock(&mu);
		printf("%.3f child timed out=%d flag=%d\n", now(), r != 0, flag);
		_exit(0);
	}
	usleep(100000);
	pthread_t th;
	pthread_create(&th, NULL, waiter, NULL);
	usleep(100000);
	pthread_mutex_lock(&mu);
	flag = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(th, NULL);
	waitpid(pid, NULL, 0);
	printf("%.3f parent done\n", now());
	return 0;
}
