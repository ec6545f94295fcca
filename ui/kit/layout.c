/*
 * layout.c — computing the pane rectangles (see layout.h).  Two arrangements:
 *
 *   small (from 60x16)                 big (150x40 and up)
 *   +-----------------+---------+      +--------+------+------+
 *   | order status    | Streams |      | status | dec. | rules|
 *   |                 | (tabs)  |      +--+--+--+--+--+-------+
 *   +-----------------+---------+      |or|va|re|no|nd| topics|
 *   | fraud decisions | rules   |      +--------+----+--------+
 *   +-----------------+---------+      | dlq    |rule| log    |
 */
#include "layout.h"
#include "dash.h"

int
layout_tab_panes(int *out, int max)
{
	static const int order[] = {
		PANE_TOPIC(TOPIC_ORDERS),   PANE_TOPIC(TOPIC_VALID),
		PANE_TOPIC(TOPIC_REFUSED),  PANE_TOPIC(TOPIC_NOTIFICATIONS),
		PANE_TOPIC(TOPIC_NOTIFIED), PANE_TOPIC(TOPIC_DLQ),
		PANE_TOPIC(TOPIC_RULES),    PANE_LOG,
	};
	int n = 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0] && n < max; i++)
		out[n++] = order[i];
	return n;
}

static void
add(struct layout *l, int pane, int y, int x, int h, int w)
{
	if (l->n >= LAYOUT_SLOTS_MAX || h < 3 || w < 8)
		return;
	struct slot *s = &l->slot[l->n++];
	s->pane = pane;
	s->y = y;
	s->x = x;
	s->h = h;
	s->w = w;
}

/* Splits width w into n columns with the given weights (percent). */
static void
columns(int x, int w, int n, const int *pct, int *xs, int *ws)
{
	int used = 0;
	for (int i = 0; i < n; i++) {
		int cw = (i == n - 1) ? w - used : w * pct[i] / 100;
		xs[i] = x + used;
		ws[i] = cw;
		used += cw;
	}
}

static void
small(struct layout *l, int y, int h, int cols, int rules_rows)
{
	int left_w = cols * 56 / 100;
	if (left_w < 34)
		left_w = 34;
	int right_w = cols - left_w;
	int status_h = h * 58 / 100;
	if (status_h < 5)
		status_h = 5;
	int rules_h = rules_rows + 2;
	if (rules_h > h / 2)
		rules_h = h / 2;
	if (rules_h < 4)
		rules_h = 4;

	add(l, PANE_STATUS, y, 0, status_h, left_w);
	add(l, LAYOUT_TABS, y, left_w, h - rules_h, right_w);
	add(l, PANE_DECISIONS, y + status_h, 0, h - status_h, left_w);
	add(l, PANE_RULES, y + h - rules_h, left_w, rules_h, right_w);
}

static void
big(struct layout *l, int y, int h, int cols, int rules_rows)
{
	int ha = h * 40 / 100, hb = h * 33 / 100;
	if (ha < rules_rows + 2 && rules_rows + 2 < h / 2)
		ha = rules_rows + 2;
	int hc = h - ha - hb;
	int xs[5], ws[5];

	static const int top_pct[3] = { 42, 30, 28 };
	columns(0, cols, 3, top_pct, xs, ws);
	add(l, PANE_STATUS, y, xs[0], ha, ws[0]);
	add(l, PANE_DECISIONS, y, xs[1], ha, ws[1]);
	add(l, PANE_RULES, y, xs[2], ha, ws[2]);

	static const int mid_pct[5] = { 20, 20, 20, 20, 20 };
	static const int mid_panes[5] = {
		PANE_TOPIC(TOPIC_ORDERS),   PANE_TOPIC(TOPIC_VALID),
		PANE_TOPIC(TOPIC_REFUSED),  PANE_TOPIC(TOPIC_NOTIFICATIONS),
		PANE_TOPIC(TOPIC_NOTIFIED),
	};
	columns(0, cols, 5, mid_pct, xs, ws);
	for (int i = 0; i < 5; i++)
		add(l, mid_panes[i], y + ha, xs[i], hb, ws[i]);

	static const int bot_pct[3] = { 40, 22, 38 };
	columns(0, cols, 3, bot_pct, xs, ws);
	add(l, PANE_TOPIC(TOPIC_DLQ), y + ha + hb, xs[0], hc, ws[0]);
	add(l, PANE_TOPIC(TOPIC_RULES), y + ha + hb, xs[1], hc, ws[1]);
	add(l, PANE_LOG, y + ha + hb, xs[2], hc, ws[2]);
}

void
layout_compute(struct layout *l, int cols, int lines, int header_h, int rules_rows, bool zoom,
	       int zoom_pane)
{
	l->n = 0;
	l->n_tabs = 0;
	l->header_h = header_h;
	l->footer_y = lines - 1;
	l->body_y = header_h;
	l->body_h = lines - header_h - 1;
	l->big = cols >= 150 && lines >= 40;
	if (!l->big)
		l->n_tabs = layout_tab_panes(l->tabs, LAYOUT_TABS_MAX);
	if (l->body_h < 3)
		return;
	if (zoom) {
		add(l, zoom_pane, l->body_y, 0, l->body_h, cols);
		return;
	}
	if (l->big)
		big(l, l->body_y, l->body_h, cols, rules_rows);
	else
		small(l, l->body_y, l->body_h, cols, rules_rows);
}

int
layout_slot_at(const struct layout *l, int y, int x)
{
	for (int i = 0; i < l->n; i++) {
		const struct slot *s = &l->slot[i];
		if (y >= s->y && y < s->y + s->h && x >= s->x && x < s->x + s->w)
			return i;
	}
	return -1;
}

int
layout_slot_of(const struct layout *l, int pane, int current_tab)
{
	for (int i = 0; i < l->n; i++) {
		if (l->slot[i].pane == pane)
			return i;
		if (l->slot[i].pane == LAYOUT_TABS && pane == current_tab)
			return i;
	}
	return -1;
}
