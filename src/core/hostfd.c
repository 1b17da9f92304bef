/* hostfd.c - host descriptors that are closed when idle and reopened by path.
 *
 * Every node and every program lives in this one host process, so the host's
 * open-file limit (RLIMIT_NOFILE, often 1024 or a container's fixed hard limit)
 * would bound the scenario if each node's root directory and each program's
 * stdout and stderr held a host descriptor for the whole run (~5 per node for a
 * node with two programs: 10,000 nodes need 50,000). These descriptors can be
 * reopened by their path whenever they are needed, so at most `cap` of them are
 * open at once, kept in least-recently-used order; an older one is closed (its
 * offset and status flags kept) when a newer one needs a slot. The files
 * themselves are untouched: a log file is opened O_APPEND, so a reopened one
 * appends where the closed one would have, and programs see the same bytes, the
 * same offsets and the same flags. Closing and reopening is invisible to the
 * simulation: deterministic outputs do not depend on `cap`.
 *
 * cap: DCE_HOSTFD_CACHE if set (>= 2), else a quarter of the open-file limit at
 * first use, clamped to [8, 4096]; the rest is left to files programs open. */
#include "kernel.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static struct dce_hostfd *lru_head, *lru_tail; /* head: most recently used */
static long open_now, cap;

static long cache_cap(void)
{
	if (cap)
		return cap;
	const char *e = getenv("DCE_HOSTFD_CACHE");
	if (e && atol(e) >= 2)
		return cap = atol(e);
	struct rlimit rl;
	long c = 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		c = (long)(rl.rlim_cur / 4);
	return cap = c < 8 ? 8 : c > 4096 ? 4096 : c;
}

long dce_hostfd_cache_size(void)
{
	return cache_cap();
}

long dce_hostfd_open_count(void)
{
	return open_now;
}

static void unlink_lru(struct dce_hostfd *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else if (lru_head == h)
		lru_head = h->next;
	if (h->next)
		h->next->prev = h->prev;
	else if (lru_tail == h)
		lru_tail = h->prev;
	h->prev = h->next = NULL;
}

static void push_front(struct dce_hostfd *h)
{
	h->prev = NULL;
	h->next = lru_head;
	if (lru_head)
		lru_head->prev = h;
	lru_head = h;
	if (!lru_tail)
		lru_tail = h;
}

/* Close h's descriptor, keeping what reopening it needs. */
static void park(struct dce_hostfd *h)
{
	int fl = fcntl(h->fd, F_GETFL);
	if (fl >= 0) /* F_SETFL may have changed O_APPEND, O_NONBLOCK, O_NOATIME */
		h->oflags = (h->oflags & ~(O_APPEND | O_NONBLOCK | O_NOATIME | O_ACCMODE)) |
		            (fl & (O_APPEND | O_NONBLOCK | O_NOATIME | O_ACCMODE));
	h->pos = (h->oflags & O_PATH) ? -1 : lseek(h->fd, 0, SEEK_CUR);
	close(h->fd);
	h->fd = -1;
	unlink_lru(h);
	open_now--;
}

static void make_room(void)
{
	while (open_now >= cache_cap() && lru_tail)
		park(lru_tail);
}

void dce_hostfd_init(struct dce_hostfd *h, int fd, const char *path, int oflags)
{
	memset(h, 0, sizeof *h);
	h->fd = fd;
	h->pos = -1;
	if (!path) /* fixed: never closed while its owner lives */
		return;
	h->path = strdup(path);
	h->oflags = oflags & ~(O_CREAT | O_EXCL | O_TRUNC);
	if (fd >= 0) {
		make_room();
		push_front(h);
		open_now++;
	}
}

int dce_hostfd_get(struct dce_hostfd *h)
{
	if (!h->path)
		return h->fd;
	if (h->fd >= 0) {
		if (lru_head != h) {
			unlink_lru(h);
			push_front(h);
		}
		return h->fd;
	}
	make_room();
	/* O_CREAT: a log file removed since keeps receiving the program's output (in a
	 * new file of the same name, where Linux would write to the unlinked inode). */
	int creat = (h->oflags & O_ACCMODE) != O_RDONLY && !(h->oflags & (O_PATH | O_DIRECTORY)) ? O_CREAT : 0;
	int fd = open(h->path, h->oflags | creat | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (h->pos > 0)
		lseek(fd, h->pos, SEEK_SET);
	h->fd = fd;
	push_front(h);
	open_now++;
	return fd;
}

void dce_hostfd_release(struct dce_hostfd *h)
{
	if (h->fd >= 0) {
		close(h->fd);
		if (h->path) {
			unlink_lru(h);
			open_now--;
		}
	}
	free(h->path);
	memset(h, 0, sizeof *h);
	h->fd = -1;
}
