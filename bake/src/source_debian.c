/* debian-source: a Debian source package through apt, with a private apt
 * configuration under build/bake/apt/ (its own sources, lists and cache).
 * The host's /etc/apt is never written: bake only adds a deb-src entry of
 * its own and points apt at it with -o options. */
#include "bake.h"

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BAKE_DEFAULT_MIRROR "http://deb.debian.org/debian"

/* First "URIs:" (deb822) or "deb URL" (one-line) that is a Debian archive,
 * not the security archive. */
static bool bake_mirror_from(const char *path, char *out, size_t outlen)
{
	char *text;
	if (bake_read_text(path, &text, NULL) < 0)
		return false;
	bool found = false;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		const char *uri = NULL;
		char *rest = NULL;
		if (!strncmp(line, "URIs:", 5))
			uri = line + 5;
		else if (!strncmp(line, "deb ", 4) || !strncmp(line, "deb-src ", 8))
			uri = strchr(line, ' ');
		if (!uri)
			continue;
		while (*uri == ' ' || *uri == '\t')
			uri++;
		/* Skip one-line options like [signed-by=...]. */
		if (*uri == '[') {
			const char *e = strchr(uri, ']');
			if (!e)
				continue;
			uri = e + 1;
			while (*uri == ' ')
				uri++;
		}
		char word[512];
		snprintf(word, sizeof word, "%s", uri);
		word[strcspn(word, " \t")] = 0;
		(void)rest;
		size_t l = strlen(word);
		while (l && word[l - 1] == '/')
			word[--l] = 0;
		if (l > 7 && !strcmp(word + l - 7, "/debian") && strncmp(word, "http", 4) == 0) {
			snprintf(out, outlen, "%s", word);
			found = true;
		}
	}
	free(text);
	return found;
}

int bake_debian_mirror(char *out, size_t outlen)
{
	const char *env = getenv("BAKE_DEBIAN_MIRROR");
	if (env && *env) {
		snprintf(out, outlen, "%s", env);
		return 0;
	}
	if (bake_mirror_from("/etc/apt/sources.list", out, outlen))
		return 0;
	glob_t g;
	bool found = false;
	if (glob("/etc/apt/sources.list.d/*.sources", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && !found; i++)
			found = bake_mirror_from(g.gl_pathv[i], out, outlen);
		globfree(&g);
	}
	if (!found && glob("/etc/apt/sources.list.d/*.list", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && !found; i++)
			found = bake_mirror_from(g.gl_pathv[i], out, outlen);
		globfree(&g);
	}
	if (!found)
		snprintf(out, outlen, "%s", BAKE_DEFAULT_MIRROR);
	return 0;
}

static char *bake_apt_dir(const struct bake_ctx *x)
{
	return bake_path_join(x->state_dir, "apt");
}

/* The -o options that make apt use only our private configuration. */
static size_t bake_apt_options(const char *apt, char **argv, size_t k, char **owned)
{
	size_t o = 0;
	owned[o++] = bake_strdup_printf("Dir::Etc::SourceList=%s/sources.list", apt);
	owned[o++] = bake_strdup_printf("Dir::Etc::SourceParts=%s/sources.list.d", apt);
	owned[o++] = bake_strdup_printf("Dir::State=%s/state", apt);
	owned[o++] = bake_strdup_printf("Dir::State::Lists=%s/lists", apt);
	owned[o++] = bake_strdup_printf("Dir::State::status=/var/lib/dpkg/status");
	owned[o++] = bake_strdup_printf("Dir::Cache=%s/cache", apt);
	owned[o++] = bake_strdup_printf("Acquire::Languages=none");
	/* As root apt hands downloads to the _apt user, which cannot write
	 * into a root-owned build/; stay root for our private directories. */
	owned[o++] = bake_strdup_printf("APT::Sandbox::User=%s", geteuid() == 0 ? "root" : "_apt");
	for (size_t i = 0; i < o; i++) {
		argv[k++] = "-o";
		argv[k++] = owned[i];
	}
	return k;
}

static void bake_free_owned(char **owned)
{
	for (size_t i = 0; owned[i]; i++)
		free(owned[i]);
}

/* Writes the deb-src entries of every enabled debian-source module; runs
 * `apt-get update` when they changed or the lists are older than a day. */
static int bake_apt_prepare(struct bake_ctx *x, const char *log)
{
	char *apt = bake_apt_dir(x);
	char *dirs[] = {"sources.list.d", "lists/partial", "cache/archives/partial", "state", NULL};
	for (int i = 0; dirs[i]; i++) {
		char *d = bake_path_join(apt, dirs[i]);
		bake_mkdirs(d);
		free(d);
	}
	struct bake_buf src = {0};
	bake_buf_puts(&src, "# Written by bake: the deb-src entries of the enabled debian-source modules.\n");
	for (size_t i = 0; i < x->plan->n; i++) {
		const struct bake_module *m = &x->conf->modules[x->plan->order[i]];
		if (m->source.type != BAKE_SOURCE_DEBIAN)
			continue;
		char mirror[512];
		if (m->source.mirror)
			snprintf(mirror, sizeof mirror, "%s", m->source.mirror);
		else
			bake_debian_mirror(mirror, sizeof mirror);
		bake_buf_printf(&src, "\n# module %s\nTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n"
				      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
				m->name, mirror, m->source.suite, m->source.component);
	}
	char *list = bake_path_join(apt, "sources.list");
	char *parts = bake_path_join(apt, "sources.list.d/bake.sources");
	char *stamp = bake_path_join(apt, "updated");
	int r = bake_write_text(list, "# empty: bake's entries are in sources.list.d/\n");
	char *old = NULL;
	bool same = bake_read_text(parts, &old, NULL) == 0 && !strcmp(old, src.data);
	free(old);
	if (!r && !same)
		r = bake_write_text(parts, src.data);
	struct stat st;
	bool fresh = same && stat(stamp, &st) == 0 && time(NULL) - st.st_mtime < 24 * 3600;
	if (!r && !fresh && !x->sources_updated) {
		char *owned[16] = {0};
		char *argv[40];
		size_t k = 0;
		argv[k++] = "apt-get";
		k = bake_apt_options(apt, argv, k, owned);
		argv[k++] = "update";
		argv[k] = NULL;
		r = bake_run_argv(&(struct bake_run){.log_path = log}, argv) == 0 ? 0 : -1;
		bake_free_owned(owned);
		if (!r) {
			bake_write_text(stamp, "ok\n");
			x->sources_updated = true;
		} else {
			fprintf(stderr, "bake: apt-get update of the private deb-src lists failed "
					"(is the Debian archive reachable?)\n");
		}
	}
	bake_buf_free(&src);
	free(list);
	free(parts);
	free(stamp);
	free(apt);
	return r;
}

static char *bake_dl_dir(const struct bake_ctx *x, int m)
{
	return bake_strdup_printf("%s/dl/%s", x->state_dir, x->conf->modules[m].name);
}

/* The one .dsc in the module's download directory. */
static char *bake_find_dsc(const struct bake_ctx *x, int m)
{
	char *dl = bake_dl_dir(x, m);
	DIR *d = opendir(dl);
	char *found = NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".dsc")) {
			free(found);
			found = bake_path_join(dl, e->d_name);
		}
	}
	if (d)
		closedir(d);
	free(dl);
	return found;
}

int bake_debian_download(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_module *mod = &x->conf->modules[m];
	if (bake_apt_prepare(x, log) < 0)
		return -1;
	char *dl = bake_dl_dir(x, m);
	bake_remove_tree(dl);
	bake_mkdirs(dl);
	char *apt = bake_apt_dir(x);
	char *owned[16] = {0};
	char *argv[40];
	size_t k = 0;
	argv[k++] = "apt-get";
	k = bake_apt_options(apt, argv, k, owned);
	argv[k++] = "source";
	argv[k++] = "--download-only";
	char *what = mod->source.version
			     ? bake_strdup_printf("%s=%s", mod->source.package, mod->source.version)
			     : bake_xstrdup(mod->source.package);
	argv[k++] = what;
	argv[k] = NULL;
	int rc = bake_run_argv(&(struct bake_run){.log_path = log, .cwd = dl}, argv);
	bake_free_owned(owned);
	free(what);
	free(apt);
	free(dl);
	if (rc != 0) {
		bake_log_note(log,
			      "bake: apt-get source %s failed: the Debian archive at the configured "
			      "mirror did not serve every file of the source package (see above)",
			      mod->source.package);
		return -1;
	}
	char *dsc = bake_find_dsc(x, m);
	if (!dsc) {
		bake_log_note(log, "bake: apt-get source left no .dsc file");
		return -1;
	}
	free(dsc);
	return 0;
}

int bake_debian_unpack(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_module *mod = &x->conf->modules[m];
	char *dsc = bake_find_dsc(x, m);
	if (!dsc) {
		bake_log_note(log, "bake: no .dsc downloaded for %s; run bake download", mod->name);
		return -1;
	}
	char *src = bake_module_srcdir(x, m);
	bake_remove_tree(src);
	char *parent = bake_path_join(x->state_dir, "src");
	bake_mkdirs(parent);
	free(parent);
	char *argv[8];
	size_t k = 0;
	argv[k++] = "dpkg-source";
	argv[k++] = "-x";
	if (!mod->source.debian_patches)
		argv[k++] = "--skip-patches";
	argv[k++] = dsc;
	argv[k++] = src;
	argv[k] = NULL;
	int rc = bake_run_argv(&(struct bake_run){.log_path = log}, argv);
	free(dsc);
	free(src);
	return rc == 0 ? 0 : -1;
}

int bake_debian_identity(struct bake_ctx *x, int m, char out[65])
{
	char *dsc = bake_find_dsc(x, m);
	if (!dsc)
		return -1;
	char h[65];
	int r = bake_sha256_file(dsc, h);
	if (!r) {
		struct bake_sha256 s;
		bake_sha256_init(&s);
		bake_sha256_str(&s, strrchr(dsc, '/') + 1);
		bake_sha256_str(&s, h);
		bake_sha256_str(&s, x->conf->modules[m].source.debian_patches ? "patched" : "pristine");
		bake_sha256_hex(&s, out);
	}
	free(dsc);
	return r;
}
