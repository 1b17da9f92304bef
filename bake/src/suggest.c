/* "Did you mean": the closest known name by edit distance. */
#include "bake.h"

#include <stdlib.h>
#include <string.h>

size_t bake_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* Names are short (<= 64); longer inputs are simply far from everything. */
	if (la > 256 || lb > 256)
		return la > lb ? la : lb;
	size_t row[257];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *bake_closest_name(const struct bake_config *c, const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < c->nmodules + c->nsets; i++) {
		const char *cand = i < c->nmodules ? c->modules[i].name : c->sets[i - c->nmodules].name;
		size_t d = bake_edit_distance(name, cand);
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	/* Beyond about a third of the name, a suggestion is noise. */
	size_t len = strlen(name);
	size_t limit = len / 3 + 1;
	if (limit < 2)
		limit = 2;
	return bestd <= limit ? best : NULL;
}
