/*
 * overlay.c — the window the overlays draw in: centred, framed, titled,
 * recreated on every resize (see overlay.h).
 */
#include "overlay.h"

#include <stdio.h>

#include "dash.h"
#include "draw.h"

void
overlay_window(struct dash *d, int h, int w)
{
	if (h > d->lines)
		h = d->lines;
	if (w > d->cols)
		w = d->cols;
	if (h < 3)
		h = 3;
	if (w < 10)
		w = 10;
	int y = (d->lines - h) / 2, x = (d->cols - w) / 2;
	if (d->win_ovl) {
		int oh = getmaxy(d->win_ovl), ow = getmaxx(d->win_ovl);
		int oy = getbegy(d->win_ovl), ox = getbegx(d->win_ovl);
		if (oh == h && ow == w && oy == y && ox == x)
			return;
		delwin(d->win_ovl);
	}
	d->win_ovl = newwin(h, w, y, x);
	if (d->win_ovl)
		leaveok(d->win_ovl, TRUE);
}

void
overlay_frame(struct dash *d, const char *title)
{
	WINDOW *w = d->win_ovl;
	attr_t b = dash_attr(d, ROLE_OVERLAY_BORDER);
	wbkgdset(w, dash_attr(d, ROLE_OVERLAY) | ' ');
	werase(w);
	draw_box(w, b, d->g->utf8);
	if (title) {
		char t[160];
		snprintf(t, sizeof t, " %s ", title);
		draw_text(w, 0, 2, getmaxx(w) - 4, dash_attr(d, ROLE_OVERLAY_TITLE), t);
	}
}

void
overlay_close(struct dash *d)
{
	if (d->win_ovl) {
		delwin(d->win_ovl);
		d->win_ovl = NULL;
	}
	d->ovl = d->ovl_back;
	d->ovl_back = NULL;
	d->dirty |= DIRTY_ALL;
}
