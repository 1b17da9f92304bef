/* system sources: Debian binary packages. Presence is decided from dpkg's
 * status file (read directly: one read is ~100 times faster than a
 * dpkg-query per package, and `bake build` must stay well under a second),
 * or by pkg-config, a program in PATH or a file, as the module says. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bake_dpkg {
	char *text;
	const char **names;
	const char **versions;
	size_t n;
};

static struct bake_dpkg *bake_dpkg_load(void)
{
	struct bake_dpkg *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	const char *path = getenv("BAKE_DPKG_STATUS");
	if (!path)
		path = "/var/lib/dpkg/status";
	size_t len;
	if (bake_read_text(path, &d->text, &len) < 0)
		return d;
	size_t cap = 0;
	/* Stanzas are separated by blank lines; we need Package, Status, Version. */
	char *p = d->text;
	while (*p) {
		const char *name = NULL, *version = NULL;
		bool installed = false;
		while (*p && *p != '\n') {
			char *eol = strchr(p, '\n');
			if (eol)
				*eol = 0;
			if (!strncmp(p, "Package: ", 9))
				name = p + 9;
			else if (!strncmp(p, "Version: ", 9))
				version = p + 9;
			else if (!strncmp(p, "Status: ", 8)) {
				size_t l = strlen(p);
				installed = l > 10 && !strcmp(p + l - 10, " installed");
			}
			p = eol ? eol + 1 : p + strlen(p);
		}
		if (*p == '\n')
			p++;
		if (name && installed) {
			if (d->n == cap) {
				cap = cap ? cap * 2 : 1024;
				d->names = realloc(d->names, cap * sizeof *d->names);
				d->versions = realloc(d->versions, cap * sizeof *d->versions);
				if (!d->names || !d->versions)
					abort();
			}
			d->names[d->n] = name;
			d->versions[d->n++] = version ? version : "?";
		}
	}
	return d;
}

const char *bake_dpkg_version(struct bake_ctx *x, const char *pkg)
{
	if (!x->dpkg)
		x->dpkg = bake_dpkg_load();
	/* "name:arch" in a module matches the plain name too. */
	size_t len = strcspn(pkg, ":");
	for (size_t i = 0; i < x->dpkg->n; i++)
		if (!strncmp(x->dpkg->names[i], pkg, len) && x->dpkg->names[i][len] == 0)
			return x->dpkg->versions[i];
	return NULL;
}

void bake_dpkg_forget(struct bake_ctx *x)
{
	if (!x->dpkg)
		return;
	free(x->dpkg->text);
	free(x->dpkg->names);
	free(x->dpkg->versions);
	free(x->dpkg);
	x->dpkg = NULL;
}

static bool bake_package_present(struct bake_ctx *x, const struct bake_package *p)
{
	if (p->pkgconfig) {
		char *argv[] = {"pkg-config", "--exists", (char *)p->pkgconfig, NULL};
		struct bake_buf out = {0};
		int r = bake_run_capture(NULL, argv, &out);
		bake_buf_free(&out);
		if (r != 0)
			return false;
	}
	if (p->program && !bake_program_exists(p->program))
		return false;
	if (p->file && access(p->file, F_OK) != 0)
		return false;
	if (!p->pkgconfig && !p->program && !p->file)
		return bake_dpkg_version(x, p->name) != NULL;
	return true;
}

int bake_system_check(struct bake_ctx *x, const struct bake_module *mod,
		      struct bake_system_status *st)
{
	memset(st, 0, sizeof *st);
	st->missing = calloc(mod->source.npackages + 1, sizeof *st->missing);
	if (!st->missing)
		abort();
	for (size_t i = 0; i < mod->source.npackages; i++) {
		const struct bake_package *p = &mod->source.packages[i];
		const char *v = bake_dpkg_version(x, p->name);
		bake_buf_printf(&st->versions, "%s=%s\n", p->name, v ? v : "(not from dpkg)");
		if (!bake_package_present(x, p))
			st->missing[st->nmissing++] = p->name;
	}
	if (!st->versions.data)
		bake_buf_add(&st->versions, "", 0);
	return st->nmissing ? -1 : 0;
}

void bake_system_status_free(struct bake_system_status *st)
{
	free(st->missing);
	bake_buf_free(&st->versions);
}

void bake_print_apt_hint(const char **pkgs, size_t n)
{
	fprintf(stderr, "  to install: %sapt-get install -y", geteuid() == 0 ? "" : "sudo ");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %s", pkgs[i]);
	fprintf(stderr, "\n  (or re-run with --install-missing as root)\n");
}

int bake_system_install(struct bake_ctx *x, const char **pkgs, size_t n, const char *log)
{
	if (!x->install_missing || geteuid() != 0 || !n)
		return -1;
	char *env[] = {"DEBIAN_FRONTEND=noninteractive", NULL};
	struct bake_run r = {.log_path = log, .env = env};
	if (!x->apt_updated) {
		char *upd[] = {"apt-get", "update", NULL};
		if (bake_run_argv(&r, upd) != 0)
			return -1;
		x->apt_updated = true;
	}
	char **argv = calloc(n + 5, sizeof *argv);
	if (!argv)
		abort();
	size_t k = 0;
	argv[k++] = "apt-get";
	argv[k++] = "install";
	argv[k++] = "-y";
	argv[k++] = "--no-install-recommends";
	for (size_t i = 0; i < n; i++)
		argv[k++] = (char *)pkgs[i];
	int rc = bake_run_argv(&r, argv);
	free(argv);
	bake_dpkg_forget(x);
	return rc == 0 ? 0 : -1;
}
