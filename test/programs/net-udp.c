/* net-udp - a small UDP echo server and client (dce's udp-simple example).
 *   net-udp server PORT COUNT       echo COUNT datagrams back, then exit
 *   net-udp client HOST PORT COUNT  send COUNT datagrams, wait for each echo */
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

static int server(const char *port, int count)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM, .ai_flags = AI_PASSIVE }, *ai;
	int e = getaddrinfo(NULL, port, &hints, &ai);
	if (e) {
		fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(e));
		return 1;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("server socket/bind");
		return 1;
	}
	printf("server listening on port %s\n", port);
	fflush(stdout);
	for (int i = 0; i < count; i++) {
		char buf[2048], host[64];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		buf[n] = 0;
		inet_ntop(AF_INET, &from.sin_addr, host, sizeof host);
		printf("server got %zd bytes from %s: %s\n", n, host, buf);
		fflush(stdout);
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) != n) {
			perror("sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}

static int client(const char *host, const char *port, int count)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM }, *ai;
	int e = getaddrinfo(host, port, &hints, &ai);
	if (e) {
		fprintf(stderr, "getaddrinfo %s: %s\n", host, gai_strerror(e));
		return 1;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("client socket/connect");
		return 1;
	}
	int ok = 0;
	for (int i = 0; i < count; i++) {
		char msg[64], buf[2048];
		int len = snprintf(msg, sizeof msg, "hello %d", i);
		if (send(fd, msg, (size_t)len, 0) != len) {
			perror("send");
			return 1;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 2000) != 1) {
			printf("client: no echo for %d\n", i);
			continue;
		}
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
		if (n < 0) {
			perror("recv");
			return 1;
		}
		buf[n] = 0;
		printf("client echo %d: %s\n", i, buf);
		ok += strcmp(buf, msg) == 0;
		sleep(1);
	}
	printf("client: %d/%d echoes\n", ok, count);
	close(fd);
	return ok == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "server"))
		return server(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "client"))
		return client(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: net-udp server PORT COUNT | client HOST PORT COUNT\n");
	return 2;
}
