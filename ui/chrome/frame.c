/*
 * frame.c — drawing pane frames (see frame.h).
 */
#include "frame.h"

#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "text_sanitize.h"

/* The tab strip: every tab when they fit, else "◂ name n/N ▸". */
static int
tab_strip(struct dash *d, WINDOW *w, int x, int maxx, bool focused)
{
	const struct layout *l = &d->lay;
	int cur = 0, total = 0;
	for (int i = 0; i < l->n_tabs; i++) {
		total += text_width(dash_pane(d, l->tabs[i])->title) + 3;
		if (l->tabs[i] == d->tab_pane)
			cur = i;
	}
	attr_t on = dash_attr(d, focused ? ROLE_PANE_TITLE_FOCUS : ROLE_PANE_TITLE);
	attr_t off = dash_attr(d, ROLE_PANE_TAB);
	if (total <= maxx - x) {
		for (int i = 0; i < l->n_tabs && x < maxx; i++) {
			const struct pane *p = dash_pane(d, l->tabs[i]);
			bool c = i == cur;
			x += draw_text(w, 0, x, maxx - x, c ? on : off, " ");
			x += draw_text(w, 0, x, maxx - x, c ? on : off, p->title);
			x += draw_text(w, 0, x, maxx - x, c ? on : off, " ");
			if (i + 1 < l->n_tabs)
				x += draw_text(w, 0, x, maxx - x, off, d->g->sep);
		}
		return x;
	}
	char buf[128];
	snprintf(buf, sizeof buf, " %s %s %d/%d %s ", d->g->tab_left,
		 dash_pane(d, l->tabs[cur])->title, cur + 1, l->n_tabs, d->g->tab_right);
	return x + draw_text(w, 0, x, maxx - x, on, buf);
}

void
frame_draw(struct dash *d, WINDOW *w, struct pane *p, bool focused, bool tabs)
{
	int h = getmaxy(w), wd = getmaxx(w);
	draw_box(w, dash_attr(d, focused ? ROLE_PANE_BORDER_FOCUS : ROLE_PANE_BORDER), d->g->utf8);

	/* Right end of the top border: filter and paused marks. */
	int right = wd - 1;
	if (p->filter[0]) {
		char f[PANE_FILTER_MAX * 4 + 8], safe[PANE_FILTER_MAX * 4];
		draw_sanitize(safe, sizeof safe, p->filter, 20);
		snprintf(f, sizeof f, "/%s", safe);
		right -= draw_text_right(w, 0, right, wd / 3, dash_attr(d, ROLE_FILTER), f);
		right -= 1;
	}
	if (!p->follow && p->def->follow) {
		char m[32];
		snprintf(m, sizeof m, "%s", d->paused ? "paused" : "scrolled");
		right -= draw_text_right(w, 0, right, wd / 4, dash_attr(d, ROLE_PANE_NEW), m);
		right -= 1;
	}

	int x = 1;
	if (tabs && d->lay.n_tabs > 0) {
		tab_strip(d, w, x, right, focused);
	} else {
		char t[96];
		snprintf(t, sizeof t, " %s ", p->title);
		draw_text(w, 0, x, right - x,
			  dash_attr(d, focused ? ROLE_PANE_TITLE_FOCUS : ROLE_PANE_TITLE), t);
	}

	/* Bottom border: what arrived while not following. */
	if (!p->follow && p->unseen > 0 && h >= 3) {
		char m[64], n[32];
		fmt_count(n, sizeof n, p->unseen);
		snprintf(m, sizeof m, " %s %s new ",
			 p->def->newest_first ? d->g->new_above : d->g->new_below, n);
		draw_text_right(w, h - 1, wd - 1, wd - 2, dash_attr(d, ROLE_PANE_NEW), m);
	}
}
