/* dce-nuse - run an unmodified program in real time on a private Linux network
 * stack (dce's kernel library) attached to a host interface (docs/nuse.md).
 *
 *   dce-nuse (--tap NAME | --raw IFACE) [--addr A/P]... [--route DST[@GW]]...
 *            [--sysctl KEY=VALUE]... [--pcap FILE] [--mac MAC] [--mtu N]
 *            [--name IF] [--out DIR] [--library PATH] [--] PROGRAM [ARG]...
 *
 * The program and every process it starts share one node: one kernel library,
 * whose device eth0 sends and receives through the TAP device or the raw socket.
 * Network system calls go to that kernel (ksock.c, as in advanced mode); files
 * resolve on the host's own root and time is the host's (src/rt/), so the rest
 * behaves as on the host. No ns-3: the engine is src/rt/. */
#include "../core/dce.h"
#include "../core/kernel.h"
#include "../libc-ns3/net/kstack.h"
#include "../rt/rt.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <malloc.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NUSE_MAX_FRAME 65536

struct nuse_dev {
	int fd;
	int raw;                /* 1: AF_PACKET socket, 0: TAP */
	int kifindex;           /* the device in the kernel library */
	FILE *pcap;
	unsigned long long rx, tx, rx_bytes, tx_bytes, tx_drops;
	unsigned char buf[NUSE_MAX_FRAME];
};

static struct nuse_dev dev;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("dce-nuse: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void usage(FILE *f)
{
	fputs("usage: dce-nuse (--tap NAME | --raw IFACE) [options] [--] PROGRAM [ARG]...\n"
	      "  --tap NAME        attach to TAP device NAME (created if missing, removed at exit)\n"
	      "  --raw IFACE       attach to existing interface IFACE through an AF_PACKET socket\n"
	      "  --addr A/PLEN     address of the stack's eth0 (repeatable; IPv4 or IPv6)\n"
	      "  --route DST[@GW]  route: DST is a prefix or 'default'/'default6' (repeatable)\n"
	      "  --sysctl KEY=VAL  set a sysctl of the private stack (repeatable)\n"
	      "  --pcap FILE       write every frame of eth0 to FILE (pcap)\n"
	      "  --mac MAC         eth0's MAC address (default: a random local one)\n"
	      "  --mtu N           eth0's MTU (default: IFACE's, 1500 for TAP)\n"
	      "  --name IF         the device's name inside the stack (default eth0)\n"
	      "  --out DIR         keep the kernel log (DIR/files-0/var/log/messages) and the\n"
	      "                    processes' status files (DIR/var/log/PID/) there\n"
	      "  --library PATH    the kernel library (default: $DCE_LINUX_LIBRARY or the installed one)\n"
	      "  --boot-time       print how long the stack took to start\n"
	      "The program and all it starts share the stack: dce-nuse --raw veth1 --addr\n"
	      "10.0.0.2/24 -- sh -c 'ip addr; ping -c1 10.0.0.1'. Needs root (or CAP_NET_RAW /\n"
	      "CAP_NET_ADMIN) for the device. Exit status: the program's.\n",
	      f);
}

/* ---- pcap ---- */

static void pcap_open(const char *path)
{
	dev.pcap = fopen(path, "wb");
	if (!dev.pcap)
		die("cannot write pcap file %s: %s", path, strerror(errno));
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t zone;
		uint32_t sigfigs, snaplen, linktype;
	} h = { 0xa1b23c4d, 2, 4, 0, 0, NUSE_MAX_FRAME, 1 }; /* nanosecond pcap, Ethernet */
	fwrite(&h, sizeof h, 1, dev.pcap);
}

static void pcap_write(const void *frame, size_t len)
{
	if (!dev.pcap)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint32_t rec[4] = { (uint32_t)ts.tv_sec, (uint32_t)ts.tv_nsec, (uint32_t)len, (uint32_t)len };
	fwrite(rec, sizeof rec, 1, dev.pcap);
	fwrite(frame, 1, len, dev.pcap);
}

/* ---- the device ---- */

static int if_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

static int tap_open(const char *name)
{
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			die("no permission to open /dev/net/tun for TAP device %s: run as root "
			    "(or with CAP_NET_ADMIN)", name);
		die("cannot open /dev/net/tun for TAP device %s: %s (is the tun module loaded?)",
		    name, strerror(errno));
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		if (errno == EPERM || errno == EACCES)
			die("no permission to create TAP device %s: run as root (or with CAP_NET_ADMIN)",
			    name);
		die("cannot attach to TAP device %s: %s (is it a TAP device owned by another "
		    "user, or a non-TAP interface? use --raw for those)", name, strerror(errno));
	}
	/* bring the host side up: the host's stack then sees the stack's frames */
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	return fd;
}

static int raw_open(const char *name, int *mtu)
{
	if (!if_exists(name))
		die("interface %s does not exist (see 'ip link'; --raw needs an existing "
		    "interface, --tap creates one)", name);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES)
			die("no permission to open a raw socket on %s: run as root (or give dce-nuse "
			    "CAP_NET_RAW)", name);
		die("cannot open a raw socket on %s: %s", name, strerror(errno));
	}
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
	                           .sll_ifindex = (int)if_nametoindex(name) };
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0)
		die("cannot bind a raw socket to %s: %s", name, strerror(errno));
	/* frames the host's own stack sends out of IFACE are not for us */
	int one = 1;
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
	/* frames to the stack's MAC address, which is not IFACE's */
	struct packet_mreq mr = { .mr_ifindex = sll.sll_ifindex, .mr_type = PACKET_MR_PROMISC };
	setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr);
	int buf = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && !*mtu)
		*mtu = ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP))
		fprintf(stderr, "dce-nuse: warning: interface %s is down (ip link set %s up)\n", name,
		        name);
	return fd;
}

/* Frames of the stack's eth0, right after the kernel returned (kstack.h). */
void dce_ns3_kstack_transmit(void *cookie, const void *frame, size_t len)
{
	(void)cookie;
	pcap_write(frame, len);
	for (int tries = 0; tries < 2; tries++) {
		ssize_t w = write(dev.fd, frame, len);
		if (w == (ssize_t)len) {
			dev.tx++;
			dev.tx_bytes += len;
			return;
		}
		if (w < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			/* the host queue is full: wait a little for room, as a NIC would */
			struct pollfd p = { .fd = dev.fd, .events = POLLOUT };
			poll(&p, 1, 10);
			continue;
		}
		break;
	}
	dev.tx_drops++;
}

static void device_readable(void *arg)
{
	(void)arg;
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(dev.fd, dev.buf, sizeof dev.buf);
		if (n <= 0)
			return;
		if (n < 14)
			continue;
		dev.rx++;
		dev.rx_bytes += (unsigned long long)n;
		pcap_write(dev.buf, (size_t)n);
		dce_kstack_receive(0, dev.kifindex, dev.buf, (size_t)n);
	}
}

static void random_mac(uint8_t mac[6])
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, mac, 6) != 6) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 24);
		memcpy(mac, &x, 6);
	}
	if (fd >= 0)
		close(fd);
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(p);
	return 0;
}

/* The temporary output directory goes when dce-nuse does, however it ends
 * (killed by ^C, a timeout, SIGKILL): a small host process holds the read end of
 * a pipe whose write end only dce-nuse has, and removes the directory at EOF. */
static void remove_when_gone(const char *dir)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		setsid(); /* out of the process group a ^C or timeout(1) signals */
		close(p[1]);
		char c;
		while (read(p[0], &c, 1) != 0 && errno == EINTR)
			;
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0)
		close(p[1]);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *tap = NULL, *raw = NULL, *pcap = NULL, *out = NULL, *lib = NULL;
	const char *ifname = "eth0";
	const char *addrs[64], *routes[64], *sysctls[64];
	int naddr = 0, nroute = 0, nsysctl = 0, mtu = 0, have_mac = 0, boot_time = 0;
	uint8_t mac[6];
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--boot-time")) {
			boot_time = 1;
			continue;
		}
		if (i + 1 >= argc)
			die("option %s needs a value (dce-nuse --help)", a);
		const char *v = argv[++i];
		if (!strcmp(a, "--tap"))
			tap = v;
		else if (!strcmp(a, "--raw"))
			raw = v;
		else if (!strcmp(a, "--addr") && naddr < 64)
			addrs[naddr++] = v;
		else if (!strcmp(a, "--route") && nroute < 64)
			routes[nroute++] = v;
		else if (!strcmp(a, "--sysctl") && nsysctl < 64) {
			if (!strchr(v, '='))
				die("--sysctl %s: expected KEY=VALUE, e.g. net.ipv4.tcp_congestion_control=bbr", v);
			sysctls[nsysctl++] = v;
		} else if (!strcmp(a, "--pcap"))
			pcap = v;
		else if (!strcmp(a, "--out"))
			out = v;
		else if (!strcmp(a, "--library"))
			lib = v;
		else if (!strcmp(a, "--name"))
			ifname = v;
		else if (!strcmp(a, "--mtu")) {
			mtu = atoi(v);
			if (mtu < 68 || mtu > 65535)
				die("--mtu %s: expected 68..65535", v);
		} else if (!strcmp(a, "--mac")) {
			if (parse_mac(v, mac))
				die("--mac %s: expected six hex bytes, e.g. 02:00:00:00:00:01", v);
			have_mac = 1;
		} else
			die("unknown option %s (dce-nuse --help)", a);
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!tap == !raw)
		die("give exactly one of --tap NAME or --raw IFACE (dce-nuse --help)");
	if (strlen(tap ? tap : raw) >= IFNAMSIZ)
		die("interface name %s is too long (at most %d characters)", tap ? tap : raw, IFNAMSIZ - 1);
	if (lib) {
		if (access(lib, R_OK))
			die("kernel library %s: %s (build it with 'bake deploy' for dce-linux-dev)", lib,
			    strerror(errno));
		dce_kstack_set_library(lib);
	}
	uint64_t t_start = mono_ns();
	/* every frame is a malloc'd copy (kstack.c's queue): keep the heap's top, or
	 * glibc gives it back with brk and each regrowth faults and flushes TLBs */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);

	/* the device first: bad names and missing permissions fail before anything else */
	int tap_created = tap && !if_exists(tap);
	dev.raw = raw != NULL;
	dev.fd = raw ? raw_open(raw, &mtu) : tap_open(tap);
	if (!mtu)
		mtu = 1500;
	if (!have_mac)
		random_mac(mac);
	if (pcap)
		pcap_open(pcap);

	/* dce in real time: host clock, no simulated costs, the host's files */
	setenv("DCE_VDSO", "0", 1);            /* clock reads trap and read the host clock live */
	setenv("DCE_LINUX_COPY_GBPS", "0", 1); /* copies cost real time already */
	char tmpl[PATH_MAX];
	const char *tmpdir = getenv("TMPDIR");
	snprintf(tmpl, sizeof tmpl, "%s/dce-nuse.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	const char *outdir = out;
	if (!outdir) {
		if (!(outdir = mkdtemp(tmpl)))
			die("cannot create a temporary directory: %s", strerror(errno));
		remove_when_gone(outdir);
	}
	dce_set_confine(0); /* the program writes the host's files: nothing to confine to */
	if (dce_rt_init())
		die("cannot create the event loop: %s", strerror(errno));
	if (dce_init(outdir, (uint64_t)mono_ns()))
		return 2;
	dce_world.epoch_ns = dce_rt_epoch_ns(); /* CLOCK_REALTIME is the host's */
	dce_world.host_stdio = 1;
	dce_set_syscall_cost(0, 1000000);
	dce_set_cpu_watchdog(0);
	dce_stop_when_done(1);
	dce_map_host_path("/");
	struct dce_node *node = dce_node_create(0);
	char err[1024];
	if (dce_kstack_install(0, err, sizeof err) < 0) {
		fprintf(stderr, "dce-nuse: %s\n", err);
		return 2;
	}
	dev.kifindex = dce_kstack_netdev_add(0, &dev, ifname, mac, mtu, 0);
	if (dev.kifindex < 0)
		die("cannot create %s in the stack: %s", ifname, strerror(-dev.kifindex));
	for (int k = 0; k < nsysctl; k++) {
		char key[256];
		snprintf(key, sizeof key, "%s", sysctls[k]);
		char *eq = strchr(key, '=');
		*eq = 0;
		int r = dce_kstack_sysctl_set(0, key, eq + 1);
		if (r < 0)
			die("--sysctl %s: %s", sysctls[k], strerror(-r));
	}
	for (int k = 0; k < naddr; k++) {
		int r = dce_kstack_addr_add(0, ifname, addrs[k]);
		if (r < 0)
			die("--addr %s: %s (expected ADDRESS/PREFIXLEN)", addrs[k], strerror(-r));
	}
	for (int k = 0; k < nroute; k++) {
		char dst[128];
		snprintf(dst, sizeof dst, "%s", routes[k]);
		char *gw = strchr(dst, '@');
		if (gw)
			*gw++ = 0;
		int r = dce_kstack_route_add(0, dst, gw, gw ? NULL : ifname);
		if (r < 0)
			die("--route %s: %s (expected DST[@GATEWAY], DST a prefix or default)", routes[k],
			    strerror(-r));
	}
	/* from here the node's files are the host's: its root is "/", its logs stay in outdir */
	char logroot[PATH_MAX];
	snprintf(logroot, sizeof logroot, "%s", node->root);
	node->logroot = strdup(logroot);
	dce_hostfd_release(&node->rootdir);
	node->root = strdup("");
	node->tree = 1; /* the host's own files: nothing to make */
	dce_hostfd_init(&node->rootdir, open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), NULL, 0);
	char host[65];
	if (gethostname(host, sizeof host) == 0)
		snprintf(node->hostname, sizeof node->hostname, "%s", host);
	int e = dce_rt_watch(dev.fd, device_readable, NULL);
	if (e)
		die("cannot watch the device: %s", strerror(-e));
	if (boot_time)
		fprintf(stderr, "dce-nuse: stack ready in %.2f ms\n", (mono_ns() - t_start) / 1e6);

	struct dce_process_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.binary = argv[i];
	spec.argv = argv + i;
	spec.envp = environ;
	spec.uid = spec.euid = getuid();
	spec.gid = spec.egid = getgid();
	int pid = dce_process_schedule(node, &spec);
	if (pid < 0)
		die("cannot start %s: %s", argv[i], strerror(-pid));
	struct dce_process *p = dce_process_find(node, pid);
	if (p && !getcwd(p->cwd, sizeof p->cwd))
		snprintf(p->cwd, sizeof p->cwd, "/");
	int r = dce_rt_run();
	if (r)
		fprintf(stderr, "dce-nuse: event loop failed: %s\n", strerror(-r));
	int code = 0, sig = 0;
	int st = dce_process_state(node, pid, &code, &sig);
	FILE *devnull = fopen("/dev/null", "w");
	if (devnull) /* dce_finish's own summary is for simulations */
		dce_world.err = devnull;
	dce_finish();
	if (dev.pcap)
		fclose(dev.pcap);
	if (getenv("DCE_NUSE_STATS"))
		fprintf(stderr, "dce-nuse: %s: rx %llu frames %llu bytes, tx %llu frames %llu bytes, "
		        "%llu dropped\n", ifname, dev.rx, dev.rx_bytes, dev.tx, dev.tx_bytes, dev.tx_drops);
	if (!out)
		nftw(outdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	(void)tap_created; /* a TAP device made by TUNSETIFF goes away when its fd closes */
	if (st != 0)
		return 1;
	if (sig)
		return 128 + sig;
	return code;
}
