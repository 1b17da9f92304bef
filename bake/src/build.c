/* Build recipes: make, cmake, autotools and script, each as a short list of
 * shell steps with $SRCDIR/$OBJDIR/$INSTALLDIR substituted (shell-quoted)
 * and exported. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bake_build_hash(const struct bake_module *mod, struct bake_sha256 *s)
{
	const struct bake_build *b = &mod->build;
	const struct bake_source *src = &mod->source;
	bake_sha256_str(s, bake_source_type_name(src->type));
	bake_sha256_str(s, src->dir);
	bake_sha256_str(s, src->identity);
	bake_sha256_str(s, bake_build_type_name(b->type));
	bake_sha256_str(s, b->configure_arguments);
	bake_sha256_str(s, b->build_arguments);
	bake_sha256_str(s, b->install_arguments);
	bake_sha256_str(s, b->targets);
	bake_sha256_str(s, b->install_target);
	bake_sha256_str(s, b->bootstrap);
	bake_sha256_str(s, b->in_source ? "in-source" : "out-of-tree");
	for (size_t i = 0; i < b->nsteps; i++) {
		bake_sha256_str(s, b->steps[i].name);
		bake_sha256_str(s, b->steps[i].script);
	}
	for (size_t i = 0; i < mod->nenv; i++) {
		bake_sha256_str(s, mod->env[i].name);
		bake_sha256_str(s, mod->env[i].value);
	}
}

struct bake_step_cmd {
	const char *step;
	char *command;   /* before expansion */
	const char *cwd; /* "src" or "obj" */
};

static void bake_add_step(struct bake_step_cmd *steps, size_t *n, const char *step, const char *cwd,
			  const char *fmt, const char *a, const char *b, const char *c)
{
	steps[*n].step = step;
	steps[*n].cwd = cwd;
	steps[*n].command = bake_strdup_printf(fmt, a ? a : "", b ? b : "", c ? c : "");
	(*n)++;
}

static size_t bake_recipe(const struct bake_module *mod, bool configured,
			  struct bake_step_cmd *steps)
{
	const struct bake_build *b = &mod->build;
	size_t n = 0;
	switch (b->type) {
	case BAKE_BUILD_MAKE:
		bake_add_step(steps, &n, "build", "src", "make -C \"$SRCDIR\" -j$JOBS %s %s%s",
			      b->build_arguments, b->targets, NULL);
		if (b->install_target && *b->install_target)
			bake_add_step(steps, &n, "install", "src", "make -C \"$SRCDIR\" %s %s %s",
				      b->build_arguments, b->install_arguments, b->install_target);
		break;
	case BAKE_BUILD_CMAKE:
		if (!configured)
			bake_add_step(steps, &n, "configure", "obj",
				      "cmake -S \"$SRCDIR\" -B \"$OBJDIR\" -DCMAKE_INSTALL_PREFIX=\"$INSTALLDIR\" %s%s%s",
				      b->configure_arguments, NULL, NULL);
		bake_add_step(steps, &n, "build", "obj", "cmake --build \"$OBJDIR\" -j $JOBS %s%s%s",
			      b->build_arguments, NULL, NULL);
		bake_add_step(steps, &n, "install", "obj", "cmake --install \"$OBJDIR\" %s%s%s",
			      b->install_arguments, NULL, NULL);
		break;
	case BAKE_BUILD_AUTOTOOLS: {
		const char *dir = b->in_source ? "src" : "obj";
		if (!configured) {
			if (b->bootstrap)
				bake_add_step(steps, &n, "bootstrap", "src", "%s%s%s", b->bootstrap,
					      NULL, NULL);
			bake_add_step(steps, &n, "configure", dir,
				      "\"$SRCDIR/configure\" --prefix=\"$INSTALLDIR\" %s%s%s",
				      b->configure_arguments, NULL, NULL);
		}
		bake_add_step(steps, &n, "build", dir, "make -j$JOBS %s%s%s", b->build_arguments, NULL,
			      NULL);
		bake_add_step(steps, &n, "install", dir, "make %s install%s%s", b->install_arguments,
			      NULL, NULL);
		break;
	}
	case BAKE_BUILD_SCRIPT: {
		static const char *const order[] = {"configure", "build", "install"};
		for (int k = 0; k < 3; k++)
			for (size_t i = 0; i < b->nsteps; i++)
				if (!strcmp(b->steps[i].name, order[k]) &&
				    !(configured && k == 0))
					bake_add_step(steps, &n, order[k], "obj", "%s%s%s",
						      b->steps[i].script, NULL, NULL);
		break;
	}
	case BAKE_BUILD_NONE:
		break;
	}
	return n;
}

/* The environment every step sees: our variables, the install tree first in
 * PATH and PKG_CONFIG_PATH, then the module's <env>. */
static char **bake_step_env(const struct bake_ctx *x, int m, const struct bake_vars *v)
{
	const struct bake_module *mod = &x->conf->modules[m];
	size_t n = v->n + mod->nenv + 3;
	char **env = calloc(n + 1, sizeof *env);
	if (!env)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < v->n; i++)
		env[k++] = bake_strdup_printf("%s=%s", v->names[i], v->values[i]);
	const char *path = getenv("PATH");
	env[k++] = bake_strdup_printf("PATH=%s/bin:%s", x->install_dir,
				      path ? path : "/usr/local/bin:/usr/bin:/bin");
	const char *pc = getenv("PKG_CONFIG_PATH");
	env[k++] = bake_strdup_printf("PKG_CONFIG_PATH=%s/lib/pkgconfig:%s/share/pkgconfig%s%s",
				      x->install_dir, x->install_dir, pc && *pc ? ":" : "",
				      pc ? pc : "");
	for (size_t i = 0; i < mod->nenv; i++) {
		struct bake_buf val = {0};
		char err[256];
		if (bake_vars_expand(v, mod->env[i].value, false, &val, err, sizeof err) < 0)
			bake_buf_puts(&val, mod->env[i].value);
		env[k++] = bake_strdup_printf("%s=%s", mod->env[i].name, val.data ? val.data : "");
		bake_buf_free(&val);
	}
	return env;
}

static void bake_free_env(char **env)
{
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

int bake_build_module(struct bake_ctx *x, int m, int i, int n, const char *log)
{
	const struct bake_module *mod = &x->conf->modules[m];
	struct bake_vars v;
	char *srcdir, *objdir, jobs[16];
	bake_vars_for_module(x, m, &v, &srcdir, &objdir, jobs, sizeof jobs);
	bake_mkdirs(objdir);
	bake_mkdirs(x->install_dir);

	/* configure only re-runs when the recipe or the fetched source changed. */
	struct bake_sha256 s;
	bake_sha256_init(&s);
	bake_build_hash(mod, &s);
	if (mod->source.type != BAKE_SOURCE_LOCAL) {
		char id[65] = "";
		bake_source_identity(x, m, id);
		bake_sha256_str(&s, id);
		bake_patch_hash(mod, &s);
	}
	char confkey[65], have[80] = "";
	bake_sha256_hex(&s, confkey);
	bake_state_get(x, m, "configured", have, sizeof have);
	bool configured = !strcmp(have, confkey);

	struct bake_step_cmd steps[8];
	size_t nsteps = bake_recipe(mod, configured, steps);
	char **env = bake_step_env(x, m, &v);
	int r = 0;
	for (size_t k = 0; k < nsteps; k++) {
		if (r) {
			free(steps[k].command);
			continue;
		}
		/* $SRCDIR and friends are exported: the shell expands them,
		 * so they work inside the user's own quoting too. */
		struct bake_buf cmd = {0};
		bake_buf_puts(&cmd, steps[k].command);
		double t0 = bake_now();
		bake_progress_begin(i, n, mod->name, steps[k].step);
		bake_log_note(log, "\n== %s: %s", mod->name, steps[k].step);
		struct bake_run run = {.log_path = log,
				       .cwd = !strcmp(steps[k].cwd, "src") ? srcdir : objdir,
				       .env = env};
		int rc = bake_run_shell(&run, cmd.data);
		if (rc != 0) {
			char res[64];
			snprintf(res, sizeof res, "FAILED (exit %d)", rc);
			bake_progress_end(t0, res);
			r = -1;
		} else {
			bake_progress_end(t0, "ok");
			if (!strcmp(steps[k].step, "configure"))
				bake_state_set(x, m, "configured", confkey);
		}
		bake_buf_free(&cmd);
		free(steps[k].command);
	}
	bake_free_env(env);
	free(srcdir);
	free(objdir);
	return r;
}
