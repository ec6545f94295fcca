/*
 * pane.h — a pane: one box of the dashboard.  Its kind is a
 * `const struct pane_def` (draw, keys, scrolling, what is selected), as
 * tmux does with window modes; its state is a struct pane.
 *
 * Most panes show a bounded ring of lines (events, log lines): newest at
 * the bottom, following the tail until the user scrolls up; then the view
 * stays put and counts what arrived meanwhile ("▼ 37 new") until `F`
 * follows again.  A substring filter hides the lines that do not match.
 * Lines are addressed by a sequence number that never repeats, so the
 * selection survives new lines arriving and old ones being dropped.
 */
#ifndef ORDERTOP_UI_PANE_H
#define ORDERTOP_UI_PANE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PANE_FILTER_MAX 64
#define PANE_HOME       (-1000000000)
#define PANE_END        (1000000000)

struct dash;
struct pane;

struct pane_def {
	const char *name; /* "status", "stream", ... */
	/* Draws the inside (h x w at y, x of win); the frame is frame.c's. */
	void (*draw)(struct dash *d, struct pane *p, WINDOW *win, int y, int x, int h, int w);
	/* Keys only this pane knows: DIRTY_* bits, or -1 when not handled. */
	int (*key)(struct dash *d, struct pane *p, int key);
	/* Moves the selection by delta lines (PANE_HOME / PANE_END). */
	void (*seek)(struct dash *d, struct pane *p, int delta);
	/* Back to following the newest. */
	void (*follow)(struct dash *d, struct pane *p);
	/* The order the selection is on (Enter opens its detail). */
	bool (*selected_order)(struct dash *d, struct pane *p, char *id, size_t len);
	/* A click on body row `row` (0 = first line of the body). */
	void (*click)(struct dash *d, struct pane *p, int row);
	/* Text filter changed. */
	void (*filter_changed)(struct dash *d, struct pane *p);
	const char *hint;  /* footer keys that matter in this pane */
	bool newest_first; /* new lines appear at the top */
};

typedef bool (*pane_match_fn)(const void *item, const char *filter);

struct pane {
	const struct pane_def *def;
	int topic; /* stream panes: enum topic_id; else -1 */
	char title[64];

	/* The ring (unused by panes with their own data: cap == 0). */
	unsigned char *items;
	size_t item_size, cap, count;
	uint64_t next_seq; /* seq of the next line; the newest is next_seq-1 */
	pane_match_fn match;
	uint64_t *scratch; /* matching seqs, for the view */

	/* The view */
	bool follow;
	uint64_t sel_seq, top_seq; /* ring panes */
	int sel, top;              /* panes with their own data */
	uint64_t unseen;           /* arrived while not following */
	char filter[PANE_FILTER_MAX];
	int rows;             /* body height when last drawn (page size) */
	int body_rows_offset; /* first body row inside the frame */
	bool dirty;
};

/* cap == 0: a pane without a ring. */
int pane_init(struct pane *p, const struct pane_def *def, int topic, size_t item_size, size_t cap,
	      pane_match_fn match);
void pane_free(struct pane *p);

/* Appends a copy of item (dropping the oldest line when full). */
void pane_add(struct pane *p, const void *item);
/* The line with this seq, or NULL when dropped. */
const void *pane_item(const struct pane *p, uint64_t seq);

/* The lines to show in `rows` rows, oldest first; returns how many, and the
 * row of the selection in *sel_row (-1 when following). */
int pane_view(struct pane *p, int rows, uint64_t *out, int *sel_row);
/* Scrolling: moves the selection (stops following first). */
void pane_scroll(struct pane *p, int delta);
void pane_follow(struct pane *p);
void pane_unfollow(struct pane *p);
/* Sets the filter ("" = none); keeps following state. */
void pane_set_filter(struct pane *p, const char *filter);
/* The selected line (not following), or NULL. */
const void *pane_selected(struct pane *p);
/* Selects the line shown on body row `row` (as last drawn). */
void pane_select_row(struct pane *p, int row);

/* The ring panes' seek, follow and click (struct pane_def's signatures):
 * pane_scroll, pane_follow and pane_select_row. */
void pane_ring_seek(struct dash *d, struct pane *p, int delta);
void pane_ring_follow(struct dash *d, struct pane *p);
void pane_ring_click(struct dash *d, struct pane *p, int row);

/* For panes with their own rows: keeps sel/top within n rows. */
void pane_clamp(struct pane *p, int n, int rows);

/* Case-insensitive substring test used by the filters. */
bool pane_text_match(const char *text, const char *filter);

#endif
