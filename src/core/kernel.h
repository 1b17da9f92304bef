/* kernel.h - the emulated kernel's objects: nodes, processes, threads, open files and
 * wait queues. Shared by src/core (scheduling, process table) and src/libc-ns3 (the
 * syscall ABI). Not a public header. */
#ifndef DCE_KERNEL_H
#define DCE_KERNEL_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <ucontext.h>
#include "dce.h"
#include "fiber.h"

#define DCE_NSIG 65
#define DCE_KSTACK_SIZE (256 * 1024)

struct dce_thread;
struct dce_file;
struct dce_process;
struct fixed_share;
struct dce_kstack;

/* Threads waiting for something; woken in FIFO order (deterministic). */
struct dce_waitq {
	struct dce_waiter *head, *tail;
};
struct dce_waiter {
	struct dce_thread *thread;
	struct dce_waitq *q;
	struct dce_waiter *next, *prev;
	struct dce_waiter *tnext; /* the thread's other waits (poll waits on many) */
};

/* A host descriptor that may be closed while idle and reopened by its path
 * (hostfd.c): node roots and programs' log files, so that the number of host
 * files open does not grow with the number of nodes. */
struct dce_hostfd {
	int fd;                    /* -1: closed now (reopened by dce_hostfd_get) */
	char *path;                /* NULL: a fixed descriptor, never closed early */
	int oflags;                /* open flags to reopen with */
	off_t pos;                 /* offset kept while closed (-1: none) */
	struct dce_hostfd *prev, *next; /* least-recently-used order of the open ones */
};

struct dce_node {
	uint32_t id;
	char *root;                /* host path of files-N */
	struct dce_hostfd rootdir; /* O_PATH fd of files-N: dce_hostfd_get(&n->rootdir) */
	char hostname[65];
	uint64_t rand_state;       /* /dev/urandom and getrandom for this node */
	int next_pid;
	struct dce_kstack *kstack;  /* its Linux kernel (advanced mode), NULL: dce's sockets */
	struct dce_nodeclock *clock; /* its adjusted realtime clock (time.c), NULL: untouched */
	struct dce_locks *locks;   /* file locks held on its files (locks.c) */
	char *logroot;             /* where var/log/<pid>/ goes; NULL: root (dce-nuse: out dir) */
	int tree;                  /* files-N made (on first use: dce_node_root_fd) */
	uint32_t shared_own;       /* bit i: shared file i is the node's own now (path.c) */
	struct dce_node *next;
};

struct dce_mapping {                /* a writable private mapping, tracked for fork */
	uintptr_t start, end;
	struct dce_mapping *next;
};

struct dce_sigaction {
	uint64_t handler, flags, restorer, mask;
};

enum dce_thread_state { DCE_T_NEW, DCE_T_RUNNING, DCE_T_RUNNABLE, DCE_T_BLOCKED, DCE_T_DEAD };

struct dce_thread {
	struct dce_fiber fiber;
	struct dce_process *proc;
	int tid;
	enum dce_thread_state state;
	uint64_t user_fs;
	ucontext_t *uc;            /* user context of the trap being served */
	struct dce_file *ahead_want[4]; /* files to read ahead at the end of this entry */
	int n_ahead_want;
	ucontext_t start_uc;       /* user context a new thread starts from */
	/* blocking */
	int wake_reason;           /* 0 = woken, -ETIMEDOUT, -EINTR */
	uint64_t timer_event;
	uint64_t wake_event;
	/* thread state the kernel keeps */
	uint64_t clear_child_tid;
	uint64_t robust_list;
	uint64_t sigmask;
	uint64_t sigpending;
	stack_t altstack;
	int clock_reads;           /* consecutive clock reads without blocking */
	uint64_t cpu_debt_ns;      /* system call cost not yet slept off (time.c) */
	uint64_t copy_debt_ps;     /* Linux-stack copying not yet slept off (ksock.c) */
	struct dce_waiter *waits;  /* wait queues this thread is on */
	void *futex_wait;          /* its futex waiter while in FUTEX_WAIT */
	long last_nr;              /* syscall being served (for SA_RESTART) */
	uintptr_t kbuf_start, kbuf_end; /* a buffer of dce's passed where user memory goes
	                            * (uaccess.h: dce_uaccess_allow) */
	void *fault_fixup;         /* sigjmp_buf of the call being served: a fault on its
	                            * user memory returns there as EFAULT (trap.c) */
	uint64_t saved_sigmask;    /* mask to restore after rt_sigsuspend's handler */
	int restore_sigmask;
	struct dce_thread *next;   /* in proc->threads */
};

struct dce_fdtable {
	int refs;
	int size;
	struct dce_file **files;
	unsigned char *cloexec;
};

enum dce_proc_state { DCE_P_LOADING, DCE_P_RUNNING, DCE_P_ZOMBIE, DCE_P_REAPED };

struct dce_process {
	struct dce_node *node;
	int pid, ppid, pgid, sid;
	enum dce_proc_state state;
	struct dce_process *parent;
	int had_children;          /* some process was created with this one as parent */
	struct dce_process *child_scan; /* wait: no unreaped child before it on the list (proc.c) */
	struct dce_thread *threads;
	int nthreads;
	struct dce_fdtable *fds;
	char cwd[PATH_MAX];        /* virtual absolute path */
	mode_t umask;
	struct dce_sigaction sigact[DCE_NSIG];
	uint64_t sigpending;       /* process-directed pending signals */
	/* memory */
	uintptr_t brk_base, brk_cur, brk_max;
	uintptr_t stack_lo, stack_hi; /* the main thread's stack reservation (loader.c), gap included */
	struct dce_mapping *maps;
	uintptr_t uhit_start, uhit_end; /* the mapping a user pointer last fell in (uaccess.c) */
	/* life */
	uint64_t start_ns, end_ns, stop_event;
	int exit_code;             /* valid when !killed_by */
	int killed_by;             /* signal number, 0 if exited */
	char *fatal;               /* one-line reason when it could not start or was killed */
	struct dce_waitq child_wait;  /* parents in wait4 */
	struct dce_waitq vfork_wait;
	int vfork_done;
	char *cmdline;             /* argv joined by spaces, for status and exitprocs */
	char *exe;                 /* virtual path of the executable */
	char *logdir;              /* host path of files-N/var/log/<pid> */
	uint64_t unknown_reported[8]; /* bitmap of syscall numbers already reported */
	char unsupported[8][96];   /* "unsupported:" lines for the status file (first 8 distinct) */
	int nunsupported;
	uint64_t alarm_event;
	struct fixed_share *fixed;  /* its share of a non-PIE executable (loader/fixed_image.c) */
	unsigned long private_kb;  /* with DCE_MEMSTAT: private dirty memory at exit */
	struct dce_cred *cred;     /* ids and capabilities (creds.c); NULL: root */
	struct dce_fsroot *fsroot; /* its chroot (path.c); NULL: the node's root */
	struct dce_process *next_all;
};

struct dce_file_ops;
struct dce_file {
	int refs;
	const struct dce_file_ops *ops;
	int hostfd;                /* -1 if not backed by a host fd; read it with dce_file_hostfd */
	struct dce_hostfd *reopen; /* non-NULL: the host fd is reopened by path (hostfd unused) */
	int flags;                 /* O_ flags (status flags) */
	char *vpath;               /* virtual path for /proc/self/fd and fchdir */
	void *priv;
	struct dce_waitq readq, writeq; /* readiness waiters (poll/select/epoll) */
	uint64_t events;           /* dce_file_notify calls: readiness edges for EPOLLET */
	int owner;                 /* F_SETOWN: pid (> 0) or process group (< 0) for SIGIO */
	struct dce_node *owner_node; /* the node of that pid */
	int sigio;                 /* F_SETSIG: the signal sent instead of SIGIO (0: SIGIO) */
	/* "This non-blocking call returns EAGAIN": what the full path found in the
	 * entry numbered again_at (dce_slow_entries) for the call again_nr, with the
	 * buffer it checked then; fastcall.c answers its repeats until the next full
	 * entry. Set by dce_file_again, cleared by dce_file_notify. */
	uint64_t again_at;
	long again_nr, again_args[3];  /* the call; recvfrom/sendto: flags, address, length */
	struct dce_ahead *ahead;       /* data read ahead for the program (NULL: none) */
};

/* A copy of the bytes a file's stack holds for the program's next read(2), made
 * when a poll or select told the program the file is readable (its read_ahead):
 * fastcall.c serves the program's reads from it until the next full entry, and
 * the bytes it handed out are taken from the stack at that entry (take), before
 * anything else runs: the stack sees them read at the simulated time the program
 * read them, and bytes the program did not read stay in the stack. */
struct dce_ahead {
	char *buf;
	size_t off, len, cap;          /* not yet read by the program: [off, len) */
	size_t taken;                  /* read by the program, still in the stack */
	uint64_t at;                   /* the entry (dce_slow_entries) that copied them */
	int all;                       /* the copy is everything the stack held then */
	void (*take)(struct dce_ahead *); /* take `taken` bytes from the stack, drop the copy */
};
/* the copies with bytes taken (fastcall.c appends; dce_ahead_sync empties) */
#define DCE_AHEAD_PENDING 16
extern struct dce_ahead *dce_ahead_pending[DCE_AHEAD_PENDING];
extern int dce_n_ahead_pending;
/* At every full entry and every switch back to the scheduler (fd.c) */
void dce_ahead_sync(void);
void dce_ahead_forget(struct dce_ahead *a); /* its file is going away */

struct dce_file_ops {
	const char *name;
	ssize_t (*read)(struct dce_thread *, struct dce_file *, void *, size_t);
	ssize_t (*write)(struct dce_thread *, struct dce_file *, const void *, size_t);
	/* readiness mask (POLLIN/POLLOUT/...) right now */
	int (*poll)(struct dce_file *);
	void (*release)(struct dce_file *);
	/* a poll, select or epoll_wait just reported f readable to the program: take
	 * what its next read will want into f->ahead (NULL: never) */
	void (*read_ahead)(struct dce_thread *, struct dce_file *);
};

/* ---- global state of the run (one host process runs one scenario) ---- */
struct dce_world {
	char *out_dir;
	uint64_t seed;
	uint64_t clock_quantum;
	uint64_t syscall_cost;        /* simulated ns each system call costs (time.c) */
	uint64_t cost_slice;          /* owed cost is slept off once it reaches this */
	uint64_t cpu_watchdog;        /* host CPU ns a program may run without a call */
	struct dce_process **procv;   /* the same processes, for the output tables */
	size_t nprocv, procv_cap;
	uint64_t epoch_ns;            /* CLOCK_REALTIME at simulated time 0 */
	struct dce_node *nodes;
	struct dce_process *procs;    /* every process ever created, in creation order */
	char **host_maps;
	int n_host_maps;
	int live;                     /* processes not yet exited */
	FILE *err;                    /* the scenario's stderr */
	int trace;                    /* DCE_TRACE=1: log every system call */
	int memstat;                  /* DCE_MEMSTAT=1: private memory of each process at exit */
	int stop_when_done;           /* end the simulation when the last process exits */
	int host_stdio;               /* programs get dce's own stdin/stdout/stderr (dce-nuse) */
};
extern struct dce_world dce_world;
extern struct dce_thread *dce_current;

/* preflight.c: the host limits the scenario will reach, said before they fail */
void dce_preflight_process(void);   /* a process was created */
void dce_preflight_failed(int err); /* a host mmap or open failed with err */

/* sched.c */
void dce_sched_init(void);
void dce_thread_run(struct dce_thread *t);            /* from an event: run t until it blocks */
int dce_thread_block(struct dce_thread *t, int64_t timeout_ns); /* 0, -ETIMEDOUT or -EINTR */
void dce_thread_wake(struct dce_thread *t, int reason);
void dce_thread_exit_fiber(struct dce_thread *t) __attribute__((noreturn));
void dce_waitq_add(struct dce_waitq *q, struct dce_waiter *w, struct dce_thread *t);
void dce_waitq_del(struct dce_waiter *w);
/* Drop every wait of a thread that is being destroyed while blocked. */
void dce_thread_forget_waits(struct dce_thread *t);
void dce_waitq_wake_all(struct dce_waitq *q);
void dce_waitq_wake_one(struct dce_waitq *q);
/* Wait on q until cond() or timeout; returns 0, -ETIMEDOUT or -EINTR. */
int dce_wait_on(struct dce_thread *t, struct dce_waitq *q, int64_t timeout_ns);
/* Block on q once, ignoring signals (the caller re-checks its condition). */
void dce_thread_block_uninterruptible(struct dce_thread *t, struct dce_waitq *q);

/* confine.c: namespaces and a seccomp filter for the whole run (docs/security.md);
 * 0 when confined or allowed to run unconfined, -1 (reported) otherwise. */
int dce_confine(const char *out_dir);

/* creds.c: a new process gets its parent's credentials and root (root otherwise) */
void dce_cred_inherit(struct dce_process *p, struct dce_process *parent);
/* The node's /etc/passwd and /etc/group (host's users and groups when readable):
 * shared by every node (dce_share_file) once, else written into etcdir. */
void dce_cred_node_etc(const char *etcdir);

/* process.c */
struct dce_process *dce_process_new(struct dce_node *node, struct dce_process *parent);
struct dce_thread *dce_thread_new(struct dce_process *p);
void dce_process_exit(struct dce_process *p, int code, int sig) __attribute__((noreturn));
void dce_process_kill(struct dce_process *p, int sig); /* from outside the process */
void dce_process_fatal(struct dce_process *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dce_report_unknown_syscall(struct dce_process *p, long nr);
/* Something the program asked for that dce does not offer (it got Linux's errno):
 * one "unsupported: ..." line in its status file, once per distinct text. */
void dce_report_unsupported(struct dce_process *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dce_process_exec(struct dce_thread *t, const char *path, char *const argv[], char *const envp[]);
struct dce_process *dce_process_find(struct dce_node *n, int pid);
void dce_thread_enter_user(struct dce_thread *t) __attribute__((noreturn));
/* End the run now (a signal to dce, an internal fault): write exitprocs and every
 * process's status, running ones as "running: <why> at <simulated time>". Uses no
 * malloc and no stdio, so it may run in a signal handler that interrupted dce.
 * Returns; the caller exits. */
void dce_run_emergency_end(const char *why);

/* hostfd.c */
void dce_hostfd_init(struct dce_hostfd *h, int fd, const char *path, int oflags); /* path NULL: fixed */
/* process.c: mkdir -p of a host path (0 or -1) */
int dce_mkdirs(const char *path);
/* process.c: the node's root directory, files-N made first if not yet */
int dce_node_root_fd(struct dce_node *n);
int dce_hostfd_get(struct dce_hostfd *h); /* the open descriptor, reopened if it was closed; -1 */
void dce_hostfd_release(struct dce_hostfd *h);
long dce_hostfd_cache_size(void); /* how many reopenable descriptors may be open at once */
long dce_hostfd_open_count(void);  /* how many are open now */

/* The host descriptor behind f (-1: none). */
static inline int dce_file_hostfd(struct dce_file *f)
{
	return f->reopen ? dce_hostfd_get(f->reopen) : f->hostfd;
}

/* fd.c */
struct dce_fdtable *dce_fdtable_new(void);
struct dce_fdtable *dce_fdtable_dup(struct dce_fdtable *t);
void dce_fdtable_put(struct dce_fdtable *t);
struct dce_file *dce_file_new(const struct dce_file_ops *ops, int hostfd, int flags);
struct dce_file *dce_file_get(struct dce_file *f);
void dce_file_put(struct dce_file *f);
int dce_fd_install(struct dce_process *p, struct dce_file *f, int minfd, int cloexec);
int dce_fd_install_at(struct dce_process *p, struct dce_file *f, int fd, int cloexec);
struct dce_file *dce_fd_lookup(struct dce_process *p, int fd);
int dce_fd_close(struct dce_process *p, int fd);
void dce_fd_close_on_exec(struct dce_process *p);
void dce_file_notify(struct dce_file *f); /* readiness changed: wake pollers */
/* Called by a read (write) handler when a non-blocking read (write) of f returns
 * EAGAIN now and will until the next change of f's state (dce_file_notify):
 * fastcall.c then answers repeats of the same read(2), write(2), recvfrom(2) or
 * sendto(2) without the full entry, until the next full entry. Other calls are
 * ignored. nr: the call recorded (-1: the one being served, t->last_nr). */
void dce_file_again(struct dce_thread *t, struct dce_file *f, int write, long nr);
/* poll.c: f was reported readable; its read_ahead runs at the end of the entry */
void dce_file_want_ahead(struct dce_thread *t, struct dce_file *f);
void dce_file_read_ahead(struct dce_thread *t);
int dce_fastcall_on(void); /* fastcall.c: DCE_FASTCALL is not 0 and DCE_TRACE is off */
extern const struct dce_file_ops dce_hostfile_ops;

/* mm.c */
unsigned long dce_mm_private_kb(struct dce_process *p);

/* time.c */
uint64_t dce_time_realtime_ns(void);
uint64_t dce_time_node_realtime_ns(struct dce_node *n); /* CLOCK_REALTIME of node n */
/* At every system call entry: charge its cost, sleeping once enough is owed. */
void dce_time_syscall_cost(struct dce_thread *t);
/* Grow *arrayp, an array of pointers indexed by node id of *len entries, so that it
 * has entry id: doubled from 64, new entries NULL (process.c). */
void dce_grow_by_id(void *arrayp, uint32_t *len, uint32_t id);

/* watchdog.c (libc-ns3): preempting programs that run without system calls */
extern uint64_t dce_entries;  /* times simulated code entered dce: traps, switches */
/* The same without fastcall.c's calls: program state dce saw in one full entry
 * holds until the next (no event, no other program ran in between). */
extern uint64_t dce_slow_entries;
int dce_watchdog_arm(uint64_t budget_ns);

/* shutdown.c: SIGINT, SIGTERM and SIGHUP to dce end the run with its outputs */
void dce_shutdown_init(void);

/* random.c */
#define DCE_RANDOM_NODE 0   /* purposes of dce_random_key */
#define DCE_RANDOM_KERNEL 1
uint64_t dce_mix64(uint64_t z);
uint64_t dce_random_key(uint64_t seed, uint64_t id, uint64_t purpose);
void dce_random_fill(struct dce_node *n, void *buf, size_t len);

/* loader (src/loader) */
struct dce_image {
	uintptr_t entry;           /* where the thread starts (interpreter's entry if any) */
	uintptr_t stack_top;       /* initial rsp */
	uintptr_t brk;
};
int dce_loader_exec(struct dce_process *p, const char *vpath, int hostfd,
                    char *const argv[], char *const envp[], size_t stack_size,
                    struct dce_image *img, char *err, size_t errlen);

/* fs.c */
int dce_fs_open_host(struct dce_process *p, int dirfd, const char *path, int flags, mode_t mode,
                     char *vpath_out);
int dce_fs_find_program(struct dce_process *p, const char *name, char *const envp[],
                        char *vpath_out, char *err, size_t errlen);

/* syscall.c */
long dce_syscall(struct dce_thread *t, long nr, long a1, long a2, long a3, long a4, long a5, long a6);
#define DCE_SYSCALL_NORETURN (-4096 - 1)

/* signal.c */
void dce_signal_send_proc(struct dce_process *p, int sig);
void dce_signal_send_thread(struct dce_thread *t, int sig);
void dce_signal_deliver(struct dce_thread *t, ucontext_t *uc);
int dce_signal_pending(struct dce_thread *t);
int dce_signal_fault_handled(struct dce_thread *t, int sig, const siginfo_t *info);

/* A pointer argument used in place. The system call entry has checked it against
 * the calling process's memory (uaccess_table.c) and faults through it are the
 * call's EFAULT (trap.c); a pointer read from user memory is checked with
 * dce_user_ptr or copied with dce_copy_from_user (uaccess.h) instead. */
#define DCE_USER(p) ((void *)(uintptr_t)(p))

#endif
