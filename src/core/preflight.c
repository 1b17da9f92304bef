/* preflight.c - what the scenario will need of the host, against the host's limits.
 *
 * Every program of every node lives in this one host process, so the host's
 * per-process limits bound the whole scenario: memory mappings (vm.max_map_count:
 * each program maps its own ld.so, libc and libraries), open files (RLIMIT_NOFILE:
 * dce's own, a bounded cache of node roots and log files, what programs open), address space (RLIMIT_AS:
 * each process reserves its heap and stack) and memory. Programs are counted as they
 * are created (a scenario's programs are created when their start is scheduled, so
 * before any of them loads); each time the count grows by a step, the estimate is
 * compared with the limits and, the first time one is too low, one line says which
 * sysctl or ulimit to raise and to what. A mapping or open that fails later anyway
 * (dce_preflight_failed) says the same, as the program's own error is far less
 * clear ("failed to map segment"). Determinism: only what is printed depends on
 * the host; nothing here changes what programs see. */
#include "kernel.h"
#include "../libc-ns3/net/kstack.h"
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Measured with dce-udp-many and bench/scale.sh (docs/performance.md, "Scale"): a
 * dynamically linked program holds ~21 host mappings (its image, ld.so and libc, 5
 * each; libc's bss, heap, stack, TLS; its kernel stack 2); a Linux-stack node ~52
 * more (the kernel library's segments, its heap and fibers). Files: a node's
 * root and each process's stdout and stderr are reopened by path when used
 * (hostfd.c), at most dce_hostfd_cache_size() of them open at once (stdin
 * /dev/null is one shared file), and the few a program holds while it is loaded
 * (its binary, ld.so, a library). Memory: private pages, per program and per
 * Linux kernel. */
#define MAPS_PER_PROC 21
#define MAPS_PER_KNODE 52
#define FDS_PER_NODE 1
#define FDS_PER_PROC 2
#define FDS_LOADING 8
#define KB_PER_PROC 256
#define KB_PER_KNODE (4 * 1024)
#define VM_PER_PROC (300UL << 20) /* reserved: 256 MiB heap, stack, images */
#define STEP 32                   /* processes between two checks */

static long max_map_count = -1, base_maps, base_fds;
static unsigned long mem_avail_kb;
static int warned_maps, warned_fds, warned_mem, warned_as;
static int next_check = 1;

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;
	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

static long count_lines(const char *path)
{
	FILE *f = fopen(path, "re");
	long n = 0;
	int c;
	while (f && (c = getc_unlocked(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

static long count_fds(void)
{
	long n = 0;
	DIR *d = opendir("/proc/self/fd");
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n > 3 ? n - 3 : 0; /* ".", ".." and the directory's own fd */
}

static void init(void)
{
	max_map_count = read_long("/proc/sys/vm/max_map_count");
	base_maps = count_lines("/proc/self/maps");
	long knodes = 0; /* already counted here, counted in estimate() too */
	for (struct dce_node *nd = dce_world.nodes; nd; nd = nd->next)
		knodes += dce_kstack_enabled(nd->id) != 0;
	base_maps -= knodes * MAPS_PER_KNODE;
	if (base_maps < 100)
		base_maps = 100;
	base_fds = count_fds() - dce_hostfd_open_count(); /* counted in estimate() */
	if (base_fds < 0)
		base_fds = 0;
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %lu kB", &mem_avail_kb) == 1)
			break;
	if (f)
		fclose(f);
}

/* Round up to a generous, readable value to raise a limit to. */
static unsigned long advise(unsigned long need, unsigned long v)
{
	while (v < need * 2)
		v *= 2;
	return v;
}

struct need {
	long procs, knodes, nodes;
	unsigned long maps, fds, kb, vm;
};

static struct need estimate(long procs)
{
	struct need n = { .procs = procs };
	for (struct dce_node *nd = dce_world.nodes; nd; nd = nd->next) {
		n.nodes++;
		n.knodes += dce_kstack_enabled(nd->id) != 0;
	}
	n.maps = (unsigned long)base_maps + (unsigned long)procs * MAPS_PER_PROC +
	         (unsigned long)n.knodes * MAPS_PER_KNODE;
	unsigned long reopenable = (unsigned long)n.nodes * FDS_PER_NODE + (unsigned long)procs * FDS_PER_PROC;
	unsigned long cached = (unsigned long)dce_hostfd_cache_size();
	n.fds = (unsigned long)base_fds + (reopenable < cached ? reopenable : cached) + FDS_LOADING;
	n.kb = (unsigned long)procs * KB_PER_PROC + (unsigned long)n.knodes * KB_PER_KNODE;
	n.vm = (unsigned long)procs * VM_PER_PROC;
	return n;
}

static void say(const struct need *n, int which)
{
	struct rlimit rl;
	switch (which) {
	case 0:
		fprintf(stderr, "dce: preflight: %ld programs alive at once need about %lu memory mappings, "
		        "more than vm.max_map_count (%ld): raise it, as root: sysctl -w vm.max_map_count=%lu\n",
		        n->procs, n->maps, max_map_count, advise(n->maps, 65536));
		break;
	case 1:
		getrlimit(RLIMIT_NOFILE, &rl);
		fprintf(stderr, "dce: preflight: %ld nodes and %ld programs need about %lu open files, more than "
		        "the open-file limit (%lu, hard %lu): raise it before the run: ulimit -n %lu "
		        "(as root, or in /etc/security/limits.conf)\n",
		        n->nodes, n->procs, n->fds, (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max,
		        advise(n->fds, 1024));
		break;
	case 2:
		fprintf(stderr, "dce: preflight: %ld programs and %ld Linux kernels need about %lu MiB of memory, "
		        "more than the host has available (%lu MiB): run fewer nodes or add memory/swap\n",
		        n->procs, n->knodes, n->kb >> 10, mem_avail_kb >> 10);
		break;
	case 3:
		getrlimit(RLIMIT_AS, &rl);
		fprintf(stderr, "dce: preflight: %ld programs reserve about %lu GiB of address space, more than "
		        "the address-space limit (%lu MiB): raise it before the run: ulimit -v unlimited\n",
		        n->procs, n->vm >> 30, (unsigned long)(rl.rlim_cur >> 20));
		break;
	}
}

static void check(long procs)
{
	if (max_map_count < 0)
		init();
	struct need n = estimate(procs);
	struct rlimit fl, as;
	if (!warned_maps && max_map_count > 0 && n.maps > (unsigned long)max_map_count) {
		warned_maps = 1;
		say(&n, 0);
	}
	if (!warned_fds && getrlimit(RLIMIT_NOFILE, &fl) == 0 && fl.rlim_cur != RLIM_INFINITY &&
	    n.fds > fl.rlim_cur) {
		warned_fds = 1;
		say(&n, 1);
	}
	if (!warned_mem && mem_avail_kb && n.kb > mem_avail_kb) {
		warned_mem = 1;
		say(&n, 2);
	}
	if (!warned_as && getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY && n.vm > as.rlim_cur) {
		warned_as = 1;
		say(&n, 3);
	}
}

void dce_preflight_process(void)
{
	if (dce_world.live < next_check)
		return;
	next_check = dce_world.live + STEP;
	check(dce_world.live);
}

void dce_preflight_failed(int err)
{
	if (max_map_count < 0)
		init();
	struct need n = estimate(dce_world.live);
	if (err == ENOMEM && !warned_maps && max_map_count > 0 &&
	    count_lines("/proc/self/maps") + 16 >= max_map_count) {
		warned_maps = 1;
		n.maps = (unsigned long)count_lines("/proc/self/maps");
		say(&n, 0);
	} else if ((err == EMFILE || err == ENFILE) && !warned_fds) {
		warned_fds = 1;
		say(&n, 1);
	}
}
