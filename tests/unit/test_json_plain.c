/*
 * test_json_plain.c — json_plain_run() against the byte-by-byte definition:
 * every kind of stop ('"', '\', each control character) at every position
 * of the first sixteen bytes, beside the bytes that look like stops to an
 * eight-bytes-at-a-time test (0x20, 0x7F, 0x80, 0xA2, 0xDC, 0xFF), and
 * 200,000 pseudo-random texts of 0 to 40 bytes read from every alignment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "json_plain.h"

static size_t
plain_run_bytewise(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != '"' && p[i] != '\\' && (unsigned char)p[i] >= 0x20)
		i++;
	return i;
}

static void
check(const char *p, size_t n)
{
	size_t want = plain_run_bytewise(p, n), got = json_plain_run(p, n);
	if (got != want) {
		print_error("length %zu: got %zu, want %zu; bytes:", n, got, want);
		for (size_t i = 0; i < n; i++)
			print_error(" %02x", (unsigned char)p[i]);
		print_error("\n");
	}
	assert_int_equal(got, want);
}

static void
test_each_stop_at_each_position(void **state)
{
	(void)state;
	/* near misses: one bit or one borrow away from a stop */
	static const unsigned char fill[] = { 'a', 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F,
	                                      0x80, 0xA2, 0xDC, 0xFF };
	char buf[24];

	for (size_t f = 0; f < sizeof fill; f++) {
		memset(buf, fill[f], sizeof buf);
		for (size_t n = 0; n <= sizeof buf; n++)
			check(buf, n);                         /* no stop at all */
		for (int stop = 0; stop < 0x20 + 2; stop++) {
			char c = stop < 0x20 ? (char)stop : stop == 0x20 ? '"' : '\\';
			for (size_t pos = 0; pos < 16; pos++) {
				memset(buf, fill[f], sizeof buf);
				buf[pos] = c;
				buf[(pos + 5) % sizeof buf] = '"';  /* a later stop too */
				check(buf, sizeof buf);
				check(buf, pos + 1);
				check(buf, pos);                   /* ends just before it */
			}
		}
	}
}

static void
test_random_texts(void **state)
{
	(void)state;
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	char buf[48 + 8];

	for (int iter = 0; iter < 200000; iter++) {
		size_t n = (size_t)(iter % 41), align = (size_t)(iter % 8);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned r = (unsigned)(x >> 40) % 100;
			/* mostly plain text, some stops, some high bytes */
			buf[align + i] = r < 2 ? '"' : r < 3 ? '\\' : r < 4 ? (char)(x % 0x20) :
			                 r < 20 ? (char)(0x80 | (x & 0x7F)) : (char)(0x20 + x % 0x5F);
		}
		check(buf + align, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_stop_at_each_position),
		cmocka_unit_test(test_random_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
