/*
 * pane_log.c — ordertop's own log (and librdkafka's, routed through it):
 * the lines log_copy_since() hands over, coloured by level.  Log text is
 * display-safe (log.c sanitizes it).
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "log.h"
#include "panes.h"

bool
pane_log_match(const void *item, const char *filter)
{
	const struct log_line *l = item;
	return pane_text_match(l->text, filter) ||
		pane_text_match(log_level_name(l->level), filter);
}

static int
level_role(int level)
{
	switch (level) {
	case LOG_ERROR: return ROLE_LOG_ERROR;
	case LOG_WARN: return ROLE_LOG_WARN;
	case LOG_DEBUG: return ROLE_LOG_DEBUG;
	default: return ROLE_LOG_INFO;
	}
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
			  p->filter[0] ? "(nothing matches the filter)" : "(no log lines yet)");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct log_line *l = pane_item(p, seqs[i]);
		if (!l)
			continue;
		struct draw_row r;
		char t[32];
		draw_row_begin(&r, win, y + i, x, w, i == sel_row, dash_attr(d, ROLE_SELECTION));
		fmt_time(t, sizeof t, l->ts_ms, 0);
		draw_row_put(&r, dash_attr(d, ROLE_DIM), t);
		draw_row_put(&r, dash_attr(d, ROLE_TEXT), " ");
		draw_row_col(&r, dash_attr(d, level_role(l->level)), log_level_name(l->level), 6);
		draw_row_put(&r, dash_attr(d, level_role(l->level)), l->text);
		draw_row_end(&r);
	}
}

const struct pane_def pane_log_def = {
	.name = "log",
	.draw = draw,
	.seek = pane_ring_seek,
	.follow = pane_ring_follow,
	.click = pane_ring_click,
	.hint = "[ ]:topic|/:filter",
};
