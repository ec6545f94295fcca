/*
 * help.c — the help overlay: every key from the key table (keys.c), in
 * one column or two, whichever fits.  Any key closes it.
 */
#include <stdio.h>

#include "dash.h"
#include "draw.h"
#include "keys.h"
#include "overlay.h"
#include "text_sanitize.h"

void help_draw(struct dash *d)
{
	const struct key_help *h;
	int n = keys_help(&h), kw = 0, ww = 0;
	for (int i = 0; i < n; i++) {
		if (text_width(h[i].keys) > kw)
			kw = text_width(h[i].keys);
		if (text_width(h[i].what) > ww)
			ww = text_width(h[i].what);
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
		int used = draw_text(w, y, x, cw, dash_attr(d, ROLE_FOOTER_KEY), h[i].keys);
		draw_text(w, y, x + kw + 2, cw - kw - 2 > 0 ? cw - kw - 2 : 0,
		          dash_attr(d, ROLE_OVERLAY), h[i].what);
		(void)used;
	}
	draw_text(w, getmaxy(w) - 2, 2, maxw, dash_attr(d, ROLE_DIM),
	          "Press any key to close.");
	wnoutrefresh(w);
}

int help_key(struct dash *d, int key)
{
	(void)key;
	overlay_close(d);
	return DIRTY_ALL;
}
