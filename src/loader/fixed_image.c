/* fixed_image.c - non-PIE executables, any number of them, at once.
 *
 * A non-PIE (ET_EXEC) program must sit at its link address, so all its instances
 * share one mapping of the file. Its read-only segments are shared as they are;
 * its writable segments (data, bss, GOT) are private per process: each process
 * keeps them in a memfd of its own, and before a thread of a process runs, the
 * scheduler maps that process's memfd at the fixed addresses (one mmap call; the
 * pages themselves are not copied). Debian's python3.11 is such a program.
 *
 * Different non-PIE programs mostly want the same addresses (0x400000 up). Only
 * one image can be mapped at an address at a time: the images whose ranges
 * overlap take turns. Switching to a process whose image is not mapped maps it
 * again from its file (read-only segments) and the process's memfd (writable
 * part), over whatever overlapping image was there; nothing is copied, since
 * every page of an image lives in its file or in a memfd. */
#include "../core/kernel.h"
#include "fixed_image.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(PAGE - 1))
#define PAGE_UP(x) (((uintptr_t)(x) + PAGE - 1) & ~(PAGE - 1))

struct fixed_image {
	dev_t dev;
	ino_t ino;
	uintptr_t lo, hi;          /* the whole image */
	uintptr_t wlo, whi;        /* its writable part */
	int users;
	int mapped;                /* its segments are in memory now */
	int fd;                    /* the file, to map it again after another image */
	int nseg;
	struct { uintptr_t addr, len; off_t off; int prot; } seg[8]; /* read-only, file-backed */
	struct fixed_share *resident; /* whose writable part is mapped now */
	struct fixed_image *next;
};
uint64_t dce_fixed_image_swaps; /* images mapped again after another one (bench, tests) */

struct fixed_share {
	struct fixed_image *img;
	int memfd;
};

static struct fixed_image *images;
void dce_run_emergency_end(const char *why) __attribute__((weak));

static struct fixed_image *find(dev_t dev, ino_t ino, uintptr_t lo, uintptr_t hi)
{
	for (struct fixed_image *i = images; i; i = i->next)
		if (i->dev == dev && i->ino == ino && i->lo == lo && i->hi == hi)
			return i;
	return NULL;
}

/* The writable part as the file defines it: file bytes, then zeros. */
static int fill_pristine(int memfd, int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uintptr_t wlo,
                         uintptr_t whi)
{
	if (ftruncate(memfd, (off_t)(whi - wlo)))
		return -errno;
	char *buf = malloc(1 << 16);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W))
			continue;
		off_t src = (off_t)PAGE_DOWN(ph[i].p_offset);
		size_t len = ph[i].p_offset + ph[i].p_filesz - (size_t)src;
		off_t dst = (off_t)(PAGE_DOWN(ph[i].p_vaddr) - wlo);
		while (len) {
			size_t k = len < (1 << 16) ? len : (1 << 16);
			ssize_t n = pread(fd, buf, k, src);
			if (n <= 0 || pwrite(memfd, buf, (size_t)n, dst) != n) {
				free(buf);
				return -EIO;
			}
			src += n;
			dst += n;
			len -= (size_t)n;
		}
		/* bytes of the last file page beyond p_filesz belong to bss: zero */
		uintptr_t fend = ph[i].p_vaddr + ph[i].p_filesz, pend = PAGE_UP(fend);
		if (pend > fend && pend <= whi) {
			memset(buf, 0, pend - fend);
			if (pwrite(memfd, buf, pend - fend, (off_t)(fend - wlo)) < 0) {
				free(buf);
				return -EIO;
			}
		}
	}
	free(buf);
	return 0;
}

static int map_share(struct fixed_share *s)
{
	struct fixed_image *img = s->img;
	if (mmap((void *)img->wlo, img->whi - img->wlo, PROT_READ | PROT_WRITE | PROT_EXEC,
	         MAP_SHARED | MAP_FIXED, s->memfd, 0) == MAP_FAILED)
		return -errno;
	img->resident = s;
	return 0;
}

static int overlaps(const struct fixed_image *a, const struct fixed_image *b)
{
	return a->lo < b->hi && b->lo < a->hi;
}

/* Map img's whole range again: PROT_NONE, its read-only segments from its file,
 * and no writable part yet (the caller maps a share's memfd). Overlapping images
 * are no longer mapped. */
static int swap_in(struct fixed_image *img)
{
	for (struct fixed_image *o = images; o; o = o->next)
		if (o != img && o->mapped && overlaps(o, img)) {
			o->mapped = 0;
			o->resident = NULL;
		}
	if (mmap((void *)img->lo, img->hi - img->lo, PROT_NONE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;
	for (int i = 0; i < img->nseg; i++)
		if (mmap((void *)img->seg[i].addr, img->seg[i].len, img->seg[i].prot, MAP_PRIVATE | MAP_FIXED,
		         img->fd, img->seg[i].off) == MAP_FAILED)
			return -errno;
	img->mapped = 1;
	img->resident = NULL;
	dce_fixed_image_swaps++;
	return 0;
}

/* The parts of [lo, hi) that no image's range covers, into gap[] (up to max). */
static int gaps_of(uintptr_t lo, uintptr_t hi, uintptr_t (*gap)[2], int n, int max)
{
	for (struct fixed_image *o = images; o; o = o->next) {
		if (o->hi <= lo || o->lo >= hi)
			continue;
		if (o->lo > lo)
			n = gaps_of(lo, o->lo, gap, n, max);
		if (o->hi < hi)
			n = gaps_of(o->hi, hi, gap, n, max);
		return n;
	}
	if (n < max) {
		gap[n][0] = lo;
		gap[n][1] = hi;
	}
	return n + 1;
}

/* Reserve those parts: they must be free (not dce's own memory or the host's).
 * 0, or -1 with nothing reserved. */
static int reserve_free_parts(uintptr_t lo, uintptr_t hi)
{
	uintptr_t gap[32][2];
	int n = gaps_of(lo, hi, gap, 0, 32);
	if (n > 32)
		return -1;
	for (int i = 0; i < n; i++) {
		size_t len = gap[i][1] - gap[i][0];
		void *r = mmap((void *)gap[i][0], len, PROT_NONE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (r == MAP_FAILED || (uintptr_t)r != gap[i][0]) {
			if (r != MAP_FAILED)
				munmap(r, len);
			while (i-- > 0)
				munmap((void *)gap[i][0], gap[i][1] - gap[i][0]);
			return -1;
		}
	}
	return 0;
}

/* Give [lo, hi) back to the host, but for the parts a mapped image uses. */
static void unmap_free_parts(uintptr_t lo, uintptr_t hi)
{
	for (struct fixed_image *o = images; o; o = o->next) {
		if (!o->mapped || o->hi <= lo || o->lo >= hi)
			continue;
		if (o->lo > lo)
			unmap_free_parts(lo, o->lo);
		if (o->hi < hi)
			unmap_free_parts(o->hi, hi);
		return;
	}
	munmap((void *)lo, hi - lo);
}

int dce_fixed_image_attach(struct dce_process *p, int fd, const Elf64_Ehdr *eh, const Elf64_Phdr *ph,
                           uintptr_t lo, uintptr_t hi, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st))
		return -errno;
	uintptr_t wlo = UINTPTR_MAX, whi = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W)) {
			if (PAGE_DOWN(ph[i].p_vaddr) < wlo)
				wlo = PAGE_DOWN(ph[i].p_vaddr);
			if (PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) > whi)
				whi = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz);
		}
	struct fixed_image *img = find(st.st_dev, st.st_ino, lo, hi);
	int fresh = !img;
	if (fresh) {
		int nseg = 0;
		for (int i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && !(ph[i].p_flags & PF_W) && ph[i].p_filesz)
				nseg++;
		if (nseg > 8) {
			snprintf(err, errlen, "non-PIE executable with %d read-only segments (dce maps up to 8)", nseg);
			return -ENOEXEC;
		}
		/* the range must be free of everything but other non-PIE images */
		int shared = 0;
		for (struct fixed_image *o = images; o; o = o->next)
			if (o->lo < hi && lo < o->hi)
				shared = 1;
		if (!shared) {
			void *span = mmap((void *)lo, hi - lo, PROT_NONE,
			                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
			if (span == MAP_FAILED || (uintptr_t)span != lo) {
				if (span != MAP_FAILED)
					munmap(span, hi - lo);
				snprintf(err, errlen, "non-PIE executable whose fixed address range %#lx-%#lx is "
				         "taken by dce itself or the host", (unsigned long)lo, (unsigned long)hi);
				return -ENOMEM;
			}
		} else if (reserve_free_parts(lo, hi)) {
			snprintf(err, errlen, "non-PIE executable whose fixed address range %#lx-%#lx is taken "
			         "by dce itself or the host", (unsigned long)lo, (unsigned long)hi);
			return -ENOMEM;
		}
		img = calloc(1, sizeof *img);
		img->dev = st.st_dev;
		img->ino = st.st_ino;
		img->lo = lo;
		img->hi = hi;
		img->wlo = wlo;
		img->whi = whi;
		img->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		for (int i = 0; i < eh->e_phnum; i++) {
			if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & PF_W) || !ph[i].p_filesz)
				continue;
			int prot = ((ph[i].p_flags & PF_R) ? PROT_READ : 0) | ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);
			uintptr_t seg = PAGE_DOWN(ph[i].p_vaddr);
			img->seg[img->nseg].addr = seg;
			img->seg[img->nseg].len = PAGE_UP(ph[i].p_vaddr + ph[i].p_filesz) - seg;
			img->seg[img->nseg].off = (off_t)PAGE_DOWN(ph[i].p_offset);
			img->seg[img->nseg].prot = prot;
			img->nseg++;
		}
		img->next = images;
		images = img;
		if (img->fd < 0 || swap_in(img)) {
			snprintf(err, errlen, "cannot map segment: %s", strerror(errno));
			images = img->next;
			if (img->fd >= 0)
				close(img->fd);
			unmap_free_parts(lo, hi);
			free(img);
			return -ENOMEM;
		}
	} else if (!img->mapped && swap_in(img)) {
		snprintf(err, errlen, "cannot map segment: %s", strerror(errno));
		return -ENOMEM;
	}
	struct fixed_share *s = calloc(1, sizeof *s);
	s->img = img;
	s->memfd = wlo < whi ? memfd_create("dce-image", MFD_CLOEXEC) : -1;
	if (wlo < whi && (s->memfd < 0 || fill_pristine(s->memfd, fd, eh, ph, wlo, whi) || map_share(s))) {
		snprintf(err, errlen, "cannot set up the private data of the program: %s", strerror(errno));
		if (s->memfd >= 0)
			close(s->memfd);
		free(s);
		if (fresh && !img->users) {
			images = img->next;
			img->mapped = 0;
			unmap_free_parts(lo, hi);
			close(img->fd);
			free(img);
		}
		return -ENOMEM;
	}
	img->users++;
	p->fixed = s;
	return 0;
}

int dce_fixed_image_fork(struct dce_process *parent, struct dce_process *child)
{
	struct fixed_share *ps = parent->fixed;
	if (!ps)
		return 0;
	struct fixed_share *s = calloc(1, sizeof *s);
	s->img = ps->img;
	s->memfd = -1;
	if (ps->memfd >= 0) {
		size_t len = ps->img->whi - ps->img->wlo;
		s->memfd = memfd_create("dce-image", MFD_CLOEXEC);
		/* the parent's memfd is its live memory (a shared mapping) or its saved one */
		void *src = mmap(NULL, len, PROT_READ, MAP_SHARED, ps->memfd, 0);
		if (s->memfd < 0 || src == MAP_FAILED || ftruncate(s->memfd, (off_t)len) ||
		    pwrite(s->memfd, src, len, 0) != (ssize_t)len) {
			if (src != MAP_FAILED)
				munmap(src, len);
			if (s->memfd >= 0)
				close(s->memfd);
			free(s);
			return -ENOMEM;
		}
		munmap(src, len);
	}
	s->img->users++;
	child->fixed = s;
	return 0;
}

void dce_fixed_image_activate(struct dce_process *p)
{
	struct fixed_share *s = p->fixed;
	if (!s)
		return;
	if (!s->img->mapped && swap_in(s->img)) {
		/* the host refused memory it gave before (map count or memory exhausted) */
		fprintf(stderr, "dce: internal error: node %u pid %d: its non-PIE image could not be mapped "
		        "again (%s); outputs so far are saved\n", p->node->id, p->pid, strerror(errno));
		if (dce_run_emergency_end)
			dce_run_emergency_end("run ended: a non-PIE image could not be mapped again");
		_exit(70);
	}
	if (s->img->resident != s && s->memfd >= 0)
		map_share(s);
}

void dce_fixed_image_release(struct dce_process *p)
{
	struct fixed_share *s = p->fixed;
	if (!s)
		return;
	p->fixed = NULL;
	struct fixed_image *img = s->img;
	if (img->resident == s)
		img->resident = NULL;
	if (s->memfd >= 0)
		close(s->memfd);
	free(s);
	if (--img->users > 0)
		return;
	for (struct fixed_image **pp = &images; *pp; pp = &(*pp)->next)
		if (*pp == img) {
			*pp = img->next;
			break;
		}
	if (img->mapped) { /* no other image is mapped over it */
		img->mapped = 0;
		munmap((void *)img->lo, img->hi - img->lo);
	} else
		unmap_free_parts(img->lo, img->hi);
	close(img->fd);
	free(img);
}

int dce_fixed_image_contains(uintptr_t start, size_t len)
{
	for (struct fixed_image *i = images; i; i = i->next)
		if (start < i->hi && start + len > i->lo)
			return 1;
	return 0;
}

uintptr_t dce_fixed_image_owned_end(struct dce_process *p, uintptr_t addr)
{
	if (p->fixed && addr >= p->fixed->img->lo && addr < p->fixed->img->hi)
		return p->fixed->img->hi;
	return 0;
}
