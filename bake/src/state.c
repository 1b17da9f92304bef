/* Stamps: one small file per fact under build/bake/state/<module>/. Plain
 * files keep the state inspectable and make "delete build/ to start over"
 * true by construction. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *bake_state_path(const struct bake_ctx *x, int m, const char *key)
{
	char *dir = bake_module_statedir(x, m);
	char *p = bake_path_join(dir, key);
	free(dir);
	return p;
}

int bake_state_get(const struct bake_ctx *x, int m, const char *key, char *out, size_t outlen)
{
	char *p = bake_state_path(x, m, key);
	FILE *f = fopen(p, "r");
	free(p);
	if (!f)
		return -1;
	size_t n = fread(out, 1, outlen - 1, f);
	fclose(f);
	out[n] = 0;
	return 0;
}

int bake_state_set(const struct bake_ctx *x, int m, const char *key, const char *value)
{
	char *dir = bake_module_statedir(x, m);
	int r = bake_mkdirs(dir);
	free(dir);
	if (r < 0)
		return -1;
	char *p = bake_state_path(x, m, key);
	r = bake_write_text(p, value);
	free(p);
	return r;
}

int bake_state_clear(const struct bake_ctx *x, int m, const char *key)
{
	char *p = bake_state_path(x, m, key);
	unlink(p);
	free(p);
	return 0;
}
