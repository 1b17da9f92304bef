/* sim.h - the only way the C core reaches the simulator (ns-3 behind a C shim).
 * Times are nanoseconds of simulated time since the start of the run. */
#ifndef DCE_SIM_H
#define DCE_SIM_H
#include <stdint.h>

typedef void (*dce_sim_fn)(void *arg);

/* Current simulated time in nanoseconds. */
uint64_t dce_sim_now(void);
/* Run fn(arg) after delay_ns, in the context of node `node` (for logs). Returns an
 * event id (never 0) that dce_sim_cancel accepts until the event has run. */
uint64_t dce_sim_schedule(uint64_t delay_ns, uint32_t node, dce_sim_fn fn, void *arg);
/* Cancel a pending event; a no-op for 0 or an event that already ran. */
void dce_sim_cancel(uint64_t id);
/* Ask the simulator to stop after the current event (used when every process is done
 * and the scenario asked to stop then). */
void dce_sim_stop(void);

#endif
