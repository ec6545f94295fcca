/*
 * screen.c — the dashboard's windows and one frame of drawing (see
 * screen.h): a window per layout slot, the header and the footer, made
 * anew on a resize; then only what is dirty is drawn (wnoutrefresh on each
 * changed window, one doupdate), the open overlay over it, and the filter
 * prompt last so the cursor lands in it.
 */
#include "screen.h"

#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "explorer.h"
#include "footer.h"
#include "frame.h"
#include "header.h"
#include "overlay.h"
#include "panes.h"
#include "text_sanitize.h"

void
screen_free(struct dash *d)
{
	for (int i = 0; i < LAYOUT_SLOTS_MAX; i++)
		if (d->win_slot[i]) {
			delwin(d->win_slot[i]);
			d->win_slot[i] = NULL;
		}
	if (d->win_header)
		delwin(d->win_header);
	if (d->win_footer)
		delwin(d->win_footer);
	if (d->win_ovl)
		delwin(d->win_ovl);
	d->win_header = d->win_footer = d->win_ovl = NULL;
}

/* New size, zoom or Ctrl-L: recompute the layout and make new windows. */
void
screen_relayout(struct dash *d)
{
	int lines, cols;
	getmaxyx(stdscr, lines, cols);
	d->lines = lines;
	d->cols = cols;
	screen_free(d);
	wbkgdset(stdscr, dash_attr(d, ROLE_TEXT) | ' ');
	werase(stdscr);
	d->dirty &= ~DIRTY_LAYOUT;
	d->dirty |= DIRTY_STDSCR | DIRTY_ALL;
	d->too_small = cols < DASH_MIN_COLS || lines < DASH_MIN_LINES;
	if (d->too_small)
		return;

	int zoom_pane = d->focus_pane;
	if (d->zoom && d->focus < d->lay.n && d->lay.slot[d->focus].pane == LAYOUT_TABS)
		zoom_pane = LAYOUT_TABS;
	int hh = header_height(cols, lines);
	layout_compute(&d->lay, cols, lines, hh, pane_rules_rows(d), d->zoom, zoom_pane);
	d->win_header = newwin(hh, cols, 0, 0);
	d->win_footer = newwin(1, cols, lines - 1, 0);
	for (int i = 0; i < d->lay.n; i++) {
		const struct slot *s = &d->lay.slot[i];
		d->win_slot[i] = newwin(s->h, s->w, s->y, s->x);
		if (d->win_slot[i])
			leaveok(d->win_slot[i], TRUE);
	}
	if (d->win_header)
		leaveok(d->win_header, TRUE);
	dash_set_focus_pane(d, d->focus_pane);
	if (d->ovl && d->ovl->resize)
		d->ovl->resize(d);
	for (int i = 0; i < PANE__COUNT; i++)
		d->panes[i].dirty = true;
	d->dirty |= DIRTY_ALL;
}

/* ---- drawing ---- */

static void
draw_too_small(struct dash *d)
{
	char msg[128];
	const char *x = d->g->times;
	snprintf(msg, sizeof msg, "terminal too small (%d%s%d), need at least %d%s%d", d->cols, x,
		 d->lines, DASH_MIN_COLS, x, DASH_MIN_LINES);
	werase(stdscr);
	int w = text_width(msg);
	if (w <= d->cols) {
		mvwaddstr(stdscr, d->lines / 2, (d->cols - w) / 2, msg);
	} else {
		/* Wrap on a narrow terminal. */
		int y = 0;
		const char *p = msg;
		while (*p && y < d->lines) {
			char line[128];
			snprintf(line, sizeof line, "%s", p);
			text_truncate(line, d->cols);
			size_t n = strlen(line);
			if (n == 0)
				break;
			mvwaddstr(stdscr, y++, 0, line);
			p += n;
		}
	}
	wnoutrefresh(stdscr);
}

static void
draw_slot(struct dash *d, int i)
{
	WINDOW *w = d->win_slot[i];
	const struct slot *s = &d->lay.slot[i];
	bool tabs = s->pane == LAYOUT_TABS;
	int id = tabs ? d->tab_pane : s->pane;
	struct pane *p = dash_pane(d, id);
	if (!w || !p)
		return;
	if (id == PANE_STATUS)
		pane_status_refresh(d);
	wbkgdset(w, dash_attr(d, ROLE_TEXT) | ' ');
	werase(w);
	int h = getmaxy(w), wd = getmaxx(w);
	if (h > 2 && wd > 2)
		p->def->draw(d, p, w, 1, 1, h - 2, wd - 2);
	frame_draw(d, w, p, i == d->focus, tabs);
	wnoutrefresh(w);
}

void
screen_draw(struct dash *d)
{
	if (d->dirty & DIRTY_LAYOUT)
		screen_relayout(d);
	if (d->dirty & DIRTY_CLEAR)
		clearok(curscr, TRUE);
	if (d->dirty & DIRTY_STDSCR) {
		/* stdscr untouched from here on, so wget_wch never repaints it. */
		wnoutrefresh(stdscr);
	}
	if (d->too_small) {
		draw_too_small(d);
		doupdate();
		d->dirty = 0;
		return;
	}
	bool any = false;
	if (d->explore_on) {
		/* The explorer's screen instead of the panes; drawn after the
		 * footer so that its prompt keeps the cursor. */
		if (d->msg[0] && mono_ms() >= d->msg_until_ms)
			d->dirty |= DIRTY_FOOTER;
		if (d->dirty & DIRTY_FOOTER)
			footer_draw(d);
		explorer_draw(d);
		if (d->ovl)
			d->ovl->draw(d);
		doupdate();
		d->dirty = 0;
		return;
	}
	if (d->dirty & DIRTY_HEADER) {
		header_draw(d);
		any = true;
	}
	for (int i = 0; i < d->lay.n; i++) {
		int id = d->lay.slot[i].pane == LAYOUT_TABS ? d->tab_pane : d->lay.slot[i].pane;
		if ((d->dirty & DIRTY_PANES) || d->panes[id].dirty) {
			draw_slot(d, i);
			d->panes[id].dirty = false;
			any = true;
		}
	}
	if (d->msg[0] && mono_ms() >= d->msg_until_ms)
		d->dirty |= DIRTY_FOOTER;
	if (d->dirty & DIRTY_FOOTER) {
		footer_draw(d);
		any = true;
	}
	if (d->ovl && (any || (d->dirty & DIRTY_OVERLAY)))
		d->ovl->draw(d);
	if (d->prompt && d->win_footer && !d->ovl) {
		footer_draw(d); /* last, so the cursor lands in the prompt */
	}
	doupdate();
	d->dirty = 0;
}
