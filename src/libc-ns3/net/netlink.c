/* netlink.c - AF_NETLINK (placeholder). */
#include "net.h"
#include <errno.h>

long dce_netlink_create(struct dce_thread *t, int type, int protocol, struct dce_sock **out)
{
	(void)t; (void)type; (void)protocol; (void)out;
	return -EAFNOSUPPORT;
}

long dce_net_ifioctl(struct dce_thread *t, unsigned long req, uint64_t arg)
{
	(void)t; (void)req; (void)arg;
	return -ENOTTY;
}
