/* bake check: the host tools bake and the enabled recipes run. */
#include "bake.h"

#include <stdio.h>
#include <string.h>

struct bake_tool {
	const char *program;
	const char *package;
	const char *why;
};

static const struct bake_tool bake_tools[] = {
	{"sh", "dash", "runs every build step"},
	{"make", "make", "make and autotools builds"},
	{"gcc", "gcc", "C compiler"},
	{"g++", "g++", "C++ compiler (ns-3 bridge)"},
	{"pkg-config", "pkg-config", "finds ns-3 and other libraries"},
	{"patch", "patch", "applies <patch> files"},
	{"tar", "tar", "unpacks archive sources"},
	{"apt-get", "apt", "debian-source downloads, --install-missing"},
	{"dpkg-source", "dpkg-dev", "unpacks debian-source packages"},
	{"git", "git", "git sources; fast identity of local sources"},
	{"curl", "curl", "archive sources given by URL (or wget)"},
	{"cmake", "cmake", "cmake builds"},
};

/* Whether the plan (or, unconfigured, the base install) needs a tool. */
static bool bake_tool_needed(const struct bake_ctx *x, const char *program)
{
	static const char *const always[] = {"sh", "make", "gcc", "g++", "pkg-config", NULL};
	for (int i = 0; always[i]; i++)
		if (!strcmp(always[i], program))
			return true;
	if (!x->plan || !x->plan->order)
		return false;
	for (size_t i = 0; i < x->plan->n; i++) {
		const struct bake_module *m = &x->conf->modules[x->plan->order[i]];
		enum bake_source_type s = m->source.type;
		if (m->npatches && !strcmp(program, "patch"))
			return true;
		if (s == BAKE_SOURCE_DEBIAN &&
		    (!strcmp(program, "apt-get") || !strcmp(program, "dpkg-source")))
			return true;
		if (s == BAKE_SOURCE_ARCHIVE && !strcmp(program, "tar"))
			return true;
		if (s == BAKE_SOURCE_GIT && (!strcmp(program, "git") || !strcmp(program, "tar")))
			return true;
		if (m->build.type == BAKE_BUILD_CMAKE && !strcmp(program, "cmake"))
			return true;
	}
	return false;
}

int bake_cmd_check(struct bake_ctx *x, int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs("usage: bake check\n\nChecks the host tools bake needs (and those the "
		      "configured plan needs).\nExit 0 when every needed tool is present.\n",
		      stdout);
		return BAKE_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "bake check: unexpected argument '%s'\n", argv[1]);
		return BAKE_EXIT_USAGE;
	}
	/* The plan is optional here: without it, only the base tools count. */
	if (bake_exists(x->plan_path) && bake_load_plan(x) < 0)
		return BAKE_EXIT_FAILED;
	const char *missing[16];
	size_t nmissing = 0;
	for (size_t i = 0; i < sizeof bake_tools / sizeof *bake_tools; i++) {
		const struct bake_tool *t = &bake_tools[i];
		bool have = bake_program_exists(t->program);
		if (!have && !strcmp(t->program, "curl"))
			have = bake_program_exists("wget");
		bool need = bake_tool_needed(x, t->program);
		printf("  %-12s %-8s %s%s\n", t->program, have ? "ok" : need ? "MISSING" : "absent",
		       t->why, need ? "" : " (not needed by the plan)");
		if (!have && need)
			missing[nmissing++] = t->package;
	}
	if (nmissing) {
		fprintf(stderr, "bake: check: %zu needed tool%s missing\n", nmissing,
			nmissing == 1 ? "" : "s");
		bake_print_apt_hint(missing, nmissing);
		return BAKE_EXIT_FAILED;
	}
	printf("bake: check: all needed host tools present\n");
	return BAKE_EXIT_OK;
}
