/* bake configure / bake list, and loading the plan for the other commands. */
#include "bake.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char bake_configure_help[] =
	"usage: bake configure [-e NAME]... [-d MODULE]... [--list]\n"
	"\n"
	"Resolves the modules to build and writes the plan to bakefile.xml.\n"
	"  -e, --enable NAME     enable a module or a set (repeatable), with its dependencies\n"
	"  -d, --disable MODULE  never build MODULE (optional dependencies on it are dropped;\n"
	"                        a required one is an error)\n"
	"  -l, --list            list the modules and sets that can be enabled\n"
	"  -h, --help            this help\n"
	"Example: bake configure -e dce-ns3-dev\n";

static const char bake_list_help[] = "usage: bake list\n\nLists modules and sets of bakeconf.xml.\n";

static int bake_list(const struct bake_config *c)
{
	printf("sets (bake configure -e SET):\n");
	for (size_t i = 0; i < c->nsets; i++) {
		const struct bake_set *s = &c->sets[i];
		printf("  %-22s %s\n", s->name, s->description ? s->description : "");
		printf("  %-22s   members:", "");
		for (size_t j = 0; j < s->nmembers; j++)
			printf(" %s%s", s->members[j].name, s->members[j].optional ? "(optional)" : "");
		printf("\n");
	}
	printf("modules:\n");
	for (size_t i = 0; i < c->nmodules; i++) {
		const struct bake_module *m = &c->modules[i];
		char kind[64];
		if (m->status_message)
			snprintf(kind, sizeof kind, "planned");
		else
			snprintf(kind, sizeof kind, "%s%s%s", bake_source_type_name(m->source.type),
				 m->build.type ? "/" : "", m->build.type ? bake_build_type_name(m->build.type) : "");
		printf("  %-22s %-22s %s%s%s\n", m->name, kind, m->description ? m->description : "",
		       m->status_message ? " -- " : "", m->status_message ? m->status_message : "");
	}
	return BAKE_EXIT_OK;
}

static int bake_load_conf(struct bake_ctx *x)
{
	char err[1024];
	if (x->conf->modules || x->conf->nsets)
		return 0;
	if (bake_config_load(x->conf, x->conf->path, err, sizeof err) < 0) {
		fprintf(stderr, "bake: %s\n", err);
		return -1;
	}
	return 0;
}

int bake_cmd_list(struct bake_ctx *x, int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(bake_list_help, stdout);
		return BAKE_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "bake list: unexpected argument '%s'\n%s", argv[1], bake_list_help);
		return BAKE_EXIT_USAGE;
	}
	if (bake_load_conf(x) < 0)
		return BAKE_EXIT_FAILED;
	return bake_list(x->conf);
}

static int bake_resolve_and_write(struct bake_ctx *x, char **en, size_t nen, char **dis,
				  size_t ndis, bool announce)
{
	char err[2048];
	if (bake_plan_resolve(x->conf, en, nen, dis, ndis, x->plan, err, sizeof err) < 0) {
		fprintf(stderr, "bake: %s\n", err);
		return BAKE_EXIT_FAILED;
	}
	for (size_t i = 0; i < x->plan->nnotes; i++)
		printf("bake: note: %s\n", x->plan->notes[i]);
	if (bake_plan_write(x) < 0) {
		fprintf(stderr, "bake: cannot write %s\n", x->plan_path);
		return BAKE_EXIT_FAILED;
	}
	if (announce) {
		printf("bake: %zu modules enabled, in build order:\n ", x->plan->n);
		for (size_t i = 0; i < x->plan->n; i++) {
			int m = x->plan->order[i];
			printf(" %s%s", x->conf->modules[m].name, x->plan->optional[m] ? "(optional)" : "");
		}
		printf("\nbake: wrote %s; next: bake download && bake build (or bake deploy)\n",
		       x->plan_path);
	}
	return BAKE_EXIT_OK;
}

int bake_cmd_configure(struct bake_ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {{"enable", required_argument, NULL, 'e'},
					     {"disable", required_argument, NULL, 'd'},
					     {"list", no_argument, NULL, 'l'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	char **en = calloc((size_t)argc + 1, sizeof *en);
	char **dis = calloc((size_t)argc + 1, sizeof *dis);
	size_t nen = 0, ndis = 0;
	bool list = false;
	int c, rc = -1;
	optind = 1;
	opterr = 0;
	while (rc < 0 && (c = getopt_long(argc, argv, "+e:d:lh", opts, NULL)) != -1) {
		switch (c) {
		case 'e': en[nen++] = optarg; break;
		case 'd': dis[ndis++] = optarg; break;
		case 'l': list = true; break;
		case 'h': fputs(bake_configure_help, stdout); rc = BAKE_EXIT_OK; break;
		default:
			fprintf(stderr, "bake configure: bad option '%s'\n%s", argv[optind - 1],
				bake_configure_help);
			rc = BAKE_EXIT_USAGE;
		}
	}
	if (rc < 0 && optind < argc) {
		fprintf(stderr, "bake configure: unexpected argument '%s' (use -e %s)\n%s",
			argv[optind], argv[optind], bake_configure_help);
		rc = BAKE_EXIT_USAGE;
	}
	if (rc < 0 && list)
		rc = bake_load_conf(x) < 0 ? BAKE_EXIT_FAILED : bake_list(x->conf);
	if (rc < 0 && !nen) {
		fprintf(stderr, "bake configure: nothing enabled; use -e SET or -e MODULE (see "
				"`bake list`)\n");
		rc = BAKE_EXIT_USAGE;
	}
	if (rc < 0)
		rc = bake_load_conf(x) < 0 ? BAKE_EXIT_FAILED
					   : bake_resolve_and_write(x, en, nen, dis, ndis, true);
	free(en);
	free(dis);
	return rc;
}

int bake_load_plan(struct bake_ctx *x)
{
	char err[1024], hash[65];
	char **en, **dis;
	size_t nen, ndis;
	if (!bake_exists(x->plan_path)) {
		fprintf(stderr, "bake: %s not found: run `bake configure -e SET` first (`bake list` "
				"shows the sets)\n",
			x->plan_path);
		return -1;
	}
	if (bake_plan_read(x->plan_path, &en, &nen, &dis, &ndis, hash, err, sizeof err) < 0) {
		fprintf(stderr, "bake: %s\n", err);
		return -1;
	}
	int r = bake_load_conf(x) < 0 ? -1 : 0;
	if (!r && strcmp(hash, x->conf->hash))
		printf("bake: %s changed since `bake configure`; re-resolving the plan\n",
		       x->conf->path);
	if (!r) {
		/* Always re-resolved (it is microseconds); rewritten when stale. */
		if (strcmp(hash, x->conf->hash))
			r = bake_resolve_and_write(x, en, nen, dis, ndis, false) ? -1 : 0;
		else if (bake_plan_resolve(x->conf, en, nen, dis, ndis, x->plan, err, sizeof err) < 0) {
			fprintf(stderr, "bake: %s\n", err);
			r = -1;
		}
	}
	for (size_t i = 0; i < nen; i++)
		free(en[i]);
	for (size_t i = 0; i < ndis; i++)
		free(dis[i]);
	free(en);
	free(dis);
	return r;
}
