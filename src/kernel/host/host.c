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
	/* Untouched RAM costs nothing: the kernel only dirties what it uses. A fixed
	 * place per node keeps kernel addresses (logs, pointer hashes) the same from
	 * run to run despite address-space randomization. */
	void *hint = (void *)(0x100000000000ul + ((uintptr_t)n->id << 32));
	void *p = mmap(hint, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
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
static struct khost_node *fiber_owner[256];

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
			fiber_owner[i] = ctx;
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

struct frame {
	struct khost_link_end *to;
	unsigned long len;
	unsigned char data[];
};

static void frame_deliver(void *arg)
{
	struct frame *f = arg;
	f->to->node->net_receive(f->to->ifindex, f->data, f->len);
	free(f);
}

static void cb_net_transmit(void *ctx, void *cookie, const void *data, unsigned long len)
{
	struct khost_link_end *e = cookie;
	uint64_t start = e->busy_until > sim_now ? e->busy_until : sim_now;
	uint64_t queued = (start - sim_now) * e->rate_bps / 8000000000ull;
	if (!e->peer || queued + len > e->queue_bytes) {
		e->drops++;
		return;
	}
	struct frame *f = malloc(sizeof *f + len);
	if (!f)
		abort();
	f->to = e->peer;
	f->len = len;
	memcpy(f->data, data, len);
	e->busy_until = start + len * 8 * 1000000000ull / e->rate_bps;
	e->frames++;
	khost_schedule_at(e->busy_until + e->delay_ns, frame_deliver, f);
}

void khost_link_init(struct khost_link_end *a, struct khost_link_end *b, uint64_t rate_bps,
                     uint64_t delay_ns, uint64_t queue_bytes)
{
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	a->peer = b;
	b->peer = a;
	a->rate_bps = b->rate_bps = rate_bps;
	a->delay_ns = b->delay_ns = delay_ns;
	a->queue_bytes = b->queue_bytes = queue_bytes;
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
	n->net_receive = (dce_kernel_net_receive_fn)dce_kernel_image_symbol(
		&n->image, DCE_KERNEL_NET_RECEIVE_SYMBOL);
	if (!n->boot || !n->submit || !n->interrupt || !n->net_receive) {
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
		.fiber_free = cb_fiber_free, .net_transmit = cb_net_transmit,
		.request_done = cb_request_done,
		.booted = cb_booted, .panic = cb_panic,
	};
	struct dce_kernel_boot_params params = {
		.host_fiber = &n->host_slot,
		.ram_bytes = 32ul << 20,
		.seed = seed,
		.cmdline = getenv("KHOST_CMDLINE") ? getenv("KHOST_CMDLINE") : "console=dce",
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

long khost_netdev_new(struct khost_proc *p, const char *name, struct khost_link_end *e)
{
	struct dce_kernel_request r = {
		.op = DCE_KREQ_NETDEV_NEW, .args = { (long)name, 0, 0, (long)e },
	};
	long ifindex = request(p, &r);
	e->node = p->node;
	e->ifindex = ifindex > 0 ? ifindex : 0;
	return ifindex;
}

/* asm-generic values (the same as x86_64's). */
#define K_AT_FDCWD (-100)
#define K_O_RDONLY 0
#define K_O_WRONLY 1

static long sysctl_open(struct khost_proc *p, const char *name, int flags)
{
	char path[256];
	snprintf(path, sizeof path, "/proc/sys/%s", name);
	for (char *c = path + 10; *c; c++)
		if (*c == '.')
			*c = '/';
	return khost_syscall(p, DCE_KSYS_openat, K_AT_FDCWD, (long)path, flags, 0, 0, 0);
}

long khost_sysctl_write(struct khost_proc *p, const char *name, const char *value)
{
	long fd = sysctl_open(p, name, K_O_WRONLY);
	if (fd < 0)
		return fd;
	long w = khost_syscall(p, DCE_KSYS_write, fd, (long)value, strlen(value), 0, 0, 0);
	khost_syscall(p, DCE_KSYS_close, fd, 0, 0, 0, 0, 0);
	return w < 0 ? w : 0;
}

long khost_sysctl_read(struct khost_proc *p, const char *name, char *buf, size_t size)
{
	long fd = sysctl_open(p, name, K_O_RDONLY);
	if (fd < 0)
		return fd;
	long n = khost_syscall(p, DCE_KSYS_read, fd, (long)buf, size - 1, 0, 0, 0);
	khost_syscall(p, DCE_KSYS_close, fd, 0, 0, 0, 0, 0);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/* Resident writable memory of one kernel copy, from /proc/self/smaps: its image's
 * data and bss, its RAM block, its task stacks (KiB). */
void khost_node_memory(struct khost_node *n, long *image_kib, long *ram_kib, long *stacks_kib)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	long *into = NULL, kib;
	unsigned long lo, hi;
	char perms[8];
	*image_kib = *ram_kib = *stacks_kib = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && strchr(line, ' ') &&
		    line[strcspn(line, " ") - 1] != ':') {
			into = NULL;
			if (perms[1] != 'w')
				continue;
			uintptr_t base = (uintptr_t)n->image.base, ram = (uintptr_t)n->ram;
			if (lo >= base && hi <= base + n->image.size)
				into = image_kib;
			else if (lo >= ram && hi <= ram + n->ram_bytes)
				into = ram_kib;
			for (int i = 0; !into && i < 256; i++) {
				struct dce_fiber *fb = khost_fibers[i];
				if (fb && fiber_owner[i] == n && lo >= (uintptr_t)fb->map &&
				    hi <= (uintptr_t)fb->map + fb->map_size)
					into = stacks_kib;
			}
		} else if (into && sscanf(line, "Rss: %ld", &kib) == 1) {
			*into += kib;
		}
	}
	if (f)
		fclose(f);
}
