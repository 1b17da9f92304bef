/* libFuzzer harness: bakeconf.xml reading and graph resolution on arbitrary
 * bytes. Must never crash, leak, hang or recurse without bound. */
#include "bake.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bake_config c = {0};
	char err[2048];
	c.dir = "/nonexistent";
	if (bake_config_parse(&c, "fuzz.xml", (const char *)data, size, err, sizeof err) == 0) {
		/* Resolve every set and module: exercises sets, optional edges,
		 * cycles and the closest-name search. */
		for (size_t i = 0; i < c.nsets + c.nmodules && i < 64; i++) {
			char *name = (char *)(i < c.nsets ? c.sets[i].name : c.modules[i - c.nsets].name);
			char *dis = c.nmodules ? (char *)c.modules[0].name : NULL;
			struct bake_plan p;
			if (bake_plan_resolve(&c, &name, 1, &dis, dis && i % 2 ? 1 : 0, &p, err,
					      sizeof err) == 0)
				bake_plan_free(&p);
		}
		char *bogus = "no-such-modul";
		struct bake_plan p;
		if (bake_plan_resolve(&c, &bogus, 1, NULL, 0, &p, err, sizeof err) == 0)
			bake_plan_free(&p);
	}
	bake_config_free(&c);
	return 0;
}
