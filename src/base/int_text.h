/*
 * int_text.h — the decimal text of an integer, without printf: for the
 * numbers ordertop writes once or more per record (JSON numbers, header
 * values, totals in cents, the notification's message).  What printf's
 * %" PRId64 "/%" PRIu64 " prints, NUL-terminated; returns its length.
 */
#ifndef ORDERTOP_INT_TEXT_H
#define ORDERTOP_INT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define INT_TEXT_MAX 24 /* "-9223372036854775808" and its NUL fit */

size_t int_text(char *buf, int64_t v);
size_t uint_text(char *buf, uint64_t v);
/* An amount in cents as units without trailing zeros: 259800 -> "2598",
 * 1230 -> "12.3", -1235 -> "-12.35" (buf holds INT_TEXT_MAX + 3 bytes). */
#define CENTS_TEXT_MAX (INT_TEXT_MAX + 3)
size_t cents_text(char *buf, int64_t cents);

#endif
