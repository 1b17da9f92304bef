/* bake show: the graph, what each module needs, and what is missing, with
 * the exact command that fixes it. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char bake_show_help[] =
	"usage: bake show [--enabled-tree] [--all]\n"
	"\n"
	"Shows the configured modules in build order: source, build recipe, dependencies,\n"
	"state, and missing system packages with the apt-get line that installs them.\n"
	"  --enabled-tree  the enabled modules as a dependency tree\n"
	"  --all           every module of bakeconf.xml, configured or not\n";

static void bake_show_source(struct bake_ctx *x, int m)
{
	const struct bake_module *mod = &x->conf->modules[m];
	const struct bake_source *s = &mod->source;
	switch (s->type) {
	case BAKE_SOURCE_SYSTEM:
		printf("    source: Debian packages:");
		for (size_t i = 0; i < s->npackages; i++) {
			const char *v = bake_dpkg_version(x, s->packages[i].name);
			printf(" %s%s%s%s", s->packages[i].name, v ? " (" : "", v ? v : "", v ? ")" : "");
		}
		printf("\n");
		break;
	case BAKE_SOURCE_DEBIAN:
		printf("    source: Debian source package %s%s%s from %s %s, Debian patches %s\n",
		       s->package, s->version ? " " : "", s->version ? s->version : "", s->suite,
		       s->component, s->debian_patches ? "applied" : "not applied");
		break;
	case BAKE_SOURCE_LOCAL: {
		char *d = bake_module_srcdir(x, m);
		printf("    source: local directory %s\n", d);
		free(d);
		break;
	}
	case BAKE_SOURCE_ARCHIVE:
		printf("    source: archive %s (sha256 %.12s...)\n", s->url, s->sha256);
		break;
	case BAKE_SOURCE_GIT:
		printf("    source: git %s at %s\n", s->url, s->revision);
		break;
	case BAKE_SOURCE_NONE:
		break;
	}
	for (size_t i = 0; i < mod->npatches; i++)
		printf("    patch:  %s\n", mod->patches[i].path);
	if (mod->build.type)
		printf("    build:  %s\n", bake_build_type_name(mod->build.type));
}

static void bake_show_state(struct bake_ctx *x, int m, struct bake_buf *missing)
{
	const struct bake_module *mod = &x->conf->modules[m];
	if (mod->status_message) {
		printf("    state:  NOT AVAILABLE: %s\n", mod->status_message);
		return;
	}
	if (mod->source.type == BAKE_SOURCE_SYSTEM) {
		struct bake_system_status st;
		if (bake_system_check(x, mod, &st) < 0) {
			printf("    state:  MISSING packages:");
			for (size_t i = 0; i < st.nmissing; i++) {
				printf(" %s", st.missing[i]);
				char pad[300];
				snprintf(pad, sizeof pad, " %s ", st.missing[i]);
				if (!missing->data || !strstr(missing->data, pad))
					bake_buf_printf(missing, " %s ", st.missing[i]);
			}
			printf("\n");
		} else {
			printf("    state:  installed\n");
		}
		bake_system_status_free(&st);
		return;
	}
	char built[80];
	bool was_built = bake_state_get(x, m, "built", built, sizeof built) == 0;
	if (mod->source.type != BAKE_SOURCE_LOCAL && !bake_source_fetched(x, m))
		printf("    state:  not downloaded (bake download)\n");
	else if (!was_built)
		printf("    state:  not built (bake build)\n");
	else
		printf("    state:  built (bake build re-checks whether it is up to date)\n");
}

static void bake_show_tree(struct bake_ctx *x, int m, int depth, bool *shown)
{
	const struct bake_module *mod = &x->conf->modules[m];
	printf("%*s%s [%s%s%s]%s%s\n", depth * 4, "", mod->name,
	       bake_source_type_name(mod->source.type), mod->build.type ? ", " : "",
	       mod->build.type ? bake_build_type_name(mod->build.type) : "",
	       x->plan->optional[m] ? " (optional)" : "",
	       shown[m] && mod->ndeps ? " (dependencies above)" : "");
	if (shown[m] || depth > 40)
		return;
	shown[m] = true;
	for (size_t j = 0; j < mod->ndeps; j++) {
		int d = mod->deps[j].index;
		if (x->plan->enabled[d])
			bake_show_tree(x, d, depth + 1, shown);
		else
			printf("%*s%s (optional, not enabled)\n", (depth + 1) * 4, "", mod->deps[j].name);
	}
}

int bake_cmd_show(struct bake_ctx *x, int argc, char **argv)
{
	bool tree = false, all = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--enabled-tree"))
			tree = true;
		else if (!strcmp(argv[i], "--all"))
			all = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(bake_show_help, stdout);
			return BAKE_EXIT_OK;
		} else {
			fprintf(stderr, "bake show: unknown option '%s'\n%s", argv[i], bake_show_help);
			return BAKE_EXIT_USAGE;
		}
	}
	bool configured = bake_exists(x->plan_path);
	if (configured && bake_load_plan(x) < 0)
		return BAKE_EXIT_FAILED;
	if (!configured) {
		char err[1024];
		if (bake_config_load(x->conf, x->conf->path, err, sizeof err) < 0) {
			fprintf(stderr, "bake: %s\n", err);
			return BAKE_EXIT_FAILED;
		}
		if (tree) {
			fprintf(stderr, "bake show --enabled-tree: nothing is enabled yet; run "
					"`bake configure -e SET`\n");
			return BAKE_EXIT_FAILED;
		}
		printf("bake: not configured yet (bake configure -e SET); showing every module\n");
		all = true;
	}
	if (tree) {
		bool *shown = calloc(x->conf->nmodules + 1, 1);
		printf("enabled: ");
		for (size_t i = 0; i < x->plan->nenable; i++)
			printf("%s%s", i ? ", " : "", x->plan->enable[i]);
		printf("\n");
		for (size_t i = x->plan->n; i-- > 0;) {
			int m = x->plan->order[i];
			/* Roots: enabled modules nothing else enabled depends on. */
			bool is_dep = false;
			for (size_t j = 0; j < x->plan->n && !is_dep; j++) {
				const struct bake_module *o = &x->conf->modules[x->plan->order[j]];
				for (size_t k = 0; k < o->ndeps && !is_dep; k++)
					is_dep = o->deps[k].index == m;
			}
			if (!is_dep)
				bake_show_tree(x, m, 0, shown);
		}
		free(shown);
		return BAKE_EXIT_OK;
	}
	struct bake_buf missing = {0};
	size_t count = all ? x->conf->nmodules : x->plan->n;
	if (configured) {
		printf("enabled: ");
		for (size_t i = 0; i < x->plan->nenable; i++)
			printf("%s%s", i ? ", " : "", x->plan->enable[i]);
		printf("%s\n", all ? " (showing all modules)" : " (modules in build order)");
	}
	for (size_t i = 0; i < count; i++) {
		int m = all ? (int)i : x->plan->order[i];
		const struct bake_module *mod = &x->conf->modules[m];
		bool en = configured && x->plan->enabled[m];
		printf("%s%s%s\n", mod->name, en ? (x->plan->optional[m] ? "  (enabled, optional)" : "  (enabled)") : "",
		       mod->description ? "" : "");
		if (mod->description)
			printf("    %s\n", mod->description);
		if (!mod->status_message)
			bake_show_source(x, m);
		if (mod->ndeps) {
			printf("    needs: ");
			for (size_t j = 0; j < mod->ndeps; j++)
				printf("%s%s%s", j ? ", " : "", mod->deps[j].name,
				       mod->deps[j].optional ? " (optional)" : "");
			printf("\n");
		}
		bake_show_state(x, m, &missing);
	}
	for (size_t i = 0; configured && i < x->plan->nnotes; i++)
		printf("note: %s\n", x->plan->notes[i]);
	if (missing.data) {
		/* One line that fixes everything. */
		struct bake_buf list = {0};
		for (char *t = strtok(missing.data, " "); t; t = strtok(NULL, " "))
			bake_buf_printf(&list, " %s", t);
		printf("\nmissing system packages:%s\nfix with:\n  %sapt-get install -y%s\n"
		       "  or: bake build --install-missing (as root)\n",
		       list.data, geteuid() == 0 ? "" : "sudo ", list.data);
		bake_buf_free(&list);
	} else {
		printf("\nnothing missing\n");
	}
	bake_buf_free(&missing);
	return BAKE_EXIT_OK;
}
