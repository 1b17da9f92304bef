/* dce-kernel.h - the contract between a host and one Linux kernel instance.
 *
 * liblinux-6.1.so is Linux 6.1 built for arch/dce (src/kernel/arch/dce): no MMU,
 * one CPU, linked as a position-independent shared object that exports only the
 * dce_kernel_* functions below. A host loads one private copy per node with
 * dce_kernel_image_load (src/loader/kernel-image.h): text is shared, every global of
 * the kernel is private to the copy. Each copy is one machine.
 *
 * Control flow. The kernel never runs on its own: the host enters it (boot, a
 * request, an interrupt) by switching from the fiber it is running on to the
 * kernel's, and the kernel switches back when it has nothing left to run (its idle
 * task). Entries must not nest: callbacks below run inside the kernel and must not
 * re-enter it (queue the work and enter later). Time is the host's: the kernel reads
 * it through now_ns and asks for a timer interrupt through timer_set; nothing in the
 * kernel waits on host time, so runs are deterministic.
 *
 * Requests. A syscall runs in a kernel task (a process of the simulated machine,
 * with its own file table). The host creates tasks and runs syscalls through
 * requests; a request completes (request_done) either during the dce_kernel_submit
 * that carried it or later, during an interrupt, when a blocked syscall can go on.
 *
 * System call numbers are the kernel's asm-generic ones (DCE_KSYS_*), arguments are
 * host pointers and values exactly as for Linux on x86_64 (same structure layouts).
 * Results are Linux results: >= 0 or a negative errno.
 *
 * This header is freestanding (no includes): the kernel build includes it too. */
#ifndef DCE_KERNEL_INTERFACE_H
#define DCE_KERNEL_INTERFACE_H

#define DCE_KERNEL_ABI 2

struct dce_kernel_request;

/* What the kernel needs from its host. Every callback gets ctx first. */
struct dce_kernel_host {
	unsigned int abi;                  /* DCE_KERNEL_ABI */
	void *ctx;
	/* Memory: the machine's RAM block (once, at boot) and nothing else. */
	void *(*mem_alloc)(void *ctx, unsigned long size, unsigned long align);
	void (*mem_free)(void *ctx, void *p, unsigned long size);
	/* Console output (printk), a line or a fragment at a time. */
	void (*log)(void *ctx, const char *text, unsigned long len);
	/* Simulated time in nanoseconds; never goes back. */
	unsigned long long (*now_ns)(void *ctx);
	/* One-shot timer: call dce_kernel_interrupt(DCE_KIRQ_TIMER) at at_ns (absolute).
	 * A new call replaces the pending one. */
	void (*timer_set)(void *ctx, unsigned long long at_ns);
	void (*timer_cancel)(void *ctx);
	/* Fibers for kernel tasks: create one that calls entry(arg) when first switched
	 * to (entry never returns), switch from the current one to another (saving the
	 * current context into from), free one that no longer runs. */
	void *(*fiber_new)(void *ctx, unsigned long stack_size, void (*entry)(void *), void *arg);
	void (*fiber_switch)(void *ctx, void *from, void *to);
	void (*fiber_free)(void *ctx, void *fiber);
	/* A network device sends a frame (Ethernet header included). frame is valid
	 * only during the call; dev_cookie is the one given at DCE_KREQ_NETDEV_NEW. */
	void (*net_transmit)(void *ctx, void *dev_cookie, const void *frame, unsigned long len);
	/* A request finished: r->result is set. */
	void (*request_done)(void *ctx, struct dce_kernel_request *r);
	/* The kernel finished booting (its first task is ready for requests). */
	void (*booted)(void *ctx);
	/* The kernel panicked: msg is the panic message. The instance never runs again;
	 * the host may unmap it once the current entry has returned. */
	void (*panic)(void *ctx, const char *msg);
	/* A watched file's readiness may have changed (DCE_KREQ_WATCH): mask holds the
	 * poll bits of the wakeup when the kernel names them, else 0. Like every
	 * callback, it must only record (wake a waiter), never re-enter. */
	void (*file_event)(void *ctx, void *cookie, unsigned int mask);
};

struct dce_kernel_boot_params {
	void *host_fiber;          /* the host's fiber slot entries switch from (see above) */
	unsigned long ram_bytes;   /* size of the RAM block (0: 32 MiB) */
	unsigned long long seed;   /* randomness of this machine (scenario seed + node) */
	long long wall_clock_sec;  /* realtime at boot (0: 2024-01-01) */
	const char *cmdline;       /* kernel command line, may be 0 */
};

enum dce_kernel_request_op {
	DCE_KREQ_TASK_NEW = 1,     /* result: a task handle (> 0) or -errno; task unused.
	                            * args[0] DCE_KTASK_SHARE_FILES: the task shares one
	                            * file table with every other such task (a descriptor
	                            * opened in one is valid in all), else its own. */
	DCE_KREQ_TASK_EXIT,        /* the task exits (closing its files); result 0 */
	DCE_KREQ_SYSCALL,          /* task runs nr(args); result is the syscall's */
	DCE_KREQ_NETDEV_NEW,       /* an Ethernet device: args[0] name ("eth%d" if 0),
	                            * args[1] 6-byte MAC (random if 0), args[2] MTU
	                            * (1500 if 0), args[3] the host's dev_cookie,
	                            * args[4] DCE_KNETDEV_* flags;
	                            * result: its ifindex or -errno. The device starts down:
	                            * configure it with ioctl/netlink like any Linux. */
	DCE_KREQ_WATCH,            /* task's file args[0]: call file_event(args[1]) on every
	                            * wakeup of its wait queues (what epoll registers on);
	                            * result: a watch handle (> 0) or -errno. The watch
	                            * holds the file open until DCE_KREQ_UNWATCH. */
	DCE_KREQ_UNWATCH,          /* args[0] a watch handle: removed; result 0 */
};

#define DCE_KTASK_SHARE_FILES 1
/* The medium has no link-layer resolution (point-to-point): no ARP/ND, frames
 * go out with the device's own address as destination. */
#define DCE_KNETDEV_NOARP 1

struct dce_kernel_request {
	int op;
	long task;                 /* the task a SYSCALL or TASK_EXIT runs in */
	long nr;                   /* DCE_KSYS_* */
	long args[6];
	long result;
	void *cookie;              /* the host's */
	struct dce_kernel_request *next; /* kernel private */
};

enum dce_kernel_irq {
	DCE_KIRQ_TIMER = 0,
};

/* Entry points exported by liblinux-6.1.so (look them up per instance). */
typedef int (*dce_kernel_boot_fn)(const struct dce_kernel_host *host,
                                  const struct dce_kernel_boot_params *params);
typedef void (*dce_kernel_submit_fn)(struct dce_kernel_request *r);
typedef void (*dce_kernel_interrupt_fn)(int irq);
/* A frame arrives on device ifindex; it is copied before the call returns. */
typedef void (*dce_kernel_net_receive_fn)(int ifindex, const void *frame, unsigned long len);

#define DCE_KERNEL_BOOT_SYMBOL "dce_kernel_boot"
#define DCE_KERNEL_SUBMIT_SYMBOL "dce_kernel_submit"
#define DCE_KERNEL_INTERRUPT_SYMBOL "dce_kernel_interrupt"
#define DCE_KERNEL_NET_RECEIVE_SYMBOL "dce_kernel_net_receive"

/* sysctl and /sys: procfs is mounted on /proc and sysfs on /sys in every kernel, so
 * a task reads and writes /proc/sys/... (openat, read, write) as on Linux. */

/* asm-generic system call numbers of the network-facing calls. */
enum dce_kernel_sysno {
	DCE_KSYS_ioctl = 29,
	DCE_KSYS_fcntl = 25,
	DCE_KSYS_close = 57,
	DCE_KSYS_read = 63,
	DCE_KSYS_write = 64,
	DCE_KSYS_readv = 65,
	DCE_KSYS_writev = 66,
	DCE_KSYS_ppoll = 73,
	DCE_KSYS_openat = 56,
	DCE_KSYS_socket = 198,
	DCE_KSYS_socketpair = 199,
	DCE_KSYS_bind = 200,
	DCE_KSYS_listen = 201,
	DCE_KSYS_accept = 202,
	DCE_KSYS_connect = 203,
	DCE_KSYS_getsockname = 204,
	DCE_KSYS_getpeername = 205,
	DCE_KSYS_sendto = 206,
	DCE_KSYS_recvfrom = 207,
	DCE_KSYS_setsockopt = 208,
	DCE_KSYS_getsockopt = 209,
	DCE_KSYS_shutdown = 210,
	DCE_KSYS_sendmsg = 211,
	DCE_KSYS_recvmsg = 212,
	DCE_KSYS_accept4 = 242,
	DCE_KSYS_lseek = 62,
	DCE_KSYS_nanosleep = 101,
	DCE_KSYS_uname = 160,
	DCE_KSYS_sethostname = 161,
	DCE_KSYS_getrandom = 278,
	DCE_KSYS_pread64 = 67,
	DCE_KSYS_pwrite64 = 68,
	DCE_KSYS_getdents64 = 61,
	DCE_KSYS_statx = 291,
	DCE_KSYS_recvmmsg = 243,
	DCE_KSYS_sendmmsg = 269,
};

#endif
