/* git sources: url + revision. The clone stays under build/bake/dl; the
 * source tree is a `git archive` of the revision, so patches always start
 * from exactly that revision. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *bake_git_repo(const struct bake_ctx *x, int m)
{
	return bake_strdup_printf("%s/dl/%s/repo.git", x->state_dir, x->conf->modules[m].name);
}

int bake_git_download(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_source *s = &x->conf->modules[m].source;
	char *repo = bake_git_repo(x, m);
	char *dir = bake_strdup_printf("%s/dl/%s", x->state_dir, x->conf->modules[m].name);
	bake_remove_tree(dir);
	bake_mkdirs(dir);
	struct bake_run r = {.log_path = log};
	char *clone[] = {"git", "clone", "--bare", "--quiet", (char *)s->url, repo, NULL};
	int rc = bake_run_argv(&r, clone);
	if (rc != 0) {
		bake_log_note(log,
			      "bake: cannot clone %s: git sources need access to that host (this "
			      "machine may have no internet access)",
			      s->url);
	} else {
		char *rev = bake_strdup_printf("%s^{commit}", s->revision);
		char *verify[] = {"git", "-C", repo, "rev-parse", "--verify", "--quiet", rev, NULL};
		rc = bake_run_argv(&r, verify);
		if (rc != 0)
			bake_log_note(log, "bake: revision '%s' not found in %s", s->revision, s->url);
		free(rev);
	}
	free(repo);
	free(dir);
	return rc == 0 ? 0 : -1;
}

int bake_git_unpack(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_source *s = &x->conf->modules[m].source;
	char *repo = bake_git_repo(x, m);
	char *src = bake_module_srcdir(x, m);
	bake_remove_tree(src);
	bake_mkdirs(src);
	struct bake_buf cmd = {0};
	bake_buf_puts(&cmd, "git -C ");
	bake_buf_shell_quote(&cmd, repo);
	bake_buf_puts(&cmd, " archive --format=tar ");
	bake_buf_shell_quote(&cmd, s->revision);
	bake_buf_puts(&cmd, " | tar -xf - -C ");
	bake_buf_shell_quote(&cmd, src);
	int rc = bake_run_shell(&(struct bake_run){.log_path = log}, cmd.data);
	bake_buf_free(&cmd);
	free(repo);
	free(src);
	return rc == 0 ? 0 : -1;
}

int bake_git_identity(struct bake_ctx *x, int m, char out[65])
{
	char *repo = bake_git_repo(x, m);
	char *rev = bake_strdup_printf("%s^{commit}", x->conf->modules[m].source.revision);
	char *argv[] = {"git", "-C", repo, "rev-parse", "--verify", rev, NULL};
	struct bake_buf b = {0};
	int rc = bake_run_capture(NULL, argv, &b);
	if (rc == 0)
		snprintf(out, 65, "%.*s", (int)strcspn(b.data, "\n"), b.data);
	bake_buf_free(&b);
	free(rev);
	free(repo);
	return rc == 0 ? 0 : -1;
}
