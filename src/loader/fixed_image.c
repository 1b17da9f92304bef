/* fixed_image.c - several instances of a non-PIE executable at once.
 *
 * A non-PIE (ET_EXEC) program must sit at its link address, so all its instances
 * share one mapping of the file. Its read-only segments are shared as they are;
 * its writable segments (data, bss, GOT) are private per process: each process
 * keeps them in a memfd of its own, and before a thread of a process runs, the
 * scheduler maps that process's memfd at the fixed addresses (one mmap call; the
 * pages themselves are not copied). Debian's python3.11 is such a program. */
#include "../core/kernel.h"
#include "fixed_image.h"
#include <errno.h>
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
	struct fixed_share *resident; /* whose writable part is mapped now */
	struct fixed_image *next;
};

struct fixed_share {
	struct fixed_image *img;
	int memfd;
};

static struct fixed_image *images;

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
		void *span = mmap((void *)lo, hi - lo, PROT_NONE,
		                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (span == MAP_FAILED || (uintptr_t)span != lo) {
			if (span != MAP_FAILED)
				munmap(span, hi - lo);
			snprintf(err, errlen, "non-PIE executable whose fixed address range %#lx-%#lx is taken "
			         "by another program", (unsigned long)lo, (unsigned long)hi);
			return -ENOMEM;
		}
		for (int i = 0; i < eh->e_phnum; i++) {
			if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & PF_W) || !ph[i].p_filesz)
				continue;
			int prot = ((ph[i].p_flags & PF_R) ? PROT_READ : 0) | ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);
			uintptr_t seg = PAGE_DOWN(ph[i].p_vaddr);
			if (mmap((void *)seg, PAGE_UP(ph[i].p_vaddr + ph[i].p_filesz) - seg, prot,
			         MAP_PRIVATE | MAP_FIXED, fd, (off_t)PAGE_DOWN(ph[i].p_offset)) == MAP_FAILED) {
				snprintf(err, errlen, "cannot map segment: %s", strerror(errno));
				munmap((void *)lo, hi - lo);
				return -ENOMEM;
			}
		}
		img = calloc(1, sizeof *img);
		img->dev = st.st_dev;
		img->ino = st.st_ino;
		img->lo = lo;
		img->hi = hi;
		img->wlo = wlo;
		img->whi = whi;
		img->next = images;
		images = img;
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
			munmap((void *)lo, hi - lo);
			images = img->next;
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
	if (s && s->img->resident != s && s->memfd >= 0)
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
	munmap((void *)img->lo, img->hi - img->lo);
	for (struct fixed_image **pp = &images; *pp; pp = &(*pp)->next)
		if (*pp == img) {
			*pp = img->next;
			break;
		}
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
