/*
 * test_ui_draw.c — the column cutters the status table and the decisions
 * pane put order and user ids through (ui/draw.c): untrusted bytes come
 * out sanitized (controls, bidi overrides and zero-width characters
 * escaped) and within the columns asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "draw.h"
#include "order.h"
#include "text_sanitize.h"

#define RLO "\xe2\x80\xae"
#define ZWJ "\xe2\x80\x8d"
#define ELL "\xe2\x80\xa6"

static int
setup_utf8(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") != NULL ? 0 : -1;
}

/* No byte below 0x20, no DEL, no raw U+202E or U+200D. */
static void
assert_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
	assert_null(strstr(s, RLO));
	assert_null(strstr(s, ZWJ));
}

static void
test_cut_right_escapes(void **state)
{
	char out[ORDER_ID_MAX * 3];
	(void)state;

	draw_cut_right(out, sizeof out, "eve" RLO "gpj.exe", 40, ELL);
	assert_string_equal(out, "eve\\u{202E}gpj.exe");
	draw_cut_right(out, sizeof out, "a" ZWJ "b\x1b]0;x\a", 40, ELL);
	assert_string_equal(out, "a\\u{200D}b\\x1b]0;x\\x07");
	/* cut in columns of the escaped text */
	draw_cut_right(out, sizeof out, "eve" RLO "gpj.exe", 8, ELL);
	assert_safe(out);
	assert_int_equal(text_width(out), 8);
	assert_string_equal(out, "eve\\u{2" ELL);
}

static void
test_cut_left_escapes(void **state)
{
	char out[ORDER_ID_MAX * 2];
	(void)state;

	draw_cut_left(out, sizeof out, "id-" RLO "1", 40, ELL);
	assert_string_equal(out, "id-\\u{202E}1");
	draw_cut_left(out, sizeof out, "id-" RLO "1", 6, ELL);
	assert_safe(out);
	assert_int_equal(text_width(out), 6);
	assert_string_equal(out, ELL "02E}1");
}

/* A long id of escapes fills a small buffer with whole characters only. */
static void
test_small_buffer(void **state)
{
	char in[ORDER_ID_MAX + 1], out[40];
	(void)state;

	for (int i = 0; i < ORDER_ID_MAX / 3; i++)
		memcpy(in + 3 * i, RLO, 3);
	in[ORDER_ID_MAX / 3 * 3] = '\0';
	draw_cut_right(out, sizeof out, in, 200, ELL);
	assert_safe(out);
	assert_true(strlen(out) < sizeof out);
	draw_cut_left(out, sizeof out, in, 200, ELL);
	assert_safe(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_right_escapes),
		cmocka_unit_test(test_cut_left_escapes),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, setup_utf8, NULL);
}
