/*
 * layout.h — where the panes go for a terminal size.  Pure arithmetic (no
 * curses): the result is a list of slots, each a rectangle showing one
 * pane, or the tab set ("Streams") that small screens use to share one box
 * between the topic panes and the log.  Big screens give every topic its
 * own pane; zoom gives the focused pane the whole area.
 */
#ifndef ORDERTOP_UI_LAYOUT_H
#define ORDERTOP_UI_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_SLOTS_MAX 16
#define LAYOUT_TABS_MAX  16
#define LAYOUT_TABS      (-1) /* slot.pane: shows the current tab */

struct slot {
	int pane; /* enum pane_id or LAYOUT_TABS */
	int y, x, h, w;
};

struct layout {
	int n;
	struct slot slot[LAYOUT_SLOTS_MAX];
	int n_tabs;
	int tabs[LAYOUT_TABS_MAX]; /* panes in the tab set, in order */
	int header_h;
	int body_y, body_h; /* the area between header and footer */
	int footer_y;
	bool big; /* every topic has its own pane */
};

/* Panes the tab set holds on small screens (also the cycling order). */
int layout_tab_panes(int *out, int max);

/*
 * Fills *l for cols x lines with a header of header_h lines and a 1-line
 * footer.  rules_rows: lines the rules pane would like.  zoom_pane >= 0
 * (or LAYOUT_TABS with zoom true) gives that pane the whole body.
 */
void layout_compute(struct layout *l, int cols, int lines, int header_h, int rules_rows, bool zoom,
		    int zoom_pane);

/* The slot at screen position y, x, or -1. */
int layout_slot_at(const struct layout *l, int y, int x);
/* The slot showing pane (tab set slots count for their tab panes when
 * current_tab == pane), or -1. */
int layout_slot_of(const struct layout *l, int pane, int current_tab);

#endif
