/* rt.h - the real-time engine: a second implementation of src/core/sim.h driven by
 * the host's monotonic clock and an epoll loop, for dce-nuse (docs/nuse.md).
 *
 * dce_sim_now() is host CLOCK_MONOTONIC time since dce_rt_init; events run when
 * their time has come; between events the loop sleeps in epoll until the next one
 * is due or a watched descriptor (a TAP device, a raw socket) is readable. Nothing
 * here spins: an idle stack costs no CPU. One host thread, as with ns-3. */
#ifndef DCE_RT_H
#define DCE_RT_H
#include <stdint.h>

/* Start the clock (time 0 is now). Returns 0 or -errno. */
int dce_rt_init(void);
/* Call fn(arg) from the loop whenever fd is readable (level-triggered). */
int dce_rt_watch(int fd, void (*fn)(void *arg), void *arg);
/* Run events and watched descriptors until dce_sim_stop. Returns 0 or -errno. */
int dce_rt_run(void);
/* Host CLOCK_REALTIME at dce_sim_now() == 0 (for dce's epoch). */
uint64_t dce_rt_epoch_ns(void);

#endif
