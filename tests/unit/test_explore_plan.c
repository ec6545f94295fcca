/*
 * test_explore_plan.c — the explorer's pure logic: start positions (times,
 * offsets), clamping into the watermarks, lag, and --partitions lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "explore_groups.h"
#include "explore_reset.h"
#include "explore_seek.h"
#include "explore_start.h"

static void
test_start_words_and_offsets(void **state)
{
	struct explore_start s;
	char err[256];
	assert_int_equal(explore_start_parse("earliest", 0, &s, err, sizeof err), 0);
	assert_int_equal(s.kind, EXPLORE_START_BEGINNING);
	assert_int_equal(explore_start_parse("latest", 0, &s, err, sizeof err), 0);
	assert_int_equal(s.kind, EXPLORE_START_END);
	assert_int_equal(explore_start_parse("1234", 0, &s, err, sizeof err), 0);
	assert_int_equal(s.kind, EXPLORE_START_OFFSET);
	assert_int_equal(s.value, 1234);
	assert_int_equal(explore_start_parse("12x", 0, &s, err, sizeof err), -1);
	assert_int_equal(explore_start_parse("", 0, &s, err, sizeof err), -1);
	assert_int_equal(explore_start_parse("-15x", 0, &s, err, sizeof err), -1);
}

static void
test_start_times(void **state)
{
	struct explore_start s;
	char err[256];
	int64_t now = 1800000000000;
	assert_int_equal(explore_start_parse("-15m", now, &s, err, sizeof err), 0);
	assert_int_equal(s.kind, EXPLORE_START_TIME);
	assert_int_equal(s.value, now - 15 * 60000);
	assert_int_equal(explore_start_parse("-2h", now, &s, err, sizeof err), 0);
	assert_int_equal(s.value, now - 2 * 3600000);
	assert_int_equal(explore_start_parse("2026-12-01T10:00Z", now, &s, err, sizeof err), 0);
	assert_int_equal(s.value, 1796119200000LL);
	assert_int_equal(explore_start_parse("2026-12-01T10:00:30Z", now, &s, err, sizeof err), 0);
	assert_int_equal(s.value, 1796119230000LL);
	assert_int_equal(explore_start_parse("@1796119200000", now, &s, err, sizeof err), 0);
	assert_int_equal(s.value, 1796119200000LL);
	assert_int_equal(explore_start_parse("2026-13-01T10:00", now, &s, err, sizeof err), -1);
	assert_int_equal(explore_start_parse("2026-12-01T10:00junk", now, &s, err, sizeof err), -1);
	char text[64];
	explore_start_parse("2026-12-01T10:00Z", now, &s, err, sizeof err);
	explore_start_text(&s, text, sizeof text);
	assert_string_equal(text, "2026-12-01T10:00:00Z");
}

static void
test_clamp_and_lag(void **state)
{
	struct explore_start s = { .kind = EXPLORE_START_OFFSET, .value = 5 };
	assert_int_equal(explore_seek_clamp(&s, 10, 20), 10);
	s.value = 25;
	assert_int_equal(explore_seek_clamp(&s, 10, 20), 20);
	s.value = 15;
	assert_int_equal(explore_seek_clamp(&s, 10, 20), 15);
	s.kind = EXPLORE_START_BEGINNING;
	assert_int_equal(explore_seek_clamp(&s, 10, 20), 10);
	s.kind = EXPLORE_START_END;
	assert_int_equal(explore_seek_clamp(&s, 10, 20), 20);
	assert_int_equal(explore_lag(5, 12), 7);
	assert_int_equal(explore_lag(12, 12), 0);
	assert_int_equal(explore_lag(15, 12), 0); /* committed past a truncated end */
	assert_int_equal(explore_lag(-1, 12), -1);
	assert_int_equal(explore_lag(3, -1), -1);
}

static void
test_partition_lists(void **state)
{
	char err[256];
	assert_int_equal(explore_reset_list_takes("0,2", "orders", 2, true, err, sizeof err), 1);
	assert_int_equal(explore_reset_list_takes("0,2", "orders", 1, true, err, sizeof err), 0);
	/* a bare number only picks partitions the group has committed */
	assert_int_equal(explore_reset_list_takes("2", "orders", 2, false, err, sizeof err), 0);
	assert_int_equal(explore_reset_list_takes("orders", "orders", 7, false, err, sizeof err), 1);
	assert_int_equal(explore_reset_list_takes("orders:1", "orders", 1, false, err, sizeof err),
			 1);
	assert_int_equal(explore_reset_list_takes("orders:1", "orders", 0, true, err, sizeof err),
			 0);
	assert_int_equal(explore_reset_list_takes("orders:x", "orders", 0, true, err, sizeof err),
			 -1);
	assert_int_equal(explore_reset_list_takes("0,,1", "orders", 0, true, err, sizeof err), -1);
}

/* A member's partitions, compactly: by topic, runs as ranges, whatever
 * order they came in. */
static void
test_partitions_compact(void **state)
{
	char buf[256];
	struct explore_tp none[1] = { { "x", 0 } };
	assert_string_equal(explore_tp_compact(none, 0, buf, sizeof buf), "-");
	struct explore_tp one[] = { { "orders", 2 } };
	assert_string_equal(explore_tp_compact(one, 1, buf, sizeof buf), "orders[2]");
	struct explore_tp mixed[] = { { "orders", 2 },	      { "notifications", 1 },
				      { "orders", 0 },	      { "orders", 1 },
				      { "notifications", 4 }, { "notifications", 5 },
				      { "notifications", 6 }, { "orders", 9 } };
	assert_string_equal(explore_tp_compact(mixed, 8, buf, sizeof buf),
			    "notifications[1,4-6] orders[0-2,9]");
	struct explore_tp gap[] = { { "t", 0 }, { "t", 2 }, { "t", 4 } };
	assert_string_equal(explore_tp_compact(gap, 3, buf, sizeof buf), "t[0,2,4]");
	/* too small a buffer: cut, and says so */
	char small[12];
	assert_string_equal(explore_tp_compact(mixed, 8, small, sizeof small), "notifica...");
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_words_and_offsets),
		cmocka_unit_test(test_start_times),
		cmocka_unit_test(test_clamp_and_lag),
		cmocka_unit_test(test_partition_lists),
		cmocka_unit_test(test_partitions_compact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
