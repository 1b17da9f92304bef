/* memstat.c - private memory of a process (DCE_MEMSTAT=1), from the host's smaps:
 * the Private_Dirty of every host mapping inside the process's tracked ranges. */
#include "kernel.h"
#include <stdio.h>
#include <string.h>

unsigned long dce_mm_private_kb(struct dce_process *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return 0;
	char line[512];
	unsigned long total = 0, s = 0, e = 0;
	int inside = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b, kb;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			s = a, e = b, inside = 0;
			for (struct dce_mapping *m = p->maps; m; m = m->next)
				if (m->start <= s && e <= m->end)
					inside = 1;
		} else if (inside && sscanf(line, "Private_Dirty: %lu kB", &kb) == 1)
			total += kb;
	}
	fclose(f);
	return total;
}
