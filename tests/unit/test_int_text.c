/*
 * test_int_text.c — int_text(), uint_text() and cents_text() against
 * printf's digits, on the extremes and on 100,000 pseudo-random values of
 * every magnitude.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "int_text.h"

/* xorshift64, shifted right by a varying amount: small and large values */
static uint64_t
next_value(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x >> (*x % 64);
}

static void
test_signed(void **state)
{
	(void)state;
	static const int64_t fixed[] = {
		0, 1, -1, 9, 10, -10, 1700000000123, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN,
	};
	char got[INT_TEXT_MAX], want[INT_TEXT_MAX];
	uint64_t x = 0x2545F4914F6CDD1Dull;
	size_t n_fixed = sizeof fixed / sizeof fixed[0];

	for (size_t i = 0; i < n_fixed + 100000; i++) {
		int64_t v = i < n_fixed ? fixed[i] : (int64_t)next_value(&x) * (i % 2 ? 1 : -1);
		size_t n = int_text(got, v);
		snprintf(want, sizeof want, "%" PRId64, v);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

static void
test_unsigned(void **state)
{
	(void)state;
	static const uint64_t fixed[] = { 0, 1, 9, 10, 99, 100, UINT32_MAX, UINT64_MAX };
	char got[INT_TEXT_MAX], want[INT_TEXT_MAX];
	uint64_t x = 0x9E3779B97F4A7C15ull;
	size_t n_fixed = sizeof fixed / sizeof fixed[0];

	for (size_t i = 0; i < n_fixed + 100000; i++) {
		uint64_t v = i < n_fixed ? fixed[i] : next_value(&x);
		size_t n = uint_text(got, v);
		snprintf(want, sizeof want, "%" PRIu64, v);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

/* printf's "units.cc", then the trailing zeros (and a bare point) cut */
static void
test_cents(void **state)
{
	(void)state;
	static const int64_t fixed[] = {
		0, 1, 10, 99, 100, 101, 110, 259800, 1230, -1235, -1, -10, -100, INT64_MAX, INT64_MIN,
	};
	char got[CENTS_TEXT_MAX], want[64];
	uint64_t x = 0xD1B54A32D192ED03ull;
	size_t n_fixed = sizeof fixed / sizeof fixed[0];

	for (size_t i = 0; i < n_fixed + 100000; i++) {
		int64_t v = i < n_fixed ? fixed[i] : (int64_t)next_value(&x) * (i % 2 ? 1 : -1);
		uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
		int len = snprintf(want, sizeof want, "%s%" PRIu64 ".%02u", v < 0 ? "-" : "", a / 100,
		                   (unsigned)(a % 100));
		while (want[len - 1] == '0')
			want[--len] = '\0';
		if (want[len - 1] == '.')
			want[--len] = '\0';
		size_t n = cents_text(got, v);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_cents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
