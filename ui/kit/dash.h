/*
 * dash.h — the dashboard's state, shared by the ui/ files: the pane
 * instances, the layout and its windows, the theme, cached engine
 * snapshots, the footer message, the open overlay.  Only the UI thread
 * touches it (and only it calls curses).  Its accessors are in dash.c,
 * below every pane and overlay.
 *
 * Actions return "dirty" bits saying what to repaint (like htop's
 * HTOP_REFRESH | HTOP_REDRAW_BAR); ui_loop.c repaints at most cfg->fps
 * times a second, and only what is dirty (screen.c).
 */
#ifndef ORDERTOP_UI_DASH_H
#define ORDERTOP_UI_DASH_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "glyph.h"
#include "layout.h"
#include "pane.h"
#include "theme.h"

/* Topics with a stream pane: all but the last, the fraud state's
 * changelog (the fraud role's memory; the monitor does not read it). */
#define DASH_STREAM_TOPICS TOPIC_STATE
_Static_assert(TOPIC_STATE == TOPIC__COUNT - 1, "the fraud state is the last topic");

/* Pane instances.  Stream panes (one per topic) follow PANE_TOPIC0. */
enum pane_id {
	PANE_STATUS = 0,
	PANE_DECISIONS,
	PANE_RULES,
	PANE_LOG,
	PANE_TOPIC0,
	PANE__COUNT = PANE_TOPIC0 + DASH_STREAM_TOPICS
};
#define PANE_TOPIC(t) (PANE_TOPIC0 + (t))

/* What to repaint (bits). */
enum {
	DIRTY_HEADER = 1 << 0,
	DIRTY_FOOTER = 1 << 1,
	DIRTY_PANES = 1 << 2,  /* every visible pane */
	DIRTY_LAYOUT = 1 << 3, /* recompute the layout, new windows */
	DIRTY_CLEAR = 1 << 4,  /* repaint the whole terminal (Ctrl-L) */
	DIRTY_OVERLAY = 1 << 5,
	DIRTY_STDSCR = 1 << 6, /* stdscr was cleared: output it first */
	DIRTY_ALL = DIRTY_HEADER | DIRTY_FOOTER | DIRTY_PANES | DIRTY_OVERLAY,
};

/* The minimum terminal size the layout needs. */
#define DASH_MIN_COLS  60
#define DASH_MIN_LINES 16
/* Orders not final after this long stand out in the status table. */
#define DASH_STUCK_MS 10000
/* Events drained from the queue per loop iteration. */
#define DASH_DRAIN_MAX 2000
/* Lines kept per pane. */
#define DASH_PANE_LINES 1000
#define DASH_THEMES_MAX 32

struct formbox;
struct detail;
struct overlay_def;
struct explorer;
struct whatif_preview;
struct whatif_job;

/* What-if jobs stopped and not yet ended (whatif_preview.c reaps them). */
#define DASH_WHATIF_REAP_MAX 16

/* The order status table's snapshot (pane_status.c). */
struct status_rows {
	struct order_row *rows;
	size_t n, cap;
	int stuck; /* rows past DASH_STUCK_MS, not final */
	int64_t fetched_ms;
};

struct dash {
	struct engine *e;
	const struct config *cfg;
	const struct glyphs *g;
	bool quit;
	int exit_code;
	bool mono; /* NO_COLOR or no colours */
	bool mouse;

	/* Theme: the roles as curses attributes (colour pair + attributes). */
	struct theme theme;
	attr_t attr[ROLE__COUNT];
	char theme_names[DASH_THEMES_MAX][THEME_NAME_MAX];
	int n_themes;
	int theme_cycle; /* index of the last theme cycled to */

	/* Screen */
	int cols, lines;
	bool too_small;
	struct layout lay;
	WINDOW *win_header, *win_footer;
	WINDOW *win_slot[LAYOUT_SLOTS_MAX];
	int focus;      /* slot index in lay */
	int focus_pane; /* the pane shown there */
	bool zoom;
	int tab_pane; /* pane shown in the tabbed slot */
	unsigned dirty;

	/* Panes */
	struct pane panes[PANE__COUNT];
	struct status_rows status;
	bool paused;
	bool follow_before_pause[PANE__COUNT];

	/* Engine state, refreshed by the tick */
	struct stats_snapshot snap;
	struct broker_status brokers;
	struct rules_status rules;
	struct generator_status gen;
	uint64_t log_seq;
	uint64_t events_total;
	bool broker2_down;
	int64_t last_tick_ms;

	/* Footer */
	char msg[256];
	int msg_role;
	int64_t msg_until_ms;
	bool prompt; /* typing a filter in the footer */
	char prompt_buf[PANE_FILTER_MAX];
	char prompt_saved[PANE_FILTER_MAX];

	/* Overlay: the open one's kind (overlay.h), or NULL */
	const struct overlay_def *ovl;
	WINDOW *win_ovl;
	struct formbox *form;
	int form_rule; /* the rule being edited */
	struct detail *detail;
	struct whatif_preview *preview;
	/* Opened again when the open overlay closes (the preview under an
	 * order's detail); NULL: none. */
	const struct overlay_def *ovl_back;
	struct whatif_job *whatif_reap[DASH_WHATIF_REAP_MAX];
	int n_whatif_reap;
	char fatal[512];
	int64_t fatal_since_ms;

	/* The cluster explorer (ui/explore): shown instead of the panes */
	struct explorer *explorer;
	bool explore_on;
	const char *explore_hint; /* footer keys of its view */
	WINDOW *win_explore;
};

/* dash.c */
void dash_set_focus_pane(struct dash *d, int pane);
int dash_focused_pane(const struct dash *d);
struct pane *dash_pane(struct dash *d, int id);
bool dash_pane_visible(const struct dash *d, int id);
void dash_mark_pane(struct dash *d, int id);
attr_t dash_attr(const struct dash *d, int role);
void dash_pause(struct dash *d, bool on);
/* Refreshes the cached engine state (rules, generator, brokers). */
void dash_refresh_engine(struct dash *d);
/* Shows a transient message in the footer (sanitized, for a few seconds). */
void dash_message(struct dash *d, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
