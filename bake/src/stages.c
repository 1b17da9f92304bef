/* The download and build stages over the plan, in dependency order. A
 * module whose inputs (source identity, patches, recipe, dependencies) are
 * unchanged is skipped: that check is all a no-op `bake build` does. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { BAKE_OK = 0, BAKE_FAILED = 1, BAKE_SKIPPED = 2 };

/* Logs are appended to across runs; one that grew large starts over. */
static char *bake_open_log(struct bake_ctx *x, int m, const char *stage)
{
	bake_mkdirs(x->logs_dir);
	char *log = bake_module_logpath(x, m);
	struct stat st;
	if (stat(log, &st) == 0 && st.st_size > (8 << 20))
		unlink(log);
	time_t now = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
	bake_log_note(log, "\n==== bake %s %s (%s)", stage, x->conf->modules[m].name, when);
	return log;
}

static void bake_fail_report(const char *log)
{
	bake_print_log_tail(log, 30);
}

/* Checks a system module, installing what is missing when allowed. */
static int bake_system_stage(struct bake_ctx *x, int m, int i, int n, bool quiet_ok,
			     char key[65], bool *uptodate)
{
	const struct bake_module *mod = &x->conf->modules[m];
	double t0 = bake_now();
	struct bake_system_status st;
	*uptodate = false;
	if (bake_system_check(x, mod, &st) < 0) {
		char *log = bake_open_log(x, m, "install");
		bool installed = false;
		if (x->install_missing && geteuid() == 0) {
			bake_progress_begin(i, n, mod->name, "install");
			installed = bake_system_install(x, st.missing, st.nmissing, log) == 0;
			bake_progress_end(t0, installed ? "ok" : "FAILED");
			if (!installed)
				bake_fail_report(log);
			bake_system_status_free(&st);
			if (installed && bake_system_check(x, mod, &st) < 0)
				installed = false;
			else if (!installed)
				memset(&st, 0, sizeof st);
		}
		if (!installed) {
			if (st.nmissing) {
				bake_progress_begin(i, n, mod->name, "check");
				struct bake_buf b = {0};
				bake_buf_puts(&b, "MISSING:");
				for (size_t k = 0; k < st.nmissing; k++)
					bake_buf_printf(&b, " %s", st.missing[k]);
				bake_progress_end(t0, b.data);
				bake_buf_free(&b);
				bake_print_apt_hint(st.missing, st.nmissing);
				if (x->install_missing && geteuid() != 0)
					fprintf(stderr, "  (--install-missing needs root)\n");
			}
			bake_system_status_free(&st);
			free(log);
			return -1;
		}
		free(log);
	}
	struct bake_sha256 s;
	bake_sha256_init(&s);
	bake_sha256_str(&s, st.versions.data);
	bake_sha256_hex(&s, key);
	bake_system_status_free(&st);
	char have[80] = "";
	bake_state_get(x, m, "built", have, sizeof have);
	*uptodate = !strcmp(have, key);
	if (!quiet_ok) {
		bake_progress_begin(i, n, mod->name, "check");
		bake_progress_end(t0, *uptodate ? "up to date" : "ok");
	}
	if (!*uptodate)
		bake_state_set(x, m, "built", key);
	return 0;
}

int bake_stage_download(struct bake_ctx *x)
{
	const struct bake_plan *p = x->plan;
	int failed = 0;
	double start = bake_now();
	for (size_t i = 0; i < p->n; i++) {
		int m = p->order[i];
		const struct bake_module *mod = &x->conf->modules[m];
		int idx = (int)i + 1, n = (int)p->n;
		int r = 0;
		double t0 = bake_now();
		if (mod->source.type == BAKE_SOURCE_SYSTEM) {
			char key[65];
			bool up;
			r = bake_system_stage(x, m, idx, n, false, key, &up);
		} else if (mod->source.type == BAKE_SOURCE_LOCAL) {
			char *src = bake_module_srcdir(x, m);
			bake_progress_begin(idx, n, mod->name, "local");
			if (bake_is_dir(src)) {
				bake_progress_end(t0, "ok");
			} else {
				bake_progress_end(t0, "MISSING");
				fprintf(stderr, "bake: module %s: local directory %s does not exist\n",
					mod->name, src);
				r = -1;
			}
			free(src);
		} else if (bake_source_fetched(x, m) && bake_source_unpacked(x, m)) {
			bake_progress_begin(idx, n, mod->name, "download");
			bake_progress_end(t0, "already downloaded");
		} else {
			char *log = bake_open_log(x, m, "download");
			bake_progress_begin(idx, n, mod->name, "download");
			r = bake_source_fetched(x, m) ? bake_source_unpack(x, m, log)
						      : bake_source_download(x, m, log);
			bake_progress_end(t0, r ? "FAILED" : "ok");
			if (r)
				bake_fail_report(log);
			free(log);
		}
		if (r && p->optional[m])
			fprintf(stderr, "bake: optional module %s failed; continuing without it\n",
				mod->name);
		else if (r)
			failed++;
	}
	if (failed) {
		fprintf(stderr, "bake: download: %d module%s failed (%.2f s)\n", failed,
			failed == 1 ? "" : "s", bake_now() - start);
		return BAKE_EXIT_FAILED;
	}
	printf("bake: download: %zu modules ready (%.2f s)\n", p->n, bake_now() - start);
	return BAKE_EXIT_OK;
}

/* Everything a module's build depends on, as one hash. */
static int bake_module_key(struct bake_ctx *x, int m, char keys[][65], const int *status,
			   char out[65])
{
	const struct bake_module *mod = &x->conf->modules[m];
	struct bake_sha256 s;
	bake_sha256_init(&s);
	char id[65];
	if (bake_source_identity(x, m, id) < 0)
		return -1;
	bake_sha256_str(&s, id);
	bake_build_hash(mod, &s);
	bake_patch_hash(mod, &s);
	bake_sha256_str(&s, x->install_dir);
	for (size_t j = 0; j < mod->ndeps; j++) {
		int d = mod->deps[j].index;
		if (!x->plan->enabled[d] || status[d] != BAKE_OK)
			continue;
		bake_sha256_str(&s, x->conf->modules[d].name);
		bake_sha256_str(&s, keys[d]);
	}
	bake_sha256_hex(&s, out);
	return 0;
}

static int bake_build_one(struct bake_ctx *x, int m, int idx, int n, char keys[][65],
			  const int *status, bool *uptodate)
{
	const struct bake_module *mod = &x->conf->modules[m];
	*uptodate = false;
	if (mod->source.type == BAKE_SOURCE_SYSTEM)
		return bake_system_stage(x, m, idx, n, false, keys[m], uptodate);
	double t0 = bake_now();
	if (!bake_source_fetched(x, m)) {
		bake_progress_begin(idx, n, mod->name, "source");
		bake_progress_end(t0, "NOT DOWNLOADED");
		fprintf(stderr, "bake: module %s: source not downloaded: run `bake download` (or "
				"`bake deploy`)\n",
			mod->name);
		return -1;
	}
	char *src = bake_module_srcdir(x, m);
	bool have_src = bake_is_dir(src);
	free(src);
	if (mod->source.type == BAKE_SOURCE_LOCAL && !have_src) {
		fprintf(stderr, "bake: module %s: local directory %s missing\n", mod->name,
			mod->source.dir);
		return -1;
	}
	if (bake_module_key(x, m, keys, status, keys[m]) < 0) {
		fprintf(stderr, "bake: module %s: cannot identify its source\n", mod->name);
		return -1;
	}
	char have[80] = "";
	bake_state_get(x, m, "built", have, sizeof have);
	if (have_src && !strcmp(have, keys[m]) && bake_source_unpacked(x, m)) {
		bake_progress_begin(idx, n, mod->name, "build");
		bake_progress_end(t0, "up to date");
		*uptodate = true;
		return 0;
	}
	bake_state_clear(x, m, "built");
	char *log = bake_open_log(x, m, "build");
	int r = 0;
	if (mod->npatches || !bake_source_unpacked(x, m)) {
		bake_progress_begin(idx, n, mod->name, "patch");
		bool changed;
		r = bake_patch_apply(x, m, log, &changed);
		char res[64];
		snprintf(res, sizeof res, "%s", r ? "FAILED" : changed ? "ok" : "already applied");
		bake_progress_end(t0, res);
	}
	if (!r)
		r = bake_build_module(x, m, idx, n, log);
	if (r)
		bake_fail_report(log);
	else
		bake_state_set(x, m, "built", keys[m]);
	free(log);
	return r;
}

int bake_stage_build(struct bake_ctx *x)
{
	const struct bake_plan *p = x->plan;
	size_t nm = x->conf->nmodules;
	int *status = calloc(nm ? nm : 1, sizeof *status);
	char(*keys)[65] = calloc(nm ? nm : 1, sizeof *keys);
	if (!status || !keys)
		abort();
	double start = bake_now();
	int failed = 0, uptodate = 0, optional_failed = 0;
	for (size_t i = 0; i < p->n; i++) {
		int m = p->order[i];
		const struct bake_module *mod = &x->conf->modules[m];
		const char *blocker = NULL;
		for (size_t j = 0; j < mod->ndeps && !blocker; j++) {
			int d = mod->deps[j].index;
			if (p->enabled[d] && status[d] != BAKE_OK && !mod->deps[j].optional)
				blocker = x->conf->modules[d].name;
		}
		if (blocker) {
			bake_progress_begin((int)i + 1, (int)p->n, mod->name, "build");
			char res[160];
			snprintf(res, sizeof res, "SKIPPED: needs %s, which did not build", blocker);
			printf("%s\n", res);
			status[m] = BAKE_SKIPPED;
		} else {
			bool up;
			int r = bake_build_one(x, m, (int)i + 1, (int)p->n, keys, status, &up);
			status[m] = r ? BAKE_FAILED : BAKE_OK;
			uptodate += !r && up;
		}
		if (status[m] != BAKE_OK) {
			if (p->optional[m]) {
				optional_failed++;
				fprintf(stderr, "bake: optional module %s did not build; continuing "
						"without it\n",
					mod->name);
			} else {
				failed++;
			}
		}
	}
	double took = bake_now() - start;
	free(status);
	free(keys);
	if (failed) {
		fprintf(stderr, "bake: build: %d of %zu modules failed or were skipped (%.2f s)\n",
			failed, p->n, took);
		return BAKE_EXIT_FAILED;
	}
	if ((size_t)uptodate == p->n)
		printf("bake: build: all %zu modules up to date (%.2f s)\n", p->n, took);
	else
		printf("bake: build: %zu modules ok, %d up to date%s (%.2f s)\n",
		       p->n - (size_t)optional_failed, uptodate,
		       optional_failed ? ", optional ones skipped" : "", took);
	return BAKE_EXIT_OK;
}
