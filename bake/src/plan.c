/* bakefile.xml: the resolved plan `bake configure` leaves for the other
 * commands. The -e/-d options and the configuration's hash are what is read
 * back; the module list is there for people (and tools) to read. */
#include "bake.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s encoding a character XML 1.0
 * allows, or 0. */
static size_t bake_xml_char_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	if (!n)
		return 0;
	unsigned cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[n] || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff || cp > 0x10ffff)
		return 0;
	return n;
}

/* Escapes s for an attribute or text. Bytes XML cannot hold (control
 * characters, invalid UTF-8 in a path) become '?': the file must stay
 * readable by bake whatever the names and paths are. */
static void bake_xml_escape(struct bake_buf *b, const char *s)
{
	while (s && *s) {
		size_t n = bake_xml_char_len((const unsigned char *)s);
		switch (n ? *s : 0) {
		case 0: bake_buf_puts(b, "?"); s++; continue;
		case '&': bake_buf_puts(b, "&amp;"); break;
		case '<': bake_buf_puts(b, "&lt;"); break;
		case '>': bake_buf_puts(b, "&gt;"); break;
		case '"': bake_buf_puts(b, "&quot;"); break;
		case '\n': bake_buf_puts(b, "&#10;"); break;
		case '\r': bake_buf_puts(b, "&#13;"); break;
		case '\t': bake_buf_puts(b, "&#9;"); break;
		default: bake_buf_add(b, s, n);
		}
		s += n;
	}
}

static void bake_attr_out(struct bake_buf *b, const char *name, const char *value)
{
	bake_buf_printf(b, " %s=\"", name);
	bake_xml_escape(b, value);
	bake_buf_puts(b, "\"");
}

/* The plan as XML; with modules false, only what is read back (the module
 * list is for people, and may not fit). */
static void bake_plan_text(const struct bake_ctx *x, bool modules, struct bake_buf *out)
{
	const struct bake_config *c = x->conf;
	const struct bake_plan *p = x->plan;
	struct bake_buf b = {0};
	bake_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<!-- Written by `bake configure`: the resolved build plan, in build order.\n"
			  "     Do not edit; change bakeconf.xml or the -e/-d options and re-run it. -->\n");
	bake_buf_puts(&b, "<bakefile version=\"1\"");
	bake_attr_out(&b, "conf", c->path);
	bake_attr_out(&b, "conf_sha256", c->hash);
	bake_buf_puts(&b, ">\n");
	for (size_t i = 0; i < p->nenable; i++) {
		bake_buf_puts(&b, "  <enable");
		bake_attr_out(&b, "name", p->enable[i]);
		bake_buf_puts(&b, "/>\n");
	}
	for (size_t i = 0; i < p->ndisable; i++) {
		bake_buf_puts(&b, "  <disable");
		bake_attr_out(&b, "name", p->disable[i]);
		bake_buf_puts(&b, "/>\n");
	}
	if (!modules)
		bake_buf_printf(&b, "  <!-- the %zu modules are not listed: the list would make this file "
				    "larger than bake reads -->\n", p->n);
	for (size_t i = 0; modules && i < p->n; i++) {
		int m = p->order[i];
		const struct bake_module *mod = &c->modules[m];
		bake_buf_puts(&b, "  <module");
		bake_attr_out(&b, "name", mod->name);
		bake_attr_out(&b, "source", bake_source_type_name(mod->source.type));
		bake_attr_out(&b, "build", bake_build_type_name(mod->build.type));
		bake_attr_out(&b, "optional", p->optional[m] ? "yes" : "no");
		if (mod->source.type != BAKE_SOURCE_SYSTEM) {
			char *src = bake_module_srcdir(x, m), *obj = bake_module_objdir(x, m);
			bake_attr_out(&b, "srcdir", src);
			bake_attr_out(&b, "objdir", obj);
			bake_attr_out(&b, "installdir", x->install_dir);
			free(src);
			free(obj);
		}
		bake_buf_puts(&b, ">\n");
		for (size_t j = 0; j < mod->ndeps; j++) {
			if (!p->enabled[mod->deps[j].index])
				continue;
			bake_buf_puts(&b, "    <depends_on");
			bake_attr_out(&b, "name", mod->deps[j].name);
			bake_attr_out(&b, "optional", mod->deps[j].optional ? "yes" : "no");
			bake_buf_puts(&b, "/>\n");
		}
		for (size_t j = 0; j < mod->source.npackages; j++) {
			bake_buf_puts(&b, "    <package");
			bake_attr_out(&b, "name", mod->source.packages[j].name);
			bake_buf_puts(&b, "/>\n");
		}
		for (size_t j = 0; j < mod->npatches; j++) {
			bake_buf_puts(&b, "    <patch");
			bake_attr_out(&b, "file", mod->patches[j].path);
			bake_buf_puts(&b, "/>\n");
		}
		bake_buf_puts(&b, "  </module>\n");
	}
	for (size_t i = 0; i < p->nnotes; i++) {
		bake_buf_puts(&b, "  <note>");
		bake_xml_escape(&b, p->notes[i]);
		bake_buf_puts(&b, "</note>\n");
	}
	bake_buf_puts(&b, "</bakefile>\n");
	*out = b;
}

/* Writes only what bake_plan_read can read back: at most BAKE_XML_MAX_BYTES
 * of well-formed XML. */
int bake_plan_write(const struct bake_ctx *x)
{
	struct bake_buf b = {0};
	bake_plan_text(x, true, &b);
	if (b.len > BAKE_XML_MAX_BYTES) {
		bake_buf_free(&b);
		bake_plan_text(x, false, &b);
	}
	if (b.len > BAKE_XML_MAX_BYTES) {
		fprintf(stderr, "bake: the plan is %zu bytes even without its module list, more than the "
				"%u bake reads back: enable fewer names with -e/-d\n", b.len, BAKE_XML_MAX_BYTES);
		bake_buf_free(&b);
		return -1;
	}
	int r = bake_write_text(x->plan_path, b.data);
	bake_buf_free(&b);
	return r;
}

static void bake_list_add(char ***list, size_t *n, const char *s)
{
	*list = realloc(*list, (*n + 2) * sizeof **list);
	if (!*list)
		abort();
	(*list)[(*n)++] = bake_xstrdup(s);
	(*list)[*n] = NULL;
}

int bake_plan_read(const char *path, char ***enable, size_t *nenable, char ***disable,
		   size_t *ndisable, char *conf_hash, char *err, size_t errlen)
{
	struct bake_xml x;
	*enable = *disable = NULL;
	*nenable = *ndisable = 0;
	if (bake_xml_read_file(&x, path, err, errlen) < 0)
		return -1;
	xmlNodePtr root = xmlDocGetRootElement(x.doc);
	int r = 0;
	if (strcmp((const char *)root->name, "bakefile")) {
		snprintf(err, errlen, "%s: not a bakefile (root <%s>); re-run bake configure", path,
			 (const char *)root->name);
		r = -1;
	}
	xmlChar *h = r ? NULL : xmlGetNoNsProp(root, (const xmlChar *)"conf_sha256");
	snprintf(conf_hash, 65, "%s", h ? (const char *)h : "");
	xmlFree(h);
	for (xmlNodePtr n = r ? NULL : root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		bool en = !strcmp((const char *)n->name, "enable");
		if (!en && strcmp((const char *)n->name, "disable"))
			continue;
		xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"name");
		if (v) {
			if (en)
				bake_list_add(enable, nenable, (const char *)v);
			else
				bake_list_add(disable, ndisable, (const char *)v);
			xmlFree(v);
		}
	}
	bake_xml_close(&x);
	return r;
}
