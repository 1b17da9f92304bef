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

struct saved_range {
	uintptr_t start, end;
	unsigned char *resident; /* mincore vector */
	unsigned char *data;     /* resident pages only, in order */
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

static void save_range(struct snapshot *sn, uintptr_t s, uintptr_t e)
{
	size_t pages = (e - s) / 4096;
	unsigned char *vec = malloc(pages);
	if (mincore((void *)s, e - s, vec))
		memset(vec, 1, pages);
	size_t nres = 0;
	for (size_t i = 0; i < pages; i++)
		nres += vec[i] & 1;
	unsigned char *data = malloc(nres * 4096 + 1);
	size_t k = 0;
	for (size_t i = 0; i < pages; i++)
		if (vec[i] & 1)
			memcpy(data + 4096 * k++, (void *)(s + i * 4096), 4096);
	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? sn->cap * 2 : 32;
		sn->r = realloc(sn->r, sizeof *sn->r * (size_t)sn->cap);
	}
	sn->r[sn->n++] = (struct saved_range){ s, e, vec, data };
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
		free(sn->r[i].resident);
		free(sn->r[i].data);
	}
	free(sn->r);
	free(sn);
}

/* Write sn back, only where the group still has writable memory (a range may have
 * been unmapped, and its addresses reused by the host, since it was saved). */
static void snapshot_restore(struct fork_group *g, struct snapshot *sn)
{
	int n;
	struct range *cur = group_ranges(g, &n);
	for (int i = 0; i < sn->n; i++) {
		struct saved_range *r = &sn->r[i];
		size_t pages = (r->end - r->start) / 4096, k = 0;
		int c = 0;
		for (size_t pg = 0; pg < pages; pg++) {
			uintptr_t addr = r->start + pg * 4096;
			int res = r->resident[pg] & 1;
			while (c < n && cur[c].end <= addr)
				c++;
			if (c < n && cur[c].start <= addr) {
				if (res)
					memcpy((void *)addr, r->data + 4096 * k, 4096);
				else
					madvise((void *)addr, 4096, MADV_DONTNEED);
			}
			k += (size_t)res;
		}
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
