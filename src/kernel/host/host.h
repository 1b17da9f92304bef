/* host.h - a minimal standalone host for liblinux-6.1.so (no ns-3).
 *
 * It is what dce does for a node's kernel, reduced to a test bench: load a private
 * copy of the library, provide its callbacks (RAM from mmap, printk to a file, a
 * deterministic event loop for time and timers, src/core fibers for kernel tasks,
 * randomness from a seed), and run simulated "processes" (host fibers) whose
 * system calls go to their node's kernel as requests. */
#ifndef DCE_KERNEL_HOST_H
#define DCE_KERNEL_HOST_H
#include <stdint.h>
#include <stdio.h>
#include "../dce-kernel.h"
#include "../../core/fiber.h"
#include "../../loader/kernel-image.h"

struct khost_node {
	int id;
	struct dce_kernel_image image;
	dce_kernel_boot_fn boot;
	dce_kernel_submit_fn submit;
	dce_kernel_interrupt_fn interrupt;
	dce_kernel_net_receive_fn net_receive;
	struct dce_kernel_host ops;
	struct dce_fiber host_slot;   /* the host's side of every kernel entry */
	uint64_t timer_event;         /* pending timer event id, 0 if none */
	uint64_t timer_interrupts;
	int booted, dead;
	uint64_t boot_started_ns, boot_ns; /* wall clock */
	size_t ram_bytes;
	void *ram;
	FILE *log;
	char log_path[256];
};

struct khost_proc {
	struct khost_node *node;
	struct dce_fiber fiber;
	long task;                    /* its kernel task */
	int done, blocked, finished;
	void (*main)(struct khost_proc *p, void *arg);
	void *arg;
	struct khost_proc *next_runnable;
	const char *name;
};

/* One end of a point-to-point Ethernet link between two nodes' kernels: frames
 * are serialized at rate_bps, delivered after delay_ns, dropped when more than
 * queue_bytes wait (a drop-tail queue). */
struct khost_link_end {
	struct khost_node *node;
	int ifindex;
	struct khost_link_end *peer;
	uint64_t delay_ns, rate_bps, queue_bytes, busy_until;
	uint64_t frames, drops;
};

/* Simulated time (ns) and the event loop. */
uint64_t khost_now(void);
typedef void (*khost_event_fn)(void *arg);
uint64_t khost_schedule_at(uint64_t at_ns, khost_event_fn fn, void *arg);
void khost_cancel(uint64_t id);
/* Run processes and events until every process finished (and *flag, if given, is
 * set), nothing is left to run, or the next event is after limit_ns (absolute).
 * Returns the number of processes that did not finish. */
int khost_run(uint64_t limit_ns, const int *flag);

/* Load and boot a kernel copy (boot completes while khost_run runs). */
int khost_node_start(struct khost_node *n, int id, const char *lib, uint64_t seed,
                     const char *log_dir);
/* A process on node n running main(p, arg) in its own kernel task. */
struct khost_proc *khost_spawn(struct khost_node *n, const char *name,
                               void (*main)(struct khost_proc *p, void *arg), void *arg);
/* A system call of p in its kernel (DCE_KSYS_* numbers); blocks p, not the host. */
long khost_syscall(struct khost_proc *p, long nr, long a0, long a1, long a2, long a3,
                   long a4, long a5);

/* Resident writable memory of node n's kernel copy (KiB): image data+bss, touched
 * RAM, task stacks. */
void khost_node_memory(struct khost_node *n, long *image_kib, long *ram_kib, long *stacks_kib);
/* Create an Ethernet device for link end e in p's kernel (DCE_KREQ_NETDEV_NEW);
 * returns and records its ifindex, or -errno. */
long khost_netdev_new(struct khost_proc *p, const char *name, struct khost_link_end *e);
/* Connect two ends (both directions use the same rate, delay and queue). */
void khost_link_init(struct khost_link_end *a, struct khost_link_end *b, uint64_t rate_bps,
                     uint64_t delay_ns, uint64_t queue_bytes);
/* sysctl through /proc/sys in p's kernel: 0 or -errno; read returns the length. */
long khost_sysctl_write(struct khost_proc *p, const char *name, const char *value);
long khost_sysctl_read(struct khost_proc *p, const char *name, char *buf, size_t size);

#endif
