/* A bump allocator for configuration data: one free releases everything. */
#include "bake.h"

#include <stdlib.h>
#include <string.h>

struct bake_arena_chunk {
	struct bake_arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void *bake_arena_alloc(struct bake_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct bake_arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cs = size > 16384 ? size : 16384;
		c = malloc(sizeof *c + cs);
		if (!c)
			abort();
		c->used = 0;
		c->size = cs;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *bake_arena_strdup(struct bake_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = bake_arena_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

void *bake_arena_grow(struct bake_arena *a, void *array, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return array;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = bake_arena_alloc(a, ncap * elem);
	if (n)
		memcpy(p, array, n * elem);
	*cap = ncap;
	return p;
}

void bake_arena_free(struct bake_arena *a)
{
	while (a->head) {
		struct bake_arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
}
