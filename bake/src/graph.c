/* Resolving -e/-d into the enabled modules and their build order. Both
 * walks are iterative: a hostile file may describe a 100,000-module chain,
 * and that must not overflow the stack. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BAKE_OFF = 0, BAKE_OPTIONAL = 1, BAKE_REQUIRED = 2 };

struct bake_item {
	int module;
	int optional;
	const char *via;  /* who asked for it, for messages */
};

struct bake_stack {
	struct bake_item *items;
	size_t n, cap;
};

static void bake_push(struct bake_stack *s, int module, int optional, const char *via)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->items = realloc(s->items, s->cap * sizeof *s->items);
		if (!s->items)
			abort();
	}
	s->items[s->n++] = (struct bake_item){module, optional, via};
}

static void bake_unknown(const struct bake_config *c, const char *what, const char *name,
			 char *err, size_t errlen)
{
	const char *near = bake_closest_name(c, name);
	if (near)
		snprintf(err, errlen, "%s '%s' (did you mean '%s'?)", what, name, near);
	else
		snprintf(err, errlen, "%s '%s' (see `bake list`)", what, name);
}

static int bake_resolve_deps(const struct bake_config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->nmodules; i++) {
		struct bake_module *m = &c->modules[i];
		for (size_t j = 0; j < m->ndeps; j++) {
			int k = bake_config_find_module(c, m->deps[j].name);
			if (k < 0) {
				char what[256];
				snprintf(what, sizeof what, "%s:%d: module '%s' depends on unknown module",
					 c->path, m->deps[j].line, m->name);
				bake_unknown(c, what, m->deps[j].name, err, errlen);
				return -1;
			}
			m->deps[j].index = k;
		}
	}
	return 0;
}

static void bake_note(struct bake_plan *p, char *note)
{
	p->notes = realloc(p->notes, (p->nnotes + 1) * sizeof *p->notes);
	if (!p->notes)
		abort();
	p->notes[p->nnotes++] = note;
}

/* Expands a set into the stack; sets may contain sets (cycles refused). */
static int bake_expand_set(const struct bake_config *c, int set, int optional,
			   struct bake_stack *work, char *err, size_t errlen)
{
	struct bake_stack sets = {0};
	bool *seen = calloc(c->nsets, 1);
	if (!seen)
		abort();
	bake_push(&sets, set, optional, NULL);
	int r = 0;
	while (sets.n && !r) {
		struct bake_item it = sets.items[--sets.n];
		const struct bake_set *s = &c->sets[it.module];
		seen[it.module] = true;
		for (size_t i = 0; i < s->nmembers; i++) {
			const struct bake_member *mb = &s->members[i];
			int opt = it.optional || mb->optional;
			int m = bake_config_find_module(c, mb->name);
			if (m >= 0) {
				bake_push(work, m, opt, s->name);
				continue;
			}
			int sub = bake_config_find_set(c, mb->name);
			if (sub < 0) {
				char what[256];
				snprintf(what, sizeof what, "%s:%d: set '%s' names unknown module", c->path,
					 mb->line, s->name);
				bake_unknown(c, what, mb->name, err, errlen);
				r = -1;
			} else if (seen[sub]) {
				/* A set reached twice is harmless unless it contains itself. */
				bool self = sub == set || sub == it.module;
				if (self) {
					snprintf(err, errlen, "%s:%d: set '%s' includes itself through '%s'",
						 c->path, mb->line, c->sets[sub].name, s->name);
					r = -1;
				}
			} else {
				bake_push(&sets, sub, opt, NULL);
			}
		}
	}
	free(sets.items);
	free(seen);
	return r;
}

static bool bake_listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static int bake_enable(const struct bake_config *c, struct bake_plan *p, int *state,
		       struct bake_stack *work, char *err, size_t errlen)
{
	while (work->n) {
		struct bake_item it = work->items[--work->n];
		const struct bake_module *m = &c->modules[it.module];
		int want = it.optional ? BAKE_OPTIONAL : BAKE_REQUIRED;
		if (state[it.module] >= want)
			continue;
		if (bake_listed(p->disable, p->ndisable, m->name)) {
			if (want == BAKE_REQUIRED) {
				snprintf(err, errlen,
					 "'%s' needs module '%s', which is disabled with -d %s "
					 "(drop -d %s, or disable '%s' too)",
					 it.via ? it.via : m->name, m->name, m->name, m->name,
					 it.via ? it.via : m->name);
				return -1;
			}
			bake_note(p, bake_strdup_printf("optional module '%s' (wanted by '%s') skipped: "
							"disabled with -d",
							m->name, it.via ? it.via : "-e"));
			continue;
		}
		if (m->status_message) {
			if (want == BAKE_REQUIRED) {
				snprintf(err, errlen, "%s needs module %s (%s), not available yet",
					 it.via ? it.via : m->name, m->name, m->status_message);
				return -1;
			}
			bake_note(p, bake_strdup_printf("optional module '%s' skipped: %s", m->name,
							m->status_message));
			continue;
		}
		state[it.module] = want;
		for (size_t j = m->ndeps; j-- > 0;)
			bake_push(work, m->deps[j].index, want == BAKE_OPTIONAL || m->deps[j].optional,
				  m->name);
	}
	return 0;
}

/* An optional module whose required dependency could not be enabled is
 * dropped (with a note) rather than built half-satisfied. */
static void bake_drop_unsatisfied(const struct bake_config *c, struct bake_plan *p, int *state)
{
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < c->nmodules; i++) {
			if (state[i] != BAKE_OPTIONAL)
				continue;
			const struct bake_module *m = &c->modules[i];
			for (size_t j = 0; j < m->ndeps; j++) {
				if (m->deps[j].optional || state[m->deps[j].index] != BAKE_OFF)
					continue;
				state[i] = BAKE_OFF;
				changed = true;
				bake_note(p, bake_strdup_printf(
						     "optional module '%s' skipped: it needs '%s', "
						     "which is not enabled",
						     m->name, m->deps[j].name));
				break;
			}
		}
	}
}

static int bake_order(const struct bake_config *c, struct bake_plan *p, char *err, size_t errlen)
{
	size_t nm = c->nmodules;
	char *color = calloc(nm ? nm : 1, 1); /* 0 white, 1 on stack, 2 done */
	int *stack = malloc((nm ? nm : 1) * sizeof *stack);
	size_t *next = calloc(nm ? nm : 1, sizeof *next);
	p->order = malloc((nm ? nm : 1) * sizeof *p->order);
	if (!color || !stack || !next || !p->order)
		abort();
	int r = 0;
	for (size_t root = 0; root < nm && !r; root++) {
		if (!p->enabled[root] || color[root])
			continue;
		size_t sp = 0;
		stack[sp++] = (int)root;
		color[root] = 1;
		while (sp && !r) {
			int m = stack[sp - 1];
			const struct bake_module *mod = &c->modules[m];
			if (next[m] == mod->ndeps) {
				color[m] = 2;
				p->order[p->n++] = m;
				sp--;
				continue;
			}
			int d = mod->deps[next[m]++].index;
			if (!p->enabled[d] || color[d] == 2)
				continue;
			if (color[d] == 1) {
				struct bake_buf b = {0};
				size_t from = 0;
				while (stack[from] != d)
					from++;
				bake_buf_puts(&b, "dependency cycle: ");
				for (size_t k = from; k < sp; k++)
					bake_buf_printf(&b, "%s -> ", c->modules[stack[k]].name);
				bake_buf_puts(&b, c->modules[d].name);
				snprintf(err, errlen, "%s", b.data);
				bake_buf_free(&b);
				r = -1;
				break;
			}
			color[d] = 1;
			stack[sp++] = d;
		}
	}
	free(color);
	free(stack);
	free(next);
	return r;
}

int bake_plan_resolve(const struct bake_config *c, char **enable, size_t nenable, char **disable,
		      size_t ndisable, struct bake_plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	size_t nm = c->nmodules ? c->nmodules : 1;
	p->enabled = calloc(nm, sizeof *p->enabled);
	p->optional = calloc(nm, sizeof *p->optional);
	p->root = calloc(nm, sizeof *p->root);
	p->enable = calloc(nenable + 1, sizeof *p->enable);
	p->disable = calloc(ndisable + 1, sizeof *p->disable);
	int *state = calloc(nm, sizeof *state);
	if (!p->enabled || !p->optional || !p->root || !p->enable || !p->disable || !state)
		abort();
	for (size_t i = 0; i < nenable; i++)
		p->enable[p->nenable++] = bake_xstrdup(enable[i]);
	for (size_t i = 0; i < ndisable; i++)
		p->disable[p->ndisable++] = bake_xstrdup(disable[i]);

	struct bake_stack work = {0};
	int r = 0;
	/* The user's own typo first: it is what they are looking at. */
	for (size_t i = 0; i < nenable && !r; i++)
		if (bake_config_find_module(c, enable[i]) < 0 && bake_config_find_set(c, enable[i]) < 0) {
			bake_unknown(c, "-e: unknown module or set", enable[i], err, errlen);
			r = -1;
		}
	if (!r)
		r = bake_resolve_deps(c, err, errlen);
	for (size_t i = 0; i < ndisable && !r; i++) {
		if (bake_config_find_module(c, disable[i]) >= 0)
			continue;
		if (bake_config_find_set(c, disable[i]) >= 0) {
			snprintf(err, errlen, "-d %s: '%s' is a set; -d takes a module", disable[i],
				 disable[i]);
			r = -1;
		} else {
			bake_unknown(c, "-d: unknown module", disable[i], err, errlen);
			r = -1;
		}
	}
	for (size_t i = 0; i < nenable && !r; i++) {
		int m = bake_config_find_module(c, enable[i]);
		int s = m < 0 ? bake_config_find_set(c, enable[i]) : -1;
		if (m >= 0) {
			bake_push(&work, m, 0, NULL);
			p->root[m] = true;
		} else if (s >= 0) {
			r = bake_expand_set(c, s, 0, &work, err, errlen);
		} else {
			bake_unknown(c, "-e: unknown module or set", enable[i], err, errlen);
			r = -1;
		}
		if (!r)
			r = bake_enable(c, p, state, &work, err, errlen);
	}
	free(work.items);
	if (!r) {
		bake_drop_unsatisfied(c, p, state);
		for (size_t i = 0; i < c->nmodules; i++) {
			p->enabled[i] = state[i] != BAKE_OFF;
			p->optional[i] = state[i] == BAKE_OPTIONAL;
		}
		r = bake_order(c, p, err, errlen);
	}
	free(state);
	if (r)
		bake_plan_free(p);
	return r;
}

void bake_plan_free(struct bake_plan *p)
{
	free(p->order);
	free(p->enabled);
	free(p->optional);
	free(p->root);
	for (size_t i = 0; i < p->nenable; i++)
		free(p->enable[i]);
	for (size_t i = 0; i < p->ndisable; i++)
		free(p->disable[i]);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->enable);
	free(p->disable);
	free(p->notes);
	memset(p, 0, sizeof *p);
}
