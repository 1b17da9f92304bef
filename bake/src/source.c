/* The source types behind one interface: fetched (downloaded once, recorded
 * by a stamp naming exactly what was fetched), unpacked (a pristine tree,
 * re-created whenever patches must be undone) and identified. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What was asked for: when this changes, the download is stale. */
static char *bake_fetch_spec(const struct bake_module *mod)
{
	const struct bake_source *s = &mod->source;
	switch (s->type) {
	case BAKE_SOURCE_DEBIAN:
		return bake_strdup_printf("debian-source package=%s version=%s suite=%s component=%s "
					  "mirror=%s",
					  s->package, s->version ? s->version : "(newest)", s->suite,
					  s->component, s->mirror ? s->mirror : "(host)");
	case BAKE_SOURCE_ARCHIVE:
		return bake_strdup_printf("archive url=%s sha256=%s", s->url, s->sha256);
	case BAKE_SOURCE_GIT:
		return bake_strdup_printf("git url=%s revision=%s", s->url, s->revision);
	default:
		return bake_strdup_printf("%s", bake_source_type_name(s->type));
	}
}

static bool bake_is_fetched_type(enum bake_source_type t)
{
	return t == BAKE_SOURCE_DEBIAN || t == BAKE_SOURCE_ARCHIVE || t == BAKE_SOURCE_GIT;
}

bool bake_source_fetched(struct bake_ctx *x, int m)
{
	const struct bake_module *mod = &x->conf->modules[m];
	if (!bake_is_fetched_type(mod->source.type))
		return true;
	char *spec = bake_fetch_spec(mod);
	char have[1024];
	bool ok = bake_state_get(x, m, "fetched", have, sizeof have) == 0 && !strcmp(have, spec);
	free(spec);
	return ok;
}

int bake_source_unpack(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_module *mod = &x->conf->modules[m];
	int r = 0;
	bake_state_clear(x, m, "unpacked");
	bake_state_clear(x, m, "patches");
	bake_state_clear(x, m, "configured");
	switch (mod->source.type) {
	case BAKE_SOURCE_DEBIAN: r = bake_debian_unpack(x, m, log); break;
	case BAKE_SOURCE_ARCHIVE: r = bake_archive_unpack(x, m, log); break;
	case BAKE_SOURCE_GIT: r = bake_git_unpack(x, m, log); break;
	default: return 0;
	}
	if (r == 0) {
		char *spec = bake_fetch_spec(mod);
		char id[65] = "";
		bake_source_identity(x, m, id);
		char *stamp = bake_strdup_printf("%s %s", spec, id);
		bake_state_set(x, m, "unpacked", stamp);
		free(stamp);
		free(spec);
	}
	return r;
}

/* True when the tree under build/bake/src is the pristine unpack of what
 * is currently fetched (patches aside). */
bool bake_source_unpacked(struct bake_ctx *x, int m)
{
	const struct bake_module *mod = &x->conf->modules[m];
	if (!bake_is_fetched_type(mod->source.type))
		return true;
	char *src = bake_module_srcdir(x, m);
	bool dir = bake_is_dir(src);
	free(src);
	if (!dir)
		return false;
	char *spec = bake_fetch_spec(mod);
	char id[65] = "";
	bake_source_identity(x, m, id);
	char *want = bake_strdup_printf("%s %s", spec, id);
	char have[1200];
	bool ok = bake_state_get(x, m, "unpacked", have, sizeof have) == 0 && !strcmp(have, want);
	free(want);
	free(spec);
	return ok;
}

int bake_source_download(struct bake_ctx *x, int m, const char *log)
{
	const struct bake_module *mod = &x->conf->modules[m];
	int r;
	bake_state_clear(x, m, "fetched");
	switch (mod->source.type) {
	case BAKE_SOURCE_DEBIAN: r = bake_debian_download(x, m, log); break;
	case BAKE_SOURCE_ARCHIVE: r = bake_archive_download(x, m, log); break;
	case BAKE_SOURCE_GIT: r = bake_git_download(x, m, log); break;
	default: return 0;
	}
	if (r == 0) {
		char *spec = bake_fetch_spec(mod);
		bake_state_set(x, m, "fetched", spec);
		free(spec);
		r = bake_source_unpack(x, m, log);
	}
	return r;
}

int bake_source_identity(struct bake_ctx *x, int m, char out[65])
{
	switch (x->conf->modules[m].source.type) {
	case BAKE_SOURCE_LOCAL: return bake_local_identity(x, m, out);
	case BAKE_SOURCE_DEBIAN: return bake_debian_identity(x, m, out);
	case BAKE_SOURCE_ARCHIVE: return bake_archive_identity(x, m, out);
	case BAKE_SOURCE_GIT: return bake_git_identity(x, m, out);
	default: snprintf(out, 65, "none"); return 0;
	}
}
