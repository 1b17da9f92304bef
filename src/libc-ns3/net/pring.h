/* pring.h - PACKET_MMAP receive rings (TPACKET_V2, TPACKET_V3) that dce keeps for
 * AF_PACKET sockets of either stack (pring.c). The socket's own receive queue feeds
 * the ring: whenever the socket's readiness is computed, queued frames are copied
 * into free frames/blocks of memory the program mapped with mmap(), in Linux's
 * layout, and POLLIN means "a frame/block is the program's". */
#ifndef DCE_PRING_H
#define DCE_PRING_H
#include "../../core/kernel.h"
#include <sys/socket.h>
#include <linux/if_packet.h>

struct dce_pring;
/* Take the next queued frame without blocking: copy at most len bytes to buf,
 * return the frame's whole length (>= 0) or -EAGAIN; *ll gets its link address. */
typedef long (*dce_pring_recv_fn)(void *ctx, void *buf, size_t len, struct sockaddr_ll *ll);

/* SOL_PACKET options the ring owns: 1 if opt is one of them. */
int dce_pring_owns(int opt);
/* setsockopt/getsockopt of such an option (val: a dce copy). *ring is the socket's
 * ring slot (created on demand); type is SOCK_RAW or SOCK_DGRAM. */
long dce_pring_setsockopt(struct dce_pring **ring, struct dce_file *f, struct dce_node *n, int type,
                          dce_pring_recv_fn recv, void *ctx, int opt, const void *val, socklen_t len);
long dce_pring_getsockopt(struct dce_pring *ring, int opt, void *val, socklen_t *len);
/* The readiness of a socket with a ring, from the socket's own mask. */
int dce_pring_poll(struct dce_pring *ring, int mask);
/* mmap of a socket's file: the host fd to map (the ring's memory), or -ENODEV/-EINVAL. */
long dce_pring_mapfd(struct dce_file *f, uint64_t len, long off);
void dce_pring_free(struct dce_pring *ring);

#endif
