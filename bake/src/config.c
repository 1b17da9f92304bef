/* bakeconf.xml to struct bake_config. Every element and attribute is
 * checked against what its context allows: a typo must be an error with a
 * position, never a silently ignored setting. */
#include "bake.h"

#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bake_parse {
	struct bake_config *c;
	struct bake_xml *x;
	char *err;
	size_t errlen;
};

static int bake_fail(struct bake_parse *p, xmlNodePtr n, const char *needle, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bake_fail(struct bake_parse *p, xmlNodePtr n, const char *needle, const char *fmt, ...)
{
	int line = n ? (int)xmlGetLineNo(n) : 1;
	if (line < 1)
		line = 1;
	int col = bake_xml_column(p->x, line, needle ? needle : "<");
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->x->file, line, col, msg);
	return -1;
}

static const char *bake_name(xmlNodePtr n)
{
	return (const char *)n->name;
}

/* Attribute value copied into the arena, or NULL when absent. */
static const char *bake_attr(struct bake_parse *p, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	const char *s = bake_arena_strdup(&p->c->arena, (const char *)v);
	xmlFree(v);
	return s;
}

/* Rejects attributes not listed in allowed (a NULL-terminated list). */
static int bake_check_attrs(struct bake_parse *p, xmlNodePtr n, const char *const *allowed,
			    const char *what)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		bool ok = false;
		for (const char *const *k = allowed; *k && !ok; k++)
			ok = !strcmp(*k, (const char *)a->name);
		if (ok && !a->ns)
			continue;
		struct bake_buf list = {0};
		for (const char *const *k = allowed; *k; k++)
			bake_buf_printf(&list, "%s%s", k == allowed ? "" : ", ", *k);
		char needle[128];
		snprintf(needle, sizeof needle, "%s=", (const char *)a->name);
		bake_fail(p, n, needle, "unknown attribute '%s' on %s (allowed: %s)",
			  (const char *)a->name, what, list.data ? list.data : "none");
		bake_buf_free(&list);
		return -1;
	}
	return 0;
}

static int bake_require(struct bake_parse *p, xmlNodePtr n, const char *name, const char **out)
{
	*out = bake_attr(p, n, name);
	if (!*out || !**out) {
		char needle[64];
		snprintf(needle, sizeof needle, "<%s", bake_name(n));
		return bake_fail(p, n, needle, "<%s> needs a non-empty '%s' attribute", bake_name(n),
				 name);
	}
	return 0;
}

static int bake_bool(struct bake_parse *p, xmlNodePtr n, const char *name, bool def, bool *out)
{
	const char *v = bake_attr(p, n, name);
	*out = def;
	if (!v)
		return 0;
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false"))
		*out = false;
	else {
		char needle[64];
		snprintf(needle, sizeof needle, "%s=", name);
		return bake_fail(p, n, needle, "'%s' must be yes or no, not '%s'", name, v);
	}
	return 0;
}

static int bake_check_name(struct bake_parse *p, xmlNodePtr n, const char *name)
{
	size_t len = strlen(name);
	bool ok = len >= 1 && len <= 64;
	for (size_t i = 0; i < len && ok; i++) {
		char ch = name[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		     ch == '-' || ch == '_' || ch == '.' || ch == '+';
	}
	/* Names become directory names under build/: no "." or "..". */
	if (ok && name[0] == '.')
		ok = false;
	if (!ok)
		return bake_fail(p, n, "name=",
				 "invalid name '%.80s': use 1-64 letters, digits, '-', '_', '.', '+' "
				 "(not starting with '.')",
				 name);
	return 0;
}

/* Only whitespace text and comments may sit between elements. Returns the
 * next element child, or NULL; sets *bad on stray content. */
static xmlNodePtr bake_next_element(struct bake_parse *p, xmlNodePtr n, int *bad)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if (n->type == XML_COMMENT_NODE)
			continue;
		if (n->type == XML_TEXT_NODE) {
			const char *t = (const char *)n->content;
			bool blank = true;
			for (; t && *t && blank; t++)
				blank = *t == ' ' || *t == '\t' || *t == '\n' || *t == '\r';
			if (blank)
				continue;
			*bad = bake_fail(p, n, NULL, "unexpected text in <%s>",
					 n->parent ? bake_name(n->parent) : "document");
			return NULL;
		}
		*bad = bake_fail(p, n, NULL, "unexpected %s in <%s>",
				 n->type == XML_PI_NODE ? "processing instruction"
				 : n->type == XML_CDATA_SECTION_NODE ? "CDATA section"
								     : "content",
				 n->parent ? bake_name(n->parent) : "document");
		return NULL;
	}
	return NULL;
}

#define BAKE_FOR_ELEMENTS(p, parent, child, bad)                                            \
	for (xmlNodePtr child = bake_next_element(p, (parent)->children, &bad); child && !bad; \
	     child = bake_next_element(p, child->next, &bad))

static int bake_unknown_element(struct bake_parse *p, xmlNodePtr n, const char *in,
				const char *expected)
{
	char needle[128];
	snprintf(needle, sizeof needle, "<%s", bake_name(n));
	return bake_fail(p, n, needle, "unknown element <%s> in <%s> (expected %s)", bake_name(n),
			 in, expected);
}

static int bake_parse_package(struct bake_parse *p, xmlNodePtr n, struct bake_source *s,
			      size_t *cap)
{
	static const char *const allowed[] = {"name", "pkgconfig", "program", "file", NULL};
	if (bake_check_attrs(p, n, allowed, "<package>") < 0)
		return -1;
	s->packages = bake_arena_grow(&p->c->arena, s->packages, s->npackages, cap,
				      sizeof *s->packages);
	struct bake_package *pk = &s->packages[s->npackages];
	if (bake_require(p, n, "name", &pk->name) < 0)
		return -1;
	/* A package name reaches the apt-get command line: Debian's own rules. */
	for (const char *c = pk->name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' ||
		      *c == '.' || *c == ':'))
			return bake_fail(p, n, "name=", "invalid Debian package name '%.80s'", pk->name);
	pk->pkgconfig = bake_attr(p, n, "pkgconfig");
	pk->program = bake_attr(p, n, "program");
	pk->file = bake_attr(p, n, "file");
	pk->line = (int)xmlGetLineNo(n);
	s->npackages++;
	return 0;
}

static int bake_parse_source(struct bake_parse *p, xmlNodePtr n, struct bake_module *m)
{
	struct bake_source *s = &m->source;
	const char *type;
	if (bake_require(p, n, "type", &type) < 0)
		return -1;
	s->line = (int)xmlGetLineNo(n);
	static const char *const sys[] = {"type", NULL};
	static const char *const deb[] = {"type",  "package", "version", "suite",
					  "component", "mirror", "debian_patches", NULL};
	static const char *const loc[] = {"type", "dir", "identity", NULL};
	static const char *const arc[] = {"type", "url", "sha256", NULL};
	static const char *const git[] = {"type", "url", "revision", NULL};
	const char *const *allowed;
	if (!strcmp(type, "system")) {
		s->type = BAKE_SOURCE_SYSTEM;
		allowed = sys;
	} else if (!strcmp(type, "debian-source")) {
		s->type = BAKE_SOURCE_DEBIAN;
		allowed = deb;
	} else if (!strcmp(type, "local")) {
		s->type = BAKE_SOURCE_LOCAL;
		allowed = loc;
	} else if (!strcmp(type, "archive")) {
		s->type = BAKE_SOURCE_ARCHIVE;
		allowed = arc;
	} else if (!strcmp(type, "git")) {
		s->type = BAKE_SOURCE_GIT;
		allowed = git;
	} else {
		return bake_fail(p, n, "type=",
				 "unknown source type '%.80s' (expected system, debian-source, local, "
				 "archive or git)",
				 type);
	}
	char what[64];
	snprintf(what, sizeof what, "a %s <source>", type);
	if (bake_check_attrs(p, n, allowed, what) < 0)
		return -1;
	int bad = 0;
	size_t pkcap = 0;
	switch (s->type) {
	case BAKE_SOURCE_SYSTEM:
		BAKE_FOR_ELEMENTS(p, n, c, bad)
		{
			if (strcmp(bake_name(c), "package"))
				return bake_unknown_element(p, c, "source", "<package>");
			if (bake_parse_package(p, c, s, &pkcap) < 0)
				return -1;
		}
		if (bad)
			return -1;
		if (!s->npackages)
			return bake_fail(p, n, "<source", "a system source needs at least one <package>");
		return 0;
	case BAKE_SOURCE_DEBIAN:
		if (bake_require(p, n, "package", &s->package) < 0 ||
		    bake_bool(p, n, "debian_patches", true, &s->debian_patches) < 0)
			return -1;
		s->version = bake_attr(p, n, "version");
		s->suite = bake_attr(p, n, "suite");
		s->component = bake_attr(p, n, "component");
		s->mirror = bake_attr(p, n, "mirror");
		if (!s->suite)
			s->suite = "bookworm";
		if (!s->component)
			s->component = "main";
		break;
	case BAKE_SOURCE_LOCAL:
		if (bake_require(p, n, "dir", &s->dir) < 0)
			return -1;
		s->identity = bake_attr(p, n, "identity");
		break;
	case BAKE_SOURCE_ARCHIVE:
		if (bake_require(p, n, "url", &s->url) < 0 || bake_require(p, n, "sha256", &s->sha256) < 0)
			return -1;
		if (strlen(s->sha256) != 64 || strspn(s->sha256, "0123456789abcdef") != 64)
			return bake_fail(p, n, "sha256=", "sha256 must be 64 lowercase hex digits");
		break;
	case BAKE_SOURCE_GIT:
		if (bake_require(p, n, "url", &s->url) < 0 ||
		    bake_require(p, n, "revision", &s->revision) < 0)
			return -1;
		break;
	case BAKE_SOURCE_NONE:
		break;
	}
	xmlNodePtr c = bake_next_element(p, n->children, &bad);
	if (bad)
		return -1;
	if (c)
		return bake_unknown_element(p, c, "source", "no children for this source type");
	return 0;
}

static int bake_parse_step(struct bake_parse *p, xmlNodePtr n, struct bake_build *b, size_t *cap)
{
	static const char *const allowed[] = {"name", NULL};
	if (bake_check_attrs(p, n, allowed, "<step>") < 0)
		return -1;
	b->steps = bake_arena_grow(&p->c->arena, b->steps, b->nsteps, cap, sizeof *b->steps);
	struct bake_step *st = &b->steps[b->nsteps];
	if (bake_require(p, n, "name", &st->name) < 0)
		return -1;
	if (strcmp(st->name, "configure") && strcmp(st->name, "build") && strcmp(st->name, "install"))
		return bake_fail(p, n, "name=", "step name must be configure, build or install, not '%.80s'",
				 st->name);
	for (size_t i = 0; i < b->nsteps; i++)
		if (!strcmp(b->steps[i].name, st->name))
			return bake_fail(p, n, "name=", "step '%s' given twice", st->name);
	struct bake_buf text = {0};
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				bake_buf_puts(&text, (const char *)c->content);
		} else if (c->type != XML_COMMENT_NODE) {
			bake_buf_free(&text);
			return bake_fail(p, c, NULL, "<step> holds only shell text");
		}
	}
	st->script = bake_arena_strdup(&p->c->arena, text.data ? text.data : "");
	bake_buf_free(&text);
	b->nsteps++;
	return 0;
}

static int bake_parse_build(struct bake_parse *p, xmlNodePtr n, struct bake_module *m)
{
	struct bake_build *b = &m->build;
	const char *type;
	if (bake_require(p, n, "type", &type) < 0)
		return -1;
	b->line = (int)xmlGetLineNo(n);
	static const char *const mk[] = {"type", "build_arguments", "install_arguments", "targets",
					 "install_target", NULL};
	static const char *const cm[] = {"type", "configure_arguments", "build_arguments",
					 "install_arguments", NULL};
	static const char *const at[] = {"type",      "configure_arguments", "build_arguments",
					 "install_arguments", "bootstrap", "in_source", NULL};
	static const char *const sc[] = {"type", NULL};
	const char *const *allowed;
	if (!strcmp(type, "make")) {
		b->type = BAKE_BUILD_MAKE;
		allowed = mk;
	} else if (!strcmp(type, "cmake")) {
		b->type = BAKE_BUILD_CMAKE;
		allowed = cm;
	} else if (!strcmp(type, "autotools")) {
		b->type = BAKE_BUILD_AUTOTOOLS;
		allowed = at;
	} else if (!strcmp(type, "script")) {
		b->type = BAKE_BUILD_SCRIPT;
		allowed = sc;
	} else {
		return bake_fail(p, n, "type=",
				 "unknown build type '%.80s' (expected make, cmake, autotools or script)",
				 type);
	}
	char what[64];
	snprintf(what, sizeof what, "a %s <build>", type);
	if (bake_check_attrs(p, n, allowed, what) < 0)
		return -1;
	b->configure_arguments = bake_attr(p, n, "configure_arguments");
	b->build_arguments = bake_attr(p, n, "build_arguments");
	b->install_arguments = bake_attr(p, n, "install_arguments");
	b->targets = bake_attr(p, n, "targets");
	b->install_target = bake_attr(p, n, "install_target");
	b->bootstrap = bake_attr(p, n, "bootstrap");
	if (bake_bool(p, n, "in_source", false, &b->in_source) < 0)
		return -1;
	if (b->type == BAKE_BUILD_MAKE) {
		if (!b->targets)
			b->targets = "all";
		if (!b->install_target)
			b->install_target = "install";
	}
	int bad = 0;
	size_t cap = 0;
	BAKE_FOR_ELEMENTS(p, n, c, bad)
	{
		if (b->type != BAKE_BUILD_SCRIPT || strcmp(bake_name(c), "step"))
			return bake_unknown_element(p, c, "build",
						    b->type == BAKE_BUILD_SCRIPT
							    ? "<step>"
							    : "no children for this build type");
		if (bake_parse_step(p, c, b, &cap) < 0)
			return -1;
	}
	if (bad)
		return -1;
	if (b->type == BAKE_BUILD_SCRIPT && !b->nsteps)
		return bake_fail(p, n, "<build", "a script build needs at least one <step>");
	return 0;
}

static int bake_parse_module(struct bake_parse *p, xmlNodePtr n, struct bake_module *m)
{
	static const char *const allowed[] = {"name", "description", "status", "message", NULL};
	if (bake_check_attrs(p, n, allowed, "<module>") < 0)
		return -1;
	m->line = (int)xmlGetLineNo(n);
	if (bake_require(p, n, "name", &m->name) < 0 || bake_check_name(p, n, m->name) < 0)
		return -1;
	m->description = bake_attr(p, n, "description");
	const char *status = bake_attr(p, n, "status");
	const char *message = bake_attr(p, n, "message");
	if (status && strcmp(status, "available") && strcmp(status, "planned"))
		return bake_fail(p, n, "status=", "status must be available or planned, not '%.80s'",
				 status);
	if (status && !strcmp(status, "planned"))
		m->status_message = message && *message ? message : "not available yet";
	else if (message)
		return bake_fail(p, n, "message=", "'message' is only for status=\"planned\" modules");

	bool have_source = false, have_build = false;
	size_t dcap = 0, pcap = 0, ecap = 0;
	int bad = 0;
	BAKE_FOR_ELEMENTS(p, n, c, bad)
	{
		const char *cn = bake_name(c);
		if (!strcmp(cn, "source")) {
			if (have_source)
				return bake_fail(p, c, "<source", "module '%s' has more than one <source>",
						 m->name);
			have_source = true;
			if (bake_parse_source(p, c, m) < 0)
				return -1;
		} else if (!strcmp(cn, "build")) {
			if (have_build)
				return bake_fail(p, c, "<build", "module '%s' has more than one <build>",
						 m->name);
			have_build = true;
			if (bake_parse_build(p, c, m) < 0)
				return -1;
		} else if (!strcmp(cn, "depends_on")) {
			static const char *const da[] = {"name", "optional", NULL};
			if (bake_check_attrs(p, c, da, "<depends_on>") < 0)
				return -1;
			m->deps = bake_arena_grow(&p->c->arena, m->deps, m->ndeps, &dcap, sizeof *m->deps);
			struct bake_dep *d = &m->deps[m->ndeps];
			if (bake_require(p, c, "name", &d->name) < 0 ||
			    bake_bool(p, c, "optional", false, &d->optional) < 0)
				return -1;
			d->line = (int)xmlGetLineNo(c);
			d->index = -1;
			m->ndeps++;
		} else if (!strcmp(cn, "patch")) {
			static const char *const pa[] = {"file", "strip", NULL};
			if (bake_check_attrs(p, c, pa, "<patch>") < 0)
				return -1;
			m->patches = bake_arena_grow(&p->c->arena, m->patches, m->npatches, &pcap,
						     sizeof *m->patches);
			struct bake_patch *pt = &m->patches[m->npatches];
			if (bake_require(p, c, "file", &pt->file) < 0)
				return -1;
			char *full = bake_path_join(p->c->dir, pt->file);
			pt->path = bake_arena_strdup(&p->c->arena, full);
			free(full);
			const char *strip = bake_attr(p, c, "strip");
			pt->strip = 1;
			if (strip) {
				if (strlen(strip) != 1 || strip[0] < '0' || strip[0] > '9')
					return bake_fail(p, c, "strip=", "strip must be a digit 0-9");
				pt->strip = strip[0] - '0';
			}
			pt->line = (int)xmlGetLineNo(c);
			m->npatches++;
		} else if (!strcmp(cn, "env")) {
			static const char *const ea[] = {"name", "value", NULL};
			if (bake_check_attrs(p, c, ea, "<env>") < 0)
				return -1;
			m->env = bake_arena_grow(&p->c->arena, m->env, m->nenv, &ecap, sizeof *m->env);
			struct bake_kv *e = &m->env[m->nenv];
			if (bake_require(p, c, "name", &e->name) < 0)
				return -1;
			e->value = bake_attr(p, c, "value");
			if (!e->value)
				return bake_fail(p, c, "<env", "<env> needs a 'value' attribute");
			if (strspn(e->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
				    strlen(e->name) ||
			    (e->name[0] >= '0' && e->name[0] <= '9'))
				return bake_fail(p, c, "name=", "invalid environment variable name '%.80s'",
						 e->name);
			m->nenv++;
		} else {
			return bake_unknown_element(p, c, "module",
						    "<source>, <depends_on>, <patch>, <env> or <build>");
		}
	}
	if (bad)
		return -1;
	if (!have_source && !m->status_message)
		return bake_fail(p, n, "<module", "module '%s' has no <source>", m->name);
	if (m->npatches && (m->source.type == BAKE_SOURCE_SYSTEM || m->source.type == BAKE_SOURCE_LOCAL))
		return bake_fail(p, n, "<module",
				 "module '%s': <patch> needs a fetched source (debian-source, archive or "
				 "git); a %s source is never patched",
				 m->name, bake_source_type_name(m->source.type));
	if (have_build && m->source.type == BAKE_SOURCE_SYSTEM)
		return bake_fail(p, n, "<module",
				 "module '%s': a system source is installed by apt, it has no <build>",
				 m->name);
	return 0;
}

static int bake_parse_set(struct bake_parse *p, xmlNodePtr n, struct bake_set *s)
{
	static const char *const allowed[] = {"name", "description", NULL};
	if (bake_check_attrs(p, n, allowed, "<set>") < 0)
		return -1;
	s->line = (int)xmlGetLineNo(n);
	if (bake_require(p, n, "name", &s->name) < 0 || bake_check_name(p, n, s->name) < 0)
		return -1;
	s->description = bake_attr(p, n, "description");
	size_t cap = 0;
	int bad = 0;
	BAKE_FOR_ELEMENTS(p, n, c, bad)
	{
		if (strcmp(bake_name(c), "member"))
			return bake_unknown_element(p, c, "set", "<member>");
		static const char *const ma[] = {"name", "optional", NULL};
		if (bake_check_attrs(p, c, ma, "<member>") < 0)
			return -1;
		s->members = bake_arena_grow(&p->c->arena, s->members, s->nmembers, &cap,
					     sizeof *s->members);
		struct bake_member *mb = &s->members[s->nmembers];
		if (bake_require(p, c, "name", &mb->name) < 0 ||
		    bake_bool(p, c, "optional", false, &mb->optional) < 0)
			return -1;
		mb->line = (int)xmlGetLineNo(c);
		s->nmembers++;
	}
	if (bad)
		return -1;
	if (!s->nmembers)
		return bake_fail(p, n, "<set", "set '%s' has no <member>", s->name);
	return 0;
}

static int bake_parse_root(struct bake_parse *p, xmlNodePtr root)
{
	struct bake_config *c = p->c;
	if (strcmp(bake_name(root), "bakeconf"))
		return bake_fail(p, root, NULL, "root element must be <bakeconf>, not <%s>",
				 bake_name(root));
	static const char *const allowed[] = {"version", NULL};
	if (bake_check_attrs(p, root, allowed, "<bakeconf>") < 0)
		return -1;
	const char *version = bake_attr(p, root, "version");
	if (version && strcmp(version, "1"))
		return bake_fail(p, root, "version=", "unsupported bakeconf version '%.20s' (this bake reads 1)",
				 version);
	size_t mcap = 0, scap = 0;
	int bad = 0;
	BAKE_FOR_ELEMENTS(p, root, n, bad)
	{
		const char *nm = bake_name(n);
		const char *name = NULL;
		if (!strcmp(nm, "module")) {
			c->modules = bake_arena_grow(&c->arena, c->modules, c->nmodules, &mcap,
						     sizeof *c->modules);
			struct bake_module *m = &c->modules[c->nmodules];
			memset(m, 0, sizeof *m);
			if (bake_parse_module(p, n, m) < 0)
				return -1;
			name = m->name;
		} else if (!strcmp(nm, "set")) {
			c->sets = bake_arena_grow(&c->arena, c->sets, c->nsets, &scap, sizeof *c->sets);
			struct bake_set *s = &c->sets[c->nsets];
			memset(s, 0, sizeof *s);
			if (bake_parse_set(p, n, s) < 0)
				return -1;
			name = s->name;
		} else {
			return bake_unknown_element(p, n, "bakeconf", "<module> or <set>");
		}
		/* Modules and sets share one namespace: -e NAME must be unambiguous. */
		if (bake_config_find_module(c, name) >= 0 || bake_config_find_set(c, name) >= 0)
			return bake_fail(p, n, "name=", "'%s' is defined twice", name);
		if (!strcmp(nm, "module"))
			c->nmodules++;
		else
			c->nsets++;
	}
	return bad ? -1 : 0;
}

int bake_config_parse(struct bake_config *c, const char *name, const char *data, size_t len,
		      char *err, size_t errlen)
{
	struct bake_xml x;
	if (bake_xml_read_memory(&x, name, data, len, err, errlen) < 0)
		return -1;
	struct bake_sha256 s;
	bake_sha256_init(&s);
	bake_sha256_update(&s, data, len);
	bake_sha256_hex(&s, c->hash);
	c->path = bake_arena_strdup(&c->arena, name);
	if (!c->dir) {
		const char *slash = strrchr(name, '/');
		if (slash) {
			char *d = bake_strdup_printf("%.*s", (int)(slash - name), name);
			c->dir = bake_arena_strdup(&c->arena, *d ? d : "/");
			free(d);
		} else {
			c->dir = ".";
		}
	}
	struct bake_parse p = {c, &x, err, errlen};
	int r = bake_parse_root(&p, xmlDocGetRootElement(x.doc));
	bake_xml_close(&x);
	return r;
}

int bake_config_load(struct bake_config *c, const char *path, char *err, size_t errlen)
{
	struct bake_xml x;
	if (bake_xml_read_file(&x, path, err, errlen) < 0)
		return -1;
	/* Re-parse through the one code path the fuzzer exercises. */
	char *copy = bake_xmalloc(x.len + 1);
	memcpy(copy, x.text, x.len);
	size_t len = x.len;
	bake_xml_close(&x);
	int r = bake_config_parse(c, path, copy, len, err, errlen);
	free(copy);
	return r;
}

void bake_config_free(struct bake_config *c)
{
	bake_arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}

int bake_config_find_module(const struct bake_config *c, const char *name)
{
	for (size_t i = 0; i < c->nmodules; i++)
		if (!strcmp(c->modules[i].name, name))
			return (int)i;
	return -1;
}

int bake_config_find_set(const struct bake_config *c, const char *name)
{
	for (size_t i = 0; i < c->nsets; i++)
		if (!strcmp(c->sets[i].name, name))
			return (int)i;
	return -1;
}

const char *bake_source_type_name(enum bake_source_type t)
{
	switch (t) {
	case BAKE_SOURCE_SYSTEM: return "system";
	case BAKE_SOURCE_DEBIAN: return "debian-source";
	case BAKE_SOURCE_LOCAL: return "local";
	case BAKE_SOURCE_ARCHIVE: return "archive";
	case BAKE_SOURCE_GIT: return "git";
	case BAKE_SOURCE_NONE: break;
	}
	return "none";
}

const char *bake_build_type_name(enum bake_build_type t)
{
	switch (t) {
	case BAKE_BUILD_MAKE: return "make";
	case BAKE_BUILD_CMAKE: return "cmake";
	case BAKE_BUILD_AUTOTOOLS: return "autotools";
	case BAKE_BUILD_SCRIPT: return "script";
	case BAKE_BUILD_NONE: break;
	}
	return "none";
}
