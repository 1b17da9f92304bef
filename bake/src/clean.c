/* bake clean / distclean. clean keeps downloads (they are slow to get
 * again); distclean returns the tree to a fresh clone's state. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bake_cmd_clean(struct bake_ctx *x, int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs("usage: bake clean [MODULE...]\n\nRemoves build outputs (build/obj, "
		      "build/install and build stamps) of the\nconfigured modules, or of the named "
		      "ones; keeps downloaded sources. The next\n`bake build` rebuilds them.\n",
		      stdout);
		return BAKE_EXIT_OK;
	}
	if (bake_load_plan(x) < 0)
		return BAKE_EXIT_FAILED;
	int rc = BAKE_EXIT_OK;
	bool named = argc > 1;
	for (int a = 1; a < argc; a++) {
		int m = bake_config_find_module(x->conf, argv[a]);
		if (m < 0) {
			const char *near = bake_closest_name(x->conf, argv[a]);
			fprintf(stderr, "bake clean: unknown module '%s'%s%s%s\n", argv[a],
				near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			return BAKE_EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < x->conf->nmodules; i++) {
		const struct bake_module *mod = &x->conf->modules[i];
		bool pick = !named && x->plan->enabled[i];
		for (int a = 1; a < argc; a++)
			pick |= !strcmp(argv[a], mod->name);
		if (!pick)
			continue;
		char *obj = bake_module_objdir(x, (int)i);
		if (bake_remove_tree(obj) < 0)
			rc = BAKE_EXIT_FAILED;
		free(obj);
		bake_state_clear(x, (int)i, "built");
		bake_state_clear(x, (int)i, "configured");
		/* A patched tree goes back to pristine on the next build. */
		if (mod->npatches)
			bake_state_clear(x, (int)i, "unpacked");
		printf("bake: cleaned %s\n", mod->name);
	}
	if (!named && bake_remove_tree(x->install_dir) < 0)
		rc = BAKE_EXIT_FAILED;
	return rc;
}

int bake_cmd_distclean(struct bake_ctx *x, int argc, char **argv)
{
	(void)x;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs("usage: bake distclean\n\nRemoves everything bake made: build/bake (state, "
		      "downloads, sources), build/obj,\nbuild/logs, build/install and "
		      "bakefile.xml.\n",
		      stdout);
		return BAKE_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "bake distclean: unexpected argument '%s'\n", argv[1]);
		return BAKE_EXIT_USAGE;
	}
	int rc = BAKE_EXIT_OK;
	const char *dirs[] = {x->state_dir, x->logs_dir, x->install_dir, NULL};
	for (int i = 0; dirs[i]; i++)
		if (bake_remove_tree(dirs[i]) < 0)
			rc = BAKE_EXIT_FAILED;
	char *obj = bake_path_join(x->build_dir, "obj");
	if (bake_remove_tree(obj) < 0)
		rc = BAKE_EXIT_FAILED;
	free(obj);
	if (bake_remove_tree(x->plan_path) < 0)
		rc = BAKE_EXIT_FAILED;
	printf("bake: removed build/bake, build/obj, build/logs, build/install and bakefile.xml\n");
	return rc;
}
