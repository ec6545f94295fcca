/*
 * clock.c — the clocks ordertop reads: wall time for what is written into
 * records, the monotonic clock for durations and deadlines.
 */
#include "clock.h"

#include <time.h>

static int64_t
clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
now_ms(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000000;
}

int64_t
mono_ms(void)
{
	return clock_ns(CLOCK_MONOTONIC) / 1000000;
}

int64_t
mono_ms_coarse(void)
{
#if defined(CLOCK_MONOTONIC_COARSE)
	return clock_ns(CLOCK_MONOTONIC_COARSE) / 1000000;
#else
	return mono_ms();
#endif
}

uint64_t
mono_us(void)
{
	return (uint64_t)(clock_ns(CLOCK_MONOTONIC) / 1000);
}
