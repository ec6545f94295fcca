/*
 * int_text.c — decimal digits of an integer, written back to front into a
 * scratch buffer and copied out (see int_text.h).
 */
#include "int_text.h"

#include <stdbool.h>
#include <string.h>

static size_t
digits(char *buf, uint64_t u, bool negative)
{
	char tmp[INT_TEXT_MAX];
	size_t i = sizeof tmp;

	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (negative)
		tmp[--i] = '-';
	memcpy(buf, tmp + i, sizeof tmp - i);
	return sizeof tmp - i - 1;
}

size_t
int_text(char *buf, int64_t v)
{
	return digits(buf, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

size_t
uint_text(char *buf, uint64_t v)
{
	return digits(buf, v, false);
}

size_t
cents_text(char *buf, int64_t cents)
{
	uint64_t a = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	unsigned frac = (unsigned)(a % 100);
	size_t n = digits(buf, a / 100, cents < 0);

	if (frac != 0) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + frac / 10);
		if (frac % 10 != 0)
			buf[n++] = (char)('0' + frac % 10);
		buf[n] = '\0';
	}
	return n;
}
