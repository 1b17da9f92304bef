/* host.c - the standalone host: event loop, kernel callbacks, processes. */
#define _GNU_SOURCE
#include "host.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PROC_STACK (256 * 1024)

/* ---- event loop: a list sorted by (time, sequence), deterministic ---- */

struct event {
	uint64_t id, at;
	khost_event_fn fn;
	void *arg;
	struct event *next;
};

static struct event *events;
static uint64_t sim_now, next_event_id;
static struct dce_fiber loop_fiber;
static struct khost_proc *runq_head, *runq_tail;
static int procs_alive;

uint64_t khost_now(void)
{
	return sim_now;
}

uint64_t khost_schedule_at(uint64_t at, khost_event_fn fn, void *arg)
{
	struct event *e = calloc(1, sizeof *e), **pp = &events;
	if (!e)
		abort();
	e->id = ++next_event_id;
	e->at = at < sim_now ? sim_now : at;
	e->fn = fn;
	e->arg = arg;
	while (*pp && (*pp)->at <= e->at)
		pp = &(*pp)->next;
	e->next = *pp;
	*pp = e;
	return e->id;
}

void khost_cancel(uint64_t id)
{
	for (struct event **pp = &events; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			struct event *e = *pp;
			*pp = e->next;
			free(e);
			return;
		}
	}
}

static void make_runnable(struct khost_proc *p)
{
	p->next_runnable = NULL;
	if (runq_tail)
		runq_tail->next_runnable = p;
	else
		runq_head = p;
	runq_tail = p;
}

int khost_run(uint64_t limit_ns, const int *flag)
{
	for (;;) {
		if (procs_alive == 0 && (!flag || *flag))
			break;
		if (runq_head) {
			struct khost_proc *p = runq_head;
			runq_head = p->next_runnable;
			if (!runq_head)
				runq_tail = NULL;
			dce_fiber_switch(&loop_fiber, &p->fiber);
			continue;
		}
		if (!events || events->at > limit_ns)
			break;
		struct event *e = events;
		events = e->next;
		sim_now = e->at;
		e->fn(e->arg);
		free(e);
	}
	return procs_alive;
}

/* ---- kernel callbacks ---- */

static uint64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void *cb_mem_alloc(void *ctx, unsigned long size, unsigned long align)
{
	struct khost_node *n = ctx;
	/* Untouched RAM costs nothing: the kernel only dirties what it uses. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED || ((uintptr_t)p & (align - 1)))
		return NULL;
	n->ram = p;
	n->ram_bytes = size;
	return p;
}

static void cb_mem_free(void *ctx, void *p, unsigned long size)
{
	munmap(p, size);
}

static void cb_log(void *ctx, const char *text, unsigned long len)
{
	struct khost_node *n = ctx;
	if (n->log) {
		fwrite(text, 1, len, n->log);
		fflush(n->log);
	}
	if (getenv("KHOST_VERBOSE"))
		fprintf(stderr, "[node %d] %.*s", n->id, (int)len, text);
}

static unsigned long long cb_now_ns(void *ctx)
{
	return sim_now;
}

static void timer_fire(void *arg)
{
	struct khost_node *n = arg;
	n->timer_event = 0;
	n->timer_interrupts++;
	n->interrupt(DCE_KIRQ_TIMER);
}

static void cb_timer_cancel(void *ctx)
{
	struct khost_node *n = ctx;
	if (n->timer_event)
		khost_cancel(n->timer_event);
	n->timer_event = 0;
}

static void cb_timer_set(void *ctx, unsigned long long at)
{
	struct khost_node *n = ctx;
	static long traced;
	if (getenv("KHOST_TRACE_TIMER") && traced++ < 200)
		fprintf(stderr, "node %d: timer at %llu (now %llu, +%llu)\n", n->id, at,
		        (unsigned long long)sim_now, at - sim_now);
	cb_timer_cancel(ctx);
	n->timer_event = khost_schedule_at(at, timer_fire, n);
}

/* The kernel fibers of the process, for debuggers (gdb: p khost_fibers). */
struct dce_fiber *khost_fibers[256];

static void *cb_fiber_new(void *ctx, unsigned long stack, void (*entry)(void *), void *arg)
{
	struct dce_fiber *f = malloc(sizeof *f);
	if (f && dce_fiber_init(f, stack, entry, arg) != 0) {
		free(f);
		f = NULL;
	}
	for (int i = 0; f && i < 256; i++)
		if (!khost_fibers[i]) {
			khost_fibers[i] = f;
			break;
		}
	return f;
}

static void cb_fiber_switch(void *ctx, void *from, void *to)
{
	dce_fiber_switch(from, to);
}

static void cb_fiber_free(void *ctx, void *fiber)
{
	for (int i = 0; i < 256; i++)
		if (khost_fibers[i] == fiber)
			khost_fibers[i] = NULL;
	dce_fiber_destroy(fiber);
	free(fiber);
}

static void cb_request_done(void *ctx, struct dce_kernel_request *r)
{
	struct khost_proc *p = r->cookie;
	p->done = 1;
	if (p->blocked) {
		p->blocked = 0;
		make_runnable(p);
	}
}

static void cb_booted(void *ctx)
{
	struct khost_node *n = ctx;
	n->booted = 1;
	n->boot_ns = wall_ns() - n->boot_started_ns;
}

static void cb_panic(void *ctx, const char *msg)
{
	struct khost_node *n = ctx;
	n->dead = 1;
	fprintf(stderr, "node %d: kernel panic: %s\n", n->id, msg);
}

int khost_node_start(struct khost_node *n, int id, const char *lib, uint64_t seed,
                     const char *log_dir)
{
	char err[256];
	memset(n, 0, sizeof *n);
	n->id = id;
	int ret = dce_kernel_image_load(lib, &n->image, err, sizeof err);
	if (ret) {
		fprintf(stderr, "node %d: %s\n", id, err);
		return ret;
	}
	n->boot = (dce_kernel_boot_fn)dce_kernel_image_symbol(&n->image, DCE_KERNEL_BOOT_SYMBOL);
	n->submit = (dce_kernel_submit_fn)dce_kernel_image_symbol(&n->image, DCE_KERNEL_SUBMIT_SYMBOL);
	n->interrupt = (dce_kernel_interrupt_fn)dce_kernel_image_symbol(&n->image,
	                                                                DCE_KERNEL_INTERRUPT_SYMBOL);
	if (!n->boot || !n->submit || !n->interrupt) {
		fprintf(stderr, "node %d: %s lacks the dce_kernel_* entry points\n", id, lib);
		return -ENOEXEC;
	}
	snprintf(n->log_path, sizeof n->log_path, "%s/node-%d.log", log_dir, id);
	n->log = fopen(n->log_path, "w");
	n->ops = (struct dce_kernel_host){
		.abi = DCE_KERNEL_ABI, .ctx = n,
		.mem_alloc = cb_mem_alloc, .mem_free = cb_mem_free, .log = cb_log,
		.now_ns = cb_now_ns, .timer_set = cb_timer_set, .timer_cancel = cb_timer_cancel,
		.fiber_new = cb_fiber_new, .fiber_switch = cb_fiber_switch,
		.fiber_free = cb_fiber_free, .request_done = cb_request_done,
		.booted = cb_booted, .panic = cb_panic,
	};
	struct dce_kernel_boot_params params = {
		.host_fiber = &n->host_slot,
		.ram_bytes = 32ul << 20,
		.seed = seed,
		.cmdline = "console=dce",
	};
	n->boot_started_ns = wall_ns();
	return n->boot(&n->ops, &params);
}

/* ---- processes ---- */

static long request(struct khost_proc *p, struct dce_kernel_request *r)
{
	r->cookie = p;
	p->done = 0;
	p->node->submit(r);
	while (!p->done) {
		p->blocked = 1;
		dce_fiber_switch(&p->fiber, &loop_fiber);
	}
	return r->result;
}

long khost_syscall(struct khost_proc *p, long nr, long a0, long a1, long a2, long a3,
                   long a4, long a5)
{
	struct dce_kernel_request r = {
		.op = DCE_KREQ_SYSCALL, .task = p->task, .nr = nr,
		.args = { a0, a1, a2, a3, a4, a5 },
	};
	return request(p, &r);
}

/* Realigns its stack: a fiber's first frame is not guaranteed to follow the ABI's
 * 16-byte rule, and compiled code uses aligned SSE stores on the stack. */
__attribute__((force_align_arg_pointer)) static void proc_entry(void *arg)
{
	struct khost_proc *p = arg;
	struct dce_kernel_request r = { .op = DCE_KREQ_TASK_NEW };
	long task = request(p, &r);
	if (task > 0) {
		p->task = task;
		p->main(p, p->arg);
		struct dce_kernel_request x = { .op = DCE_KREQ_TASK_EXIT, .task = task };
		request(p, &x);
	} else {
		fprintf(stderr, "%s: no kernel task: %ld\n", p->name, task);
	}
	p->finished = 1;
	procs_alive--;
	for (;;)
		dce_fiber_switch(&p->fiber, &loop_fiber);
}

struct khost_proc *khost_spawn(struct khost_node *n, const char *name,
                               void (*main)(struct khost_proc *p, void *arg), void *arg)
{
	struct khost_proc *p = calloc(1, sizeof *p);
	if (!p || dce_fiber_init(&p->fiber, PROC_STACK, proc_entry, p) != 0)
		abort();
	p->node = n;
	p->main = main;
	p->arg = arg;
	p->name = name;
	procs_alive++;
	make_runnable(p);
	return p;
}
