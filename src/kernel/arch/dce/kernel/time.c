// SPDX-License-Identifier: GPL-2.0
/* The simulator's clock is the kernel's clocksource and sched_clock (1 GHz, in
 * nanoseconds), and a one-shot clock event device becomes a host timer. */
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/init.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <asm/dce.h>

/* Default wall clock at boot: 2024-01-01T00:00:00Z. */
#define DCE_DEFAULT_WALL_CLOCK 1704067200LL

static u64 dce_now(void)
{
	return dce_host.now_ns(dce_host.ctx);
}

static u64 dce_clocksource_read(struct clocksource *cs)
{
	return dce_now();
}

static struct clocksource dce_clocksource = {
	.name = "dce",
	.rating = 400,
	.read = dce_clocksource_read,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

static int dce_set_next_event(unsigned long delta, struct clock_event_device *evt)
{
	dce_host.timer_set(dce_host.ctx, dce_now() + delta);
	return 0;
}

static int dce_timer_shutdown(struct clock_event_device *evt)
{
	dce_host.timer_cancel(dce_host.ctx);
	return 0;
}

static struct clock_event_device dce_clockevent = {
	.name = "dce",
	.features = CLOCK_EVT_FEAT_ONESHOT,
	.rating = 400,
	.set_next_event = dce_set_next_event,
	.set_state_shutdown = dce_timer_shutdown,
};

void dce_timer_interrupt(void)
{
	if (dce_clockevent.event_handler)
		dce_clockevent.event_handler(&dce_clockevent);
}

unsigned long long notrace sched_clock(void)
{
	return dce_now();
}

/* Monotonic time starts at one second (as if firmware ran that long): code that
 * treats a zero timestamp as "unset" (TCP's skb_mstamp) must never see zero. */
void read_persistent_wall_and_boot_offset(struct timespec64 *wall_time,
					  struct timespec64 *boot_offset)
{
	long long sec = dce_boot_params.wall_clock_sec;

	if (!sec)
		sec = DCE_DEFAULT_WALL_CLOCK;
	*wall_time = ns_to_timespec64(sec * NSEC_PER_SEC + dce_now());
	*boot_offset = ns_to_timespec64(NSEC_PER_SEC + dce_now());
}

void __init time_init(void)
{
	clocksource_register_hz(&dce_clocksource, NSEC_PER_SEC);
	dce_clockevent.cpumask = cpumask_of(0);
	clockevents_config_and_register(&dce_clockevent, NSEC_PER_SEC, 1, ULONG_MAX);
}
