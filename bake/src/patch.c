/* Patches applied exactly once. What was applied is recorded (content hash
 * and path, in order) under the module's state: re-running applies nothing,
 * a new patch at the end is applied on top, and any other change starts
 * again from the pristine source so no patch is ever applied twice or left
 * behind. Each patch is dry-run first, so a failing one changes nothing. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bake_patch_hash(const struct bake_module *mod, struct bake_sha256 *s)
{
	for (size_t i = 0; i < mod->npatches; i++) {
		char h[65] = "missing";
		bake_sha256_file(mod->patches[i].path, h);
		bake_sha256_str(s, mod->patches[i].path);
		bake_sha256_str(s, h);
		char strip[4];
		snprintf(strip, sizeof strip, "%d", mod->patches[i].strip);
		bake_sha256_str(s, strip);
	}
}

/* Path of a "+++ " line with strip leading components removed. */
static void bake_patch_target(const char *line, int strip, char *out, size_t outlen)
{
	const char *p = line + 4;
	size_t len = strcspn(p, "\t\n");
	char path[1024];
	snprintf(path, sizeof path, "%.*s", (int)len, p);
	char *q = path;
	for (int i = 0; i < strip; i++) {
		char *slash = strchr(q, '/');
		if (!slash)
			break;
		q = slash + 1;
	}
	snprintf(out, outlen, "%s", q);
}

/* Prints hunk number `hunk` of the section patching `file`. */
static void bake_print_hunk(const struct bake_patch *pt, const char *file, int hunk)
{
	char *text;
	if (bake_read_text(pt->path, &text, NULL) < 0)
		return;
	bool in_file = false, printing = false;
	int count = 0, lineno = 0, shown = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (!strncmp(line, "+++ ", 4)) {
			char target[1024];
			bake_patch_target(line, pt->strip, target, sizeof target);
			in_file = !strcmp(target, file);
			count = 0;
			if (printing)
				break;
			continue;
		}
		if (!strncmp(line, "--- ", 4) || !strncmp(line, "diff ", 5)) {
			if (printing)
				break;
			continue;
		}
		if (!strncmp(line, "@@", 2) && in_file) {
			if (printing)
				break;
			if (++count == hunk) {
				printing = true;
				fprintf(stderr, "  %s:%d: the failing hunk:\n", pt->path, lineno);
			}
		}
		if (printing && shown++ < 40)
			fprintf(stderr, "    %s\n", line);
	}
	free(text);
}

/* Explains a failed dry run: which file, which hunk, and the hunk itself. */
static void bake_patch_explain(const struct bake_module *mod, const struct bake_patch *pt,
			       const char *output)
{
	fprintf(stderr, "bake: patch %s (bakeconf line %d) does not apply to module %s:\n",
		pt->path, pt->line, mod->name);
	char file[1024] = "";
	const char *p = output;
	bool explained = false;
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[1200];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		int hunk, at;
		if (!strncmp(line, "patching file ", 14) || !strncmp(line, "checking file ", 14)) {
			snprintf(file, sizeof file, "%.1000s", line + 14);
		} else if (sscanf(line, "Hunk #%d FAILED at %d", &hunk, &at) == 2 && !explained) {
			fprintf(stderr, "  file %s: hunk #%d FAILED at line %d\n", file, hunk, at);
			bake_print_hunk(pt, file, hunk);
			explained = true;
		} else if (strstr(line, "Reversed (or previously applied) patch detected")) {
			fprintf(stderr, "  file %s: the patch is already in the source (reversed or "
					"previously applied)\n",
				file);
			explained = true;
		} else if (strstr(line, "can't find file to patch") ||
			   strstr(line, "No such file")) {
			fprintf(stderr, "  %s (check strip=\"%d\")\n", line, pt->strip);
			explained = true;
		} else if (strstr(line, "Only garbage") || strstr(line, "malformed patch")) {
			fprintf(stderr, "  %s\n", line);
			explained = true;
		}
		p = eol ? eol + 1 : NULL;
	}
	if (!explained)
		fprintf(stderr, "  patch said:\n%s\n", output);
}

static int bake_patch_one(struct bake_ctx *x, int m, const struct bake_patch *pt, const char *src,
			  const char *log)
{
	char strip[8];
	snprintf(strip, sizeof strip, "-p%d", pt->strip);
	char *dry[] = {"patch", strip, "--dry-run", "--batch", "--forward", "-d", (char *)src,
		       "-i", (char *)pt->path, NULL};
	struct bake_buf out = {0};
	int rc = bake_run_capture(NULL, dry, &out);
	bake_log_note(log, "$ patch %s --dry-run -d %s -i %s\n%s", strip, src, pt->path,
		      out.data ? out.data : "");
	if (rc != 0) {
		bake_patch_explain(&x->conf->modules[m], pt, out.data ? out.data : "");
		bake_buf_free(&out);
		return -1;
	}
	bake_buf_free(&out);
	char *real[] = {"patch", strip, "--batch", "--forward", "-d", (char *)src,
			"-i", (char *)pt->path, NULL};
	return bake_run_argv(&(struct bake_run){.log_path = log}, real) == 0 ? 0 : -1;
}

int bake_patch_apply(struct bake_ctx *x, int m, const char *log, bool *changed)
{
	const struct bake_module *mod = &x->conf->modules[m];
	*changed = false;
	struct bake_buf want = {0};
	bake_buf_add(&want, "", 0);
	for (size_t i = 0; i < mod->npatches; i++) {
		char h[65], why[256];
		if (bake_check_input_file(mod->patches[i].path, BAKE_PATCH_MAX_BYTES, why, sizeof why) < 0 ||
		    (bake_sha256_file(mod->patches[i].path, h) < 0 && snprintf(why, sizeof why, "unreadable") > 0)) {
			fprintf(stderr,
				"bake: module %s: patch file %s (bakeconf line %d) %s (a patch is a regular "
				"file of at most %llu MiB)\n",
				mod->name, mod->patches[i].path, mod->patches[i].line,
				why, BAKE_PATCH_MAX_BYTES >> 20);
			bake_buf_free(&want);
			return -1;
		}
		bake_buf_printf(&want, "%s %d %s\n", h, mod->patches[i].strip, mod->patches[i].path);
	}
	char have[65536] = "";
	bool recorded = bake_state_get(x, m, "patches", have, sizeof have) == 0;
	bool pristine_ok = bake_source_unpacked(x, m);
	/* Only an extension of what is applied can be applied in place. */
	if (!pristine_ok || !recorded || strncmp(want.data, have, strlen(have))) {
		if (!pristine_ok || (recorded && *have)) {
			bake_log_note(log, "bake: %s; re-creating the pristine source",
				      pristine_ok ? "the patch list changed" : "source tree is stale");
			if (bake_source_unpack(x, m, log) < 0) {
				bake_buf_free(&want);
				return -1;
			}
			*changed = true;
		}
		have[0] = 0;
	}
	char *src = bake_module_srcdir(x, m);
	size_t done = 0;
	for (const char *p = have; *p; p++)
		done += *p == '\n';
	struct bake_buf applied = {0};
	bake_buf_puts(&applied, have);
	int r = 0;
	for (size_t i = done; i < mod->npatches && !r; i++) {
		r = bake_patch_one(x, m, &mod->patches[i], src, log);
		if (!r) {
			/* Record each patch as soon as it is in: an interruption
			 * between two patches must not re-apply the first. */
			const char *line = want.data;
			for (size_t k = 0; k < i; k++)
				line = strchr(line, '\n') + 1;
			bake_buf_add(&applied, line, strcspn(line, "\n") + 1);
			bake_state_set(x, m, "patches", applied.data);
			*changed = true;
		}
	}
	if (!r && !recorded)
		bake_state_set(x, m, "patches", applied.data ? applied.data : "");
	bake_buf_free(&applied);
	bake_buf_free(&want);
	free(src);
	return r;
}
