/* process.c - nodes, the process table, process start, exit, exec and reporting. */
#include "kernel.h"
#include "sim.h"
#include "../libc-ns3/vdso.h"
#include "../loader/fixed_image.h"
#include "../libc-ns3/path.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct dce_world dce_world;
extern uint64_t dce_user_fs;
void dce_enter_user(ucontext_t *uc) __attribute__((noreturn));
void dce_mm_release_all(struct dce_process *p);
void dce_futex_wake_addr(struct dce_process *p, uint64_t addr, int n);
int dce_loader_check(struct dce_process *p, int fd, const char *vpath, char *err, size_t errlen);
void dce_timers_release(struct dce_process *p);
static stack_t host_altstack;

static int mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *s = tmp + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*s = '/';
		}
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

int dce_mkdirs(const char *path)
{
	return mkdirs(path);
}

static void write_file(const char *dir, const char *name, const char *content, int overwrite)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0)
		return;
	size_t len = strlen(content);
	if (write(fd, content, len) != (ssize_t)len)
		fprintf(dce_world.err, "dce: cannot write %s\n", path);
	close(fd);
}

static const char *default_host_maps[] = {
	"/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/lib", "/usr/lib64", "/lib", "/lib64",
	"/usr/libexec", "/usr/share/zoneinfo", "/usr/share/locale", "/usr/lib/locale",
	"/usr/share/i18n", "/usr/share/terminfo", "/usr/share/misc", "/etc/ld.so.cache",
	"/etc/services", "/etc/protocols", "/etc/nsswitch.conf", "/etc/host.conf",
	"/etc/ssl", "/etc/alternatives", "/etc/python3", "/etc/python3.11", "/usr/share/python3",
	"/etc/mime.types", "/etc/inputrc", "/etc/locale.alias", "/usr/share/ca-certificates",
};

int dce_init(const char *out_dir, uint64_t seed)
{
	extern int dce_trap_init(char *err, size_t errlen);
	char err[256];
	memset(&dce_world, 0, sizeof dce_world);
	dce_world.err = stderr;
	dce_world.trace = getenv("DCE_TRACE") && atoi(getenv("DCE_TRACE"));
	dce_world.memstat = getenv("DCE_MEMSTAT") && atoi(getenv("DCE_MEMSTAT"));
	dce_world.seed = seed;
	dce_world.clock_quantum = 1000; /* 1 us per 100 reads in a row */
	dce_world.syscall_cost = 1000;  /* 1 us per call: a short call and the code around it */
	dce_world.cost_slice = 1000000; /* slept off per 1 ms owed: ~1000 calls in a row */
	dce_world.cpu_watchdog = 1000000000; /* 1 s of host CPU without a system call */
	dce_world.epoch_ns = 1262304000ULL * 1000000000ULL; /* 2010-01-01 00:00:00 UTC */
	if (mkdirs(out_dir)) {
		fprintf(stderr, "dce: cannot create output directory %s: %s\n", out_dir, strerror(errno));
		return -1;
	}
	dce_world.out_dir = realpath(out_dir, NULL);
	if (dce_confine(dce_world.out_dir)) /* before any program: see confine.c */
		return -1;
	for (size_t i = 0; i < sizeof default_host_maps / sizeof default_host_maps[0]; i++)
		dce_map_host_path(default_host_maps[i]);
	if (dce_vdso_init(dce_world.epoch_ns))
		fprintf(stderr, "dce: cannot map the vDSO; time reads will trap\n");
	if (dce_trap_init(err, sizeof err)) {
		fprintf(stderr, "dce: %s\n", err);
		return -1;
	}
	sigaltstack(NULL, &host_altstack);
	if (dce_watchdog_arm(dce_world.cpu_watchdog))
		fprintf(stderr, "dce: cannot arm the CPU watchdog; a loop without system calls will hang the run\n");
	dce_shutdown_init();
	struct rlimit { unsigned long cur, max; } rl;
	if (syscall(SYS_getrlimit, 7 /* RLIMIT_NOFILE */, &rl) == 0) {
		/* every node's and program's files are this process's: as many as allowed
		 * (as root, up to fs.nr_open; preflight.c says when that is still too few) */
		unsigned long hard = rl.max;
		FILE *f = fopen("/proc/sys/fs/nr_open", "re");
		if (f && fscanf(f, "%lu", &rl.max) == 1 && rl.max > hard) {
			rl.cur = rl.max;
			if (syscall(SYS_setrlimit, 7, &rl))
				rl.max = hard;
		} else
			rl.max = hard;
		if (f)
			fclose(f);
		if (rl.max == hard) {
			rl.cur = rl.max;
			syscall(SYS_setrlimit, 7, &rl);
		}
	}
	return 0;
}

void dce_set_clock_quantum(uint64_t ns) { dce_world.clock_quantum = ns; }

void dce_set_syscall_cost(uint64_t cost_ns, uint64_t slice_ns)
{
	dce_world.syscall_cost = cost_ns;
	dce_world.cost_slice = slice_ns;
}

int dce_set_cpu_watchdog(uint64_t budget_ns)
{
	dce_world.cpu_watchdog = budget_ns;
	return dce_watchdog_arm(budget_ns);
}
void dce_stop_when_done(int on) { dce_world.stop_when_done = on; }

int dce_map_host_path(const char *prefix)
{
	if (prefix[0] != '/')
		return -EINVAL;
	char **m = realloc(dce_world.host_maps, sizeof(char *) * (size_t)(dce_world.n_host_maps + 1));
	if (!m)
		return -ENOMEM;
	dce_world.host_maps = m;
	m[dce_world.n_host_maps++] = strdup(prefix);
	return 0;
}

/* Nodes by id (ns-3 node ids are dense from 0): dce_node_get is on the path of
 * every system call that names a node, so it must not walk 10,000 nodes. */
static struct dce_node **by_id, *last_node;
static uint32_t by_id_len;

struct dce_node *dce_node_get(uint32_t id)
{
	return id < by_id_len ? by_id[id] : NULL;
}

void dce_grow_by_id(void *arrayp, uint32_t *len, uint32_t id)
{
	void **array = arrayp;
	if (id < *len)
		return;
	uint32_t n = *len ? *len : 64;
	while (n <= id)
		n *= 2;
	void **v = realloc(*array, n * sizeof *v);
	if (!v)
		abort();
	memset(v + *len, 0, (n - *len) * sizeof *v);
	*array = v;
	*len = n;
}

static void index_node(struct dce_node *n)
{
	dce_grow_by_id(&by_id, &by_id_len, n->id);
	by_id[n->id] = n;
}

/* A node's files-N: made when the node is first used (a program created on it, a
 * path resolved in it), so nodes that never run a program leave no tree. Files a
 * scenario placed there before (files-N/etc/passwd, ...) are kept. */
static void make_tree(struct dce_node *n)
{
	char path[PATH_MAX], buf[128];
	n->tree = 1;
	const char *dirs[] = { "", "/tmp", "/etc", "/var/log", "/home", "/root", "/dev", "/proc" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s%s", n->root, dirs[i]);
		mkdirs(path);
	}
	snprintf(path, sizeof path, "%s/etc", n->root);
	snprintf(buf, sizeof buf, "%s\n", n->hostname);
	write_file(path, "hostname", buf, 0);
	dce_cred_node_etc(path); /* passwd and group */
	if (!dce_shared_registered("/etc/hosts")) {
		snprintf(buf, sizeof buf, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n127.0.1.1\t%s\n", n->hostname);
		write_file(path, "hosts", buf, 0);
	}
	dce_shared_node_init(n);
}

int dce_node_root_fd(struct dce_node *n)
{
	if (!n->tree)
		make_tree(n);
	return dce_hostfd_get(&n->rootdir);
}

struct dce_node *dce_node_create(uint32_t id)
{
	struct dce_node *n = dce_node_get(id);
	if (n)
		return n;
	n = calloc(1, sizeof *n);
	n->id = id;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/files-%u", dce_world.out_dir, id);
	n->root = strdup(path);
	snprintf(n->hostname, sizeof n->hostname, "node%u", id);
	dce_hostfd_init(&n->rootdir, -1, n->root, O_PATH | O_DIRECTORY);
	n->rand_state = dce_random_key(dce_world.seed, id, DCE_RANDOM_NODE);
	n->next_pid = 1000;
	if (last_node && dce_world.nodes) /* appended: the list stays in creation order */
		last_node->next = n;
	else
		dce_world.nodes = n;
	last_node = n;
	index_node(n);
	return n;
}

struct dce_process *dce_process_new(struct dce_node *node, struct dce_process *parent)
{
	struct dce_process *p = calloc(1, sizeof *p);
	p->node = node;
	p->pid = node->next_pid++;
	p->parent = parent;
	p->ppid = parent ? parent->pid : 1;
	p->pgid = parent ? parent->pgid : p->pid;
	p->sid = parent ? parent->sid : p->pid;
	p->umask = parent ? parent->umask : 022;
	snprintf(p->cwd, sizeof p->cwd, "%s", parent ? parent->cwd : "/");
	dce_cred_inherit(p, parent);
	p->state = DCE_P_LOADING;
	static struct dce_process *last_proc; /* processes stay on the list for the run */
	if (last_proc && dce_world.procs)
		last_proc->next_all = p;
	else
		dce_world.procs = p;
	last_proc = p;
	if (parent)
		parent->had_children = 1;
	if (dce_world.nprocv == dce_world.procv_cap) { /* grown here: the outputs need no malloc */
		size_t cap = dce_world.procv_cap ? dce_world.procv_cap * 2 : 64;
		struct dce_process **v = realloc(dce_world.procv, cap * sizeof *v);
		if (!v)
			abort();
		dce_world.procv = v;
		dce_world.procv_cap = cap;
	}
	dce_world.procv[dce_world.nprocv++] = p;
	dce_world.live++;
	dce_preflight_process();
	if (!node->tree)
		make_tree(node);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/var/log/%d", node->logroot ? node->logroot : node->root, p->pid);
	if (mkdir(dir, 0755) && errno != EEXIST) /* var/log is there after the first process */
		mkdirs(dir);
	p->logdir = strdup(dir);
	if (parent)
		dce_fixed_image_fork(parent, p); /* a copy of a non-PIE parent's data */
	return p;
}

struct dce_process *dce_process_find(struct dce_node *n, int pid)
{
	for (struct dce_process *p = dce_world.procs; p; p = p->next_all)
		if (p->node == n && p->pid == pid && p->state != DCE_P_REAPED)
			return p;
	return NULL;
}

static void thread_start(void *arg)
{
	dce_thread_enter_user(arg);
}

struct dce_thread *dce_thread_new(struct dce_process *p)
{
	struct dce_thread *t = calloc(1, sizeof *t);
	t->proc = p;
	t->tid = p->nthreads == 0 ? p->pid : p->node->next_pid++;
	t->state = DCE_T_NEW;
	if (dce_fiber_init(&t->fiber, DCE_KSTACK_SIZE, thread_start, t)) {
		free(t);
		return NULL;
	}
	struct dce_thread **pp = &p->threads;
	while (*pp)
		pp = &(*pp)->next;
	*pp = t;
	p->nthreads++;
	return t;
}

void dce_thread_enter_user(struct dce_thread *t)
{
	uintptr_t top = (uintptr_t)dce_fiber_stack_top(&t->fiber) - 4096;
	ucontext_t *uc = (ucontext_t *)((top - sizeof(ucontext_t)) & ~63UL);
	*uc = t->start_uc;
	uc->uc_stack = host_altstack;
	dce_signal_deliver(t, uc);
	dce_user_fs = t->user_fs;
	dce_enter_user(uc);
}

static void set_start_context(struct dce_thread *t, uintptr_t rip, uintptr_t rsp)
{
	memset(&t->start_uc, 0, sizeof t->start_uc);
	greg_t *g = t->start_uc.uc_mcontext.gregs;
	g[REG_RIP] = (greg_t)rip;
	g[REG_RSP] = (greg_t)rsp;
	g[REG_EFL] = 0x202;
	g[REG_CSGSFS] = 0x33 | (0x2bLL << 48);
	t->start_uc.uc_flags = 2 | 4; /* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
}

void dce_process_fatal(struct dce_process *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	free(p->fatal);
	p->fatal = strdup(msg);
	fprintf(dce_world.err, "dce: node %u pid %d (%s): %s\n", p->node->id, p->pid,
	        p->cmdline ? p->cmdline : "?", msg);
	fflush(dce_world.err);
}

static const char *signame(int sig)
{
	const char *s = sigabbrev_np(sig);
	return s ? s : "?";
}

static void fmt_time(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%09llu", (unsigned long long)(ns / 1000000000ULL),
	         (unsigned long long)(ns % 1000000000ULL));
}

/* why: for a process still running, why the run ended (NULL: the simulation did) */
static void write_status(struct dce_process *p, const char *why)
{
	char buf[8192], t0[32], t1[32];
	fmt_time(t0, sizeof t0, p->start_ns);
	fmt_time(t1, sizeof t1, p->end_ns);
	int n = snprintf(buf, sizeof buf, "cmdline: %s\nnode: %u\npid: %d\nppid: %d\nstart: %s\nend: %s\n",
	                 p->cmdline ? p->cmdline : "", p->node->id, p->pid, p->ppid, t0, t1);
	if (p->state != DCE_P_ZOMBIE && p->state != DCE_P_REAPED && why)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "running: %s at %s\n", why, t1);
	else if (p->state != DCE_P_ZOMBIE && p->state != DCE_P_REAPED)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "running: still running when the simulation ended\n");
	else if (p->killed_by)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "killed: SIG%s (%d)\n", signame(p->killed_by), p->killed_by);
	else
		n += snprintf(buf + n, sizeof buf - (size_t)n, "exit: %d\n", p->exit_code);
	if (p->fatal)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "error: %s\n", p->fatal);
	if (dce_world.memstat)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "private-memory-kb: %lu\n", p->private_kb);
	for (int nr = 0; nr < 512 && n < (int)sizeof buf - 100; nr++)
		if (p->unknown_reported[nr / 64] & (1ULL << (nr % 64)))
			n += snprintf(buf + n, sizeof buf - (size_t)n, "unknown-syscall: %d (returned ENOSYS)\n", nr);
	for (int i = 0; i < p->nunsupported && n < (int)sizeof buf - 120; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "unsupported: %s\n", p->unsupported[i]);
	write_file(p->logdir, "status", buf, 1);
}

void dce_report_unsupported(struct dce_process *p, const char *fmt, ...)
{
	char line[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (int i = 0; i < p->nunsupported; i++)
		if (!strcmp(p->unsupported[i], line))
			return;
	if (p->nunsupported < (int)(sizeof p->unsupported / sizeof p->unsupported[0]))
		memcpy(p->unsupported[p->nunsupported++], line, sizeof line);
}

void dce_report_unknown_syscall(struct dce_process *p, long nr)
{
	if (nr < 0 || nr >= 512) {
		nr = 511;
	}
	p->unknown_reported[nr / 64] |= 1ULL << (nr % 64);
}

static void kill_other_threads(struct dce_process *p, struct dce_thread *keep)
{
	struct dce_thread **pp = &p->threads;
	while (*pp) {
		struct dce_thread *t = *pp;
		if (t == keep) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		p->nthreads--;
		t->state = DCE_T_DEAD;
		dce_thread_forget_waits(t);
		if (t->timer_event)
			dce_sim_cancel(t->timer_event);
		if (t->wake_event)
			dce_sim_cancel(t->wake_event);
		dce_fiber_destroy(&t->fiber); /* not running: safe */
		free(t);
	}
}

/* ld.so reports a missing library on stderr and exits with 127: surface that line
 * as the process's error, like dce's own start-up errors. */
static void report_loader_error(struct dce_process *p)
{
	char path[PATH_MAX], line[512];
	snprintf(path, sizeof path, "%s/stderr", p->logdir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(line, sizeof line, f) && strstr(line, "error while loading shared libraries")) {
		line[strcspn(line, "\n")] = 0;
		dce_process_fatal(p, "%s", line);
	}
	fclose(f);
}

/* Everything but the calling thread's own fiber. */
static void teardown(struct dce_process *p, int code, int sig)
{
	if (p->state == DCE_P_ZOMBIE || p->state == DCE_P_REAPED)
		return;
	p->exit_code = code & 0xff;
	p->killed_by = sig;
	p->end_ns = dce_sim_now();
	if (p->end_ns < p->start_ns) /* killed before its start time: it never ran */
		p->end_ns = p->start_ns;
	p->state = DCE_P_ZOMBIE;
	dce_world.live--;
	if (dce_world.live == 0 && dce_world.stop_when_done)
		dce_sim_stop(); /* nothing left to run but kernels' timers */
	if (p->stop_event)
		dce_sim_cancel(p->stop_event);
	dce_timers_release(p);
	if (p->fds) {
		dce_fdtable_put(p->fds);
		p->fds = NULL;
	}
	if (dce_world.memstat)
		p->private_kb = dce_mm_private_kb(p);
	dce_mm_release_all(p);
	dce_fixed_image_release(p);
	if (code == 127 && !sig && !p->fatal)
		report_loader_error(p);
	write_status(p, NULL);
	/* children are adopted by nobody: they are reaped when they exit */
	for (struct dce_process *c = p->had_children ? dce_world.procs : NULL; c; c = c->next_all)
		if (c->parent == p) {
			c->parent = NULL;
			if (c->state == DCE_P_ZOMBIE)
				c->state = DCE_P_REAPED;
		}
	p->vfork_done = 1;
	dce_waitq_wake_all(&p->vfork_wait);
	if (p->parent) {
		dce_signal_send_proc(p->parent, SIGCHLD);
		dce_waitq_wake_all(&p->parent->child_wait);
	} else {
		p->state = DCE_P_REAPED;
	}
}

void dce_process_exit(struct dce_process *p, int code, int sig)
{
	struct dce_thread *self = dce_current;
	kill_other_threads(p, self);
	teardown(p, code, sig);
	p->threads = NULL;
	p->nthreads = 0;
	dce_thread_exit_fiber(self);
}

void dce_process_kill(struct dce_process *p, int sig)
{
	if (dce_current && dce_current->proc == p) {
		dce_process_exit(p, 0, sig);
	}
	kill_other_threads(p, NULL);
	p->threads = NULL;
	p->nthreads = 0;
	teardown(p, 0, sig);
}

static char *join_argv(char *const argv[])
{
	size_t len = 1;
	for (int i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len), *o = s;
	*o = 0;
	for (int i = 0; argv[i]; i++)
		o += sprintf(o, "%s%s", i ? " " : "", argv[i]);
	return s;
}

void dce_cred_start_ids(struct dce_process *p, unsigned uid, unsigned euid, unsigned gid, unsigned egid);

/* ---- starting a scheduled process ---- */
struct start_req {
	struct dce_process *p;
	char *binary;
	char **argv, **envp;
	char *stdin_file;
	size_t stack_size;
	uint64_t stop_ns;
};

static char **dup_vec(char *const v[])
{
	int n = 0;
	while (v && v[n])
		n++;
	char **o = calloc((size_t)n + 1, sizeof *o);
	for (int i = 0; i < n; i++)
		o[i] = strdup(v[i]);
	return o;
}

static char **script_argv(int fd, const char *path, char *const argv[]);

static void free_vec(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* A process's stdout or stderr file, created empty now; its host descriptor is
 * closed while idle and reopened on use (hostfd.c), so that 10,000 nodes do not
 * hold 40,000 host descriptors of log files. */
static struct dce_file *open_log(struct dce_process *p, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", p->logdir, name);
	int oflags = O_WRONLY | O_CREAT | O_TRUNC | O_APPEND;
	int h = open(path, oflags | O_CLOEXEC, 0644);
	if (h < 0)
		return NULL;
	struct dce_file *f = dce_file_new(&dce_hostfile_ops, -1, O_WRONLY | O_APPEND);
	f->reopen = malloc(sizeof *f->reopen);
	dce_hostfd_init(f->reopen, h, path, oflags);
	return f;
}

static struct dce_file *host_stdio_file(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return h < 0 ? NULL : dce_file_new(&dce_hostfile_ops, h, O_WRONLY | O_APPEND);
}

static void stop_event(void *arg)
{
	struct dce_process *p = arg;
	p->stop_event = 0;
	if (p->state == DCE_P_RUNNING)
		dce_process_kill(p, SIGKILL);
}

/* Programs started without a stdin file all read /dev/null: one open file
 * description for all of them (as processes that inherited it would share it), so
 * 10,000 nodes do not hold 20,000 host descriptors of /dev/null. */
static struct dce_file *shared_devnull(void)
{
	static struct dce_file *f;
	if (!f) {
		int h = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (h < 0)
			return NULL;
		f = dce_file_new(&dce_hostfile_ops, h, O_RDONLY);
		f->vpath = strdup("/dev/null");
	}
	return dce_file_get(f);
}

static int install_stdio(struct dce_process *p, const char *stdin_file)
{
	struct dce_file *fin;
	if (!dce_world.host_stdio && !stdin_file)
		fin = shared_devnull();
	else {
		int in = dce_world.host_stdio ? fcntl(0, F_DUPFD_CLOEXEC, 3) : open(stdin_file, O_RDONLY | O_CLOEXEC);
		fin = in < 0 ? NULL : dce_file_new(&dce_hostfile_ops, in, O_RDONLY);
		if (fin)
			fin->vpath = strdup(stdin_file ? "/dev/stdin" : "/dev/null");
	}
	if (!fin) {
		dce_process_fatal(p, "cannot open stdin file %s: %s", stdin_file ? stdin_file : "/dev/null", strerror(errno));
		return -1;
	}
	struct dce_file *fout = dce_world.host_stdio ? host_stdio_file(1) : open_log(p, "stdout");
	struct dce_file *ferr = dce_world.host_stdio ? host_stdio_file(2) : open_log(p, "stderr");
	if (!fout || !ferr) {
		dce_process_fatal(p, "cannot open its stdout or stderr under %s: %s", p->logdir, strerror(errno));
		dce_file_put(fin);
		if (fout)
			dce_file_put(fout);
		return -1;
	}
	char vp[64];
	snprintf(vp, sizeof vp, "/var/log/%d/stdout", p->pid);
	fout->vpath = strdup(vp);
	snprintf(vp, sizeof vp, "/var/log/%d/stderr", p->pid);
	ferr->vpath = strdup(vp);
	dce_fd_install_at(p, fin, 0, 0);
	dce_fd_install_at(p, fout, 1, 0);
	dce_fd_install_at(p, ferr, 2, 0);
	return 0;
}

/* Load path into p for thread t (new or exec'ing); argv/envp are host copies. */
static int load_image(struct dce_process *p, struct dce_thread *t, int fd, const char *vpath,
                      char *const argv[], char *const envp[], size_t stack_size)
{
	struct dce_image img;
	char err[PATH_MAX + 200];
	int r = dce_loader_exec(p, vpath, fd, argv, envp, stack_size, &img, err, sizeof err);
	if (r) {
		dce_process_fatal(p, "%s", err);
		return r;
	}
	free(p->exe);
	p->exe = strdup(vpath);
	t->user_fs = 0;
	set_start_context(t, img.entry, img.stack_top);
	return 0;
}

static int dce_path_open_program(struct dce_process *p, const char *path, char *vpath, char *err, size_t errlen)
{
	int fd = dce_fs_open_host(p, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, vpath);
	if (fd < 0)
		snprintf(err, errlen, "not found: %s (%s)", path, strerror(-fd));
	return fd;
}

static void start_event(void *arg)
{
	struct start_req *rq = arg;
	struct dce_process *p = rq->p;
	if (p->state != DCE_P_LOADING) { /* killed before it started */
		free(rq->binary);
		free(rq->stdin_file);
		free_vec(rq->argv);
		free_vec(rq->envp);
		free(rq);
		return;
	}
	p->start_ns = dce_sim_now();
	p->fds = dce_fdtable_new();
	char vpath[PATH_MAX], err[PATH_MAX + 200];
	struct dce_thread *t = dce_thread_new(p);
	int fd = -1;
	if (install_stdio(p, rq->stdin_file) == 0) {
		fd = dce_fs_find_program(p, rq->binary, rq->envp, vpath, err, sizeof err);
		if (fd < 0)
			dce_process_fatal(p, "%s", err);
	}
	for (int depth = 0; fd >= 0; depth++) { /* "#!" scripts, up to 4 levels like Linux */
		char **sargv = script_argv(fd, vpath, rq->argv);
		if (!sargv)
			break;
		close(fd);
		fd = -1;
		if (!sargv[0] || depth == 4) {
			dce_process_fatal(p, "%s: malformed or too deeply nested \"#!\" line", vpath);
			free_vec(sargv);
			break;
		}
		free_vec(rq->argv);
		rq->argv = sargv;
		fd = dce_path_open_program(p, sargv[0], vpath, err, sizeof err);
		if (fd < 0)
			dce_process_fatal(p, "interpreter of the script: %s", err);
	}
	if (fd >= 0 && load_image(p, t, fd, vpath, rq->argv, rq->envp, rq->stack_size) == 0) {
		close(fd);
		p->state = DCE_P_RUNNING;
		if (rq->stop_ns > p->start_ns)
			p->stop_event = dce_sim_schedule(rq->stop_ns - p->start_ns, p->node->id, stop_event, p);
		dce_thread_run(t);
	} else {
		if (fd >= 0)
			close(fd);
		kill_other_threads(p, NULL);
		p->threads = NULL;
		teardown(p, 127, 0);
	}
	free(rq->binary);
	free(rq->stdin_file);
	free_vec(rq->argv);
	free_vec(rq->envp);
	free(rq);
}

int dce_process_schedule(struct dce_node *node, const struct dce_process_spec *spec)
{
	static char *const default_env[] = {
		"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/root", "TERM=dumb",
		"LANG=C.UTF-8", NULL
	};
	char *const default_argv[] = { (char *)spec->binary, NULL };
	struct start_req *rq = calloc(1, sizeof *rq);
	struct dce_process *p = dce_process_new(node, NULL);
	rq->p = p;
	rq->binary = strdup(spec->binary);
	rq->argv = dup_vec(spec->argv ? spec->argv : default_argv);
	rq->envp = dup_vec(spec->envp ? spec->envp : default_env);
	rq->stdin_file = spec->stdin_file ? strdup(spec->stdin_file) : NULL;
	rq->stack_size = spec->stack_size;
	rq->stop_ns = spec->stop_ns;
	if (spec->uid || spec->euid || spec->gid || spec->egid)
		dce_cred_start_ids(p, spec->uid, spec->euid, spec->gid, spec->egid);
	p->cmdline = join_argv(rq->argv);
	write_file(p->logdir, "cmdline", p->cmdline, 1);
	p->start_ns = dce_sim_now() + spec->start_ns;
	dce_sim_schedule(spec->start_ns, node->id, start_event, rq);
	return p->pid;
}

/* For a "#!" script, the argv that runs its interpreter (argv[0] NULL if the line
 * is malformed); NULL if fd is not a script. */
static char **script_argv(int fd, const char *path, char *const argv[])
{
	char head[256] = "";
	ssize_t hn = pread(fd, head, sizeof head - 1, 0);
	if (hn < 2 || head[0] != '#' || head[1] != '!')
		return NULL;
	head[hn] = 0;
	int argc = 0;
	while (argv[argc])
		argc++;
	char **nargv = calloc((size_t)argc + 4, sizeof *nargv);
	char *nl = strchr(head, '\n');
	if (!nl)
		return nargv; /* no end of line within 255 bytes */
	*nl = 0;
	char *s = head + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	char *interp = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	char *opt = NULL;
	if (*s) {
		*s++ = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t ol = strlen(s);
		while (ol && (s[ol - 1] == ' ' || s[ol - 1] == '\t' || s[ol - 1] == '\r'))
			s[--ol] = 0;
		if (*s)
			opt = s;
	}
	if (!*interp)
		return nargv;
	int k = 0;
	nargv[k++] = strdup(interp);
	if (opt)
		nargv[k++] = strdup(opt);
	nargv[k++] = strdup(path);
	for (int i = 1; i < argc; i++)
		nargv[k++] = strdup(argv[i]);
	return nargv;
}

int dce_process_signal(struct dce_node *node, int pid, int sig)
{
	struct dce_process *p = dce_process_find(node, pid);
	if (!p || (p->state != DCE_P_RUNNING && p->state != DCE_P_LOADING))
		return -ESRCH;
	if (p->state == DCE_P_LOADING) /* not started yet: it never will */
		return sig == SIGKILL ? (teardown(p, 0, SIGKILL), 0) : -ESRCH;
	dce_signal_send_proc(p, sig);
	return 0;
}

int dce_process_state(struct dce_node *node, int pid, int *code, int *sig)
{
	for (struct dce_process *p = dce_world.procs; p; p = p->next_all) {
		if (p->node != node || p->pid != pid)
			continue;
		if (p->state == DCE_P_RUNNING || p->state == DCE_P_LOADING)
			return 1;
		*code = p->exit_code;
		*sig = p->killed_by;
		return 0;
	}
	return -ESRCH;
}

int dce_process_exec(struct dce_thread *t, const char *path, char *const argv[], char *const envp[])
{
	struct dce_process *p = t->proc;
	char vpath[PATH_MAX], err[PATH_MAX + 200];
	int fd = dce_fs_open_host(p, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, vpath);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		close(fd);
		return -EACCES;
	}
	char **sargv = script_argv(fd, path, argv);
	if (sargv) {
		close(fd);
		int r = sargv[0] ? dce_process_exec(t, sargv[0], sargv, envp) : -ENOEXEC;
		free_vec(sargv);
		return r;
	}
	int bad = dce_loader_check(p, fd, vpath, err, sizeof err); /* ENOEXEC, or ENOENT for the interpreter */
	if (bad) {
		close(fd);
		return bad;
	}
	char **av = dup_vec(argv), **ev = dup_vec(envp);
	/* point of no return: drop the old image */
	kill_other_threads(p, t);
	dce_mm_release_all(p);
	dce_fixed_image_release(p);
	dce_fd_close_on_exec(p);
	for (int s = 1; s < DCE_NSIG; s++)
		if (p->sigact[s].handler != (uint64_t)SIG_IGN)
			memset(&p->sigact[s], 0, sizeof p->sigact[s]);
	t->clear_child_tid = 0;
	t->robust_list = 0;
	memset(&t->altstack, 0, sizeof t->altstack);
	free(p->cmdline);
	p->cmdline = join_argv(av);
	int r = load_image(p, t, fd, vpath, av, ev, 0);
	close(fd);
	free_vec(av);
	free_vec(ev);
	p->vfork_done = 1;
	dce_waitq_wake_all(&p->vfork_wait);
	if (r)
		dce_process_exit(p, 0, SIGKILL);
	dce_thread_enter_user(t);
}

static int exitproc_before(const struct dce_process *x, const struct dce_process *y)
{
	if (x->node->id != y->node->id)
		return x->node->id < y->node->id;
	return x->pid < y->pid;
}

/* In place and without allocating (qsort may call malloc): heapsort by node, pid. */
static void sort_procs(struct dce_process **v, size_t n)
{
	for (size_t end = n, start = n / 2;;) {
		if (start > 0) {
			start--;
		} else {
			if (end <= 1)
				return;
			end--;
			struct dce_process *x = v[0];
			v[0] = v[end];
			v[end] = x;
		}
		for (size_t root = start, child; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && exitproc_before(v[child], v[child + 1]))
				child++;
			if (!exitproc_before(v[root], v[child]))
				break;
			struct dce_process *x = v[root];
			v[root] = v[child];
			v[child] = x;
		}
	}
}

/* A small buffered writer on a file descriptor: stdio may allocate and lock. */
struct outbuf {
	int fd;
	size_t len;
	char buf[4096];
};

static void out_flush(struct outbuf *o)
{
	size_t off = 0;
	while (o->fd >= 0 && off < o->len) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	o->len = 0;
}

static void out_str(struct outbuf *o, const char *s)
{
	for (size_t n = strlen(s); n;) {
		if (o->len == sizeof o->buf)
			out_flush(o);
		size_t k = sizeof o->buf - o->len < n ? sizeof o->buf - o->len : n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

static char exitprocs_name[64] = "exitprocs";
void dce_set_exitprocs_name(const char *name)
{
	snprintf(exitprocs_name, sizeof exitprocs_name, "%s", name);
}

/* exitprocs and the status of every process still running; returns how many
 * processes did not exit with status 0. why: as in write_status. */
static int write_outputs(const char *why)
{
	int bad = 0;
	struct dce_process **v = dce_world.procv;
	size_t n = dce_world.nprocv;
	sort_procs(v, n);
	struct outbuf o = { .fd = -1 };
	if (dce_world.out_dir) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dce_world.out_dir, exitprocs_name);
		o.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	char line[160];
	snprintf(line, sizeof line, "%-6s %-7s %-12s %-20s %-20s ", "NODE", "PID", "EXIT", "START", "END");
	out_str(&o, line);
	out_str(&o, "CMDLINE\n");
	for (size_t i = 0; i < n; i++) {
		struct dce_process *p = v[i];
		char st[32], t0[32], t1[32];
		if (p->state == DCE_P_ZOMBIE || p->state == DCE_P_REAPED) {
			if (p->killed_by)
				snprintf(st, sizeof st, "SIG%s", signame(p->killed_by));
			else
				snprintf(st, sizeof st, "%d", p->exit_code);
			if (p->killed_by || p->exit_code)
				bad++;
		} else {
			snprintf(st, sizeof st, "RUNNING");
			p->end_ns = dce_sim_now();
			bad++;
			write_status(p, why);
		}
		fmt_time(t0, sizeof t0, p->start_ns);
		fmt_time(t1, sizeof t1, p->end_ns);
		snprintf(line, sizeof line, "%-6u %-7d %-12s %-20s %-20s ", p->node->id, p->pid, st, t0, t1);
		out_str(&o, line);
		out_str(&o, p->cmdline ? p->cmdline : "");
		out_str(&o, "\n");
	}
	out_flush(&o);
	if (o.fd >= 0)
		close(o.fd);
	return bad;
}

int dce_finish(void)
{
	return write_outputs(NULL);
}

void dce_run_emergency_end(const char *why)
{
	write_outputs(why);
}
