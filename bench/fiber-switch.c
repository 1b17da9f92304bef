/* fiber-switch: cost of one context switch with dce's fibers, glibc's
 * swapcontext and a hand-off between two host threads, measured in one run. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>
#include "../src/core/fiber.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long iters;
static struct dce_fiber main_f, other_f;
static void fiber_body(void *arg)
{
	(void)arg;
	for (;;)
		dce_fiber_switch(&other_f, &main_f);
}

static ucontext_t main_uc, other_uc;
static void uc_body(void)
{
	for (;;)
		swapcontext(&other_uc, &main_uc);
}

static sem_t to_other, to_main;
static void *thread_body(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		sem_wait(&to_other);
		sem_post(&to_main);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	iters = argc > 1 ? atol(argv[1]) : 2000000;
	dce_fiber_init(&other_f, 64 * 1024, fiber_body, NULL);
	double t0 = now();
	for (long i = 0; i < iters; i++)
		dce_fiber_switch(&main_f, &other_f);
	double fiber = (now() - t0) / (2.0 * iters) * 1e9;

	static char stack[64 * 1024];
	getcontext(&other_uc);
	other_uc.uc_stack.ss_sp = stack;
	other_uc.uc_stack.ss_size = sizeof stack;
	makecontext(&other_uc, uc_body, 0);
	long uc_iters = iters / 4;
	t0 = now();
	for (long i = 0; i < uc_iters; i++)
		swapcontext(&main_uc, &other_uc);
	double uc = (now() - t0) / (2.0 * uc_iters) * 1e9;

	long th_iters = iters / 20;
	long saved = iters;
	iters = th_iters;
	sem_init(&to_other, 0, 0);
	sem_init(&to_main, 0, 0);
	pthread_t th;
	pthread_create(&th, NULL, thread_body, NULL);
	t0 = now();
	for (long i = 0; i < th_iters; i++) {
		sem_post(&to_other);
		sem_wait(&to_main);
	}
	double thr = (now() - t0) / (2.0 * th_iters) * 1e9;
	pthread_join(th, NULL);
	iters = saved;
	printf("fiber_switch_ns %.1f\nswapcontext_ns %.1f\nthread_handoff_ns %.1f\n", fiber, uc, thr);
	printf("ratio_swapcontext_over_fiber %.1f\nratio_thread_over_fiber %.1f\n", uc / fiber, thr / fiber);
	return 0;
}
