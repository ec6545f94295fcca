/*
 * int_text.c — decimal digits of an integer, written back to front, two at
 * a time, into a scratch buffer and copied out (see int_text.h).
 */
#include "int_text.h"

#include <stdbool.h>
#include <string.h>

/* "00" "01" ... "99": two digits per division (timestamps have 13). */
static const char two_digits[201] = "0001020304050607080910111213141516171819"
				    "2021222324252627282930313233343536373839"
				    "4041424344454647484950515253545556575859"
				    "6061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";

static size_t
digits(char *buf, uint64_t u, bool negative)
{
	char tmp[INT_TEXT_MAX];
	size_t i = sizeof tmp;

	tmp[--i] = '\0';
	while (u >= 100) {
		unsigned pair = (unsigned)(u % 100);
		u /= 100;
		tmp[--i] = two_digits[2 * pair + 1];
		tmp[--i] = two_digits[2 * pair];
	}
	if (u >= 10) {
		tmp[--i] = two_digits[2 * u + 1];
		tmp[--i] = two_digits[2 * u];
	} else {
		tmp[--i] = (char)('0' + u);
	}
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
