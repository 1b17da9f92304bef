/* fork.c - fork inside one address space.
 *
 * A forked child runs on its parent's memory while the parent waits; before it
 * runs, the writable memory of the parent (and of the ancestors whose memory the
 * parent itself is running on) is saved, and restored when the child execs or
 * exits. Pages never touched are not copied: they are dropped on restore. */
#include "../core/kernel.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct saved_range {
	uintptr_t start, end;
	unsigned char *resident; /* mincore vector */
	unsigned char *data;     /* resident pages only, in order */
};

struct snapshot {
	int n, cap;
	struct saved_range *r;
};

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

int dce_fork_snapshot(struct dce_process *child, void **out)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -errno;
	struct snapshot *sn = calloc(1, sizeof *sn);
	char line[512];
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) != 3 || perms[0] != 'r' || perms[1] != 'w')
			continue;
		for (struct dce_process *q = child->fork_parent; q; q = q->fork_parent)
			for (struct dce_mapping *m = q->maps; m; m = m->next) {
				uintptr_t os = m->start > s ? m->start : s, oe = m->end < e ? m->end : e;
				if (os < oe)
					save_range(sn, os, oe);
			}
	}
	fclose(f);
	*out = sn;
	return 0;
}

void dce_fork_restore(void *snap)
{
	struct snapshot *sn = snap;
	for (int i = 0; i < sn->n; i++) {
		struct saved_range *r = &sn->r[i];
		size_t pages = (r->end - r->start) / 4096, k = 0;
		for (size_t p = 0; p < pages; p++) {
			void *addr = (void *)(r->start + p * 4096);
			if (r->resident[p] & 1)
				memcpy(addr, r->data + 4096 * k++, 4096);
			else
				madvise(addr, 4096, MADV_DONTNEED);
		}
		free(r->resident);
		free(r->data);
	}
	free(sn->r);
	free(sn);
}
