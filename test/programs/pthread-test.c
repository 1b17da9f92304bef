/* pthread-test: mutex, condvar, barrier, timed waits, TLS, detached threads, join.
 * Prints simulated times relative to the start: the output is deterministic. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct timespec t0;
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

#define NT 4
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static long counter;
static int ready;
static __thread int tls_value = 7;
static pthread_key_t key;
static int destructed;

static void key_dtor(void *v)
{
	pthread_mutex_lock(&mu);
	destructed += (int)(long)v;
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	tls_value = 100 + id;
	pthread_setspecific(key, (void *)(long)(id + 1));
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		if (i % 1000 == 0)
			sched_yield();
	}
	struct timespec d = { 0, (id + 1) * 100000000L }; /* worker i sleeps (i+1)*0.1 s */
	nanosleep(&d, NULL);
	int serial = pthread_barrier_wait(&bar);
	(void)serial;
	if (tls_value != 100 + id)
		printf("TLS BROKEN in %d\n", id);
	return (void *)(long)(id * 10);
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!ready)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	printf("%.3f cond signalled\n", now());
	return NULL;
}

static sem_t sem;
static volatile int detached_done;
static void *detached(void *arg)
{
	(void)arg;
	usleep(250000);
	detached_done = 1;
	sem_post(&sem);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_key_create(&key, key_dtor);
	pthread_barrier_init(&bar, NULL, NT + 1);
	pthread_t th[NT];
	for (long i = 0; i < NT; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	pthread_barrier_wait(&bar);
	printf("%.3f barrier passed counter=%ld\n", now(), counter);
	long sum = 0;
	for (int i = 0; i < NT; i++) {
		void *r;
		pthread_join(th[i], &r);
		sum += (long)r;
	}
	printf("%.3f joined sum=%ld tls(main)=%d destructors=%d\n", now(), sum, tls_value, destructed);

	/* timed condvar wait: nobody signals, must time out at exactly +1.5 s */
	struct timespec ts;
	double before = now();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	ts.tv_nsec += 500000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mu);
	int r = pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
	printf("%.3f cond_timedwait %s after %.3f s\n", now(), r == ETIMEDOUT ? "ETIMEDOUT" : strerror(r), now() - before);

	/* condvar signalled by main after 0.5 s */
	pthread_t w;
	pthread_create(&w, NULL, waiter, NULL);
	usleep(500000);
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(w, NULL);

	/* sem_timedwait: times out after 0.2 s, then a detached thread posts at 0.25 s */
	sem_init(&sem, 0, 0);
	before = now();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 200000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	r = sem_timedwait(&sem, &ts);
	printf("%.3f sem_timedwait %s after %.3f s\n", now(), r ? strerror(errno) : "ok", now() - before);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_t d;
	pthread_create(&d, &a, detached, NULL);
	before = now();
	sem_wait(&sem);
	printf("%.3f detached thread posted after %.3f s done=%d\n", now(), now() - before, detached_done);

	/* mutex timedlock on a held lock */
	pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&m2);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	before = now();
	r = pthread_mutex_timedlock(&m2, &ts); /* same thread, normal mutex: waits to the deadline */
	printf("%.3f mutex_timedlock %s after %.3f s\n", now(), r == ETIMEDOUT ? "ETIMEDOUT" : strerror(r), now() - before);
	printf("%.3f done\n", now());
	return 0;
}
