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
#include <sys/mman.h>

struct range {
	uintptr_t start, end;
};

struct run {
	uintptr_t addr;
	size_t pages;
};

/* A range's pages in memory, as runs (a sparse 1 TiB mapping costs what it holds,
 * not a byte per page), and their contents, in order. */
struct saved_range {
	uintptr_t start, end;
	struct run *runs;
	size_t nruns;
	unsigned char *data;
};

struct snapshot {
	int n, cap;
	struct saved_range *r;
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

static struct range *group_ranges(struct fork_group *g, int *nout)
{
	int n = 0, cap = 64;
	struct range *r = malloc(sizeof *r * (size_t)cap);
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
				if (os >= oe)
					continue;
				if (n == cap) {
					cap *= 2;
					r = realloc(r, sizeof *r * (size_t)cap);
				}
				r[n++] = (struct range){ os, oe };
			}
		}
	}
	if (f)
		fclose(f);
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

static void save_range(struct snapshot *sn, uintptr_t s, uintptr_t e)
{
	static unsigned char vec[MINCORE_CHUNK];
	struct saved_range sr = { s, e, NULL, 0, NULL };
	size_t runcap = 0, datacap = 0, datalen = 0;
	for (uintptr_t at = s; at < e; at += MINCORE_CHUNK * 4096UL) {
		size_t pages = (e - at) / 4096 < MINCORE_CHUNK ? (e - at) / 4096 : MINCORE_CHUNK;
		if (mincore((void *)at, pages * 4096, vec))
			memset(vec, 1, pages);
		for (size_t i = 0; i < pages; i++) {
			if (!(vec[i] & 1))
				continue;
			uintptr_t pg = at + i * 4096;
			if (sr.nruns && sr.runs[sr.nruns - 1].addr + sr.runs[sr.nruns - 1].pages * 4096 == pg)
				sr.runs[sr.nruns - 1].pages++;
			else {
				if (sr.nruns == runcap) {
					runcap = runcap ? runcap * 2 : 16;
					sr.runs = realloc(sr.runs, sizeof *sr.runs * runcap);
				}
				sr.runs[sr.nruns++] = (struct run){ pg, 1 };
			}
			if (datalen + 4096 > datacap) {
				datacap = datacap ? datacap * 2 : 64 * 4096;
				sr.data = realloc(sr.data, datacap);
			}
			memcpy(sr.data + datalen, (void *)pg, 4096);
			datalen += 4096;
		}
	}
	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? sn->cap * 2 : 32;
		sn->r = realloc(sn->r, sizeof *sn->r * (size_t)sn->cap);
	}
	sn->r[sn->n++] = sr;
}

static struct snapshot *snapshot_take(struct fork_group *g)
{
	int n;
	struct range *r = group_ranges(g, &n);
	struct snapshot *sn = calloc(1, sizeof *sn);
	for (int i = 0; i < n; i++)
		save_range(sn, r[i].start, r[i].end);
	free(r);
	return sn;
}

static void snapshot_free(struct snapshot *sn)
{
	if (!sn)
		return;
	for (int i = 0; i < sn->n; i++) {
		free(sn->r[i].runs);
		free(sn->r[i].data);
	}
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
		const unsigned char *data = r->data;
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
