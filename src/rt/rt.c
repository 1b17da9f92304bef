/* rt.c - src/core/sim.h in real time (see rt.h).
 *
 * Events live in a binary min-heap ordered by (due time, sequence number): events
 * due at the same time run in the order they were scheduled, as in ns-3. Each
 * event knows its heap slot, so cancelling removes it at once; ids map to events
 * through a small chained hash table. */
#include "rt.h"
#include "../core/sim.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>

struct rt_event {
	uint64_t at, seq, id;
	dce_sim_fn fn;
	void *arg;
	size_t slot;              /* index in the heap */
	struct rt_event *hnext;   /* id hash chain */
};

#define RT_HASH 4096
#define RT_BATCH 256              /* events run before descriptors are looked at again */

static struct {
	uint64_t t0, epoch;
	struct rt_event **heap;
	size_t n, cap;
	struct rt_event *hash[RT_HASH];
	uint64_t next_id, next_seq;
	int ep, stop;
} rt;

struct rt_watch {
	void (*fn)(void *);
	void *arg;
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int dce_rt_init(void)
{
	/* time 0 falls on a whole second of the host's CLOCK_REALTIME: the kernel
	 * library takes its boot wall clock in seconds, and its timestamps
	 * (SO_TIMESTAMP) must agree with the host's gettimeofday */
	uint64_t mono = clock_ns(CLOCK_MONOTONIC), real = clock_ns(CLOCK_REALTIME);
	rt.epoch = real - real % 1000000000ull;
	rt.t0 = mono - real % 1000000000ull;
	rt.next_id = 1;
	/* the kernel's timers are due to the microsecond: no 50 us of timer slack */
	prctl(PR_SET_TIMERSLACK, 1ul, 0, 0, 0);
	rt.ep = epoll_create1(EPOLL_CLOEXEC);
	return rt.ep < 0 ? -errno : 0;
}

uint64_t dce_rt_epoch_ns(void)
{
	return rt.epoch;
}

uint64_t dce_sim_now(void)
{
	return clock_ns(CLOCK_MONOTONIC) - rt.t0;
}

/* ---- the heap ---- */

static int before(const struct rt_event *a, const struct rt_event *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void put(size_t i, struct rt_event *e)
{
	rt.heap[i] = e;
	e->slot = i;
}

static void sift_up(size_t i)
{
	struct rt_event *e = rt.heap[i];
	while (i) {
		size_t p = (i - 1) / 2;
		if (!before(e, rt.heap[p]))
			break;
		put(i, rt.heap[p]);
		i = p;
	}
	put(i, e);
}

static void sift_down(size_t i)
{
	struct rt_event *e = rt.heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= rt.n)
			break;
		if (c + 1 < rt.n && before(rt.heap[c + 1], rt.heap[c]))
			c++;
		if (!before(rt.heap[c], e))
			break;
		put(i, rt.heap[c]);
		i = c;
	}
	put(i, e);
}

static void heap_remove(struct rt_event *e)
{
	size_t i = e->slot;
	struct rt_event *last = rt.heap[--rt.n];
	if (i == rt.n)
		return;
	put(i, last);
	sift_down(i);
	sift_up(last->slot);
}

static void hash_remove(struct rt_event *e)
{
	struct rt_event **pp = &rt.hash[e->id % RT_HASH];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
}

uint64_t dce_sim_schedule(uint64_t delay_ns, uint32_t node, dce_sim_fn fn, void *arg)
{
	(void)node;
	if (rt.n == rt.cap) {
		size_t cap = rt.cap ? 2 * rt.cap : 256;
		struct rt_event **h = realloc(rt.heap, cap * sizeof *h);
		if (!h)
			abort();
		rt.heap = h;
		rt.cap = cap;
	}
	struct rt_event *e = malloc(sizeof *e);
	if (!e)
		abort();
	uint64_t now = dce_sim_now();
	e->at = delay_ns > UINT64_MAX / 4 ? UINT64_MAX / 2 : now + delay_ns;
	e->seq = rt.next_seq++;
	e->id = rt.next_id++;
	e->fn = fn;
	e->arg = arg;
	e->hnext = rt.hash[e->id % RT_HASH];
	rt.hash[e->id % RT_HASH] = e;
	rt.heap[rt.n] = e;
	e->slot = rt.n++;
	sift_up(e->slot);
	return e->id;
}

void dce_sim_cancel(uint64_t id)
{
	if (!id)
		return;
	for (struct rt_event *e = rt.hash[id % RT_HASH]; e; e = e->hnext)
		if (e->id == id) {
			hash_remove(e);
			heap_remove(e);
			free(e);
			return;
		}
}

void dce_sim_stop(void)
{
	rt.stop = 1;
}

/* ---- the loop ---- */

int dce_rt_watch(int fd, void (*fn)(void *), void *arg)
{
	struct rt_watch *w = malloc(sizeof *w);
	if (!w)
		return -ENOMEM;
	w->fn = fn;
	w->arg = arg;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = w };
	if (epoll_ctl(rt.ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;
		free(w);
		return -e;
	}
	return 0;
}

int dce_rt_run(void)
{
	struct epoll_event evs[16];
	while (!rt.stop) {
		uint64_t now = dce_sim_now();
		int ran = 0;
		while (rt.n && rt.heap[0]->at <= now && ran < RT_BATCH && !rt.stop) {
			struct rt_event *e = rt.heap[0];
			heap_remove(e);
			hash_remove(e);
			dce_sim_fn fn = e->fn;
			void *arg = e->arg;
			free(e);
			fn(arg);
			ran++;
		}
		if (rt.stop)
			break;
		/* sleep until the next event is due, or a descriptor is ready */
		struct timespec ts, *tp = NULL;
		if (rt.n) {
			now = dce_sim_now();
			uint64_t wait = rt.heap[0]->at > now ? rt.heap[0]->at - now : 0;
			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			tp = &ts;
		}
		int n = epoll_pwait2(rt.ep, evs, 16, tp, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n && !rt.stop; i++) {
			struct rt_watch *w = evs[i].data.ptr;
			w->fn(w->arg);
		}
	}
	return 0;
}
