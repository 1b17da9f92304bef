/* timespec.h - converting between timespec/timeval and simulated nanoseconds. */
#ifndef DCE_TIMESPEC_H
#define DCE_TIMESPEC_H
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* Nanoseconds in ts, clamped far beyond any simulation instead of overflowing. */
static inline uint64_t dce_ts_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec > (UINT64_MAX / 4) / 1000000000ULL)
		return UINT64_MAX / 4;
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

static inline void dce_ns_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
}

static inline uint64_t dce_tv_ns(const struct timeval *tv)
{
	if ((uint64_t)tv->tv_sec > (UINT64_MAX / 4) / 1000000000ULL)
		return UINT64_MAX / 4;
	return (uint64_t)tv->tv_sec * 1000000000ULL + (uint64_t)tv->tv_usec * 1000ULL;
}

static inline void dce_ns_tv(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ns / 1000000000ULL);
	tv->tv_usec = (suseconds_t)(ns % 1000000000ULL / 1000);
}

#endif
