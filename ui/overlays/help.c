/*
 * help.c — the help overlay: every key of the key table (keys.c), with
 * what it does, in one column or two, whichever fits.  Any key closes it.
 * A key added to keys.c gets its line here.
 */
#include <stdio.h>

#include "dash.h"
#include "draw.h"
#include "overlays.h"
#include "text_sanitize.h"

static const struct {
	const char *keys; /* "q F10 ^C" */
	const char *what;
} help_lines[] = {
	{ "F1 ?", "help (any key closes)" },
	{ "q F10 ^C", "quit" },
	{ "Tab S-Tab", "next / previous pane" },
	{ "z", "zoom pane / unzoom" },
	{ "Z", "pause / resume panes" },
	{ "↑↓ j k", "scroll, select" },
	{ "PgUp PgDn", "scroll a page" },
	{ "Home End", "top / bottom" },
	{ "F", "follow newest again" },
	{ "/", "filter pane (Esc clears)" },
	{ "Enter", "order detail, timeline" },
	{ "[ ]", "previous / next topic" },
	{ "n", "new order form" },
	{ "1-9", "toggle fraud rule N" },
	{ "e", "edit rule, what if, p" },
	{ "Space", "toggle selected rule" },
	{ "w", "what if rule toggled" },
	{ "g", "generator on / off" },
	{ "+ -", "generator rate up/down" },
	{ "b", "broker 2 down / up" },
	{ "t", "next colour theme" },
	{ "^L", "redraw the screen" },
	{ "x", "cluster explorer / back" },
	{ "1 2 3 :", "explorer views, command" },
	{ "/ s i", "name or jq filter, sort" },
	{ "F n p t", "tail, more, partition" },
	{ "P R D", "produce, reset, redrive" },
	{ "mouse", "click, wheel" },
};
#define HELP_N ((int)(sizeof help_lines / sizeof help_lines[0]))

int
help_open(struct dash *d)
{
	d->ovl = &help_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

static void
draw(struct dash *d)
{
	int n = HELP_N, kw = 0, ww = 0;
	for (int i = 0; i < n; i++) {
		if (text_width(help_lines[i].keys) > kw)
			kw = text_width(help_lines[i].keys);
		if (text_width(help_lines[i].what) > ww)
			ww = text_width(help_lines[i].what);
	}
	int colw = kw + 2 + ww;
	int ncol = (n + 4 <= d->lines - 2) ? 1 : 2;
	int rows = (n + ncol - 1) / ncol;
	int width = ncol * colw + (ncol - 1) * 3 + 4;
	overlay_window(d, rows + 4, width);
	if (!d->win_ovl)
		return;
	WINDOW *w = d->win_ovl;
	overlay_frame(d, "ordertop keys");
	int maxw = getmaxx(w) - 4, cw = ncol == 2 ? (maxw - 3) / 2 : maxw;
	for (int i = 0; i < n; i++) {
		int col = i / rows, row = i % rows;
		int x = 2 + col * (cw + 3), y = 1 + row;
		if (y >= getmaxy(w) - 2)
			continue;
		draw_text(w, y, x, cw, dash_attr(d, ROLE_FOOTER_KEY), help_lines[i].keys);
		draw_text(w, y, x + kw + 2, cw - kw - 2 > 0 ? cw - kw - 2 : 0,
			  dash_attr(d, ROLE_OVERLAY), help_lines[i].what);
	}
	draw_text(w, getmaxy(w) - 2, 2, maxw, dash_attr(d, ROLE_DIM), "Press any key to close.");
	wnoutrefresh(w);
}

static int
key(struct dash *d, int k)
{
	(void)k;
	overlay_close(d);
	return DIRTY_ALL;
}

const struct overlay_def help_def = {
	.name = "help",
	.hint = "any key:close help",
	.draw = draw,
	.key = key,
	.close = overlay_close,
};
