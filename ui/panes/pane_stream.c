/*
 * pane_stream.c — the live tail of one topic: time, partition@offset, key
 * and the monitor's one-line summary, coloured and marked with the glyph
 * of the status the message implies.  The dead-letter pane is the same
 * list with the reason (the summary starts with it) in front.
 * Event text is already display-safe (the monitor sanitized it).
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "event_match.h"
#include "panes.h"
#include "status_style.h"

static void
draw_line(struct dash *d, struct pane *p, WINDOW *win, int y, int x, int w, const struct event *ev,
	  bool sel)
{
	struct draw_row r;
	char t[32], pos[48];
	bool dlq = p->def == &pane_dlq_def;

	draw_row_begin(&r, win, y, x, w, sel, dash_attr(d, ROLE_SELECTION));
	fmt_time(t, sizeof t, ev->ts_ms, 0);
	draw_row_put(&r, dash_attr(d, ROLE_DIM), t);
	draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
	if (w >= 36) {
		snprintf(pos, sizeof pos, "%d@%lld", (int)ev->partition, (long long)ev->offset);
		if (w >= 56)
			draw_row_col(&r, dash_attr(d, ROLE_DIM), pos, 9);
		else
			draw_row_put(&r, dash_attr(d, ROLE_DIM), pos);
		draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
	}
	int role = status_style_role(ev->status);
	draw_row_put(&r, dash_attr(d, role), status_style_glyph(d, ev->status));
	draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
	if (dlq) {
		draw_row_put(&r, dash_attr(d, role), ev->summary);
		if (ev->key[0]) {
			draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
			draw_row_put(&r, dash_attr(d, ROLE_DIM), ev->key);
		}
	} else {
		/* The key, unless the summary says it already (user ids do); on
		 * narrow panes only when the message is not a readable order. */
		if (ev->key[0] && !strstr(ev->summary, ev->key) && (w >= 60 || !ev->order_id[0])) {
			int kw = w >= 70 ? 22 : 14;
			char key[EV_KEY_MAX * 2];
			draw_cut_left(key, sizeof key, ev->key, kw, d->g->ellipsis);
			draw_row_put(&r, dash_attr(d, ROLE_DIM), "key ");
			draw_row_put(&r, dash_attr(d, ROLE_TEXT), key);
			draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
		}
		draw_row_put(&r, dash_attr(d, role), ev->summary);
	}
	draw_row_end(&r);
}

static void
draw(struct dash *d, struct pane *p, WINDOW *win, int y, int x, int h, int w)
{
	uint64_t seqs[512];
	int sel_row;
	if (h > 512)
		h = 512;
	int n = pane_view(p, h, seqs, &sel_row);
	if (n == 0) {
		draw_text(win, y, x, w, dash_attr(d, ROLE_DIM),
			  p->filter[0] ? "(nothing matches the filter)" : "(waiting for messages)");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct event *ev = pane_item(p, seqs[i]);
		if (ev)
			draw_line(d, p, win, y + i, x, w, ev, i == sel_row);
	}
}

const struct pane_def pane_stream_def = {
	.name = "stream",
	.draw = draw,
	.seek = pane_ring_seek,
	.follow = pane_ring_follow,
	.selected_order = event_selected_order,
	.click = pane_ring_click,
	.hint = "[ ]:topic|Enter:detail|/:filter",
};

const struct pane_def pane_dlq_def = {
	.name = "dlq",
	.draw = draw,
	.seek = pane_ring_seek,
	.follow = pane_ring_follow,
	.selected_order = event_selected_order,
	.click = pane_ring_click,
	.hint = "[ ]:topic|/:filter",
};
