/* dce.h - the public C API of the dce core: nodes, processes, running a scenario.
 * The ns-3 helpers (src/ns3) and the command-line runner are built on it. */
#ifndef DCE_H
#define DCE_H
#include <stdint.h>
#include <stddef.h>

struct dce_node;

struct dce_process_spec {
	const char *binary;        /* program path or name searched in the node's $PATH */
	char *const *argv;         /* argv[0] included; NULL-terminated */
	char *const *envp;         /* NULL-terminated; NULL = a small default environment */
	const char *stdin_file;    /* host path read as stdin, NULL = empty stdin */
	size_t stack_size;         /* main thread's stack; 0 = 8 MiB */
	uint64_t start_ns;         /* start this long after now (ns) */
	uint64_t stop_ns;          /* 0 = run until it exits; else SIGKILL at that time */
	unsigned uid, euid;        /* real and effective user (0 = root); saved = effective */
	unsigned gid, egid;        /* real and effective group */
};

/* Confinement of the run by the host OS (docs/security.md): 1 = required (dce_init
 * fails if the host refuses it), 0 = off. Not called: $DCE_CONFINE (0 or 1), else on,
 * with a one-line warning when refused. Call before dce_init. */
void dce_set_confine(int on);
/* The name of the exit table in out_dir (default "exitprocs"); a rank of a distributed
 * run writes its own part, merged at the end (src/mpi). Call before dce_init. */
void dce_set_exitprocs_name(const char *name);
/* Global settings; call before creating nodes. out_dir holds files-N/ and exitprocs. */
int dce_init(const char *out_dir, uint64_t seed);
/* Create node `id`. Its files-N/ tree (/etc, /tmp, /var/log, ...) is made on first
 * use: when a program is created on it or a path is resolved in it. */
struct dce_node *dce_node_create(uint32_t id);
/* A file every node sees at vpath (e.g. "/etc/hosts") with these contents, kept
 * once in OUT/shared<vpath>, until a program of a node writes, truncates, renames,
 * removes or changes the metadata of it: then that node gets its own copy in
 * files-N<vpath>. A node whose files-N<vpath> exists already keeps its own. Calling
 * it again replaces the contents (for the nodes without their own). 0 or -errno. */
int dce_share_file(const char *vpath, const void *data, size_t len);
struct dce_node *dce_node_get(uint32_t id);
/* Make a host path prefix visible read-only inside every node (see docs/user-guide.md). */
int dce_map_host_path(const char *prefix);
/* Schedule a process; returns its future virtual pid (>0) or -errno. */
int dce_process_schedule(struct dce_node *node, const struct dce_process_spec *spec);
/* Send a signal to a process from outside (e.g. SIGKILL when an application stops).
 * Returns 0, or -ESRCH if it is not running. */
int dce_process_signal(struct dce_node *node, int pid, int sig);
/* The process's state: 1 running or not yet started, 0 exited (status in *code and
 * *signal), -ESRCH unknown. */
int dce_process_state(struct dce_node *node, int pid, int *code, int *signal);
/* After the simulation ran: write exitprocs, report; returns the number of processes
 * that did not exit with status 0. */
int dce_finish(void);
/* For conditional gdb breakpoints, as in ns-3-dce: the node id and the virtual pid
 * of the simulated program running now (-1 when the simulator itself runs), e.g.
 *   (gdb) break sys_write if dce_debug_nodeid() == 1 */
int dce_debug_nodeid(void);
int dce_debug_pid(void);
/* End the simulation as soon as the last process has exited (dce-run does this:
 * nodes' kernels have timers that would keep an open-ended simulation going). */
void dce_stop_when_done(int on);
/* Time a busy-waiting program advances per clock read after many reads (ns). */
void dce_set_clock_quantum(uint64_t ns);
/* Simulated time each system call costs (default 1000 ns; 0: none). A thread
 * sleeps its owed cost once it reaches slice_ns (default 1 ms); owed cost is
 * dropped when the thread waits while simulated time passes. Deterministic. */
void dce_set_syscall_cost(uint64_t cost_ns, uint64_t slice_ns);
/* A program running this much host CPU time without a system call is preempted
 * and sleeps that long in simulated time (default 1 s; 0: never). A fallback for
 * loops without system calls; where it preempts depends on the host. Returns 0
 * or -errno if the host timer cannot be set. */
int dce_set_cpu_watchdog(uint64_t budget_ns);

#endif
