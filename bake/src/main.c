/* bake: reads bakeconf.xml and configures, downloads, patches and builds a
 * graph of modules. This file finds the configuration and dispatches. */
#include "bake.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char bake_help[] =
	"usage: bake [-c FILE] COMMAND [OPTIONS]\n"
	"\n"
	"Builds dce and what it needs from a graph of modules described in bakeconf.xml.\n"
	"\n"
	"commands:\n"
	"  configure -e NAME...  choose modules/sets to build; writes bakefile.xml\n"
	"  list                  list modules and sets\n"
	"  download              fetch every enabled module's source\n"
	"  build [-j N]          patch and build in dependency order (skips what is up to date)\n"
	"  deploy [-j N]         download, then build\n"
	"  show [--enabled-tree] the graph, what each module needs, what is missing\n"
	"  check                 host tools present\n"
	"  clean [MODULE...]     remove build outputs (keeps downloads)\n"
	"  distclean             remove everything bake made, and bakefile.xml\n"
	"\n"
	"options:\n"
	"  -c, --conf FILE  the bakeconf.xml to use (default: ./bakeconf.xml or the nearest\n"
	"                   parent directory's); state goes to build/ next to it\n"
	"  -h, --help       this help; `bake COMMAND --help` for a command's options\n"
	"\n"
	"exit status: 0 ok, 1 failed, 2 bad usage. Documentation: docs/bake.md\n";

static const char bake_stage_help[] =
	"usage: bake %s [-j N] [--install-missing]\n"
	"\n"
	"%s"
	"  -j, --jobs N         parallel jobs passed to make/cmake (default: CPUs)\n"
	"  --install-missing    install missing system packages with apt-get (needs root);\n"
	"                       without it bake prints the apt-get line to run\n"
	"  -h, --help           this help\n";

static int bake_stage_opts(struct bake_ctx *x, int argc, char **argv, const char *name,
			   const char *what)
{
	static const struct option opts[] = {{"jobs", required_argument, NULL, 'j'},
					     {"install-missing", no_argument, NULL, 'I'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			char *end;
			long j = strtol(optarg, &end, 10);
			if (*end || j < 1 || j > 1024) {
				fprintf(stderr, "bake %s: -j needs a number from 1 to 1024, not '%s'\n",
					name, optarg);
				return BAKE_EXIT_USAGE;
			}
			x->jobs = (int)j;
			break;
		}
		case 'I': x->install_missing = true; break;
		case 'h': printf(bake_stage_help, name, what); return BAKE_EXIT_OK + 100;
		default:
			fprintf(stderr, "bake %s: bad option '%s'\n", name, argv[optind - 1]);
			fprintf(stderr, bake_stage_help, name, what);
			return BAKE_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bake %s: unexpected argument '%s'\n", name, argv[optind]);
		fprintf(stderr, bake_stage_help, name, what);
		return BAKE_EXIT_USAGE;
	}
	return -1;
}

#define BAKE_STAGE_PARSE(name, what)                                    \
	do {                                                            \
		int r_ = bake_stage_opts(x, argc, argv, name, what);    \
		if (r_ == 100)                                          \
			return BAKE_EXIT_OK;                            \
		if (r_ >= 0)                                            \
			return r_;                                      \
		if (bake_load_plan(x) < 0)                              \
			return BAKE_EXIT_FAILED;                        \
	} while (0)

int bake_cmd_download(struct bake_ctx *x, int argc, char **argv)
{
	BAKE_STAGE_PARSE("download", "Fetches every enabled module's source (and checks system "
				     "packages).\n");
	return bake_stage_download(x);
}

int bake_cmd_build(struct bake_ctx *x, int argc, char **argv)
{
	BAKE_STAGE_PARSE("build", "Applies patches, then builds the enabled modules in "
				  "dependency order;\nmodules whose inputs did not change are "
				  "skipped.\n");
	return bake_stage_build(x);
}

int bake_cmd_deploy(struct bake_ctx *x, int argc, char **argv)
{
	BAKE_STAGE_PARSE("deploy", "bake download, then bake build.\n");
	int r = bake_stage_download(x);
	return r ? r : bake_stage_build(x);
}

struct bake_command {
	const char *name;
	int (*run)(struct bake_ctx *, int, char **);
};

static const struct bake_command bake_commands[] = {
	{"configure", bake_cmd_configure}, {"list", bake_cmd_list},
	{"download", bake_cmd_download},   {"build", bake_cmd_build},
	{"deploy", bake_cmd_deploy},       {"show", bake_cmd_show},
	{"check", bake_cmd_check},         {"clean", bake_cmd_clean},
	{"distclean", bake_cmd_distclean},
};

/* ./bakeconf.xml, else the nearest parent's. */
static char *bake_find_conf(void)
{
	char dir[PATH_MAX];
	if (!getcwd(dir, sizeof dir))
		return NULL;
	for (;;) {
		char *p = bake_path_join(dir, "bakeconf.xml");
		if (bake_exists(p))
			return p;
		free(p);
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return NULL;
		*slash = 0;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"conf", required_argument, NULL, 'c'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *conf_arg = NULL;
	int c;
	opterr = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf_arg = optarg; break;
		case 'h': fputs(bake_help, stdout); return BAKE_EXIT_OK;
		default:
			fprintf(stderr, "bake: bad option '%s'\n\n%s", argv[optind - 1], bake_help);
			return BAKE_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bake: no command given\n\n%s", bake_help);
		return BAKE_EXIT_USAGE;
	}
	const char *cmd = argv[optind];
	const struct bake_command *command = NULL;
	for (size_t i = 0; i < sizeof bake_commands / sizeof *bake_commands; i++)
		if (!strcmp(bake_commands[i].name, cmd))
			command = &bake_commands[i];
	if (!command && !strcmp(cmd, "help")) {
		fputs(bake_help, stdout);
		return BAKE_EXIT_OK;
	}
	if (!command) {
		const char *best = NULL;
		size_t bestd = 3;
		for (size_t i = 0; i < sizeof bake_commands / sizeof *bake_commands; i++) {
			size_t d = bake_edit_distance(cmd, bake_commands[i].name);
			if (d < bestd) {
				bestd = d;
				best = bake_commands[i].name;
			}
		}
		fprintf(stderr, "bake: unknown command '%s'%s%s%s (see bake --help)\n", cmd,
			best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		return BAKE_EXIT_USAGE;
	}

	char *conf_path = conf_arg ? realpath(conf_arg, NULL) : bake_find_conf();
	if (!conf_path) {
		if (conf_arg)
			fprintf(stderr, "bake: cannot find %s\n", conf_arg);
		else
			fprintf(stderr, "bake: no bakeconf.xml in this directory or any parent (use -c "
					"FILE)\n");
		return BAKE_EXIT_FAILED;
	}
	char *topdir = bake_xstrdup(conf_path);
	*strrchr(topdir, '/') = 0;
	if (!*topdir)
		strcpy(topdir, "/");

	struct bake_config conf = {0};
	struct bake_plan plan = {0};
	conf.path = conf_path;
	struct bake_ctx x = {0};
	x.topdir = topdir;
	x.build_dir = bake_path_join(topdir, "build");
	x.state_dir = bake_path_join(x.build_dir, "bake");
	x.logs_dir = bake_path_join(x.build_dir, "logs");
	x.install_dir = bake_path_join(x.build_dir, "install");
	x.plan_path = bake_path_join(topdir, "bakefile.xml");
	x.conf = &conf;
	x.plan = &plan;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	x.jobs = ncpu > 0 ? (int)ncpu : 1;

	int rc = command->run(&x, argc - optind, argv + optind);

	bake_plan_free(&plan);
	bake_config_free(&conf);
	bake_dpkg_forget(&x);
	free((char *)x.build_dir);
	free((char *)x.state_dir);
	free((char *)x.logs_dir);
	free((char *)x.install_dir);
	free((char *)x.plan_path);
	free(topdir);
	free(conf_path);
	return rc;
}
