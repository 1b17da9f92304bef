/* net-probe - checks Linux socket semantics inside dce, one "ok/FAIL name" line per
 * check; exit status = number of failures.
 *   net-probe peer       on 10.1.1.2: TCP 7000 accepts one connection and closes it
 *                        at once; TCP 7001 echoes; UDP 7002 echoes
 *   net-probe client     on 10.1.1.1: the checks (needs the peer) */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fails;
static void check(const char *name, int cond)
{
	printf("%s %s\n", cond ? "ok" : "FAIL", name);
	fflush(stdout);
	fails += !cond;
}
#define ERR(call, e) (((call) < 0) && errno == (e))

static struct sockaddr_in sin_of(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int tcp_listen(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = sin_of("0.0.0.0", port);
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 8))
		perror("peer listen");
	return s;
}

static int peer(void)
{
	int closer = tcp_listen(7000), echo = tcp_listen(7001);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = sin_of("0.0.0.0", 7002);
	bind(u, (struct sockaddr *)&a, sizeof a);
	for (int served = 0; served < 3;) {
		struct pollfd p[3] = { { closer, POLLIN, 0 }, { echo, POLLIN, 0 }, { u, POLLIN, 0 } };
		if (poll(p, 3, 20000) <= 0)
			return 1;
		if (p[0].revents & POLLIN) {
			close(accept(closer, NULL, NULL));
			served++;
		}
		if (p[1].revents & POLLIN) {
			int c = accept(echo, NULL, NULL);
			char buf[65536];
			ssize_t n;
			while ((n = read(c, buf, sizeof buf)) > 0)
				write(c, buf, (size_t)n);
			close(c);
			served++;
		}
		if (p[2].revents & POLLIN) {
			char buf[2048];
			struct sockaddr_in f;
			socklen_t fl = sizeof f;
			ssize_t n = recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&f, &fl);
			sendto(u, buf, (size_t)n, 0, (struct sockaddr *)&f, fl);
			served++;
		}
	}
	return 0;
}

static int sigpipes;
static void on_pipe(int s) { (void)s; sigpipes++; }

static int client(void)
{
	struct sockaddr_in a;
	int s, r, v;
	socklen_t l;
	/* creation */
	check("socket bad family EAFNOSUPPORT", ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT));
	check("socket bad type EINVAL", ERR(socket(AF_INET, 99, 0), EINVAL) || errno == ESOCKTNOSUPPORT);
	check("socket bad protocol EPROTONOSUPPORT", ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT));
	check("socket bad flags EINVAL", ERR(socket(AF_INET, SOCK_STREAM | 0x100000, 0), EINVAL));
	check("not a socket ENOTSOCK", ERR(listen(1, 1), ENOTSOCK));
	check("bad fd EBADF", ERR(listen(999, 1), EBADF));
	/* malformed addresses and option lengths */
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = sin_of("10.1.1.1", 0);
	check("bind short len EINVAL", ERR(bind(s, (struct sockaddr *)&a, 3), EINVAL));
	check("bind huge len EINVAL", ERR(bind(s, (struct sockaddr *)&a, 4096), EINVAL));
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	check("bind wrong family EAFNOSUPPORT", ERR(bind(s, (struct sockaddr *)&a6, sizeof a), EAFNOSUPPORT));
	check("bind bad pointer EFAULT", ERR(bind(s, (struct sockaddr *)8, sizeof a), EFAULT));
	struct sockaddr_in far = sin_of("192.0.2.9", 0);
	check("bind foreign address EADDRNOTAVAIL", ERR(bind(s, (struct sockaddr *)&far, sizeof far), EADDRNOTAVAIL));
	v = 1;
	check("setsockopt short optlen EINVAL", ERR(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL));
	check("setsockopt unknown ENOPROTOOPT", ERR(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v), ENOPROTOOPT));
	check("getsockopt NULL optlen EFAULT", ERR(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, NULL), EFAULT));
	l = sizeof v;
	check("getsockopt SO_TYPE", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l) == 0 && v == SOCK_STREAM);
	check("shutdown bad how EINVAL", ERR(shutdown(s, 7), EINVAL));
	check("shutdown unconnected ENOTCONN", ERR(shutdown(s, SHUT_WR), ENOTCONN));
	char c;
	check("recv unconnected ENOTCONN", ERR(recv(s, &c, 1, 0), ENOTCONN));
	check("accept not listening EINVAL", ERR(accept(s, NULL, NULL), EINVAL));
	check("getpeername unconnected ENOTCONN", ({ struct sockaddr_in p; socklen_t pl = sizeof p; ERR(getpeername(s, (struct sockaddr *)&p, &pl), ENOTCONN); }));
	a = sin_of("10.1.1.1", 0);
	check("bind port 0", bind(s, (struct sockaddr *)&a, sizeof a) == 0);
	l = sizeof a;
	check("getsockname ephemeral port", getsockname(s, (struct sockaddr *)&a, &l) == 0 && ntohs(a.sin_port) >= 1024);
	check("bind twice EINVAL", ERR(bind(s, (struct sockaddr *)&a, sizeof a), EINVAL));
	close(s);
	/* connection refused and unreachable */
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = sin_of("10.1.1.2", 9);
	check("connect closed port ECONNREFUSED", ERR(connect(s, (struct sockaddr *)&a, sizeof a), ECONNREFUSED));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = sin_of("203.0.113.1", 80);
	r = connect(s, (struct sockaddr *)&a, sizeof a);
	check("connect no route ENETUNREACH", r < 0 && (errno == ENETUNREACH || errno == EHOSTUNREACH));
	close(s);
	/* non-blocking connect, SO_ERROR, poll */
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	a = sin_of("10.1.1.2", 7001);
	check("nonblocking connect EINPROGRESS", ERR(connect(s, (struct sockaddr *)&a, sizeof a), EINPROGRESS));
	struct pollfd p = { s, POLLOUT, 0 };
	check("poll POLLOUT after connect", poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT));
	l = sizeof v;
	check("SO_ERROR 0", getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l) == 0 && v == 0);
	check("connect again EISCONN", ERR(connect(s, (struct sockaddr *)&a, sizeof a), EISCONN));
	check("recv nonblocking EAGAIN", ERR(recv(s, &c, 1, 0), EAGAIN));
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
	v = 1;
	check("TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) == 0);
	struct tcp_info ti;
	l = sizeof ti;
	check("TCP_INFO established", getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &l) == 0 && ti.tcpi_state == 1);
	check("send", send(s, "hello", 5, 0) == 5);
	char buf[64] = { 0 };
	check("recv MSG_PEEK", recv(s, buf, sizeof buf, MSG_PEEK) == 5 && !memcmp(buf, "hello", 5));
	int n = 0;
	check("FIONREAD", ioctl(s, FIONREAD, &n) == 0 && n == 5);
	memset(buf, 0, sizeof buf);
	check("recv after peek", recv(s, buf, sizeof buf, 0) == 5 && !memcmp(buf, "hello", 5));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = s }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	check("epoll nothing yet", epoll_wait(ep, &out, 1, 10) == 0);
	shutdown(s, SHUT_WR);
	check("epoll EPOLLRDHUP after peer close", epoll_wait(ep, &out, 1, 5000) == 1 && (out.events & EPOLLRDHUP));
	check("recv EOF", recv(s, buf, sizeof buf, 0) == 0);
	close(ep);
	close(s);
	/* peer that closes: SIGPIPE / EPIPE, MSG_NOSIGNAL */
	signal(SIGPIPE, on_pipe);
	s = socket(AF_INET, SOCK_STREAM, 0);
	a = sin_of("10.1.1.2", 7000);
	check("connect to closer", connect(s, (struct sockaddr *)&a, sizeof a) == 0);
	usleep(100000);
	static char big[65536];
	ssize_t w = 0;
	for (int i = 0; i < 50 && w >= 0; i++)
		w = send(s, big, sizeof big, MSG_NOSIGNAL);
	check("send to closed peer ECONNRESET/EPIPE", w < 0 && (errno == EPIPE || errno == ECONNRESET));
	w = send(s, big, 10, 0);
	check("SIGPIPE raised", w < 0 && errno == EPIPE && sigpipes == 1);
	close(s);
	/* UDP */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	check("UDP send unconnected EDESTADDRREQ", ERR(send(s, "x", 1, 0), EDESTADDRREQ));
	check("UDP listen EOPNOTSUPP", ERR(listen(s, 1), EOPNOTSUPP));
	a = sin_of("10.1.1.2", 7002);
	struct iovec iov[2] = { { "ab", 2 }, { "cdef", 4 } };
	struct msghdr m = { .msg_name = &a, .msg_namelen = sizeof a, .msg_iov = iov, .msg_iovlen = 2 };
	check("UDP sendmsg iovecs", sendmsg(s, &m, 0) == 6);
	char small[3];
	struct iovec riov = { small, sizeof small };
	struct sockaddr_in from;
	struct msghdr rm = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &riov, .msg_iovlen = 1 };
	struct pollfd up = { s, POLLIN, 0 };
	poll(&up, 1, 5000);
	r = (int)recvmsg(s, &rm, 0);
	check("UDP recvmsg truncates (MSG_TRUNC)", r == 3 && (rm.msg_flags & MSG_TRUNC) && !memcmp(small, "abc", 3) &&
	                                                from.sin_port == htons(7002));
	struct timeval tv = { 0, 200000 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	check("SO_RCVTIMEO EAGAIN", ERR(recv(s, small, 1, 0), EAGAIN));
	close(s);
	/* EMFILE */
	int last = -1, count = 0;
	for (;;) {
		int f = socket(AF_INET, SOCK_DGRAM, 0);
		if (f < 0) {
			check("sockets until EMFILE", errno == EMFILE && count > 100);
			break;
		}
		last = f;
		count++;
	}
	for (int f = 3; f <= last; f++)
		close(f);
	check("socket after EMFILE freed", (s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	close(s);
	printf("%d failures\n", fails);
	return fails;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "peer"))
		return peer();
	if (argc > 1 && !strcmp(argv[1], "client"))
		return client();
	fprintf(stderr, "usage: net-probe peer|client\n");
	return 2;
}
