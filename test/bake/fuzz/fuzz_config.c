/* libFuzzer harness: bakeconf.xml reading, graph resolution and the
 * bakefile.xml round trip on arbitrary bytes. Must never crash, leak, hang or
 * recurse without bound, and every bakefile.xml `bake configure` would write
 * for a configuration bake accepts must read back with the same -e/-d names. */
#include "bake.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes the plan the way `bake configure` does and reads it back. */
static void round_trip(struct bake_config *c, struct bake_plan *p)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/bake-fuzz-plan.%ld.xml", (long)getpid());
	struct bake_ctx x = {.topdir = "/top/\xff\x01dir", .build_dir = "/top/build",
			     .state_dir = "/top/build/bake", .logs_dir = "/top/build/logs",
			     .install_dir = "/top/build/install", .plan_path = path,
			     .conf = c, .plan = p};
	if (bake_plan_write(&x) < 0)
		return; /* refused with a message: nothing written */
	char **en, **dis, hash[65], err[1024];
	size_t nen, ndis;
	if (bake_plan_read(path, &en, &nen, &dis, &ndis, hash, err, sizeof err) < 0) {
		fprintf(stderr, "bake wrote a bakefile.xml it cannot read: %s\n", err);
		abort();
	}
	if (nen != p->nenable || ndis != p->ndisable)
		abort();
	for (size_t i = 0; i < nen; i++)
		if (strcmp(en[i], p->enable[i]))
			abort();
	for (size_t i = 0; i < nen; i++)
		free(en[i]);
	for (size_t i = 0; i < ndis; i++)
		free(dis[i]);
	free(en);
	free(dis);
	unlink(path);
}

/* The same bytes as a bakefile.xml someone edited: read or refused, no more. */
static void read_as_plan(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/bake-fuzz-in.%ld.xml", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	char **en, **dis, hash[65], err[1024];
	size_t nen, ndis;
	if (bake_plan_read(path, &en, &nen, &dis, &ndis, hash, err, sizeof err) == 0) {
		for (size_t i = 0; i < nen; i++)
			free(en[i]);
		for (size_t i = 0; i < ndis; i++)
			free(dis[i]);
	} else if (!err[0] || strchr(err, '\n'))
		abort(); /* a refusal is one line */
	free(en);
	free(dis);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_as_plan(data, size);
	struct bake_config c = {0};
	char err[2048];
	c.dir = "/nonexistent";
	/* a name that is not UTF-8: it lands in bakefile.xml's conf="" */
	if (bake_config_parse(&c, "fuzz\xc3\x01.xml", (const char *)data, size, err, sizeof err) == 0) {
		/* Resolve every set and module: exercises sets, optional edges,
		 * cycles and the closest-name search. */
		for (size_t i = 0; i < c.nsets + c.nmodules && i < 64; i++) {
			char *name = (char *)(i < c.nsets ? c.sets[i].name : c.modules[i - c.nsets].name);
			char *dis = c.nmodules ? (char *)c.modules[0].name : NULL;
			struct bake_plan p;
			if (bake_plan_resolve(&c, &name, 1, &dis, dis && i % 2 ? 1 : 0, &p, err,
					      sizeof err) == 0) {
				if (i < 2)
					round_trip(&c, &p);
				bake_plan_free(&p);
			}
		}
		char *bogus = "no-such-modul";
		struct bake_plan p;
		if (bake_plan_resolve(&c, &bogus, 1, NULL, 0, &p, err, sizeof err) == 0)
			bake_plan_free(&p);
	}
	bake_config_free(&c);
	return 0;
}
