/* pring.c - PACKET_MMAP receive rings for AF_PACKET sockets of both stacks.
 *
 * libpcap (tcpdump, hping3, arping, nmap) captures only through a ring:
 * PACKET_VERSION (TPACKET_V3, else V2), PACKET_RESERVE, PACKET_RX_RING, then mmap()
 * of the socket and poll(). dce keeps the ring itself, whichever stack owns the
 * socket (packet.c on ns-3 devices, or the node's kernel through ksock.c): its memory
 * is a memfd that dce maps once for itself and the program maps with mmap(); the
 * socket keeps its ordinary receive queue (BPF filter, promiscuous tap, kernel
 * accounting all unchanged), and every time the socket's readiness is computed
 * (poll/select/epoll, a wakeup) queued frames are moved into free frames (V2) or
 * the current block (V3) in Linux's layout (af_packet.c's tpacket_rcv offsets),
 * stamped with the node's clock at that instant. A V3 block is handed to the
 * program when it is full or when the queue is empty (as if its retire timer
 * fired: TP_STATUS_BLK_TMO), so a waiting program sees each frame at once.
 * Frames that find no free room stay queued until the program returns frames. */
#include "pring.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/if_arp.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

#define PAGE 4096u
#define ALIGN8(x) (((x) + 7u) & ~7u)
#define BLK_HDR_LEN ALIGN8((unsigned)sizeof(struct tpacket_block_desc))

struct dce_pring {
	struct dce_file *file;
	struct dce_node *node;
	int type;                      /* SOCK_RAW or SOCK_DGRAM */
	int version;                   /* TPACKET_V1/V2/V3 */
	unsigned reserve;              /* PACKET_RESERVE */
	dce_pring_recv_fn recv;
	void *ctx;
	/* the ring (mem == NULL: none) */
	int memfd;
	uint8_t *mem;
	size_t size;
	unsigned block_size, block_nr, frame_size, frame_nr, sizeof_priv;
	unsigned head;                 /* V2: next frame; V3: current block */
	unsigned nxt;                  /* V3: offset of the next packet in the current block (0: not open) */
	unsigned prev;                 /* V3: offset of the block's last packet */
	uint64_t seq;
	uint8_t *pend;                 /* V3: the frame on its way from the queue (one buffer per ring) */
	int have_pend;                 /* it holds a frame that found no room yet */
	long pend_len;
	size_t pend_got;
	struct sockaddr_ll pend_ll;
	unsigned st_packets, st_drops, st_freeze;
	struct dce_pring *next;
};

static struct dce_pring *rings; /* every ring, to find a file's ring at mmap */

int dce_pring_owns(int opt)
{
	return opt == PACKET_VERSION || opt == PACKET_RESERVE || opt == PACKET_RX_RING ||
	       opt == PACKET_TX_RING || opt == PACKET_HDRLEN;
}

static unsigned hdr_size(int version)
{
	return version == TPACKET_V3   ? (unsigned)sizeof(struct tpacket3_hdr)
	       : version == TPACKET_V2 ? (unsigned)sizeof(struct tpacket2_hdr)
	                               : (unsigned)sizeof(struct tpacket_hdr);
}

/* Linux's po->tp_hdrlen: the frame header and the sockaddr_ll after it */
static unsigned tp_hdrlen(int version)
{
	return TPACKET_ALIGN(hdr_size(version)) + (unsigned)sizeof(struct sockaddr_ll);
}

static void unmap(struct dce_pring *r)
{
	if (r->mem) {
		munmap(r->mem, r->size);
		close(r->memfd);
	}
	r->mem = NULL;
	r->size = 0;
	free(r->pend);
	r->pend = NULL;
	r->have_pend = 0;
}

static long set_ring(struct dce_pring *r, const void *val, socklen_t len)
{
	struct tpacket_req3 q;
	memset(&q, 0, sizeof q);
	if (len < (r->version == TPACKET_V3 ? sizeof(struct tpacket_req3) : sizeof(struct tpacket_req)))
		return -EINVAL;
	memcpy(&q, val, r->version == TPACKET_V3 ? sizeof(struct tpacket_req3) : sizeof(struct tpacket_req));
	if (q.tp_block_nr == 0) { /* release */
		if (q.tp_frame_nr)
			return -EINVAL;
		unmap(r);
		return 0;
	}
	if (r->mem)
		return -EBUSY;
	if (r->version == TPACKET_V1)
		return -EOPNOTSUPP; /* said in the status file by the caller */
	if (q.tp_block_size == 0 || q.tp_block_size % PAGE || q.tp_frame_size == 0)
		return -EINVAL;
	if (r->version == TPACKET_V3 && (q.tp_feature_req_word ||
	                                 BLK_HDR_LEN + ALIGN8(q.tp_sizeof_priv) + tp_hdrlen(3) >= q.tp_block_size))
		return -EINVAL;
	if (q.tp_frame_size < tp_hdrlen(r->version) + r->reserve || q.tp_frame_size % TPACKET_ALIGNMENT)
		return -EINVAL;
	unsigned fpb = q.tp_block_size / q.tp_frame_size;
	if (fpb == 0 || (uint64_t)fpb * q.tp_block_nr != q.tp_frame_nr)
		return -EINVAL;
	uint64_t size = (uint64_t)q.tp_block_size * q.tp_block_nr;
	if (size > (1ull << 32))
		return -ENOMEM;
	int fd = memfd_create("dce-packet-ring", MFD_CLOEXEC);
	if (fd < 0)
		return -ENOMEM;
	if (ftruncate(fd, (off_t)size)) {
		close(fd);
		return -ENOMEM;
	}
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return -ENOMEM;
	}
	r->memfd = fd;
	r->mem = m;
	r->size = size;
	r->block_size = q.tp_block_size;
	r->block_nr = q.tp_block_nr;
	r->frame_size = q.tp_frame_size;
	r->frame_nr = q.tp_frame_nr;
	r->sizeof_priv = q.tp_sizeof_priv;
	r->head = r->nxt = r->prev = 0;
	r->seq = 1;
	return 0;
}

long dce_pring_setsockopt(struct dce_pring **slot, struct dce_file *f, struct dce_node *n, int type,
                          dce_pring_recv_fn recv, void *ctx, int opt, const void *val, socklen_t len)
{
	struct dce_pring *r = *slot;
	if (!r) {
		r = calloc(1, sizeof *r);
		r->file = f;
		r->node = n;
		r->type = type;
		r->version = TPACKET_V1;
		r->memfd = -1;
		r->recv = recv;
		r->ctx = ctx;
		r->next = rings;
		rings = r;
		*slot = r;
	}
	int v;
	switch (opt) {
	case PACKET_VERSION:
		if (len < sizeof v)
			return -EINVAL;
		memcpy(&v, val, sizeof v);
		if (r->mem)
			return -EBUSY;
		if (v != TPACKET_V1 && v != TPACKET_V2 && v != TPACKET_V3)
			return -EINVAL;
		r->version = v;
		return 0;
	case PACKET_RESERVE:
		if (len < sizeof v)
			return -EINVAL;
		memcpy(&v, val, sizeof v);
		if (r->mem)
			return -EBUSY;
		if ((unsigned)v > INT32_MAX / 2)
			return -EINVAL;
		r->reserve = (unsigned)v;
		return 0;
	case PACKET_RX_RING:
		return set_ring(r, val, len);
	case PACKET_TX_RING:
		return -EOPNOTSUPP; /* sends go through send()/sendto() (libpcap's, libnet's) */
	}
	return -ENOPROTOOPT;
}

long dce_pring_getsockopt(struct dce_pring *r, int opt, void *val, socklen_t *len)
{
	int v;
	if (*len < sizeof(int))
		return -EINVAL;
	switch (opt) {
	case PACKET_HDRLEN:
		memcpy(&v, val, sizeof v);
		if (v != TPACKET_V1 && v != TPACKET_V2 && v != TPACKET_V3)
			return -EINVAL;
		v = (int)hdr_size(v);
		break;
	case PACKET_VERSION:
		v = r ? r->version : TPACKET_V1;
		break;
	case PACKET_RESERVE:
		v = r ? (int)r->reserve : 0;
		break;
	case PACKET_STATISTICS: {
		struct tpacket_stats_v3 st = { 0, 0, 0 };
		if (r) {
			st.tp_packets = r->st_packets + r->st_drops;
			st.tp_drops = r->st_drops;
			st.tp_freeze_q_cnt = r->st_freeze;
			r->st_packets = r->st_drops = r->st_freeze = 0;
		}
		socklen_t l = r && r->version == TPACKET_V3 ? sizeof st : sizeof(struct tpacket_stats);
		if (*len < l)
			l = *len;
		memcpy(val, &st, l);
		*len = l;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof v);
	*len = sizeof v;
	return 0;
}

/* where the link header starts and how long it is (Linux's skb network offset) */
static unsigned mac_len(const struct dce_pring *r, const struct sockaddr_ll *ll)
{
	if (r->type == SOCK_DGRAM)
		return 0;
	return ll->sll_hatype == ARPHRD_ETHER || ll->sll_hatype == ARPHRD_LOOPBACK ? 14 : 0;
}

/* tpacket_rcv's macoff/netoff for a frame header of this version */
static void offsets(const struct dce_pring *r, unsigned maclen, unsigned *macoff, unsigned *netoff)
{
	unsigned h = tp_hdrlen(r->version);
	if (r->type == SOCK_DGRAM) {
		*macoff = *netoff = TPACKET_ALIGN(h) + 16 + r->reserve;
		return;
	}
	*netoff = TPACKET_ALIGN(h + (maclen < 16 ? 16 : maclen)) + r->reserve;
	*macoff = *netoff - maclen;
}

static uint8_t *frame2(struct dce_pring *r, unsigned i)
{
	unsigned fpb = r->block_size / r->frame_size;
	return r->mem + (size_t)(i / fpb) * r->block_size + (size_t)(i % fpb) * r->frame_size;
}

static struct tpacket_block_desc *block(struct dce_pring *r, unsigned i)
{
	return (void *)(r->mem + (size_t)i * r->block_size);
}

static uint8_t qbuf[262144]; /* one frame on its way from the queue */

static void fill_v2(struct dce_pring *r, uint64_t now)
{
	for (;;) {
		struct tpacket2_hdr *h = (void *)frame2(r, r->head);
		if (h->tp_status != TP_STATUS_KERNEL)
			return; /* ring full: frames stay queued */
		struct sockaddr_ll ll;
		memset(&ll, 0, sizeof ll);
		long n = r->recv(r->ctx, qbuf, sizeof qbuf, &ll);
		if (n < 0)
			return;
		size_t got = (size_t)n < sizeof qbuf ? (size_t)n : sizeof qbuf;
		unsigned macoff, netoff, maclen = mac_len(r, &ll);
		if (got < maclen)
			maclen = 0;
		offsets(r, maclen, &macoff, &netoff);
		size_t snap = got;
		if (macoff + snap > r->frame_size)
			snap = r->frame_size > macoff ? r->frame_size - macoff : 0;
		memcpy((uint8_t *)h + macoff, qbuf, snap);
		memcpy((uint8_t *)h + TPACKET_ALIGN(sizeof *h), &ll, sizeof ll);
		h->tp_len = (uint32_t)n;
		h->tp_snaplen = (uint32_t)snap;
		h->tp_mac = (uint16_t)macoff;
		h->tp_net = (uint16_t)netoff;
		h->tp_sec = (uint32_t)(now / 1000000000u);
		h->tp_nsec = (uint32_t)(now % 1000000000u);
		h->tp_vlan_tci = h->tp_vlan_tpid = 0;
		__atomic_store_n(&h->tp_status, TP_STATUS_USER | (snap < (size_t)n ? TP_STATUS_COPY : 0),
		                 __ATOMIC_RELEASE);
		r->st_packets++;
		r->head = (r->head + 1) % r->frame_nr;
	}
}

static void close_block(struct dce_pring *r, int timeout)
{
	struct tpacket_block_desc *b = block(r, r->head);
	struct tpacket3_hdr *last = (void *)((uint8_t *)b + r->prev);
	last->tp_next_offset = 0;
	b->hdr.bh1.ts_last_pkt.ts_sec = last->tp_sec;
	b->hdr.bh1.ts_last_pkt.ts_nsec = last->tp_nsec;
	__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_USER | (timeout ? TP_STATUS_BLK_TMO : 0),
	                 __ATOMIC_RELEASE);
	r->head = (r->head + 1) % r->block_nr;
	r->nxt = r->prev = 0;
}

static void fill_v3(struct dce_pring *r, uint64_t now)
{
	unsigned first = BLK_HDR_LEN + ALIGN8(r->sizeof_priv);
	unsigned max_frame = r->block_size - first;
	for (;;) {
		struct tpacket_block_desc *b = block(r, r->head);
		if (!r->nxt && b->hdr.bh1.block_status != TP_STATUS_KERNEL)
			return; /* every block is the program's: frames stay queued */
		if (!r->have_pend) {
			if (!r->pend)
				r->pend = malloc(sizeof qbuf);
			memset(&r->pend_ll, 0, sizeof r->pend_ll);
			long n = r->recv(r->ctx, r->pend, sizeof qbuf, &r->pend_ll);
			if (n < 0)
				break;
			r->have_pend = 1;
			r->pend_len = n;
			r->pend_got = (size_t)n < sizeof qbuf ? (size_t)n : sizeof qbuf;
		}
		unsigned macoff, netoff, maclen = mac_len(r, &r->pend_ll);
		if (r->pend_got < maclen)
			maclen = 0;
		offsets(r, maclen, &macoff, &netoff);
		size_t snap = r->pend_got;
		if (macoff + snap > max_frame)
			snap = max_frame > macoff ? max_frame - macoff : 0;
		unsigned total = ALIGN8(macoff + (unsigned)snap);
		if (!r->nxt) { /* open the block */
			memset(b, 0, first);
			b->version = TPACKET_V3;
			b->offset_to_priv = BLK_HDR_LEN;
			b->hdr.bh1.offset_to_first_pkt = first;
			b->hdr.bh1.blk_len = first;
			b->hdr.bh1.seq_num = r->seq++;
			b->hdr.bh1.ts_first_pkt.ts_sec = (uint32_t)(now / 1000000000u);
			b->hdr.bh1.ts_first_pkt.ts_nsec = (uint32_t)(now % 1000000000u);
			r->nxt = first;
		} else if (r->nxt + total > r->block_size) {
			close_block(r, 0); /* full: the frame goes to the next block */
			continue;
		}
		struct tpacket3_hdr *h = (void *)((uint8_t *)b + r->nxt);
		memset(h, 0, sizeof *h);
		memcpy((uint8_t *)h + macoff, r->pend, snap);
		memcpy((uint8_t *)h + TPACKET_ALIGN(sizeof *h), &r->pend_ll, sizeof r->pend_ll);
		h->tp_next_offset = total;
		h->tp_sec = (uint32_t)(now / 1000000000u);
		h->tp_nsec = (uint32_t)(now % 1000000000u);
		h->tp_snaplen = (uint32_t)snap;
		h->tp_len = (uint32_t)r->pend_len;
		h->tp_status = TP_STATUS_USER | (snap < (size_t)r->pend_len ? TP_STATUS_COPY : 0);
		h->tp_mac = (uint16_t)macoff;
		h->tp_net = (uint16_t)netoff;
		r->prev = r->nxt;
		r->nxt += total;
		b->hdr.bh1.num_pkts++;
		b->hdr.bh1.blk_len = r->nxt;
		r->st_packets++;
		r->have_pend = 0;
	}
	if (r->nxt) /* the queue is empty: hand the block over now (its timer "fired") */
		close_block(r, 1);
}

int dce_pring_poll(struct dce_pring *r, int mask)
{
	if (!r || !r->mem)
		return mask;
	uint64_t now = dce_time_node_realtime_ns(r->node);
	int ready;
	if (r->version == TPACKET_V3) {
		fill_v3(r, now);
		unsigned prev = (r->head + r->block_nr - 1) % r->block_nr;
		ready = block(r, r->head)->hdr.bh1.block_status != TP_STATUS_KERNEL ||
		        block(r, prev)->hdr.bh1.block_status != TP_STATUS_KERNEL;
	} else {
		fill_v2(r, now);
		unsigned prev = (r->head + r->frame_nr - 1) % r->frame_nr;
		ready = ((struct tpacket2_hdr *)frame2(r, prev))->tp_status != TP_STATUS_KERNEL;
	}
	mask &= ~(POLLIN | POLLRDNORM);
	return ready ? mask | POLLIN | POLLRDNORM : mask;
}

long dce_pring_mapfd(struct dce_file *f, uint64_t len, long off)
{
	for (struct dce_pring *r = rings; r; r = r->next) {
		if (r->file != f)
			continue;
		if (!r->mem)
			return -EINVAL;
		if (off != 0 || ((len + PAGE - 1) & ~(uint64_t)(PAGE - 1)) != r->size)
			return -EINVAL;
		return r->memfd;
	}
	return -ENODEV;
}

void dce_pring_free(struct dce_pring *r)
{
	if (!r)
		return;
	for (struct dce_pring **pp = &rings; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	unmap(r); /* the program's own mapping of the memfd stays valid */
	free(r);
}
