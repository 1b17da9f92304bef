/* archive sources: a tarball by URL (needs internet) or local path, whose
 * sha256 must match before anything is unpacked. */
#include "bake.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool bake_is_remote(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8) ||
	       !strncmp(url, "ftp://", 6);
}

static char *bake_archive_path(const struct bake_ctx *x, int m)
{
	const char *url = x->conf->modules[m].source.url;
	const char *base = strrchr(url, '/');
	base = base && base[1] ? base + 1 : "archive";
	/* Query strings make poor file names and confuse tar's detection. */
	char *name = bake_xstrdup(base);
	name[strcspn(name, "?#")] = 0;
	char *p = bake_strdup_printf("%s/dl/%s/%s", x->state_dir, x->conf->modules[m].name, name);
	free(name);
	return p;
}

int bake_archive_download(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_source *s = &x->conf->modules[m].source;
	char *dest = bake_archive_path(x, m);
	char *dir = bake_strdup_printf("%s/dl/%s", x->state_dir, x->conf->modules[m].name);
	bake_remove_tree(dir);
	bake_mkdirs(dir);
	int rc;
	struct bake_run r = {.log_path = log};
	if (bake_is_remote(s->url)) {
		char max[32];
		snprintf(max, sizeof max, "%llu", BAKE_ARCHIVE_MAX_BYTES);
		char *argv[] = {"curl",	 "-fsSL", "--retry", "2", "--max-filesize", max,
				"-o",	 dest,	  (char *)s->url, NULL};
		/* wget has no size limit of its own: the shell's file size limit is one */
		char blocks[32];
		snprintf(blocks, sizeof blocks, "%llu", BAKE_ARCHIVE_MAX_BYTES >> 10);
		char *wget[] = {"sh", "-c", "ulimit -f \"$0\" && exec wget -q -O \"$1\" \"$2\"",
				blocks, dest, (char *)s->url, NULL};
		rc = bake_program_exists("curl") ? bake_run_argv(&r, argv) : bake_run_argv(&r, wget);
		if (rc != 0)
			bake_log_note(log,
				      "bake: cannot download %s: archive sources with a URL need "
				      "internet access to its host (this machine may not have it; a "
				      "local path or file:// URL works offline)",
				      s->url);
	} else {
		const char *path = !strncmp(s->url, "file://", 7) ? s->url + 7 : s->url;
		char *full = bake_path_join(x->conf->dir, path);
		char why[256];
		if (bake_check_input_file(full, BAKE_ARCHIVE_MAX_BYTES, why, sizeof why) < 0) {
			bake_log_note(log,
				      "bake: archive %s %s (an archive is a regular file of at most "
				      "%llu GiB, or a download)",
				      full, why, BAKE_ARCHIVE_MAX_BYTES >> 30);
			rc = -1;
		} else {
			char *argv[] = {"cp", "--", full, dest, NULL};
			rc = bake_run_argv(&r, argv);
		}
		free(full);
	}
	if (rc == 0) {
		char got[65];
		if (bake_sha256_file(dest, got) < 0 || strcmp(got, s->sha256)) {
			bake_log_note(log, "bake: sha256 mismatch for %s:\n  expected %s\n  got      %s",
				      s->url, s->sha256, got);
			unlink(dest);
			rc = -1;
		}
	}
	free(dest);
	free(dir);
	return rc == 0 ? 0 : -1;
}

int bake_archive_unpack(struct bake_ctx *x, int m, const char *log)
{
	char *archive = bake_archive_path(x, m);
	char *src = bake_module_srcdir(x, m);
	char *tmp = bake_strdup_printf("%s.unpack", src);
	bake_remove_tree(src);
	bake_remove_tree(tmp);
	bake_mkdirs(tmp);
	char *argv[] = {"tar", "-xf", archive, "-C", tmp, "--no-same-owner", NULL};
	int rc = bake_run_argv(&(struct bake_run){.log_path = log}, argv);
	if (rc == 0) {
		/* A tarball usually holds one top directory: that is the source. */
		DIR *d = opendir(tmp);
		struct dirent *e;
		char *only = NULL;
		int count = 0;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			count++;
			free(only);
			only = bake_path_join(tmp, e->d_name);
		}
		if (d)
			closedir(d);
		if (count == 1 && bake_is_dir(only)) {
			rc = rename(only, src);
			bake_remove_tree(tmp);
		} else {
			rc = rename(tmp, src);
		}
		free(only);
	}
	free(archive);
	free(src);
	free(tmp);
	return rc == 0 ? 0 : -1;
}

int bake_archive_identity(struct bake_ctx *x, int m, char out[65])
{
	snprintf(out, 65, "%s", x->conf->modules[m].source.sha256);
	return 0;
}
