/*
 * pane_decisions.c — the fraud decisions: one line per order decided
 * (from the orders.valid / orders.refused events): time, decision with its
 * glyph, order id, and the summary (total and the rules that fired).
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "event_match.h"
#include "panes.h"
#include "status_style.h"
#include "text_sanitize.h"

/* The summary reads "ID STATUS total fired": show what the columns do not. */
static const char *
skip_known(const struct event *ev)
{
	const char *s = ev->summary;
	size_t n = strlen(ev->order_id);
	if (n > 0 && strncmp(s, ev->order_id, n) == 0 && s[n] == ' ')
		s += n + 1;
	static const char *const words[] = { "APPROVED ", "REFUSED " };
	for (int i = 0; i < 2; i++)
		if (strncmp(s, words[i], strlen(words[i])) == 0)
			s += strlen(words[i]);
	return s;
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
			  p->filter[0] ? "(nothing matches the filter)" : "(no decisions yet)");
		return;
	}
	/* The id column: as wide as the longest id shown, up to a third. */
	int iw = 8;
	for (int i = 0; i < n; i++) {
		const struct event *ev = pane_item(p, seqs[i]);
		int l = ev ? text_width(ev->order_id[0] ? ev->order_id : ev->key) : 0;
		if (l > iw)
			iw = l;
	}
	if (iw > w / 3)
		iw = w / 3;
	for (int i = 0; i < n; i++) {
		const struct event *ev = pane_item(p, seqs[i]);
		if (!ev)
			continue;
		struct draw_row r;
		char t[32], dec[64], id[ORDER_ID_MAX * 2];
		int role = status_style_role(ev->status);
		draw_row_begin(&r, win, y + i, x, w, i == sel_row, dash_attr(d, ROLE_SELECTION));
		fmt_time(t, sizeof t, ev->ts_ms, 0);
		draw_row_put(&r, dash_attr(d, ROLE_DIM), t);
		draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
		snprintf(dec, sizeof dec, "%s %s", status_style_glyph(d, ev->status),
			 ev->status == ORDER_REFUSED ? "REFUSED" : "APPROVED");
		draw_row_col(&r, dash_attr(d, role), dec, 11);
		draw_cut_left(id, sizeof id, ev->order_id[0] ? ev->order_id : ev->key, iw,
			      d->g->ellipsis);
		draw_row_col(&r, dash_attr(d, ROLE_TEXT), id, iw + 1);
		draw_row_put(&r, dash_attr(d, ev->status == ORDER_REFUSED ? role : ROLE_TEXT),
			     skip_known(ev));
		draw_row_end(&r);
	}
}

const struct pane_def pane_decisions_def = {
	.name = "decisions",
	.draw = draw,
	.seek = pane_ring_seek,
	.follow = pane_ring_follow,
	.selected_order = event_selected_order,
	.click = pane_ring_click,
	.hint = "Enter:detail|/:filter",
};
