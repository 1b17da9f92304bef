/* Reading untrusted XML safely. bakeconf.xml may come from anywhere (a fork,
 * a mail), so the reader caps size and depth itself, never touches the
 * network, and refuses DTDs and entity declarations outright: nothing in
 * bakeconf.xml needs them, and they are how billion-laughs and external-entity
 * attacks get in. */
#include "bake.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void bake_xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void bake_xml_silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void bake_xml_position(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Finds markup declarations (<!DOCTYPE, <!ENTITY, ...) outside comments and
 * CDATA sections, before libxml2 ever sees them. */
static int bake_xml_refuse_declarations(const char *t, size_t len, const char *file, char *err,
					size_t errlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (t[i] != '<' || t[i + 1] != '!')
			continue;
		const char *end = NULL;
		if (len - i >= 4 && !memcmp(t + i, "<!--", 4))
			end = "-->";
		else if (len - i >= 9 && !memcmp(t + i, "<![CDATA[", 9))
			end = "]]>";
		if (end) {
			const char *e = memmem(t + i, len - i, end, strlen(end));
			if (!e)
				return 0; /* libxml2 reports the unterminated section */
			i = (size_t)(e - t);
			continue;
		}
		int line, col;
		bake_xml_position(t, i, &line, &col);
		size_t w = 0;
		while (i + 2 + w < len && w < 12 && t[i + 2 + w] >= 'A' && t[i + 2 + w] <= 'Z')
			w++;
		snprintf(err, errlen,
			 "%s:%d:%d: <!%.*s> refused: DTDs and entity declarations are not allowed "
			 "in bake files",
			 file, line, col, (int)w, t + i + 2);
		return -1;
	}
	return 0;
}

static int bake_xml_check_tree(struct bake_xml *x, char *err, size_t errlen)
{
	xmlDocPtr doc = x->doc;
	if (doc->intSubset || doc->extSubset) {
		snprintf(err, errlen, "%s:1:1: DTDs are not allowed in bake files", x->file);
		return -1;
	}
	/* Iterative walk: the depth cap must hold before any recursion does. */
	xmlNodePtr n = xmlDocGetRootElement(doc);
	int depth = 1;
	while (n) {
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_DECL ||
		    n->type == XML_DTD_NODE) {
			snprintf(err, errlen, "%s:%ld:1: entity references are not allowed in bake files",
				 x->file, xmlGetLineNo(n));
			return -1;
		}
		if (depth > BAKE_XML_MAX_DEPTH) {
			long line = xmlGetLineNo(n);
			snprintf(err, errlen, "%s:%ld:%d: elements nested deeper than %d levels", x->file,
				 line, bake_xml_column(x, (int)line, "<"), BAKE_XML_MAX_DEPTH);
			return -1;
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			depth--;
			if (!n || n->type == XML_DOCUMENT_NODE || depth == 0) {
				n = NULL;
				break;
			}
		}
		if (n)
			n = n->next;
	}
	return 0;
}

int bake_xml_read_memory(struct bake_xml *x, const char *name, const char *data, size_t len,
			 char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	x->file = name;
	if (len > BAKE_XML_MAX_BYTES) {
		snprintf(err, errlen, "%s:1:1: file is %zu bytes, more than the %u allowed", name, len,
			 BAKE_XML_MAX_BYTES);
		return -1;
	}
	x->text = bake_xmalloc(len + 1);
	memcpy(x->text, data, len);
	x->text[len] = 0;
	x->len = len;
	if (bake_xml_refuse_declarations(x->text, len, name, err, errlen) < 0)
		goto fail;

	xmlSetGenericErrorFunc(NULL, bake_xml_silent);
	xmlSetStructuredErrorFunc(NULL, bake_xml_silent_structured);
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto fail;
	}
	/* NONET: no fetching. Deliberately absent: NOENT, DTDLOAD, DTDATTR, HUGE. */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
	x->doc = xmlCtxtReadMemory(ctxt, x->text, (int)len, name, NULL, opts);
	if (!x->doc || !ctxt->wellFormed) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
		char msg[512] = "not well-formed XML";
		int line = 1, col = 1;
		if (e && e->message) {
			snprintf(msg, sizeof msg, "%s", e->message);
			size_t ml = strlen(msg);
			while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
				msg[--ml] = 0;
			for (char *q = msg; *q; q++) /* one line, whatever libxml2 said */
				if (*q == '\n' || *q == '\r')
					*q = ' ';
			line = e->line > 0 ? e->line : 1;
			col = e->int2 > 0 ? e->int2 : 1;
		}
		snprintf(err, errlen, "%s:%d:%d: %s", name, line, col, msg);
		xmlFreeParserCtxt(ctxt);
		goto fail;
	}
	xmlFreeParserCtxt(ctxt);
	if (!xmlDocGetRootElement(x->doc)) {
		snprintf(err, errlen, "%s:1:1: no root element", name);
		goto fail;
	}
	if (bake_xml_check_tree(x, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	bake_xml_close(x);
	return -1;
}

int bake_xml_read_file(struct bake_xml *x, const char *path, char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > BAKE_XML_MAX_BYTES) {
		fclose(f);
		snprintf(err, errlen, "%s:1:1: file is %lld bytes, more than the %u allowed", path,
			 (long long)st.st_size, BAKE_XML_MAX_BYTES);
		return -1;
	}
	/* Read at most one byte past the cap: a pipe or growing file cannot
	 * make us allocate without bound. */
	size_t cap = BAKE_XML_MAX_BYTES + 1, len = 0;
	char *buf = bake_xmalloc(cap);
	size_t n;
	while (len < cap && (n = fread(buf + len, 1, cap - len, f)) > 0)
		len += n;
	fclose(f);
	int r = bake_xml_read_memory(x, path, buf, len, err, errlen);
	free(buf);
	return r;
}

void bake_xml_close(struct bake_xml *x)
{
	if (x->doc)
		xmlFreeDoc(x->doc);
	free(x->text);
	x->doc = NULL;
	x->text = NULL;
}

int bake_xml_column(const struct bake_xml *x, int line, const char *needle)
{
	if (!x->text || line < 1)
		return 1;
	const char *p = x->text;
	for (int l = 1; l < line && p; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return 1;
	const char *eol = strchr(p, '\n');
	size_t ll = eol ? (size_t)(eol - p) : strlen(p);
	const char *hit = memmem(p, ll, needle, strlen(needle));
	return hit ? (int)(hit - p) + 1 : 1;
}
