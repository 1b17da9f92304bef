/* unix.c - AF_UNIX sockets (placeholder until the in-memory implementation). */
#include "net.h"
#include <errno.h>

long dce_unix_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out)
{
	(void)t; (void)type; (void)protocol; (void)out;
	return -EAFNOSUPPORT;
}

long dce_unix_pair(struct dce_thread *t, int type, int protocol, struct dce_sock **a, struct dce_sock **b)
{
	(void)t; (void)type; (void)protocol; (void)a; (void)b;
	return -EAFNOSUPPORT;
}
