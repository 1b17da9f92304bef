/* bake: the dce build-graph tool. One header is the contract between the
 * small files under bake/src; each section names the file that implements it. */
#ifndef BAKE_H
#define BAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes every command uses. */
enum { BAKE_EXIT_OK = 0, BAKE_EXIT_FAILED = 1, BAKE_EXIT_USAGE = 2 };

/* ---- arena.c: every string of a parsed configuration lives in one arena, so
 * freeing a configuration (also after a parse error, e.g. in the fuzzer) can
 * never leak or double free. */
struct bake_arena_chunk;
struct bake_arena {
	struct bake_arena_chunk *head;
};
void *bake_arena_alloc(struct bake_arena *a, size_t size);
char *bake_arena_strdup(struct bake_arena *a, const char *s);
/* Makes room for one more element in an arena-backed array (*n used, *cap). */
void *bake_arena_grow(struct bake_arena *a, void *array, size_t n, size_t *cap, size_t elem);
void bake_arena_free(struct bake_arena *a);

/* ---- xml.c: safe reading of untrusted XML (size, depth, no DTD/entities). */
#define BAKE_XML_MAX_BYTES (4u << 20)
#define BAKE_XML_MAX_DEPTH 32
struct _xmlDoc;
struct _xmlNode;
struct bake_xml {
	struct _xmlDoc *doc;
	char *text;          /* the raw bytes, kept to compute columns */
	size_t len;
	const char *file;    /* name used in messages */
};
/* On error returns -1 and writes "file:line:column: problem" into err. */
int bake_xml_read_file(struct bake_xml *x, const char *path, char *err, size_t errlen);
int bake_xml_read_memory(struct bake_xml *x, const char *name, const char *data, size_t len,
			 char *err, size_t errlen);
void bake_xml_close(struct bake_xml *x);
/* Column of needle on a line (1 if not found): libxml2's tree only keeps lines. */
int bake_xml_column(const struct bake_xml *x, int line, const char *needle);

/* ---- config.c: bakeconf.xml as data. */
enum bake_source_type {
	BAKE_SOURCE_NONE,
	BAKE_SOURCE_SYSTEM,
	BAKE_SOURCE_DEBIAN,
	BAKE_SOURCE_LOCAL,
	BAKE_SOURCE_ARCHIVE,
	BAKE_SOURCE_GIT,
};
enum bake_build_type {
	BAKE_BUILD_NONE,
	BAKE_BUILD_MAKE,
	BAKE_BUILD_CMAKE,
	BAKE_BUILD_AUTOTOOLS,
	BAKE_BUILD_SCRIPT,
};

struct bake_package {
	const char *name;
	const char *pkgconfig;   /* check: pkg-config --exists */
	const char *program;     /* check: program in PATH */
	const char *file;        /* check: file exists */
	int line;
};

struct bake_source {
	enum bake_source_type type;
	struct bake_package *packages;  /* system */
	size_t npackages;
	const char *package;            /* debian-source */
	const char *version;
	const char *suite;
	const char *component;
	const char *mirror;
	bool debian_patches;
	const char *dir;                /* local */
	const char *identity;           /* local: space separated paths */
	const char *url;                /* archive, git */
	const char *sha256;             /* archive */
	const char *revision;           /* git */
	int line;
};

struct bake_step {
	const char *name;     /* configure, build, install */
	const char *script;
};

struct bake_build {
	enum bake_build_type type;
	const char *configure_arguments;
	const char *build_arguments;
	const char *install_arguments;
	const char *targets;         /* make: default "all" */
	const char *install_target;  /* make: default "install"; "" = none */
	const char *bootstrap;       /* autotools: run in SRCDIR before configure */
	bool in_source;              /* autotools: configure in SRCDIR */
	struct bake_step *steps;     /* script */
	size_t nsteps;
	int line;
};

struct bake_dep {
	const char *name;
	bool optional;
	int line;
	int index;  /* resolved module index */
};

struct bake_patch {
	const char *file;   /* as written */
	const char *path;   /* resolved against the configuration's directory */
	int strip;
	int line;
};

struct bake_kv {
	const char *name;
	const char *value;
};

struct bake_module {
	const char *name;
	const char *description;
	const char *status_message;  /* non-NULL: status="planned" */
	struct bake_source source;
	struct bake_build build;
	struct bake_dep *deps;
	size_t ndeps;
	struct bake_patch *patches;
	size_t npatches;
	struct bake_kv *env;
	size_t nenv;
	int line;
};

struct bake_member {
	const char *name;
	bool optional;
	int line;
};

struct bake_set {
	const char *name;
	const char *description;
	struct bake_member *members;
	size_t nmembers;
	int line;
};

struct bake_config {
	struct bake_arena arena;
	const char *path;
	const char *dir;       /* directory of the file: patches are relative to it */
	struct bake_module *modules;
	size_t nmodules;
	struct bake_set *sets;
	size_t nsets;
	char hash[65];         /* sha256 of the file: detects edits after configure */
};

int bake_config_load(struct bake_config *c, const char *path, char *err, size_t errlen);
int bake_config_parse(struct bake_config *c, const char *name, const char *data, size_t len,
		      char *err, size_t errlen);
void bake_config_free(struct bake_config *c);
int bake_config_find_module(const struct bake_config *c, const char *name);
int bake_config_find_set(const struct bake_config *c, const char *name);
const char *bake_source_type_name(enum bake_source_type t);
const char *bake_build_type_name(enum bake_build_type t);

/* ---- suggest.c */
size_t bake_edit_distance(const char *a, const char *b);
/* Closest module or set name, or NULL when nothing is reasonably close. */
const char *bake_closest_name(const struct bake_config *c, const char *name);

/* ---- graph.c: the enabled modules in dependency order. */
struct bake_plan {
	int *order;        /* module indices, dependencies first */
	size_t n;
	bool *enabled;     /* by module index */
	bool *optional;    /* enabled only through optional edges or members */
	bool *root;        /* named directly by -e (or a set) */
	char **enable;     /* the -e and -d options as given */
	size_t nenable;
	char **disable;
	size_t ndisable;
	char **notes;      /* optional modules skipped, and why */
	size_t nnotes;
};
int bake_plan_resolve(const struct bake_config *c, char **enable, size_t nenable,
		      char **disable, size_t ndisable, struct bake_plan *p,
		      char *err, size_t errlen);
void bake_plan_free(struct bake_plan *p);

/* ---- plan.c: bakefile.xml */
struct bake_ctx;
int bake_plan_write(const struct bake_ctx *x);
/* Reads back the -e/-d options and the configuration hash. */
int bake_plan_read(const char *path, char ***enable, size_t *nenable, char ***disable,
		   size_t *ndisable, char *conf_hash, char *err, size_t errlen);

/* ---- sha256.c */
struct bake_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t fill;
};
void bake_sha256_init(struct bake_sha256 *s);
void bake_sha256_update(struct bake_sha256 *s, const void *data, size_t len);
void bake_sha256_hex(struct bake_sha256 *s, char out[65]);
void bake_sha256_str(struct bake_sha256 *s, const char *str); /* with a separator */
int bake_sha256_file(const char *path, char out[65]);

/* ---- util.c: strings, files and directories. */
struct bake_buf {
	char *data;
	size_t len, cap;
};
void bake_buf_add(struct bake_buf *b, const char *s, size_t n);
void bake_buf_puts(struct bake_buf *b, const char *s);
void bake_buf_printf(struct bake_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bake_buf_free(struct bake_buf *b);
char *bake_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *bake_path_join(const char *a, const char *b);
int bake_mkdirs(const char *path);
int bake_remove_tree(const char *path);
bool bake_exists(const char *path);
bool bake_is_dir(const char *path);
int bake_read_text(const char *path, char **out, size_t *len);
/* Archives and patches are read only from regular files of at most max bytes
 * (a device or FIFO would fill the disk or never end). 0 if path is one, else
 * -1 with the reason ("is a character device, not a regular file", ...) in why. */
#define BAKE_ARCHIVE_MAX_BYTES (4ull << 30)
#define BAKE_PATCH_MAX_BYTES (64ull << 20)
int bake_check_input_file(const char *path, unsigned long long max, char *why, size_t whylen);
int bake_write_text(const char *path, const char *text);
double bake_now(void);
void *bake_xmalloc(size_t n);
char *bake_xstrdup(const char *s);
bool bake_program_exists(const char *name);
/* Single-quotes s for /bin/sh. */
void bake_buf_shell_quote(struct bake_buf *b, const char *s);

/* ---- context.c: what every stage of one run shares. */
struct bake_ctx {
	const char *topdir;       /* directory of bakeconf.xml */
	const char *build_dir;    /* TOPDIR/build */
	const char *state_dir;    /* build/bake */
	const char *logs_dir;     /* build/logs */
	const char *install_dir;  /* build/install */
	const char *plan_path;    /* TOPDIR/bakefile.xml */
	struct bake_config *conf;
	struct bake_plan *plan;
	int jobs;
	bool install_missing;
	bool verbose;
	bool apt_updated;         /* apt-get update runs at most once per invocation */
	bool sources_updated;     /* the private deb-src lists were refreshed */
	struct bake_dpkg *dpkg;   /* /var/lib/dpkg/status, read once */
};
/* Module directories: caller frees. */
char *bake_module_srcdir(const struct bake_ctx *x, int m);
char *bake_module_objdir(const struct bake_ctx *x, int m);
char *bake_module_statedir(const struct bake_ctx *x, int m);
char *bake_module_logpath(const struct bake_ctx *x, int m);

/* ---- vars.c: $SRCDIR, $OBJDIR, $INSTALLDIR, $TOPDIR, $MODULE, $JOBS. */
struct bake_vars {
	const char *names[8];
	const char *values[8];
	size_t n;
};
void bake_vars_for_module(const struct bake_ctx *x, int m, struct bake_vars *v, char **srcdir,
			  char **objdir, char *jobs, size_t jobslen);
/* quote: shell-quote substituted values (commands); unknown names are kept
 * for the shell in commands and are an error (-1, name in err) otherwise. */
int bake_vars_expand(const struct bake_vars *v, const char *in, bool quote, struct bake_buf *out,
		     char *err, size_t errlen);

/* ---- run.c: child processes, logs, progress lines. */
struct bake_run {
	const char *log_path;    /* appended to; NULL: inherit stdout/stderr */
	const char *cwd;
	char **env;              /* extra NAME=VALUE entries, NULL terminated, may be NULL */
};
/* Runs /bin/sh -c command; returns the exit status (or -1 if it could not start). */
int bake_run_shell(const struct bake_run *r, const char *command);
/* Runs argv (no shell). */
int bake_run_argv(const struct bake_run *r, char *const argv[]);
/* Runs argv capturing stdout into out (stderr to the log or /dev/null). */
int bake_run_capture(const char *cwd, char *const argv[], struct bake_buf *out);
void bake_log_note(const char *log_path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bake_print_log_tail(const char *log_path, int lines);
void bake_progress_begin(int i, int n, const char *module, const char *step);
void bake_progress_end(double start, const char *result);

/* ---- state.c: stamps under build/bake/state/<module>/ */
int bake_state_get(const struct bake_ctx *x, int m, const char *key, char *out, size_t outlen);
int bake_state_set(const struct bake_ctx *x, int m, const char *key, const char *value);
int bake_state_clear(const struct bake_ctx *x, int m, const char *key);

/* ---- sources: each type fetches and identifies a module's source. */
struct bake_system_status {
	const char **missing;    /* package names not installed */
	size_t nmissing;
	struct bake_buf versions;  /* identity: name=version lines */
};
int bake_system_check(struct bake_ctx *x, const struct bake_module *mod,
		      struct bake_system_status *st);
void bake_system_status_free(struct bake_system_status *st);
/* Installs packages (apt-get update once, then install -y); -1 when not allowed. */
int bake_system_install(struct bake_ctx *x, const char **pkgs, size_t n, const char *log);
/* Installed version of pkg, or NULL (reads dpkg's status file once). */
const char *bake_dpkg_version(struct bake_ctx *x, const char *pkg);
void bake_dpkg_forget(struct bake_ctx *x);
void bake_print_apt_hint(const char **pkgs, size_t n);

int bake_debian_download(struct bake_ctx *x, int m, const char *log);
int bake_debian_unpack(struct bake_ctx *x, int m, const char *log);
int bake_debian_mirror(char *out, size_t outlen);
int bake_debian_identity(struct bake_ctx *x, int m, char out[65]);

int bake_local_identity(struct bake_ctx *x, int m, char out[65]);

int bake_archive_download(struct bake_ctx *x, int m, const char *log);
int bake_archive_unpack(struct bake_ctx *x, int m, const char *log);

int bake_git_download(struct bake_ctx *x, int m, const char *log);
int bake_git_unpack(struct bake_ctx *x, int m, const char *log);
int bake_git_identity(struct bake_ctx *x, int m, char out[65]);
int bake_archive_identity(struct bake_ctx *x, int m, char out[65]);

/* source.c: dispatch on the source type. */
bool bake_source_fetched(struct bake_ctx *x, int m);
int bake_source_download(struct bake_ctx *x, int m, const char *log);
/* Re-creates the pristine unpacked tree (before patches) from the download. */
int bake_source_unpack(struct bake_ctx *x, int m, const char *log);
bool bake_source_unpacked(struct bake_ctx *x, int m);
/* Identity of the unpacked source (what changes when the source changes). */
int bake_source_identity(struct bake_ctx *x, int m, char out[65]);

/* ---- patch.c */
/* Applies the module's patches not yet recorded; re-unpacks when recorded
 * patches changed. Returns 0, or -1 after printing which hunk failed. */
int bake_patch_apply(struct bake_ctx *x, int m, const char *log, bool *changed);
void bake_patch_hash(const struct bake_module *mod, struct bake_sha256 *s);

/* ---- build.c: one module's build recipe. */
int bake_build_module(struct bake_ctx *x, int m, int i, int n, const char *log);
void bake_build_hash(const struct bake_module *mod, struct bake_sha256 *s);

/* ---- commands (configure.c, stages.c, show.c, check.c, clean.c) */
int bake_cmd_configure(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_list(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_download(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_build(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_deploy(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_show(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_check(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_clean(struct bake_ctx *x, int argc, char **argv);
int bake_cmd_distclean(struct bake_ctx *x, int argc, char **argv);
int bake_stage_download(struct bake_ctx *x);
int bake_stage_build(struct bake_ctx *x);
/* Loads bakefile.xml + bakeconf.xml into x (re-resolving if bakeconf changed). */
int bake_load_plan(struct bake_ctx *x);

#endif
