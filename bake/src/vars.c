/* $SRCDIR-style variables in paths and commands. */
#include "bake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bake_vars_for_module(const struct bake_ctx *x, int m, struct bake_vars *v, char **srcdir,
			  char **objdir, char *jobs, size_t jobslen)
{
	*srcdir = bake_module_srcdir(x, m);
	*objdir = bake_module_objdir(x, m);
	snprintf(jobs, jobslen, "%d", x->jobs);
	v->n = 0;
	v->names[v->n] = "SRCDIR", v->values[v->n++] = *srcdir;
	v->names[v->n] = "OBJDIR", v->values[v->n++] = *objdir;
	v->names[v->n] = "INSTALLDIR", v->values[v->n++] = x->install_dir;
	v->names[v->n] = "TOPDIR", v->values[v->n++] = x->topdir;
	v->names[v->n] = "MODULE", v->values[v->n++] = x->conf->modules[m].name;
	v->names[v->n] = "JOBS", v->values[v->n++] = jobs;
}

static bool bake_var_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

int bake_vars_expand(const struct bake_vars *v, const char *in, bool quote, struct bake_buf *out,
		     char *err, size_t errlen)
{
	bake_buf_add(out, "", 0);
	for (const char *p = in; *p;) {
		if (*p != '$') {
			bake_buf_add(out, p, 1);
			p++;
			continue;
		}
		bool brace = p[1] == '{';
		const char *s = p + 1 + brace;
		const char *e = s;
		while (bake_var_char(*e, e == s))
			e++;
		if (e == s || (brace && *e != '}')) {
			bake_buf_add(out, p, 1);
			p++;
			continue;
		}
		size_t len = (size_t)(e - s);
		const char *value = NULL;
		for (size_t i = 0; i < v->n; i++)
			if (strlen(v->names[i]) == len && !strncmp(v->names[i], s, len))
				value = v->values[i];
		const char *after = e + brace;
		if (value) {
			if (quote)
				bake_buf_shell_quote(out, value);
			else
				bake_buf_puts(out, value);
		} else if (quote) {
			/* Not ours: the shell expands it from the environment. */
			bake_buf_add(out, p, (size_t)(after - p));
		} else {
			snprintf(err, errlen, "unknown variable $%.*s (known: $SRCDIR, $OBJDIR, "
					      "$INSTALLDIR, $TOPDIR, $MODULE, $JOBS)",
				 (int)len, s);
			return -1;
		}
		p = after;
	}
	return 0;
}
