/*
 * clock.h — wall and monotonic clocks in milliseconds or microseconds.
 */
#ifndef ORDERTOP_CLOCK_H
#define ORDERTOP_CLOCK_H

#include <stdint.h>

int64_t now_ms(void);  /* wall clock, ms since the epoch */
int64_t mono_ms(void); /* monotonic, ms */
/* Monotonic, ms, as of the last timer tick (up to a few ms behind
 * mono_ms()): for loops that check 10 ms limits per record, where the
 * precise clock's read costs more than the record's work. */
int64_t mono_ms_coarse(void);
uint64_t mono_us(void); /* monotonic, us */

#endif
