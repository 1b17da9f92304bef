/* random.c - per-node deterministic randomness (getrandom, /dev/urandom, AT_RANDOM).
 *
 * Each node draws from its own splitmix64 stream. The stream's starting point is
 * dce_random_key(seed, node id, purpose): the inputs go one after the other through
 * a strong 64-bit mixer, so seeds or node ids that differ by one give unrelated
 * starting points on splitmix64's single 2^64-long cycle. (Starting at
 * seed*GAMMA + id*C made seed N+1's stream seed N's shifted by one word.) Streams
 * of a MiB (2^17 steps) then overlap only if two of the starting points fall within
 * 2^17 steps of each other: about n^2 * 2^-47 for n streams. */
#include "../core/kernel.h"
#include "syscalls.h"
#include <errno.h>
#include <string.h>

#define GAMMA 0x9E3779B97F4A7C15ULL

/* splitmix64's finalizer: a bijection on 64 bits with full avalanche. */
uint64_t dce_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Each input is mixed in after the previous ones were mixed, so no linear
 * relation between inputs (seed+1, id+1) survives into the key. */
uint64_t dce_random_key(uint64_t seed, uint64_t id, uint64_t purpose)
{
	uint64_t h = dce_mix64(purpose + GAMMA);
	h = dce_mix64(h ^ dce_mix64(seed + 0x2545F4914F6CDD1DULL));
	return dce_mix64(h ^ dce_mix64(id + 0xD1B54A32D192ED03ULL));
}

static uint64_t next(struct dce_node *n)
{
	return dce_mix64(n->rand_state += GAMMA);
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
