/* Where each module's files live. The layout is the contract with the rest of
 * the tree: sources under build/bake/src, objects under build/obj, logs
 * under build/logs, one install tree build/install. */
#include "bake.h"

#include <stdlib.h>
#include <string.h>

char *bake_module_srcdir(const struct bake_ctx *x, int m)
{
	const struct bake_module *mod = &x->conf->modules[m];
	if (mod->source.type == BAKE_SOURCE_LOCAL) {
		const char *d = mod->source.dir;
		if (!strcmp(d, ".") || !strcmp(d, "./"))
			return bake_xstrdup(x->topdir);
		return bake_path_join(x->topdir, d);
	}
	char *base = bake_path_join(x->state_dir, "src");
	char *r = bake_path_join(base, mod->name);
	free(base);
	return r;
}

char *bake_module_objdir(const struct bake_ctx *x, int m)
{
	return bake_strdup_printf("%s/obj/%s", x->build_dir, x->conf->modules[m].name);
}

char *bake_module_statedir(const struct bake_ctx *x, int m)
{
	return bake_strdup_printf("%s/state/%s", x->state_dir, x->conf->modules[m].name);
}

char *bake_module_logpath(const struct bake_ctx *x, int m)
{
	return bake_strdup_printf("%s/%s.log", x->logs_dir, x->conf->modules[m].name);
}
