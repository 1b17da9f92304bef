/* kstack.c - a node's Linux kernel: one private copy of liblinux-<version>.so per node
 * (src/loader/kernel-image.c), booted at install, driven by the simulator.
 *
 * The kernel's needs map onto dce (docs/kernel.md): its RAM comes from dce's
 * deterministic address space, its clock is the simulator's, its one-shot timer is
 * a simulator event, its tasks run on dce fibers, printk goes to
 * files-N/var/log/messages, its randomness comes from the scenario seed and the
 * node id. Entries into the kernel (a request, the timer, a received frame) run it
 * until it is idle; what it asks of the host meanwhile is only recorded (frames to
 * send are queued and handed to ns-3 when the entry returns).
 *
 * System calls run in kernel tasks that share one file table per node: a kernel
 * descriptor belongs to the node, and dce's own file layer (fork, dup, exec,
 * SCM_RIGHTS) decides who holds it. Tasks are pooled: one is enough unless a call
 * sleeps in the kernel (which forwarded calls avoid, see ksock.c). */
#include "kstack-priv.h"
#include "../../core/sim.h"
#include "../../loader/kernel-image.h"
#include "../vmspace.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KSTACK_RAM_DEFAULT (64ul << 20)
#define KSYS_prlimit64 261

struct kframe {
	void *cookie;
	size_t len;
	struct kframe *next;
	unsigned char data[];
};

struct kreq {
	struct dce_kernel_request r;
	struct dce_kstack *ks;
	long task;                  /* pooled task the request runs in (0: none) */
	int done, blocking;
	struct dce_waitq wq;
	void (*on_done)(struct kreq *);
	void *arg;
};

struct kwatch_ref {                 /* cookie of a watch: what to notify */
	struct dce_file *file;          /* a program's socket */
	void (*fn)(void *);             /* or the ns-3 side's (dce_kstack_watch) */
	void *arg;
};

struct dce_kstack {
	struct dce_node *node;
	struct dce_kernel_image image;
	dce_kernel_boot_fn boot;
	dce_kernel_submit_fn submit;
	dce_kernel_interrupt_fn interrupt;
	dce_kernel_net_receive_fn net_receive;
	struct dce_kernel_host ops;
	struct dce_fiber host_slot;
	uint64_t timer_event;
	int booted, dead, in_kernel, ndevs;
	char *panic_msg;
	FILE *log;
	long *idle_tasks;
	int nidle, idle_cap;
	struct kframe *tx_head, *tx_tail;
	uint64_t boot_wall_ns;
	char release[65]; /* the kernel's uname -r */
};

static char *library_path;

static struct dce_kstack *kstack_of(uint32_t node)
{
	struct dce_node *n = dce_node_get(node);
	return n ? n->kstack : NULL;
}

/* ---- the library ---- */

void dce_kstack_set_library(const char *path)
{
	free(library_path);
	library_path = path && *path ? strdup(path) : NULL;
}

static int readable(const char *p)
{
	return access(p, R_OK) == 0;
}

/* The kernel series a run asks for: dce_kstack_set_version, else
 * $DCE_KERNEL_VERSION; NULL: the first one built in kernel_versions. */
static char *kernel_version;
static const char *const kernel_versions[] = { "6.12", "6.1" }; /* the default first */

void dce_kstack_set_version(const char *version)
{
	free(kernel_version);
	kernel_version = version && *version ? strdup(version) : NULL;
}

const char *dce_kstack_version(void)
{
	if (kernel_version)
		return kernel_version;
	const char *env = getenv("DCE_KERNEL_VERSION");
	return env && *env ? env : NULL;
}

/* <dir of the program>/REL/liblinux-VERSION.so */
static const char *find_version(const char *exe_dir, const char *version, char *found, size_t len)
{
	/* an installed tree (bin/ next to lib/, or lib/dce/ as in the Debian package),
	 * dce's build tree (build/dce/examples next to build/install/lib) */
	const char *rel[] = { "/../lib", "/../lib/dce", "/../../install/lib", "/../install/lib" };
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(found, len, "%s%s/liblinux-%s.so", exe_dir, rel[i], version);
		if (readable(found))
			return found;
	}
	return NULL;
}

const char *dce_kstack_library(void)
{
	static char found[PATH_MAX];
	const char *env = getenv("DCE_LINUX_LIBRARY");
	if (env && *env)
		return env;
	if (library_path)
		return library_path;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	const char *want = dce_kstack_version();
	if (want)
		return find_version(exe, want, found, sizeof found);
	for (size_t i = 0; i < sizeof kernel_versions / sizeof kernel_versions[0]; i++)
		if (find_version(exe, kernel_versions[i], found, sizeof found))
			return found;
	return NULL;
}

static void *reserve_image(size_t size)
{
	return dce_vm_map(size, 1ul << 21, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

/* ---- entering the kernel ---- */

static void flush_frames(struct dce_kstack *ks)
{
	while (ks->tx_head) {
		struct kframe *f = ks->tx_head;
		ks->tx_head = f->next;
		if (!ks->tx_head)
			ks->tx_tail = NULL;
		dce_ns3_kstack_transmit(f->cookie, f->data, f->len);
		free(f);
	}
}

static void kill_node(void *arg);

/* After every entry: hand queued frames to ns-3; a kernel that died takes its
 * node's processes with it (from a fresh event: the caller may be one of them). */
static void left_kernel(struct dce_kstack *ks)
{
	ks->in_kernel = 0;
	flush_frames(ks);
	if (ks->dead == 1) {
		ks->dead = 2;
		dce_sim_schedule(0, ks->node->id, kill_node, ks);
	}
}

static void enter_submit(struct dce_kstack *ks, struct dce_kernel_request *r)
{
	if (ks->in_kernel) {
		fprintf(dce_world.err, "dce: node %u: nested entry into its kernel\n", ks->node->id);
		abort();
	}
	ks->in_kernel = 1;
	ks->submit(r);
	left_kernel(ks);
}

static void timer_fire(void *arg)
{
	struct dce_kstack *ks = arg;
	ks->timer_event = 0;
	ks->in_kernel = 1;
	ks->interrupt(DCE_KIRQ_TIMER);
	left_kernel(ks);
}

void dce_kstack_receive(uint32_t node, int ifindex, const void *frame, size_t len)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks || ks->dead)
		return;
	ks->in_kernel = 1;
	ks->net_receive(ifindex, frame, len);
	left_kernel(ks);
}

/* ---- the kernel's callbacks (they run inside the kernel: record only) ---- */

static void *cb_mem_alloc(void *ctx, unsigned long size, unsigned long align)
{
	(void)ctx;
	void *p = dce_vm_map(size, align, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void cb_mem_free(void *ctx, void *p, unsigned long size)
{
	(void)ctx;
	munmap(p, size);
	dce_vm_release((uintptr_t)p, size);
}

static void cb_log(void *ctx, const char *text, unsigned long len)
{
	struct dce_kstack *ks = ctx;
	if (ks->log) {
		fwrite(text, 1, len, ks->log);
		fflush(ks->log);
	}
}

static unsigned long long cb_now_ns(void *ctx)
{
	(void)ctx;
	return dce_sim_now();
}

static void cb_timer_cancel(void *ctx)
{
	struct dce_kstack *ks = ctx;
	dce_sim_cancel(ks->timer_event);
	ks->timer_event = 0;
}

static void cb_timer_set(void *ctx, unsigned long long at)
{
	struct dce_kstack *ks = ctx;
	uint64_t now = dce_sim_now();
	cb_timer_cancel(ctx);
	ks->timer_event = dce_sim_schedule(at > now ? at - now : 0, ks->node->id, timer_fire, ks);
}

static void *cb_fiber_new(void *ctx, unsigned long stack, void (*entry)(void *), void *arg)
{
	(void)ctx;
	struct dce_fiber *f = malloc(sizeof *f);
	if (f && dce_fiber_init(f, stack, entry, arg) != 0) {
		free(f);
		f = NULL;
	}
	return f;
}

static void cb_fiber_switch(void *ctx, void *from, void *to)
{
	(void)ctx;
	dce_fiber_switch(from, to);
}

static void cb_fiber_free(void *ctx, void *fiber)
{
	(void)ctx;
	dce_fiber_destroy(fiber);
	free(fiber);
}

static void cb_net_transmit(void *ctx, void *cookie, const void *frame, unsigned long len)
{
	struct dce_kstack *ks = ctx;
	struct kframe *f = malloc(sizeof *f + len);
	if (!f)
		return;
	f->cookie = cookie;
	f->len = len;
	f->next = NULL;
	memcpy(f->data, frame, len);
	if (ks->tx_tail)
		ks->tx_tail->next = f;
	else
		ks->tx_head = f;
	ks->tx_tail = f;
}

static void task_put(struct dce_kstack *ks, long task)
{
	if (ks->nidle == ks->idle_cap) {
		ks->idle_cap = ks->idle_cap ? 2 * ks->idle_cap : 4;
		ks->idle_tasks = realloc(ks->idle_tasks, sizeof *ks->idle_tasks * (size_t)ks->idle_cap);
	}
	ks->idle_tasks[ks->nidle++] = task;
}

static void cb_request_done(void *ctx, struct dce_kernel_request *r)
{
	(void)ctx;
	struct kreq *k = r->cookie;
	k->done = 1;
	if (k->task)
		task_put(k->ks, k->task);
	if (k->on_done) {
		k->on_done(k);
		return;
	}
	if (k->blocking) {
		if (k->wq.head)
			dce_waitq_wake_all(&k->wq);
		else
			free(k); /* its thread is gone (killed while waiting) */
	}
}

static void cb_booted(void *ctx)
{
	struct dce_kstack *ks = ctx;
	ks->booted = 1;
}

static void cb_panic(void *ctx, const char *msg)
{
	struct dce_kstack *ks = ctx;
	if (!ks->dead)
		ks->dead = 1;
	free(ks->panic_msg);
	ks->panic_msg = strdup(msg ? msg : "panic");
	size_t l = strlen(ks->panic_msg);
	while (l && ks->panic_msg[l - 1] == '\n')
		ks->panic_msg[--l] = 0;
	if (ks->log) {
		fprintf(ks->log, "dce: kernel panic - %s\n", ks->panic_msg);
		fflush(ks->log);
	}
}

static void cb_file_event(void *ctx, void *cookie, unsigned int mask)
{
	(void)ctx;
	(void)mask; /* dce's pollers ask the kernel for the full mask */
	struct kwatch_ref *ref = cookie;
	if (ref->file)
		dce_file_notify(ref->file);
	else if (ref->fn)
		ref->fn(ref->arg);
}

/* The node failed: every process on it is killed; the simulation goes on. */
static void kill_node(void *arg)
{
	struct dce_kstack *ks = arg;
	fprintf(dce_world.err, "dce: node %u: kernel panic: %s (files-%u/var/log/messages); "
	        "its processes are killed, the simulation goes on\n",
	        ks->node->id, ks->panic_msg ? ks->panic_msg : "?", ks->node->id);
	for (struct dce_process *p = dce_world.procs; p; p = p->next_all) {
		if (p->node != ks->node || p->state == DCE_P_ZOMBIE || p->state == DCE_P_REAPED)
			continue;
		if (!p->fatal) {
			char buf[512];
			snprintf(buf, sizeof buf, "its node's kernel panicked: %s",
			         ks->panic_msg ? ks->panic_msg : "?");
			p->fatal = strdup(buf);
		}
		dce_process_kill(p, SIGKILL);
	}
}

/* ---- requests ---- */

/* Submit k and wait for it if a thread can; returns 1 when done. */
static int run_request(struct dce_kstack *ks, struct kreq *k)
{
	k->ks = ks;
	k->r.cookie = k;
	enter_submit(ks, &k->r);
	if (k->done)
		return 1;
	struct dce_thread *t = dce_current;
	if (!t)
		return 0;
	k->blocking = 1;
	while (!k->done)
		dce_thread_block_uninterruptible(t, &k->wq);
	return 1;
}

static void free_on_done(struct kreq *k)
{
	free(k);
}

/* A request of op in task (0: none); args may be NULL. */
static struct kreq *kreq_new(int op, long nr, long task, const long *args)
{
	struct kreq *k = calloc(1, sizeof *k);
	k->r.op = op;
	k->r.nr = nr;
	k->r.task = task;
	if (args)
		memcpy(k->r.args, args, sizeof k->r.args);
	k->task = task;
	return k;
}

static long new_task(struct dce_kstack *ks)
{
	long args[6] = { DCE_KTASK_SHARE_FILES };
	struct kreq *k = kreq_new(DCE_KREQ_TASK_NEW, 0, 0, args);
	if (!run_request(ks, k)) {
		k->on_done = free_on_done;
		return -EINPROGRESS;
	}
	long task = k->r.result;
	free(k);
	if (task > 0) {
		/* the node's table holds every socket of every process of the node */
		struct rlimit lim = { 1 << 20, 1 << 20 };
		struct kreq x = { .r = { .op = DCE_KREQ_SYSCALL, .task = task, .nr = KSYS_prlimit64,
		                         .args = { 0, RLIMIT_NOFILE, (long)&lim, 0 } } };
		x.ks = ks;
		x.r.cookie = &x;
		enter_submit(ks, &x.r);
	}
	return task;
}

static long task_get(struct dce_kstack *ks)
{
	if (ks->nidle)
		return ks->idle_tasks[--ks->nidle];
	return new_task(ks);
}

static long request_in_task(struct dce_kstack *ks, int op, long nr, const long *args)
{
	if (ks->dead)
		return -EIO;
	long task = task_get(ks);
	if (task < 0)
		return task;
	struct kreq *k = kreq_new(op, nr, task, args);
	if (!run_request(ks, k)) {
		k->on_done = free_on_done;
		return -EINPROGRESS;
	}
	long r = k->r.result;
	free(k);
	return r;
}

long dce_kcall(struct dce_kstack *ks, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long args[6] = { a0, a1, a2, a3, a4, a5 };
	return request_in_task(ks, DCE_KREQ_SYSCALL, nr, args);
}

long dce_kwatch(struct dce_kstack *ks, int kfd, struct dce_file *f, void **ref_out)
{
	struct kwatch_ref *ref = calloc(1, sizeof *ref);
	ref->file = f;
	long args[6] = { kfd, (long)ref };
	long w = request_in_task(ks, DCE_KREQ_WATCH, 0, args);
	if (w < 0) {
		free(ref);
		ref = NULL;
	}
	*ref_out = ref;
	return w;
}

static void detached_done(struct kreq *k)
{
	free(k->arg);
	free(k);
}

/* Submit without waiting; `owned` is freed when the request completes. */
static void submit_detached(struct dce_kstack *ks, int op, long nr, const long *args, void *owned)
{
	long task = task_get(ks);
	if (task < 0) {
		free(owned);
		return;
	}
	struct kreq *k = kreq_new(op, nr, task, args);
	k->arg = owned;
	k->on_done = detached_done;
	k->ks = ks;
	k->r.cookie = k;
	enter_submit(ks, &k->r);
}

void dce_kwatch_close(struct dce_kstack *ks, long watch, void *ref, int kfd)
{
	if (ref) { /* no more events reach the dce file or the callback */
		((struct kwatch_ref *)ref)->file = NULL;
		((struct kwatch_ref *)ref)->fn = NULL;
	}
	if (ks->dead)
		return; /* the kernel is gone: its memory with it (ref leaks, once) */
	if (watch > 0) {
		long args[6] = { watch };
		submit_detached(ks, DCE_KREQ_UNWATCH, 0, args, ref);
	} else {
		free(ref);
	}
	long cargs[6] = { kfd };
	submit_detached(ks, DCE_KREQ_SYSCALL, DCE_KSYS_close, cargs, NULL);
}

/* ---- the ns-3 side's sockets (ns-3 applications on a Linux-stack node) ---- */

long dce_kstack_call(uint32_t node, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	return dce_kcall(ks, nr, a0, a1, a2, a3, a4, a5);
}

long dce_kstack_watch(uint32_t node, int kfd, void (*fn)(void *), void *arg, void **ref_out)
{
	struct dce_kstack *ks = kstack_of(node);
	*ref_out = NULL;
	if (!ks)
		return -ENODEV;
	long w = dce_kwatch(ks, kfd, NULL, ref_out);
	if (w >= 0) {
		struct kwatch_ref *ref = *ref_out;
		ref->fn = fn;
		ref->arg = arg;
	}
	return w;
}

void dce_kstack_unwatch(void *ref)
{
	if (ref) {
		((struct kwatch_ref *)ref)->file = NULL;
		((struct kwatch_ref *)ref)->fn = NULL;
	}
}

void dce_kstack_unwatch_close(uint32_t node, long watch, void *ref, int kfd)
{
	struct dce_kstack *ks = kstack_of(node);
	if (ks)
		dce_kwatch_close(ks, watch, ref, kfd);
}

/* ---- install ---- */


int dce_kstack_enabled(uint32_t node)
{
	return kstack_of(node) != NULL;
}

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int dce_kstack_install(uint32_t id, char *err, size_t errlen)
{
	struct dce_node *n = dce_node_get(id);
	if (!n)
		return fail(err, errlen, -ENOENT, "node %u has no dce (install DceManagerHelper on it first)", id);
	if (n->kstack)
		return n->kstack->dead ? -EIO : 0;
	const char *lib = dce_kstack_library();
	if (!lib && dce_kstack_version())
		return fail(err, errlen, -ENOENT,
		            "Linux %s is not built (no liblinux-%s.so installed): build it with "
		            "'src/kernel/build.sh --kernel %s' and set DCE_LINUX_LIBRARY to the path it "
		            "prints, or ask for a built one (6.12 or 6.1)",
		            dce_kstack_version(), dce_kstack_version(), dce_kstack_version());
	if (!lib)
		return fail(err, errlen, -ENOENT,
		            "no Linux kernel library: build it with 'bake configure -e dce-linux-dev "
		            "&& bake deploy' (or src/kernel/build.sh) and set DCE_LINUX_LIBRARY to "
		            "the liblinux-<version>.so it prints");
	struct dce_kstack *ks = calloc(1, sizeof *ks);
	ks->node = n;
	dce_kernel_image_reserve = reserve_image;
	char why[512];
	int r = dce_kernel_image_load(lib, &ks->image, why, sizeof why);
	if (r) {
		free(ks);
		return fail(err, errlen, r, "node %u: cannot load the kernel library: %s", id, why);
	}
	ks->boot = (dce_kernel_boot_fn)dce_kernel_image_symbol(&ks->image, DCE_KERNEL_BOOT_SYMBOL);
	ks->submit = (dce_kernel_submit_fn)dce_kernel_image_symbol(&ks->image, DCE_KERNEL_SUBMIT_SYMBOL);
	ks->interrupt = (dce_kernel_interrupt_fn)dce_kernel_image_symbol(&ks->image,
	                                                                 DCE_KERNEL_INTERRUPT_SYMBOL);
	ks->net_receive = (dce_kernel_net_receive_fn)dce_kernel_image_symbol(
		&ks->image, DCE_KERNEL_NET_RECEIVE_SYMBOL);
	if (!ks->boot || !ks->submit || !ks->interrupt || !ks->net_receive) {
		dce_kernel_image_unload(&ks->image);
		free(ks);
		return fail(err, errlen, -ENOEXEC, "%s is not a dce kernel library (no dce_kernel_* "
		            "entry points)", lib);
	}
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/var/log", n->root);
	dce_mkdirs(path); /* files-N itself is made on first use (process.c) */
	snprintf(path, sizeof path, "%s/var/log/messages", n->root);
	ks->log = fopen(path, "w");
	ks->ops = (struct dce_kernel_host){
		.abi = DCE_KERNEL_ABI, .ctx = ks,
		.mem_alloc = cb_mem_alloc, .mem_free = cb_mem_free, .log = cb_log,
		.now_ns = cb_now_ns, .timer_set = cb_timer_set, .timer_cancel = cb_timer_cancel,
		.fiber_new = cb_fiber_new, .fiber_switch = cb_fiber_switch,
		.fiber_free = cb_fiber_free, .net_transmit = cb_net_transmit,
		.request_done = cb_request_done, .booted = cb_booted, .panic = cb_panic,
		.file_event = cb_file_event,
	};
	unsigned long ram = KSTACK_RAM_DEFAULT;
	const char *mb = getenv("DCE_LINUX_RAM_MB");
	if (mb && atol(mb) >= 16)
		ram = (unsigned long)atol(mb) << 20;
	const char *cmdline = getenv("DCE_LINUX_CMDLINE");
	struct dce_kernel_boot_params params = {
		.host_fiber = &ks->host_slot,
		.ram_bytes = ram,
		.seed = dce_random_key(dce_world.seed, id, DCE_RANDOM_KERNEL),
		.wall_clock_sec = (long long)(dce_world.epoch_ns / 1000000000ull),
		/* no dummy0 by default (Debian builds it as a module) */
		.cmdline = cmdline ? cmdline : "console=dce dummy.numdummies=0",
	};
	n->kstack = ks;
	uint64_t t0 = wall_ns();
	ks->in_kernel = 1;
	r = ks->boot(&ks->ops, &params);
	left_kernel(ks);
	ks->boot_wall_ns = wall_ns() - t0;
	if (r == -EINVAL)
		return fail(err, errlen, r, "node %u: %s does not match this dce (kernel interface "
		            "version %d): rebuild it (bake deploy, or src/kernel/build.sh)", id, lib,
		            DCE_KERNEL_ABI);
	if (r || !ks->booted || ks->dead == 2)
		return fail(err, errlen, r ? r : -EIO, "node %u: the kernel %s did not boot%s%s "
		            "(files-%u/var/log/messages)", id, lib, ks->panic_msg ? ": " : "",
		            ks->panic_msg ? ks->panic_msg : "", id);
	/* TCP buffer limits of a machine with a few GB (the kernel sizes them from its
	 * RAM, which is small here: 480 KB would cap every flow's window) */
	dce_kstack_sysctl_set(id, "net.ipv4.tcp_rmem", "4096 131072 6291456");
	dce_kstack_sysctl_set(id, "net.ipv4.tcp_wmem", "4096 16384 4194304");
	struct utsname u;
	if (dce_kcall(ks, DCE_KSYS_uname, (long)&u, 0, 0, 0, 0, 0) == 0)
		snprintf(ks->release, sizeof ks->release, "%s", u.release);
	if (getenv("DCE_LINUX_BOOT_TIME"))
		fprintf(dce_world.err, "dce: node %u: kernel booted in %.2f ms\n", id,
		        ks->boot_wall_ns / 1e6);
	return 0;
}

const char *dce_kstack_release(uint32_t node)
{
	struct dce_kstack *ks = kstack_of(node);
	return ks && ks->release[0] ? ks->release : NULL;
}

/* ---- configuration through the kernel's own interfaces ---- */

#define K_AT_FDCWD (-100)

static long kclose(struct dce_kstack *ks, long fd)
{
	return dce_kcall(ks, DCE_KSYS_close, fd, 0, 0, 0, 0, 0);
}

static long ifreq_call(struct dce_kstack *ks, unsigned long req, struct ifreq *ifr)
{
	long fd = dce_kcall(ks, DCE_KSYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0, 0, 0);
	if (fd < 0)
		return fd;
	long r = dce_kcall(ks, DCE_KSYS_ioctl, fd, (long)req, (long)ifr, 0, 0, 0);
	kclose(ks, fd);
	return r;
}

long dce_kstack_ifioctl(struct dce_kstack *ks, unsigned long req, uint64_t arg)
{
	switch (req) {
	case SIOCADDRT: case SIOCDELRT: case SIOCRTMSG: case SIOCDARP: case SIOCGARP: case SIOCSARP:
	case SIOCDRARP: case SIOCGRARP: case SIOCSRARP:
		return -ENOTTY; /* the INET family's own, not the devices' (dev_ioctl) */
	}
	long fd = dce_kcall(ks, DCE_KSYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0, 0, 0);
	if (fd < 0)
		return fd;
	long r = dce_kcall(ks, DCE_KSYS_ioctl, fd, (long)req, (long)arg, 0, 0, 0);
	kclose(ks, fd);
	return r;
}

static int add_altname(struct dce_kstack *ks, int ifindex, unsigned unit);

int dce_kstack_netdev_add(uint32_t node, void *cookie, const char *name, const uint8_t mac[6],
                          int mtu, unsigned flags)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	if (ks->dead)
		return -EIO;
	char defname[IFNAMSIZ];
	if (!name) {
		snprintf(defname, sizeof defname, "eth%d", ks->ndevs);
		name = defname;
	}
	long args[6] = { (long)name, (long)mac, mtu, (long)cookie,
	                 flags & DCE_KSTACK_NOARP ? DCE_KNETDEV_NOARP : 0 };
	struct kreq *k = kreq_new(DCE_KREQ_NETDEV_NEW, 0, 0, args);
	if (!run_request(ks, k)) {
		k->on_done = free_on_done;
		return -EINPROGRESS;
	}
	long ifindex = k->r.result;
	free(k);
	if (ifindex < 0)
		return (int)ifindex;
	ks->ndevs++;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	long r = ifreq_call(ks, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ifreq_call(ks, SIOCSIFFLAGS, &ifr);
	}
	unsigned unit;
	char end;
	if (r == 0 && sscanf(name, "eth%u%c", &unit, &end) == 1)
		r = add_altname(ks, (int)ifindex, unit);
	return r < 0 ? (int)r : (int)ifindex;
}

static int sysctl_open(struct dce_kstack *ks, const char *key, int flags)
{
	char path[PATH_MAX];
	if (*key == '.' || *key == '/')
		key++;
	snprintf(path, sizeof path, "/proc/sys/%s", key);
	for (char *c = path + 10; *c; c++)
		if (*c == '.')
			*c = '/';
	return (int)dce_kcall(ks, DCE_KSYS_openat, K_AT_FDCWD, (long)path, flags | O_CLOEXEC, 0, 0, 0);
}

int dce_kstack_sysctl_set(uint32_t node, const char *key, const char *value)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	int fd = sysctl_open(ks, key, O_WRONLY);
	if (fd < 0)
		return fd;
	long w = dce_kcall(ks, DCE_KSYS_write, fd, (long)value, (long)strlen(value), 0, 0, 0);
	kclose(ks, fd);
	return w < 0 ? (int)w : 0;
}

int dce_kstack_sysctl_get(uint32_t node, const char *key, char *buf, size_t size)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	if (size == 0)
		return -EINVAL;
	int fd = sysctl_open(ks, key, O_RDONLY);
	if (fd < 0)
		return fd;
	long n = dce_kcall(ks, DCE_KSYS_read, fd, (long)buf, (long)size - 1, 0, 0, 0);
	kclose(ks, fd);
	if (n < 0)
		return (int)n;
	buf[n] = 0;
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

/* One rtnetlink request with its acknowledgement: 0 or the kernel's -errno. */
struct nlreq {
	struct nlmsghdr nh;
	union {
		struct ifaddrmsg ifa;
		struct rtmsg rt;
		struct ifinfomsg ifi;
	};
	char attrs[256];
};

static void nl_begin(struct nlreq *q, int type, size_t body, int flags)
{
	memset(q, 0, sizeof *q);
	q->nh.nlmsg_len = (unsigned)NLMSG_LENGTH(body);
	q->nh.nlmsg_type = (unsigned short)type;
	q->nh.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
}

static void nl_attr(struct nlreq *q, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->nh.nlmsg_len));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->nh.nlmsg_len = NLMSG_ALIGN(q->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static long nl_open(struct dce_kstack *ks)
{
	return dce_kcall(ks, DCE_KSYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE, 0, 0, 0);
}

static int nl_transact(struct dce_kstack *ks, struct nlreq *q)
{
	long fd = nl_open(ks);
	if (fd < 0)
		return (int)fd;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	q->nh.nlmsg_seq = 1;
	long r = dce_kcall(ks, DCE_KSYS_sendto, fd, (long)q, q->nh.nlmsg_len, 0, (long)&sa, sizeof sa);
	if (r >= 0) {
		char buf[1024];
		r = dce_kcall(ks, DCE_KSYS_recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		if (r >= (long)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR)
			r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		else if (r >= 0)
			r = -EPROTO;
	}
	kclose(ks, fd);
	return (int)r;
}

/* ns-3-dce named a node's kernel devices sim0, sim1, ...; its scripts run
 * `ip ... dev sim0` as programs of their own. dce's devices are eth0, ... as on a
 * real machine, and carry simN as an alternative name (`ip link` shows "altname
 * sim0"), which every lookup by name accepts. */
static int add_altname(struct dce_kstack *ks, int ifindex, unsigned unit)
{
	struct nlreq q;
	nl_begin(&q, RTM_NEWLINKPROP, sizeof q.ifi, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	q.ifi.ifi_family = AF_UNSPEC;
	q.ifi.ifi_index = ifindex;
	char alt[IFNAMSIZ];
	int n = snprintf(alt, sizeof alt, "sim%u", unit) + 1;
	struct rtattr *list = (struct rtattr *)((char *)&q + NLMSG_ALIGN(q.nh.nlmsg_len));
	nl_attr(&q, IFLA_PROP_LIST | NLA_F_NESTED, "", 0);
	nl_attr(&q, IFLA_ALT_IFNAME, alt, (size_t)n);
	list->rta_len = (unsigned short)((char *)&q + q.nh.nlmsg_len - (char *)list);
	return nl_transact(ks, &q);
}

static int ifindex_of(struct dce_kstack *ks, const char *ifname)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	long r = ifreq_call(ks, SIOCGIFINDEX, &ifr);
	return r < 0 ? (int)r : ifr.ifr_ifindex;
}

/* "addr/plen" into family, bytes, plen (plen defaults to the full length). */
static int parse_prefix(const char *s, int *family, unsigned char addr[16], int *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	snprintf(buf, sizeof buf, "%s", s);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	if (inet_pton(AF_INET, buf, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*family = AF_INET6;
	else
		return -EINVAL;
	int max = *family == AF_INET ? 32 : 128;
	*plen = max;
	if (slash) {
		char *end;
		long p = strtol(slash, &end, 10);
		if (*end || p < 0 || p > max)
			return -EINVAL;
		*plen = (int)p;
	}
	return 0;
}

int dce_kstack_addr_add(uint32_t node, const char *ifname, const char *address)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	int family, plen;
	unsigned char a[16];
	if (parse_prefix(address, &family, a, &plen))
		return -EINVAL;
	int ifindex = ifindex_of(ks, ifname);
	if (ifindex < 0)
		return ifindex;
	struct nlreq q;
	nl_begin(&q, RTM_NEWADDR, sizeof q.ifa, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	q.ifa.ifa_family = (unsigned char)family;
	q.ifa.ifa_prefixlen = (unsigned char)plen;
	q.ifa.ifa_index = (unsigned)ifindex;
	size_t alen = family == AF_INET ? 4 : 16;
	nl_attr(&q, IFA_LOCAL, a, alen);
	nl_attr(&q, IFA_ADDRESS, a, alen);
	if (family == AF_INET && plen < 31) {
		uint32_t ip, mask = plen ? htonl(~0u << (32 - plen)) : 0;
		memcpy(&ip, a, 4);
		uint32_t bcast = ip | ~mask;
		nl_attr(&q, IFA_BROADCAST, &bcast, 4);
	}
	if (family == AF_INET6) {
		uint32_t fl = IFA_F_NODAD; /* configured, not autoconfigured: usable at once */
		nl_attr(&q, IFA_FLAGS, &fl, sizeof fl);
	}
	return nl_transact(ks, &q);
}

int dce_kstack_route_add(uint32_t node, const char *dst, const char *gateway, const char *ifname)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks)
		return -ENODEV;
	int family, plen, gfamily = 0, gplen;
	unsigned char d[16], g[16];
	if (!strcmp(dst, "default"))
		dst = "0.0.0.0/0";
	else if (!strcmp(dst, "default6"))
		dst = "::/0";
	if (parse_prefix(dst, &family, d, &plen))
		return -EINVAL;
	if (gateway && *gateway &&
	    (parse_prefix(gateway, &gfamily, g, &gplen) || gfamily != family))
		return -EINVAL;
	int ifindex = 0;
	if (ifname && *ifname && (ifindex = ifindex_of(ks, ifname)) < 0)
		return ifindex;
	if (!gfamily && !ifindex)
		return -EINVAL;
	struct nlreq q;
	nl_begin(&q, RTM_NEWROUTE, sizeof q.rt, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	q.rt.rtm_family = (unsigned char)family;
	q.rt.rtm_dst_len = (unsigned char)plen;
	q.rt.rtm_table = RT_TABLE_MAIN;
	q.rt.rtm_protocol = RTPROT_STATIC;
	q.rt.rtm_scope = gfamily ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	q.rt.rtm_type = RTN_UNICAST;
	size_t alen = family == AF_INET ? 4 : 16;
	if (plen)
		nl_attr(&q, RTA_DST, d, alen);
	if (gfamily)
		nl_attr(&q, RTA_GATEWAY, g, alen);
	if (ifindex)
		nl_attr(&q, RTA_OIF, &ifindex, sizeof ifindex);
	return nl_transact(ks, &q);
}

int dce_kstack_addresses(uint32_t node, char (*out)[64], int max)
{
	struct dce_kstack *ks = kstack_of(node);
	if (!ks || ks->dead)
		return 0;
	long fd = nl_open(ks);
	if (fd < 0)
		return 0;
	struct nlreq q;
	nl_begin(&q, RTM_GETADDR, sizeof q.ifa, NLM_F_DUMP);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int n = 0, done = 0;
	if (dce_kcall(ks, DCE_KSYS_sendto, fd, (long)&q, q.nh.nlmsg_len, 0, (long)&sa, sizeof sa) < 0)
		done = 1;
	static char buf[16384];
	while (!done) {
		long len = dce_kcall(ks, DCE_KSYS_recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
		if (len <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned long)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (h->nlmsg_type != RTM_NEWADDR)
				continue;
			struct ifaddrmsg *ifa = NLMSG_DATA(h);
			if (ifa->ifa_scope != RT_SCOPE_UNIVERSE)
				continue;
			int alen = (int)IFA_PAYLOAD(h);
			for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				int want = ifa->ifa_family == AF_INET ? IFA_LOCAL : IFA_ADDRESS;
				if (a->rta_type == want && n < max)
					inet_ntop(ifa->ifa_family, RTA_DATA(a), out[n++], 64);
			}
		}
	}
	kclose(ks, fd);
	return n;
}
