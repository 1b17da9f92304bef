/* fork.c - fork inside one address space, parent and child running concurrently.
 *
 * A forked child lives at its parent's addresses. The processes sharing addresses
 * form a group; at any moment the memory holds the image of one of them (the
 * resident). Before a thread of another member runs (dce_fork_activate, called by
 * the scheduler), the resident's writable memory is saved and the member's saved
 * image restored. Only pages in memory are copied (mincore); pages never touched
 * are dropped on restore. A member leaves at exec or exit (dce_fork_release, called
 * when its memory is released); a leaving member that owns the shared mappings
 * hands them to one that stays. A CLONE_VM child (vfork, posix_spawn) is an alias:
 * it uses its parent's image. */
#include "../core/kernel.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

struct range {
	uintptr_t start, end;
};

struct run {
	uintptr_t addr;
	size_t pages;
};

/* A range's pages in memory, as runs (a sparse 1 TiB mapping costs what it holds,
 * not a byte per page); their contents follow each other in the snapshot's buffer,
 * from offset data. */
struct saved_range {
	uintptr_t start, end;
	struct run *runs;
	size_t nruns;
	size_t data;
};

struct snapshot {
	int n, cap;
	struct saved_range *r;
	unsigned char *buf; /* from the buffer pool */
	size_t bufcap;
};

struct fork_group;
struct fork_member {
	struct dce_process *p;
	struct fork_group *g;
	struct fork_member *image;  /* whose image this member runs on (itself unless alias) */
	struct snapshot *saved;     /* its image while another one is resident */
	struct fork_member *next;   /* all members of all groups */
};

struct fork_group {
	struct fork_member *resident; /* NULL: memory holds no live member's image */
	int members;
};

static struct fork_member *members;
static void dissolve_if_alone(struct fork_group *g);

static struct fork_member *member_of(struct dce_process *p)
{
	for (struct fork_member *m = members; m; m = m->next)
		if (m->p == p)
			return m;
	return NULL;
}

static struct fork_member *member_new(struct dce_process *p, struct fork_group *g, struct fork_member *image)
{
	struct fork_member *m = calloc(1, sizeof *m);
	m->p = p;
	m->g = g;
	m->image = image ? image : m;
	g->members++;
	m->next = members;
	members = m;
	return m;
}

static struct fork_member *member_or_new(struct dce_process *p)
{
	struct fork_member *m = member_of(p);
	if (m)
		return m;
	struct fork_group *g = calloc(1, sizeof *g);
	m = member_new(p, g, NULL);
	g->resident = m;
	return m;
}

/* ---- ranges: the group's tracked mappings that are writable right now ---- */
static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* PROCMAP_QUERY (Linux 6.11): the kernel answers "the first mapping at or after
 * addr with these permissions" without formatting and parsing all of
 * /proc/self/maps (dce's and ns-3's hundreds of lines) at every switch. The layout
 * is the kernel's UAPI (include/uapi/linux/fs.h); older headers lack it. */
struct procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_READABLE 0x01
#define PROCMAP_WRITABLE 0x02
#define PROCMAP_COVERING_OR_NEXT 0x10

static int maps_fd = -2; /* -2: not opened yet, -1: no PROCMAP_QUERY (read the file) */

struct range_list {
	struct range *r;
	int n, cap;
};

static void range_add(struct range_list *l, uintptr_t s, uintptr_t e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->r = realloc(l->r, sizeof *l->r * (size_t)l->cap);
	}
	l->r[l->n++] = (struct range){ s, e };
}

/* The readable and writable host mappings within [s, e), by PROCMAP_QUERY; 0 when
 * the kernel does not offer it. */
static int query_writable(struct range_list *l, uintptr_t s, uintptr_t e)
{
	if (maps_fd == -2) {
		maps_fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
		if (maps_fd >= 0) {
			struct procmap_query q = { .size = sizeof q, .query_addr = (uintptr_t)&maps_fd,
			                           .query_flags = PROCMAP_COVERING_OR_NEXT };
			if (ioctl(maps_fd, PROCMAP_QUERY, &q)) {
				close(maps_fd);
				maps_fd = -1;
			}
		} else
			maps_fd = -1;
	}
	if (maps_fd < 0)
		return 0;
	for (uintptr_t at = s; at < e;) {
		struct procmap_query q = { .size = sizeof q, .query_addr = at,
		                           .query_flags = PROCMAP_COVERING_OR_NEXT | PROCMAP_READABLE | PROCMAP_WRITABLE };
		if (ioctl(maps_fd, PROCMAP_QUERY, &q) || q.vma_start >= e)
			break;
		uintptr_t os = q.vma_start > at ? q.vma_start : at, oe = q.vma_end < e ? q.vma_end : e;
		if (os < oe)
			range_add(l, os, oe);
		at = q.vma_end;
	}
	return 1;
}

static void read_maps_file(struct fork_group *g, struct range_list *l)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3 || perms[0] != 'r' || perms[1] != 'w')
			continue;
		for (struct fork_member *m = members; m; m = m->next) {
			if (m->g != g)
				continue;
			for (struct dce_mapping *mp = m->p->maps; mp; mp = mp->next) {
				uintptr_t os = mp->start > s ? mp->start : s, oe = mp->end < e ? mp->end : e;
				if (os < oe)
					range_add(l, os, oe);
			}
		}
	}
	if (f)
		fclose(f);
}

static struct range *group_ranges(struct fork_group *g, int *nout)
{
	struct range_list l = { NULL, 0, 0 };
	int queried = 1;
	for (struct fork_member *m = members; m && queried; m = m->next) {
		if (m->g != g)
			continue;
		for (struct dce_mapping *mp = m->p->maps; mp && queried; mp = mp->next)
			queried = query_writable(&l, mp->start, mp->end);
	}
	if (!queried) {
		l.n = 0;
		read_maps_file(g, &l);
	}
	struct range *r = l.r;
	int n = l.n;
	if (n)
		qsort(r, (size_t)n, sizeof *r, range_cmp);
	int k = 0; /* merge overlaps (members may track the same area) */
	for (int i = 0; i < n; i++) {
		if (k && r[i].start <= r[k - 1].end) {
			if (r[i].end > r[k - 1].end)
				r[k - 1].end = r[i].end;
		} else
			r[k++] = r[i];
	}
	*nout = k;
	return r;
}

#define MINCORE_CHUNK 16384 /* pages asked about at once */

/* Snapshot buffers, kept for the next snapshot rather than unmapped: a switch
 * copies into pages already in memory instead of faulting fresh ones in (and
 * freeing them again costs a TLB shootdown). Up to POOL_MAX buffers and
 * POOL_BYTES bytes stay. */
#define POOL_MAX 8
#define POOL_BYTES (256UL << 20)
static struct {
	unsigned char *p;
	size_t cap;
} pool[POOL_MAX];
static int pool_n;
static size_t pool_bytes;

static unsigned char *buf_get(size_t need, size_t *cap)
{
	int best = -1;
	if (!need) {
		*cap = 0;
		return NULL;
	}
	for (int i = 0; i < pool_n; i++)
		if (pool[i].cap >= need && (best < 0 || pool[i].cap < pool[best].cap))
			best = i;
	if (best >= 0) {
		unsigned char *p = pool[best].p;
		*cap = pool[best].cap;
		pool_bytes -= pool[best].cap;
		pool[best] = pool[--pool_n];
		return p;
	}
	*cap = (need + (1UL << 20) - 1) & ~((1UL << 20) - 1); /* whole MiBs: reusable */
	void *p = mmap(NULL, *cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "dce: fork: cannot allocate %zu bytes to save a process's memory\n", *cap);
		abort();
	}
	return p;
}

static void buf_put(unsigned char *p, size_t cap)
{
	if (!p)
		return;
	if (pool_n == POOL_MAX || pool_bytes + cap > POOL_BYTES) {
		int small = -1; /* make room by dropping the smallest kept buffer, if smaller */
		for (int i = 0; i < pool_n; i++)
			if (small < 0 || pool[i].cap < pool[small].cap)
				small = i;
		if (small < 0 || pool[small].cap >= cap || pool_bytes - pool[small].cap + cap > POOL_BYTES) {
			munmap(p, cap);
			return;
		}
		munmap(pool[small].p, pool[small].cap);
		pool_bytes -= pool[small].cap;
		pool[small] = pool[--pool_n];
	}
	pool[pool_n].p = p;
	pool[pool_n++].cap = cap;
	pool_bytes += cap;
}

/* The runs of [s, e)'s pages in memory; returns how many pages they hold. */
static size_t find_runs(struct snapshot *sn, uintptr_t s, uintptr_t e)
{
	static unsigned char vec[MINCORE_CHUNK];
	struct saved_range sr = { s, e, NULL, 0, 0 };
	size_t runcap = 0, total = 0;
	for (uintptr_t at = s; at < e; at += MINCORE_CHUNK * 4096UL) {
		size_t pages = (e - at) / 4096 < MINCORE_CHUNK ? (e - at) / 4096 : MINCORE_CHUNK;
		if (mincore((void *)at, pages * 4096, vec))
			memset(vec, 1, pages);
		for (size_t i = 0; i < pages; i++) {
			if (!(vec[i] & 1))
				continue;
			uintptr_t pg = at + i * 4096;
			total++;
			if (sr.nruns && sr.runs[sr.nruns - 1].addr + sr.runs[sr.nruns - 1].pages * 4096 == pg)
				sr.runs[sr.nruns - 1].pages++;
			else {
				if (sr.nruns == runcap) {
					runcap = runcap ? runcap * 2 : 16;
					sr.runs = realloc(sr.runs, sizeof *sr.runs * runcap);
				}
				sr.runs[sr.nruns++] = (struct run){ pg, 1 };
			}
		}
	}
	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? sn->cap * 2 : 32;
		sn->r = realloc(sn->r, sizeof *sn->r * (size_t)sn->cap);
	}
	sn->r[sn->n++] = sr;
	return total;
}

static struct snapshot *snapshot_take(struct fork_group *g)
{
	int n;
	struct range *r = group_ranges(g, &n);
	struct snapshot *sn = calloc(1, sizeof *sn);
	size_t pages = 0;
	for (int i = 0; i < n; i++)
		pages += find_runs(sn, r[i].start, r[i].end);
	free(r);
	sn->buf = buf_get(pages * 4096, &sn->bufcap);
	size_t off = 0;
	for (int i = 0; i < sn->n; i++) {
		struct saved_range *sr = &sn->r[i];
		sr->data = off;
		for (size_t k = 0; k < sr->nruns; k++) {
			size_t len = sr->runs[k].pages * 4096;
			memcpy(sn->buf + off, (void *)sr->runs[k].addr, len);
			off += len;
		}
	}
	return sn;
}

static void snapshot_free(struct snapshot *sn)
{
	if (!sn)
		return;
	for (int i = 0; i < sn->n; i++)
		free(sn->r[i].runs);
	buf_put(sn->buf, sn->bufcap);
	free(sn->r);
	free(sn);
}

/* [a, b) cut to the group's writable memory now (sorted ranges cur[0..n)): each
 * piece gets the data at src + its offset, or is dropped when src is NULL. */
static void put_back(const struct range *cur, int n, uintptr_t a, uintptr_t b, const unsigned char *src)
{
	for (int c = 0; c < n && cur[c].start < b; c++) {
		uintptr_t lo = cur[c].start > a ? cur[c].start : a, hi = cur[c].end < b ? cur[c].end : b;
		if (lo >= hi)
			continue;
		if (src)
			memcpy((void *)lo, src + (lo - a), hi - lo);
		else
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
}

/* Write sn back, only where the group still has writable memory (a range may have
 * been unmapped, and its addresses reused by the host, since it was saved). Pages
 * that were not in memory when it was saved are dropped again. */
static void snapshot_restore(struct fork_group *g, struct snapshot *sn)
{
	int n;
	struct range *cur = group_ranges(g, &n);
	for (int i = 0; i < sn->n; i++) {
		struct saved_range *r = &sn->r[i];
		uintptr_t at = r->start;
		const unsigned char *data = sn->buf + r->data;
		for (size_t k = 0; k < r->nruns; k++) {
			const struct run *run = &r->runs[k];
			put_back(cur, n, at, run->addr, NULL);
			put_back(cur, n, run->addr, run->addr + run->pages * 4096, data);
			data += run->pages * 4096;
			at = run->addr + run->pages * 4096;
		}
		put_back(cur, n, at, r->end, NULL);
	}
	free(cur);
}

/* ---- the interface used by clone, the scheduler and the memory manager ---- */

/* A fork child c of p: it starts with a copy of the image p runs on now. */
int dce_fork_child(struct dce_process *p, struct dce_process *c)
{
	struct fork_member *pm = member_or_new(p);
	struct fork_group *g = pm->g;
	if (g->resident != pm->image) /* p runs, so its image is resident */
		return -EINVAL;
	struct fork_member *cm = member_new(c, g, NULL);
	cm->saved = snapshot_take(g);
	return 0;
}

/* A CLONE_VM child c of p runs on p's image. */
void dce_fork_alias(struct dce_process *p, struct dce_process *c)
{
	struct fork_member *pm = member_or_new(p);
	member_new(c, pm->g, pm->image);
}

/* Make p's image resident; called before any thread of p runs. */
void dce_fork_activate(struct dce_process *p)
{
	struct fork_member *m = members ? member_of(p) : NULL;
	if (!m)
		return;
	struct fork_group *g = m->g;
	struct fork_member *want = m->image;
	if (g->resident == want)
		return;
	if (g->resident) {
		snapshot_free(g->resident->saved);
		g->resident->saved = snapshot_take(g);
	}
	if (want->saved) {
		snapshot_restore(g, want->saved);
		snapshot_free(want->saved);
		want->saved = NULL;
	}
	g->resident = want;
	dissolve_if_alone(g);
}

static void member_unlink(struct fork_member *m)
{
	for (struct fork_member **pp = &members; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			break;
		}
}

/* A group of one whose image is in memory needs no bookkeeping. */
static void dissolve_if_alone(struct fork_group *g)
{
	if (g->members != 1 || !g->resident || g->resident->image != g->resident)
		return;
	struct fork_member *m = g->resident;
	snapshot_free(m->saved);
	member_unlink(m);
	free(m);
	free(g);
}

/* p leaves its group (exec or exit); its memory is about to be released. */
void dce_fork_release(struct dce_process *p)
{
	struct fork_member *m = members ? member_of(p) : NULL;
	if (!m)
		return;
	struct fork_group *g = m->g;
	struct fork_member *heir = NULL, *alias = NULL;
	for (struct fork_member *o = members; o; o = o->next)
		if (o->g == g && o != m && o->image == o && !heir)
			heir = o;
	for (struct fork_member *o = members; o; o = o->next)
		if (o->g == g && o != m && o->image == m) { /* a CLONE_VM child of p */
			o->image = o;
			if (!alias)
				alias = o;
		}
	if (!heir)
		heir = alias;
	if (heir && p->maps) { /* the shared mappings stay: the heir owns them now */
		struct dce_mapping **tail = &heir->p->maps;
		while (*tail)
			tail = &(*tail)->next;
		*tail = p->maps;
		p->maps = NULL;
	}
	if (g->resident == m)
		g->resident = alias; /* an alias ran on p's image, which stays in memory */
	snapshot_free(m->saved);
	member_unlink(m);
	free(m);
	if (--g->members == 0)
		free(g);
	else
		dissolve_if_alone(g);
}

/* Memory of p's fork group is p's own while p runs (its image is resident then):
 * the end of the group's mapping that holds addr, or 0. */
uintptr_t dce_fork_group_owned_end(struct dce_process *p, uintptr_t addr)
{
	struct fork_member *m = member_of(p);
	if (!m)
		return 0;
	for (struct fork_member *o = members; o; o = o->next) {
		if (o->g != m->g || o == m)
			continue;
		for (struct dce_mapping *mp = o->p->maps; mp; mp = mp->next)
			if (addr >= mp->start && addr < mp->end)
				return mp->end;
	}
	return 0;
}

/* Another member of p's fork group runs on an image of its own (p's fork parent or
 * child): the group's mappings hold that image too while it is not resident, so an
 * unmap by p must not take them from the host. */
int dce_fork_shares_memory(struct dce_process *p)
{
	struct fork_member *m = members ? member_of(p) : NULL;
	if (!m)
		return 0;
	for (struct fork_member *o = members; o; o = o->next)
		if (o->g == m->g && o->image != m->image)
			return 1;
	return 0;
}
