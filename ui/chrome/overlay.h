/*
 * overlay.h — the boxes drawn over the panes (help, order detail, the two
 * forms, the fatal-error notice): each kind is a `const struct
 * overlay_def` (overlays.h), as the panes are pane_defs; d->ovl points to
 * the open one.  While open it takes every key (mouse events are dropped)
 * and the footer shows its hint.  Most draw into d->win_ovl, the centred
 * window made here; the forms have their own windows (formbox.c).
 */
#ifndef ORDERTOP_UI_OVERLAY_H
#define ORDERTOP_UI_OVERLAY_H

#include <stdbool.h>

struct dash;

struct overlay_def {
	const char *name; /* "help", "detail", ... */
	const char *hint; /* footer keys while open: "key:what|..." */
	void (*draw)(struct dash *d);
	/* Every key while open: DIRTY_* bits. */
	int (*key)(struct dash *d, int key);
	/* Optional: after the screen's windows were made anew. */
	void (*resize)(struct dash *d);
	/* Optional: once a second (re-reads what it shows). */
	void (*tick)(struct dash *d);
	/* Optional: an fd the loop polls while it is open (-1: none), and
	 * what the loop calls on every turn: DIRTY_* bits. */
	int (*fd)(struct dash *d);
	int (*pump)(struct dash *d);
	/* Closes it and frees its state; NULL: it stays open until the end. */
	void (*close)(struct dash *d);
	bool keys_when_small; /* takes keys even when the terminal is too small */
};

/* A centred overlay window of h x w (cut to the screen) in d->win_ovl. */
void overlay_window(struct dash *d, int h, int w);
/* Frame and title of the overlay window. */
void overlay_frame(struct dash *d, const char *title);
/* Deletes d->win_ovl and leaves no overlay open, or d->ovl_back (the
 * overlay this one was opened from) open again. */
void overlay_close(struct dash *d);

#endif
