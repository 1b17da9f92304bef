/* bpf.h - classic BPF socket filters (SO_ATTACH_FILTER), checked and run as Linux
 * does (bpf.c). */
#ifndef DCE_BPF_H
#define DCE_BPF_H
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/* Linux's checks of a classic program (bpf_check_classic): 0 or -EINVAL. */
int dce_bpf_check(const struct sock_filter *f, unsigned n);
/* Run it on a packet: how many bytes to keep (0: drop). */
uint32_t dce_bpf_run(const struct sock_filter *f, unsigned n, const uint8_t *pkt, size_t len);
#endif
