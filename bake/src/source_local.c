/* local sources: a directory of this repository. Its identity is the list
 * of files with their size, mode and mtime: one `git ls-files` plus a stat
 * per file is a few milliseconds, where hashing contents would not be.
 * (make is incremental anyway; this only decides whether to run it.) */
#include "bake.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void bake_hash_stat(struct bake_sha256 *s, const char *root, const char *rel)
{
	char *full = bake_path_join(root, rel);
	struct stat st;
	char line[160];
	if (lstat(full, &st) == 0)
		snprintf(line, sizeof line, "%lld %o %lld.%09ld", (long long)st.st_size,
			 (unsigned)st.st_mode, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		snprintf(line, sizeof line, "deleted");
	bake_sha256_str(s, rel);
	bake_sha256_str(s, line);
	free(full);
}

/* Without git (an exported tarball): walk the tree, skipping build output
 * and hidden directories. */
static void bake_hash_walk(struct bake_sha256 *s, const char *root, const char *rel)
{
	char *full = bake_path_join(root, rel);
	struct stat st;
	if (lstat(full, &st) < 0 || !S_ISDIR(st.st_mode)) {
		bake_hash_stat(s, root, rel);
		free(full);
		return;
	}
	struct dirent **names;
	int n = scandir(full, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		bool skip = nm[0] == '.' || (!strcmp(rel, ".") && !strcmp(nm, "build"));
		if (!skip) {
			char *child = !strcmp(rel, ".") ? bake_xstrdup(nm) : bake_path_join(rel, nm);
			bake_hash_walk(s, root, child);
			free(child);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(full);
}

int bake_local_identity(struct bake_ctx *x, int m, char out[65])
{
	const struct bake_module *mod = &x->conf->modules[m];
	char *dir = bake_module_srcdir(x, m);
	if (!bake_is_dir(dir)) {
		free(dir);
		return -1;
	}
	char *paths = bake_xstrdup(mod->source.identity ? mod->source.identity : ".");
	char *list[64];
	size_t np = 0;
	char *save = NULL;
	for (char *t = strtok_r(paths, " \t\n", &save); t && np < 63; t = strtok_r(NULL, " \t\n", &save))
		list[np++] = t;
	if (!np)
		list[np++] = ".";

	struct bake_sha256 s;
	bake_sha256_init(&s);
	char *argv[80];
	size_t k = 0;
	argv[k++] = "git";
	argv[k++] = "-C";
	argv[k++] = dir;
	argv[k++] = "ls-files";
	argv[k++] = "-z";
	argv[k++] = "--cached";
	argv[k++] = "--others";
	argv[k++] = "--exclude-standard";
	argv[k++] = "--";
	for (size_t i = 0; i < np; i++)
		argv[k++] = list[i];
	argv[k] = NULL;
	struct bake_buf files = {0};
	if (bake_program_exists("git") && bake_run_capture(NULL, argv, &files) == 0) {
		bake_sha256_str(&s, "git");
		for (size_t off = 0; off < files.len;) {
			const char *f = files.data + off;
			bake_hash_stat(&s, dir, f);
			off += strlen(f) + 1;
		}
	} else {
		bake_sha256_str(&s, "walk");
		for (size_t i = 0; i < np; i++)
			bake_hash_walk(&s, dir, list[i]);
	}
	bake_buf_free(&files);
	bake_sha256_hex(&s, out);
	free(paths);
	free(dir);
	return 0;
}
