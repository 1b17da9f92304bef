/* rewrite.c - fast system calls for stock binaries: rewriting `syscall` sites.
 *
 * The architecture's tier (d). Every system call of a program with the system's
 * glibc, of a static binary or of a Go program traps (SIGSYS, ~2.3 us). The
 * first trap at a site looks at the code around the `syscall` instruction; when
 * it is one of the known patterns below, 5 bytes of it become a `jmp` to a
 * trampoline built for that site, which jumps to dce_rewrite_entry (trap_entry.S)
 * with the registers a `syscall` would leave: the next calls at that site cost a
 * function call instead of a signal. What is served is the same (dce_trap), so
 * the results, the simulated time charged and the signals delivered are the same
 * as trapped; the trap stays the fallback for every site not rewritten.
 *
 * Patterns (the bytes must match exactly; `rax` at the trap must agree):
 *   A  b8 imm32 0f 05                 mov $NR,%eax; syscall   (glibc, Go's runtime)
 *      The mov becomes the jmp; the `syscall` stays where it was, so a jump to
 *      it, and a restarted call (rip - 2), still trap. The trampoline resumes
 *      at the instruction after the `syscall` (rip and rcx as native).
 *   B  31 c0 0f 05 48 3d 00 f0 ff ff  xor %eax,%eax; syscall; cmp $-4096,%rax
 *      glibc's read(). The jmp covers xor, syscall and the cmp's first byte; the
 *      trampoline holds xor, `syscall` (the restart point), cmp, jmp back.
 *   D  48 89 f8 ... 4c 8b 4c 24 08 0f 05   glibc's syscall() function (seven movs,
 *      the last `mov 0x8(%rsp),%r9`): that mov becomes the jmp, as in A.
 *   C  49 89 f2 48 89 fa 48 89 ce 48 89 df 0f 05   Go's internal Syscall6
 *      (mov %rsi,%r10 ... mov %rbx,%rdi; syscall): the jmp covers the last mov
 *      and the `syscall`; the trampoline holds them and jumps back to the cmp.
 * In B and C a restarted call and a signal frame see rip inside the trampoline,
 * just after a `syscall` instruction there, which traps when run again.
 *
 * Safety: code is only rewritten in private, non-writable mappings: the page
 * must refuse a plain write (process_vm_writev of its own bytes fails) and the
 * write goes through /proc/self/mem, which the kernel lets through only as
 * copy-on-write of a private mapping (a file mapped shared is never changed).
 * Before a program makes a page writable (mprotect), its rewritten sites get
 * their original bytes back and are never rewritten again (dce_rewrite_unprotect):
 * a program changing its own code sees its own bytes. A non-PIE image mapped
 * again after another one (fixed_image.c) comes back with its file's bytes; its
 * sites are rewritten again at their next trap. Trampolines live in 64 KiB
 * chunks within +-2 GiB of their sites, mapped read+execute in programs' part of
 * the address space (so their one `syscall` traps by address), outside every
 * process's mappings (a program cannot map over them or unmap them).
 *
 * Other threads: only one host thread runs program code, and a fiber is only
 * ever suspended in dce. A thread suspended in a call at a site trapped there
 * before, so the site was rewritten then, by that very trap, whose rip was moved;
 * the one case not covered is a thread preempted by the CPU watchdog exactly
 * between the first instruction of a B or C pattern and its `syscall`.
 * Vector state: the entry saves the legacy FPU/SSE area (fxsave), as glibc-dce's
 * hook does; the upper halves of ymm/zmm registers are not saved (a trapped call
 * has the kernel's full XSAVE frame). Code keeping AVX values live across an
 * inline `syscall` would see them differ; compiled calls treat them as clobbered.
 * Memory: each process's copy of a library gets its own copies of the text pages
 * rewritten in it (copy-on-write, typically 5-10 pages of libc per process).
 * DCE_REWRITE=0 turns rewriting off. */
#include "../core/kernel.h"
#include "rewrite.h"
#include "vmspace.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

void dce_rewrite_entry(void);
void dce_trap(ucontext_t *uc);

#define CHUNK (64 * 1024UL)
#define SLOT 64
#define REACH 0x7ff00000L /* what a rel32 reaches, with margin */

enum { EMPTY, REWRITTEN, FAILED, RESTORED };

struct site {
	uintptr_t addr;      /* the `syscall` instruction */
	uintptr_t at;        /* first byte rewritten (5 bytes) */
	unsigned char orig[5];
	unsigned char state;
	uintptr_t tramp;
	uintptr_t after;     /* B, C: where a call trapped at the site resumes */
};

static int enabled = -1;
static int memfd = -1;
static struct site *sites;
static size_t nsites, cap; /* open addressing, cap a power of two */
static struct chunk { uintptr_t base, used; } *chunks;
static size_t nchunks;
uint64_t dce_rewrite_sites, dce_rewrite_fallbacks; /* counters (tests, bench) */

static void forget_pid(void);

/* /proc/self/mem is opened before anything else runs: dce_confine makes /proc
 * read-only for the run (the open file keeps working). */
__attribute__((constructor)) static void rewrite_open(void)
{
	dce_rewrite_enabled();
	pthread_atfork(NULL, NULL, forget_pid); /* a host child has its own pid */
}

int dce_rewrite_enabled(void)
{
	if (enabled < 0) {
		const char *e = getenv("DCE_REWRITE");
		enabled = !(e && !strcmp(e, "0"));
		if (enabled) {
			memfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
			if (memfd < 0)
				enabled = 0; /* no /proc: every call keeps trapping */
		}
	}
	return enabled;
}

static size_t hash(uintptr_t a)
{
	return (size_t)((a * 0x9e3779b97f4a7c15UL) >> 20);
}

static struct site *lookup(uintptr_t addr, int add)
{
	if (!cap || (add && (nsites + 1) * 2 > cap)) {
		if (!add)
			return NULL;
		size_t ocap = cap;
		struct site *old = sites;
		cap = cap ? cap * 2 : 1024;
		sites = calloc(cap, sizeof *sites);
		if (!sites) {
			sites = old;
			cap = ocap;
			return NULL;
		}
		for (size_t i = 0; i < ocap; i++)
			if (old[i].state != EMPTY) {
				size_t h = hash(old[i].addr) & (cap - 1);
				while (sites[h].state != EMPTY)
					h = (h + 1) & (cap - 1);
				sites[h] = old[i];
			}
		free(old);
	}
	for (size_t h = hash(addr) & (cap - 1);; h = (h + 1) & (cap - 1)) {
		if (sites[h].state == EMPTY) {
			if (!add)
				return NULL;
			nsites++;
			sites[h].addr = addr;
			return &sites[h];
		}
		if (sites[h].addr == addr)
			return &sites[h];
	}
}

/* pages that hold (or held) a rewritten site, for dce_rewrite_unprotect */
static uintptr_t *pages;
static size_t npages, pcap;

static int page_has(uintptr_t pg)
{
	if (!pcap)
		return 0;
	for (size_t h = hash(pg) & (pcap - 1);; h = (h + 1) & (pcap - 1)) {
		if (!pages[h])
			return 0;
		if (pages[h] == pg)
			return 1;
	}
}

static void page_add(uintptr_t pg)
{
	if (page_has(pg))
		return;
	if ((npages + 1) * 2 > pcap) {
		size_t ocap = pcap;
		uintptr_t *old = pages;
		pcap = pcap ? pcap * 2 : 256;
		pages = calloc(pcap, sizeof *pages);
		npages = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				page_add(old[i]);
		free(old);
	}
	size_t h = hash(pg) & (pcap - 1);
	while (pages[h])
		h = (h + 1) & (pcap - 1);
	pages[h] = pg;
	npages++;
}

/* dce's host pid, for process_vm_readv/writev: glibc's getpid() is a host system
 * call each time (three per rewritten site, ~30 per exec of a small program) */
static pid_t host_pid;

static void forget_pid(void)
{
	host_pid = 0;
}

static pid_t self_pid(void)
{
	if (!host_pid)
		host_pid = getpid();
	return host_pid;
}

static int read_self(uintptr_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)addr, len };
	return process_vm_readv(self_pid(), &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

/* 1 when a plain store to [addr, addr+len) would succeed (the page is writable). */
static int writable(uintptr_t addr, size_t len)
{
	unsigned char b[16];
	if (read_self(addr, b, len))
		return 1; /* unreadable: leave it alone */
	struct iovec l = { b, len }, r = { (void *)addr, len };
	errno = 0;
	return !(process_vm_writev(self_pid(), &l, 1, &r, 1, 0) < 0 && errno == EFAULT);
}

static int poke(uintptr_t addr, const void *buf, size_t len)
{
	return pwrite(memfd, buf, len, (off_t)addr) == (ssize_t)len ? 0 : -1;
}

static int near(uintptr_t a, uintptr_t b)
{
	long d = (long)(a - b);
	return d > -REACH && d < REACH;
}

/* A chunk at a, if nothing is there; its first slot, or 0. */
static uintptr_t map_chunk(uintptr_t a)
{
	/* Never in a range the allocator may hand out or has reserved (a heap's room
	 * to grow, an image's span): a program's MAP_FIXED there would replace the
	 * trampolines under every site that jumps to them. Chunks live for the run. */
	int claimed = dce_vm_claim(a, CHUNK);
	if (claimed < 0)
		return 0;
	void *r = mmap((void *)a, CHUNK, PROT_READ | PROT_EXEC,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED) {
		if (claimed == 0)
			dce_vm_release(a, CHUNK);
		return 0;
	}
	struct chunk *c = (uintptr_t)r == a ? realloc(chunks, (nchunks + 1) * sizeof *c) : NULL;
	if (!c) {
		munmap(r, CHUNK);
		if (claimed == 0)
			dce_vm_release(a, CHUNK);
		return 0;
	}
	chunks = c;
	chunks[nchunks].base = a;
	chunks[nchunks].used = SLOT;
	nchunks++;
	return a;
}

/* A free slot within reach of both the site's ends; 0 if none can be had. */
static uintptr_t slot_near(uintptr_t site)
{
	for (size_t i = 0; i < nchunks; i++)
		if (chunks[i].used + SLOT <= CHUNK && near(chunks[i].base, site) &&
		    near(chunks[i].base + CHUNK, site)) {
			uintptr_t s = chunks[i].base + chunks[i].used;
			chunks[i].used += SLOT;
			return s;
		}
	/* a new chunk: the nearest free 64 KiB, below the site first, at 1 MiB steps
	 * (deterministic: the same scenario finds the same places). Below 4 GiB, where
	 * non-PIE images sit at their link addresses (0x400000 up), from 1.75 GiB
	 * above the site downwards instead, clear of other images' ranges. */
	uintptr_t limit = dce_vm_limit(), origin = site & ~(CHUNK - 1);
	for (int pass = origin < (4UL << 30) ? 0 : 1; pass < 2; pass++)
		for (uintptr_t k = 1; k < 1800; k++)
			for (int dir = 0; dir < (pass == 0 ? 1 : 2); dir++) {
				uintptr_t a;
				if (pass == 0)
					a = origin + 0x70000000UL - (k << 20);
				else if (dir == 0 && origin < (k << 20) + 0x100000)
					continue;
				else
					a = dir ? origin + (k << 20) : origin - (k << 20);
				if (a + CHUNK > limit)
					continue;
				uintptr_t c = map_chunk(a);
				if (c)
					return c;
			}
	return 0;
}

static int in_chunk(uintptr_t a)
{
	for (size_t i = 0; i < nchunks; i++)
		if (a - chunks[i].base < CHUNK)
			return 1;
	return 0;
}

/* Trampoline code: pre (relocated instructions), then rcx = resume and a jump to
 * the entry; when the `syscall` is not kept at the site, the trampoline's own
 * `syscall` (the restart point), post and a jmp back to back_to. */
static uintptr_t build(unsigned char *c, uintptr_t tramp, const unsigned char *pre, size_t npre, int keep,
                       uintptr_t resume, const unsigned char *post, size_t npost, uintptr_t back_to)
{
	size_t n = 0;
	memcpy(c, pre, npre);
	n += npre;
	/* lea rel32(%rip), %rcx */
	size_t lea = n;
	c[n++] = 0x48, c[n++] = 0x8d, c[n++] = 0x0d;
	n += 4;
	c[n++] = 0x49, c[n++] = 0xbb; /* movabs $dce_rewrite_entry, %r11 */
	uint64_t e = (uint64_t)(uintptr_t)dce_rewrite_entry;
	memcpy(c + n, &e, 8);
	n += 8;
	c[n++] = 0x41, c[n++] = 0xff, c[n++] = 0xe3; /* jmp *%r11 */
	if (!keep) {
		c[n++] = 0x0f, c[n++] = 0x05;
		resume = tramp + n;
		memcpy(c + n, post, npost);
		n += npost;
		c[n++] = 0xe9;
		int32_t rel = (int32_t)((long)back_to - (long)(tramp + n + 4));
		memcpy(c + n, &rel, 4);
		n += 4;
	}
	int32_t rel = (int32_t)((long)resume - (long)(tramp + lea + 7));
	memcpy(c + lea + 3, &rel, 4);
	while (n < SLOT)
		c[n++] = 0xcc;
	return keep ? 0 : resume;
}

static const unsigned char pat_b[] = { 0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff };
static const unsigned char pat_c[] = { 0x49, 0x89, 0xf2, 0x48, 0x89, 0xfa, 0x48, 0x89, 0xce,
	                               0x48, 0x89, 0xdf, 0x0f, 0x05 };

static const unsigned char pat_d[] = { 0x48, 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6, 0x48, 0x89, 0xca,
	                               0x4d, 0x89, 0xc2, 0x4d, 0x89, 0xc8, 0x4c, 0x8b, 0x4c, 0x24, 0x08,
	                               0x0f, 0x05 };

/* The first trap at a site (from the SIGSYS path): rewrite it when it is safe.
 * When the rewrite covers the instruction after the `syscall` (B, C), the trapped
 * call resumes in the trampoline instead: *rip is moved there. */
static void rewrite(uintptr_t site, uint64_t rax, greg_t *rip)
{
	if (site < 0x10000 || site + 16 > dce_vm_limit() || in_chunk(site))
		return;
	struct site *s = lookup(site, 0);
	if (s && s->state != REWRITTEN)
		return; /* FAILED, RESTORED: trapped for good */
	unsigned char b[48];
	if (read_self(site - 32, b, 48)) { /* at a mapping's start: not one of ours */
		if (!s && (s = lookup(site, 1)))
			s->state = FAILED;
		return;
	}
	const unsigned char *at = b + 32; /* at[0] is the `syscall`'s first byte */
	if (at[0] != 0x0f || at[1] != 0x05)
		return;
	unsigned char code[SLOT];
	uintptr_t w = 0;
	int kind = 0;
	if (at[-5] == 0xb8 && rax <= 0xffffffffUL && !memcmp(&at[-4], &(uint32_t){ (uint32_t)rax }, 4))
		kind = 'A', w = site - 5;
	else if (rax == 0 && !memcmp(at - 2, pat_b, sizeof pat_b))
		kind = 'B', w = site - 2;
	else if (!memcmp(at - 12, pat_c, sizeof pat_c))
		kind = 'C', w = site - 3;
	else if (!memcmp(at - 23, pat_d, sizeof pat_d))
		kind = 'D', w = site - 5;
	if (s) { /* REWRITTEN: a restarted call (the `syscall` after our jmp), or
		  * the site's image came back from its file (fixed_image.c) or was
		  * mapped again: the jmp goes back if the bytes are the original ones */
		if (kind && w == s->at && !memcmp(b + 32 - (site - w), s->orig, 5) && !writable(w, 5)) {
			unsigned char j[5] = { 0xe9 };
			int32_t rel = (int32_t)((long)s->tramp - (long)(w + 5));
			memcpy(j + 1, &rel, 4);
			if (!poke(w, j, 5)) {
				dce_rewrite_sites++;
				if (s->after)
					*rip = (greg_t)s->after;
			}
		}
		return;
	}
	s = lookup(site, 1);
	if (!s)
		return;
	s->state = FAILED;
	if (!kind || writable(w, 5)) {
		dce_rewrite_fallbacks++;
		return;
	}
	uintptr_t t = slot_near(w);
	if (!t || !near(t, w + 5) || !near(t, site + 16)) {
		dce_rewrite_fallbacks++;
		return;
	}
	uintptr_t after;
	if (kind == 'A' || kind == 'D')
		after = build(code, t, at - 5, 5, 1, site + 2, NULL, 0, 0);
	else if (kind == 'B')
		after = build(code, t, at - 2, 2, 0, 0, at + 2, 6, site + 8);
	else
		after = build(code, t, at - 3, 3, 0, 0, NULL, 0, site + 2);
	unsigned char j[5] = { 0xe9 };
	int32_t rel = (int32_t)((long)t - (long)(w + 5));
	memcpy(j + 1, &rel, 4);
	memcpy(s->orig, b + 32 - (site - w), 5);
	if (poke(t, code, SLOT) || poke(w, j, 5)) {
		dce_rewrite_fallbacks++;
		return;
	}
	page_add(w >> 12);
	page_add((w + 4) >> 12);
	s->at = w;
	s->tramp = t;
	s->after = after;
	s->state = REWRITTEN;
	if (after)
		*rip = (greg_t)after;
	dce_rewrite_sites++;
	if (dce_world.trace)
		fprintf(dce_world.err, "[rewrite] site %#lx pattern %c -> %#lx\n", (unsigned long)site, kind,
		        (unsigned long)t);
}

/* From trap_entry.S's SIGSYS entry: rewrite the site, then serve the call. */
void dce_trap_sigsys(ucontext_t *uc)
{
	if (enabled && dce_rewrite_enabled()) {
		greg_t *g = uc->uc_mcontext.gregs;
		rewrite((uintptr_t)g[REG_RIP] - 2, (uint64_t)g[REG_RAX], &g[REG_RIP]);
	}
	dce_trap(uc);
}

/* [start, start+len) is about to become writable: give its rewritten sites their
 * original bytes back, for good (mm.c, before the program's mprotect). */
void dce_rewrite_unprotect(uintptr_t start, size_t len)
{
	if (enabled <= 0 || !nsites)
		return;
	if (!len)
		return;
	uintptr_t first = start >> 12, last = (start + len - 1) >> 12;
	if (last - first < 4096) { /* the usual short range: look its pages up */
		int any = 0;
		for (uintptr_t pg = first; pg <= last && !any; pg++)
			any = page_has(pg);
		if (!any)
			return;
	}
	for (size_t i = 0; i < cap; i++) {
		struct site *s = &sites[i];
		if (s->state != REWRITTEN || s->at + 5 <= start || s->at >= start + len)
			continue;
		unsigned char cur[5], j[5] = { 0xe9 };
		int32_t rel = (int32_t)((long)s->tramp - (long)(s->at + 5));
		memcpy(j + 1, &rel, 4);
		if (!read_self(s->at, cur, 5) && !memcmp(cur, j, 5))
			poke(s->at, s->orig, 5);
		s->state = RESTORED;
	}
}
