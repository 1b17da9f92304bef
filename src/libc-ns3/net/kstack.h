/* kstack.h - a node's Linux kernel (advanced mode): the per-node instance of
 * liblinux-6.1.so (src/kernel, docs/kernel.md) and the C interface the ns-3 side
 * (src/ns3/helper/linux-stack-helper.cc) uses to bridge NetDevices and configure it.
 *
 * A node that uses the Linux stack gets its own copy of the kernel, booted when the
 * stack is installed. Its programs' network system calls (sockets of the INET,
 * INET6, NETLINK and PACKET families, and /proc/sys, /proc/net, /sys paths) go to
 * that kernel (ksock.c); everything else stays in dce. Errors are -errno. */
#ifndef DCE_KSTACK_H
#define DCE_KSTACK_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel library every Linux-stack node loads: path (NULL: the default, see
 * dce_kstack_library). Call before the first dce_kstack_install. */
void dce_kstack_set_library(const char *path);
/* The kernel series ("6.12", "6.1") the default library is searched for; NULL:
 * $DCE_KERNEL_VERSION, else the default (6.12), then 6.1. Call before the first install. */
void dce_kstack_set_version(const char *version);
const char *dce_kstack_version(void); /* the set one or $DCE_KERNEL_VERSION; NULL */
/* The library that will be used: $DCE_LINUX_LIBRARY, the set path, then
 * <dir of the program>/../lib/liblinux-<version>.so and <dir>/../../install/lib/...
 * (the asked version, else 6.1, then 6.12). NULL if none exists. */
const char *dce_kstack_library(void);

/* Load and boot node's kernel (once; later calls return 0). The node must exist
 * (dce_node_create). On failure a one-line reason is written to err. */
int dce_kstack_install(uint32_t node, char *err, size_t errlen);
int dce_kstack_enabled(uint32_t node);
/* The release of node's booted kernel ("6.12.118"; uname -r), NULL without one. */
const char *dce_kstack_release(uint32_t node);

/* Flags of dce_kstack_netdev_add. */
#define DCE_KSTACK_NOARP 1   /* point-to-point medium: no ARP/neighbour discovery */
/* A network device of node's kernel bridged to the host's device `cookie`: frames
 * the kernel sends are handed to dce_ns3_kstack_transmit(cookie, ...). name NULL:
 * eth0, eth1, ... The device is brought up. Returns its ifindex or -errno. */
int dce_kstack_netdev_add(uint32_t node, void *cookie, const char *name, const uint8_t mac[6],
                          int mtu, unsigned flags);
/* A frame (Ethernet header included) arrived for device ifindex of node. */
void dce_kstack_receive(uint32_t node, int ifindex, const void *frame, size_t len);

/* Configuration through the kernel's own interfaces (netlink, /proc/sys), as a
 * program would do it. sysctl key as in sysctl(8): "net.ipv4.ip_forward". */
int dce_kstack_sysctl_set(uint32_t node, const char *key, const char *value);
/* Read into buf (NUL-terminated, trailing newline removed). */
int dce_kstack_sysctl_get(uint32_t node, const char *key, char *buf, size_t size);
/* address "10.1.1.1/24" or "2001:db8::1/64" on device ifname (IPv6: no DAD wait). */
int dce_kstack_addr_add(uint32_t node, const char *ifname, const char *address);
/* route to "10.2.0.0/16", "default" (IPv4) or "default6"/"::/0" via gateway (may be
 * NULL) and/or out of ifname (may be NULL). */
int dce_kstack_route_add(uint32_t node, const char *dst, const char *gateway, const char *ifname);

/* The node's addresses (for /etc/hosts): up to max, as text, global scope only. */
int dce_kstack_addresses(uint32_t node, char (*out)[64], int max);

/* Sockets of the node's kernel for the ns-3 side (ns-3 applications on a
 * Linux-stack node, src/ns3/model/linux-socket.cc), outside any process: system
 * call nr (DCE_KSYS_*) in a task of node's kernel, pointers in the caller's memory.
 * Use non-blocking sockets: a call the kernel cannot finish at once returns
 * -EINPROGRESS. */
long dce_kstack_call(uint32_t node, long nr, long a0, long a1, long a2, long a3, long a4, long a5);
/* fn(arg) runs, inside the kernel, whenever kernel file kfd of node changes state
 * (it must only schedule work: no kernel calls from it). Returns a handle for
 * dce_kstack_unwatch_close (ref too) or -errno. */
long dce_kstack_watch(uint32_t node, int kfd, void (*fn)(void *), void *arg, void **ref);
/* Stop the watch (fn is not called again) and close kfd. */
void dce_kstack_unwatch_close(uint32_t node, long watch, void *ref, int kfd);
/* Only make sure fn is not called again (the simulation is over: no kernel calls). */
void dce_kstack_unwatch(void *ref);

/* Implemented by the ns-3 side: send a frame (Ethernet header included) out of the
 * host device `cookie`. Runs right after the kernel returned, inside an event. */
void dce_ns3_kstack_transmit(void *cookie, const void *frame, size_t len);

#ifdef __cplusplus
}
#endif
#endif
