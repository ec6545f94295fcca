/*
 * test_ui_whatif.c — the what-if preview's text (ui/overlays/whatif_lines.h)
 * without a terminal: the spans cycle (the last N orders, then the last
 * minutes as of now), a report becomes its lines (counts, per rule, the
 * notes wrapped to the width, the examples in order, refused first) with
 * every order id sanitized and no note line wider than asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text_sanitize.h"
#include "theme.h"
#include "whatif_lines.h"

static void test_spans(void **state)
{
	(void)state;
	int64_t now = 1700000000000;
	struct whatif_span s = whatif_span_of(0, now);
	assert_int_equal(s.last, 10000);
	assert_int_equal(s.since_ms, -1);
	s = whatif_span_of(1, now);
	assert_int_equal(s.last, 100000);
	s = whatif_span_of(2, now);
	assert_int_equal(s.since_ms, now - 15 * 60000);
	s = whatif_span_of(3, now);
	assert_int_equal(s.since_ms, now - 60 * 60000);
	s = whatif_span_of(4, now); /* cycles */
	assert_int_equal(s.last, 10000);
	assert_string_equal(whatif_span_label(2), "last 15 minutes");
	assert_string_equal(whatif_span_label(-1), "last 60 minutes");
}

static struct whatif_report *
report(void)
{
	struct whatif_report *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->r.orders = 8;
	r->r.first_ms = 1000;
	r->r.last_ms = 10000;
	r->r.approved_to_refused = 2;
	r->r.still_approved = 6;
	int vel = ruleset_find("velocity");
	assert_true(vel >= 0);
	r->r.fires_more[vel] = 2;
	strcpy(r->r.to_refused[0].order_id, "b-4");
	strcpy(r->r.to_refused[0].rule, "velocity");
	strcpy(r->r.to_refused[1].order_id, "b-\x1b[2J5");
	r->r.n_to_refused = 2;
	strcpy(r->r.to_approved[0].order_id, "z-1");
	r->r.n_to_approved = 1;
	snprintf(r->notes[0], sizeof r->notes[0],
		 "velocity: its 60 s window is longer than the 9 s these orders span: too "
		 "short to judge (replay more orders)");
	r->n_notes = 1;
	return r;
}

static int
find(const struct whatif_line *l, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (strstr(l[i].text, text))
			return i;
	return -1;
}

static void test_lines(void **state)
{
	(void)state;
	struct whatif_report *r = report();
	struct whatif_line lines[WHATIF_LINES_MAX];
	int n = whatif_lines(r, 40, true, lines, WHATIF_LINES_MAX);
	assert_true(n > 8);
	assert_true(find(lines, n, "8 orders replayed, spanning 9 s") == 0);
	int a2r = find(lines, n, "approved → refused  2");
	assert_true(a2r > 0);
	assert_int_equal(lines[a2r].role, ROLE_STATUS_REFUSED);
	int r2a = find(lines, n, "refused → approved  0");
	assert_true(r2a > 0);
	assert_int_equal(lines[r2a].role, ROLE_TEXT); /* nothing: not coloured */
	assert_true(find(lines, n, "unchanged           6 (6 approved, 0 refused)") > 0);
	assert_true(find(lines, n, "velocity           fires on 2 more, 0 fewer") > 0);
	/* the note wraps at 40 columns, at spaces */
	int note = find(lines, n, "note: velocity: its 60 s window");
	assert_true(note > 0);
	assert_true(find(lines, n, "orders)") > note); /* its end, lines below */
	for (int i = 0; i < n; i++) {
		if (lines[i].role == ROLE_BANNER_WARN) /* notes wrap; the rest is cut when drawn */
			assert_true(text_width(lines[i].text) <= 40);
		assert_null(strchr(lines[i].text, '\x1b'));
	}
	/* the examples: refused first, each line says which */
	assert_int_equal(whatif_examples(r), 3);
	int e0 = find(lines, n, "b-4  approved → refused  (velocity)");
	assert_true(e0 > note);
	assert_int_equal(lines[e0].example, 0);
	assert_int_equal(lines[e0 + 1].example, 1);
	assert_int_equal(lines[e0 + 2].example, 2);
	assert_non_null(strstr(lines[e0 + 2].text, "z-1  refused → approved"));
	assert_int_equal(lines[e0 + 2].role, ROLE_STATUS_APPROVED);
	bool refused = false;
	assert_string_equal(whatif_example_id(r, 1, &refused), "b-\x1b[2J5"); /* raw, for the detail */
	assert_true(refused);
	assert_string_equal(whatif_example_id(r, 2, &refused), "z-1");
	assert_false(refused);
	assert_null(whatif_example_id(r, 3, NULL));
	assert_int_equal(lines[0].example, -1);
	free(r);
}

static void test_ascii_and_cap(void **state)
{
	(void)state;
	struct whatif_report *r = report();
	struct whatif_line lines[WHATIF_LINES_MAX];
	int n = whatif_lines(r, 80, false, lines, WHATIF_LINES_MAX);
	assert_true(find(lines, n, "approved -> refused  2") > 0);
	assert_true(find(lines, n, "→") < 0);
	assert_int_equal(whatif_lines(r, 80, false, lines, 3), 3);
	r->r.orders = 0;
	r->r.n_to_refused = r->r.n_to_approved = 0;
	n = whatif_lines(r, 80, true, lines, WHATIF_LINES_MAX);
	assert_true(find(lines, n, "0 orders replayed, spanning 0 s") == 0);
	assert_true(find(lines, n, "examples") < 0);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_ascii_and_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
