/* bakefile.xml: the resolved plan `bake configure` leaves for the other
 * commands. The -e/-d options and the configuration's hash are what is read
 * back; the module list is there for people (and tools) to read. */
#include "bake.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bake_xml_escape(struct bake_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': bake_buf_puts(b, "&amp;"); break;
		case '<': bake_buf_puts(b, "&lt;"); break;
		case '>': bake_buf_puts(b, "&gt;"); break;
		case '"': bake_buf_puts(b, "&quot;"); break;
		case '\n': bake_buf_puts(b, "&#10;"); break;
		default: bake_buf_add(b, s, 1);
		}
	}
}

static void bake_attr_out(struct bake_buf *b, const char *name, const char *value)
{
	bake_buf_printf(b, " %s=\"", name);
	bake_xml_escape(b, value);
	bake_buf_puts(b, "\"");
}

int bake_plan_write(const struct bake_ctx *x)
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
	for (size_t i = 0; i < p->n; i++) {
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
