/*
 * test_ui_pane.c — the pane ring and its view (ui/pane.c): following the
 * tail, scrolling stops following and counts what arrives, F follows
 * again, the filter, the selection surviving new lines and dropped ones;
 * and the layout (ui/layout.c): at every size from 60x16 up the panes fill
 * the body without overlapping, small screens share a tab set, big ones
 * give each topic its own pane, zoom takes the whole body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "header.h"
#include "layout.h"
#include "pane.h"

struct item {
	int  n;
	char text[16];
};

static bool match(const void *it, const char *f)
{
	return pane_text_match(((const struct item *)it)->text, f);
}

static void add(struct pane *p, int n)
{
	struct item it = { .n = n };
	snprintf(it.text, sizeof it.text, "%s-%d", n % 2 ? "odd" : "even", n);
	pane_add(p, &it);
}

static int shown(struct pane *p, int rows, int *out, int *sel_row)
{
	uint64_t seqs[64];
	int n = pane_view(p, rows, seqs, sel_row);
	for (int i = 0; i < n; i++)
		out[i] = ((const struct item *)pane_item(p, seqs[i]))->n;
	return n;
}

static void test_follow_and_scroll(void **state)
{
	(void)state;
	struct pane p;
	int v[64], sel;
	assert_int_equal(pane_init(&p, NULL, -1, sizeof(struct item), 10, match), 0);
	for (int i = 1; i <= 5; i++)
		add(&p, i);
	assert_int_equal(shown(&p, 3, v, &sel), 3);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[2], 5);
	assert_int_equal(sel, -1);              /* following: no selection */

	pane_scroll(&p, -1);                    /* up one: stops following */
	assert_false(p.follow);
	assert_int_equal(shown(&p, 3, v, &sel), 3);
	assert_int_equal(v[sel], 4);
	assert_int_equal(p.unseen, 0);

	add(&p, 6);
	add(&p, 7);
	assert_int_equal(p.unseen, 2);          /* "▼ 2 new" */
	assert_int_equal(shown(&p, 3, v, &sel), 3);
	assert_int_equal(v[2], 5);              /* the view stays put */
	assert_int_equal(v[sel], 4);

	pane_scroll(&p, PANE_HOME);
	assert_int_equal(shown(&p, 3, v, &sel), 3);
	assert_int_equal(v[0], 1);
	assert_int_equal(sel, 0);

	pane_follow(&p);                        /* F */
	assert_true(p.follow);
	assert_int_equal(p.unseen, 0);
	assert_int_equal(shown(&p, 3, v, &sel), 3);
	assert_int_equal(v[2], 7);
	pane_free(&p);
}

static void test_bounded_and_eviction(void **state)
{
	(void)state;
	struct pane p;
	int v[64], sel;
	assert_int_equal(pane_init(&p, NULL, -1, sizeof(struct item), 4, match), 0);
	for (int i = 1; i <= 4; i++)
		add(&p, i);
	pane_scroll(&p, PANE_HOME);             /* selects 1 */
	for (int i = 5; i <= 10; i++)
		add(&p, i);                         /* 1..6 dropped */
	assert_int_equal(p.count, 4);
	assert_null(pane_item(&p, 0));
	assert_int_equal(shown(&p, 2, v, &sel), 2);
	assert_int_equal(v[sel], 7);            /* clamped to the oldest kept */
	assert_int_equal(p.unseen, 6);
	pane_scroll(&p, PANE_END);              /* End follows */
	assert_true(p.follow);
	pane_free(&p);
}

static void test_filter(void **state)
{
	(void)state;
	struct pane p;
	int v[64], sel;
	assert_int_equal(pane_init(&p, NULL, -1, sizeof(struct item), 100, match), 0);
	for (int i = 1; i <= 10; i++)
		add(&p, i);
	pane_set_filter(&p, "ODD");             /* case-insensitive substring */
	assert_int_equal(shown(&p, 10, v, &sel), 5);
	for (int i = 0; i < 5; i++)
		assert_true(v[i] % 2 == 1);
	pane_scroll(&p, -1);
	add(&p, 11);
	add(&p, 12);
	assert_int_equal(p.unseen, 1);          /* only matching lines count */
	pane_set_filter(&p, "nothing-matches");
	assert_int_equal(shown(&p, 10, v, &sel), 0);
	pane_set_filter(&p, "");
	assert_int_equal(shown(&p, 20, v, &sel), 12);
	pane_free(&p);
}

static void test_select_row(void **state)
{
	(void)state;
	struct pane p;
	int v[64], sel;
	assert_int_equal(pane_init(&p, NULL, -1, sizeof(struct item), 100, match), 0);
	for (int i = 1; i <= 20; i++)
		add(&p, i);
	assert_int_equal(shown(&p, 5, v, &sel), 5);  /* 16..20 */
	pane_select_row(&p, 1);                       /* a click on row 1 */
	assert_int_equal(shown(&p, 5, v, &sel), 5);
	assert_int_equal(sel, 1);
	assert_int_equal(v[sel], 17);
	assert_non_null(pane_selected(&p));
	pane_free(&p);
}

/* ---- layout ---- */

static void check_layout(int cols, int lines, bool zoom)
{
	struct layout l;
	int hh = header_height(cols, lines);
	layout_compute(&l, cols, lines, hh, 8, zoom, PANE_STATUS);
	assert_true(l.n > 0);
	assert_int_equal(l.body_y, hh);
	assert_int_equal(l.body_h, lines - hh - 1);
	assert_true(l.body_h >= 8);
	long area = 0;
	for (int i = 0; i < l.n; i++) {
		const struct slot *a = &l.slot[i];
		assert_true(a->h >= 3 && a->w >= 8);
		assert_true(a->y >= l.body_y && a->y + a->h <= l.body_y + l.body_h);
		assert_true(a->x >= 0 && a->x + a->w <= cols);
		area += (long)a->h * a->w;
		for (int j = i + 1; j < l.n; j++) {
			const struct slot *b = &l.slot[j];
			bool apart = a->x + a->w <= b->x || b->x + b->w <= a->x ||
			             a->y + a->h <= b->y || b->y + b->h <= a->y;
			assert_true(apart);
		}
	}
	assert_int_equal(area, (long)cols * l.body_h);      /* no gaps */
	/* Every pane can be shown: in a slot or in the tab set. */
	for (int p = 0; p < PANE__COUNT && !zoom; p++) {
		bool found = false;
		for (int i = 0; i < l.n; i++)
			found |= l.slot[i].pane == p;
		for (int i = 0; i < l.n_tabs; i++)
			found |= l.tabs[i] == p;
		if (!found)
			fail_msg("pane %d has no place at %dx%d", p, cols, lines);
	}
}

static void test_layout_sizes(void **state)
{
	(void)state;
	static const int sizes[][2] = {
		{60, 16}, {80, 24}, {100, 30}, {120, 40}, {149, 60}, {150, 40},
		{200, 50}, {300, 100},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		check_layout(sizes[i][0], sizes[i][1], false);
		check_layout(sizes[i][0], sizes[i][1], true);
	}
	struct layout l;
	layout_compute(&l, 80, 24, header_height(80, 24), 8, false, 0);
	assert_false(l.big);
	assert_int_equal(l.n_tabs, 8);
	layout_compute(&l, 200, 50, header_height(200, 50), 8, false, 0);
	assert_true(l.big);
	assert_int_equal(l.n_tabs, 0);
	assert_int_equal(layout_slot_at(&l, l.slot[3].y + 1, l.slot[3].x + 1), 3);
	assert_int_equal(layout_slot_of(&l, PANE_LOG, -1) >= 0, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_follow_and_scroll),
		cmocka_unit_test(test_bounded_and_eviction),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_select_row),
		cmocka_unit_test(test_layout_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
