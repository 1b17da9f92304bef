/* random.c - per-node deterministic randomness (getrandom, /dev/urandom, AT_RANDOM),
 * derived from the scenario seed: splitmix64 per node. */
#include "../core/kernel.h"
#include "syscalls.h"
#include <errno.h>
#include <string.h>

static uint64_t next(struct dce_node *n)
{
	uint64_t z = (n->rand_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void dce_random_fill(struct dce_node *n, void *buf, size_t len)
{
	unsigned char *b = buf;
	while (len) {
		uint64_t v = next(n);
		size_t k = len < 8 ? len : 8;
		memcpy(b, &v, k);
		b += k;
		len -= k;
	}
}

long sys_getrandom(struct dce_thread *t, uint64_t buf, uint64_t len, long flags)
{
	if (flags & ~7L)
		return -EINVAL;
	if (!buf && len)
		return -EFAULT;
	if (len > 33554431)
		len = 33554431;
	dce_random_fill(t->proc->node, DCE_USER(buf), len);
	return (long)len;
}
