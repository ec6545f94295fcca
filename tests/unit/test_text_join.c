/*
 * test_text_join.c — text_join() writes what snprintf() writes for the same
 * pieces: whole, cut at every buffer size, with empty pieces and none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "text_join.h"

static void
test_as_snprintf_at_every_size(void **state)
{
	(void)state;
	const char *pieces[] = { "more than ", "5", "", " orders in ", "60", " s" };
	size_t n = sizeof pieces / sizeof pieces[0];

	for (size_t len = 0; len <= 40; len++) {
		char got[48], want[48];
		memset(got, '#', sizeof got);
		memset(want, '#', sizeof want);
		int full = snprintf(want, len, "%s%s%s%s%s%s", pieces[0], pieces[1], pieces[2],
		                    pieces[3], pieces[4], pieces[5]);
		size_t wrote = text_join(got, len, pieces, n);
		assert_memory_equal(got, want, sizeof got);     /* nothing past the cut */
		assert_int_equal(wrote, len == 0 ? 0 : (size_t)full < len ? (size_t)full : len - 1);
	}
}

static void
test_no_pieces(void **state)
{
	(void)state;
	char buf[4] = "abc";
	assert_int_equal(text_join(buf, sizeof buf, NULL, 0), 0);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_snprintf_at_every_size),
		cmocka_unit_test(test_no_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
