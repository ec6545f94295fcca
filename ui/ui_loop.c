/*
 * ui_loop.c — ui_run(): the dashboard's only loop.  poll() waits on the
 * keyboard and on the event queue's fd; each turn reads every pending key,
 * drains at most DASH_DRAIN_MAX events into the panes' rings, calls
 * engine_tick() about once a second, and repaints what is dirty at most
 * cfg->fps times a second (wnoutrefresh on each changed window, then one
 * doupdate).  Keys stay responsive however fast events arrive, because the
 * drain is bounded and keys are read on every turn.
 */
#include "ui.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "draw.h"
#include "footer.h"
#include "formbox.h"
#include "frame.h"
#include "header.h"
#include "keys.h"
#include "log.h"
#include "overlay.h"
#include "panes.h"
#include "term.h"
#include "text_sanitize.h"

#define HEADER_REFRESH_MS 250
#define FATAL_QUIT_MS 5000
#define KEYS_PER_TURN 256
#define POP_BATCH 256
#define DRAIN_GAP_MS 10

/* ---- small accessors (dash.h) ---- */

attr_t dash_attr(const struct dash *d, int role)
{
	return (role >= 0 && role < ROLE__COUNT) ? d->attr[role] : A_NORMAL;
}

struct pane *dash_pane(struct dash *d, int id)
{
	return (id >= 0 && id < PANE__COUNT) ? &d->panes[id] : NULL;
}

int dash_focused_pane(const struct dash *d)
{
	return d->focus_pane;
}

void dash_mark_pane(struct dash *d, int id)
{
	if (id >= 0 && id < PANE__COUNT)
		d->panes[id].dirty = true;
}

bool dash_pane_visible(const struct dash *d, int id)
{
	return layout_slot_of(&d->lay, id, d->tab_pane) >= 0;
}

void dash_set_focus_pane(struct dash *d, int pane)
{
	int s = layout_slot_of(&d->lay, pane, d->tab_pane);
	if (s < 0 && d->lay.n_tabs > 0) {
		for (int i = 0; i < d->lay.n_tabs; i++)
			if (d->lay.tabs[i] == pane) {
				d->tab_pane = pane;
				s = layout_slot_of(&d->lay, pane, d->tab_pane);
			}
	}
	if (s < 0)
		s = 0;
	d->focus = s;
	if (s < d->lay.n) {
		int p = d->lay.slot[s].pane;
		d->focus_pane = p == LAYOUT_TABS ? d->tab_pane : p;
	}
}

void dash_refresh_engine(struct dash *d)
{
	engine_rules_status(d->e, &d->rules);
	engine_generator_status(d->e, &d->gen);
	engine_broker_status(d->e, &d->brokers);
	d->dirty |= DIRTY_HEADER;
}

void dash_pause(struct dash *d, bool on)
{
	if (on == d->paused)
		return;
	d->paused = on;
	for (int i = 0; i < PANE__COUNT; i++) {
		struct pane *p = &d->panes[i];
		if (!p->def->follow)
			continue;
		if (on) {
			d->follow_before_pause[i] = p->follow;
			if (p->follow) {
				if (p->cap > 0)
					pane_unfollow(p);
				else if (p->def->seek)
					p->def->seek(d, p, 0);
			}
		} else if (d->follow_before_pause[i]) {
			p->def->follow(d, p);
		}
		p->dirty = true;
	}
	d->dirty |= DIRTY_ALL;
}

/* ---- setup ---- */

static int panes_init(struct dash *d)
{
	const struct config *cfg = d->cfg;
	int rc = 0;

	rc |= pane_init(&d->panes[PANE_STATUS], &pane_status_def, -1, 0, 0, NULL);
	rc |= pane_init(&d->panes[PANE_DECISIONS], &pane_decisions_def, -1,
	                sizeof(struct event), DASH_PANE_LINES, pane_stream_match);
	rc |= pane_init(&d->panes[PANE_RULES], &pane_rules_def, -1, 0, 0, NULL);
	rc |= pane_init(&d->panes[PANE_LOG], &pane_log_def, -1,
	                sizeof(struct log_line), DASH_PANE_LINES, pane_log_match);
	snprintf(d->panes[PANE_STATUS].title, sizeof d->panes[0].title, "Orders");
	snprintf(d->panes[PANE_DECISIONS].title, sizeof d->panes[0].title, "Fraud decisions");
	snprintf(d->panes[PANE_RULES].title, sizeof d->panes[0].title, "Rules");
	snprintf(d->panes[PANE_LOG].title, sizeof d->panes[0].title, "log");
	for (int t = 0; t < TOPIC__COUNT; t++) {
		struct pane *p = &d->panes[PANE_TOPIC(t)];
		rc |= pane_init(p, t == TOPIC_DLQ ? &pane_dlq_def : &pane_stream_def, t,
		                sizeof(struct event), DASH_PANE_LINES, pane_stream_match);
		char name[CONFIG_TOPIC_MAX * 2];
		text_sanitize(name, sizeof name, cfg->topics[t], strlen(cfg->topics[t]), 24);
		if (t == TOPIC_DLQ)
			snprintf(p->title, sizeof p->title, "dead letters");
		else
			snprintf(p->title, sizeof p->title, "%s", name[0] ? name : config_topic_role_name(t));
	}
	d->status.cap = 2000;
	d->status.rows = calloc(d->status.cap, sizeof *d->status.rows);
	if (!d->status.rows)
		rc = -1;
	return rc;
}

static void panes_free(struct dash *d)
{
	for (int i = 0; i < PANE__COUNT; i++)
		pane_free(&d->panes[i]);
	free(d->status.rows);
	d->status.rows = NULL;
}

static void windows_free(struct dash *d)
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
static void relayout(struct dash *d)
{
	int lines, cols;
	getmaxyx(stdscr, lines, cols);
	d->lines = lines;
	d->cols = cols;
	windows_free(d);
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
	if (d->form)
		formbox_relayout(d->form, d);
	for (int i = 0; i < PANE__COUNT; i++)
		d->panes[i].dirty = true;
	d->dirty |= DIRTY_ALL;
}

/* ---- drawing ---- */

static void draw_too_small(struct dash *d)
{
	char msg[128];
	const char *x = d->g->times;
	snprintf(msg, sizeof msg, "terminal too small (%d%s%d), need at least %d%s%d",
	         d->cols, x, d->lines, DASH_MIN_COLS, x, DASH_MIN_LINES);
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

static void draw_slot(struct dash *d, int i)
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

static void draw_overlay(struct dash *d)
{
	switch (d->ovl) {
	case OVL_HELP:       help_draw(d); break;
	case OVL_DETAIL:     detail_draw(d); break;
	case OVL_FORM_ORDER: form_order_draw(d); break;
	case OVL_FORM_RULE:  form_rule_draw(d); break;
	case OVL_FATAL: {
		overlay_window(d, 7, d->cols - 4 > 90 ? 90 : d->cols - 4);
		if (!d->win_ovl)
			break;
		overlay_frame(d, "ordertop stopped");
		int w = getmaxx(d->win_ovl) - 4;
		draw_text(d->win_ovl, 2, 2, w, dash_attr(d, ROLE_ERROR), d->fatal);
		draw_text(d->win_ovl, 4, 2, w, dash_attr(d, ROLE_DIM),
		          "Press any key to quit (quits by itself in a few seconds).");
		wnoutrefresh(d->win_ovl);
		break;
	}
	case OVL_NONE:
		break;
	}
}

static void frame(struct dash *d)
{
	if (d->dirty & DIRTY_LAYOUT)
		relayout(d);
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
	if (d->ovl != OVL_NONE && (any || (d->dirty & DIRTY_OVERLAY)))
		draw_overlay(d);
	if (d->prompt && d->win_footer && d->ovl == OVL_NONE) {
		footer_draw(d);        /* last, so the cursor lands in the prompt */
	}
	doupdate();
	d->dirty = 0;
}

/* ---- input ---- */

static bool is_quit_key(int key)
{
	return key == 'q' || key == KEY_F(10) || key == KEYS_CTRL('c');
}

static void handle_key(struct dash *d, int key)
{
	if (key == KEY_RESIZE) {
		d->dirty |= DIRTY_LAYOUT | DIRTY_ALL;
		return;
	}
	if (key == KEY_MOUSE) {
		if (d->ovl == OVL_NONE && !d->prompt) {
			d->dirty |= keys_mouse(d);
		} else {
			MEVENT ev;
			getmouse(&ev);
		}
		return;
	}
	if (d->ovl == OVL_FATAL) {
		d->quit = true;
		return;
	}
	if (d->too_small) {
		if (is_quit_key(key))
			d->quit = true;
		return;
	}
	int dirty = 0;
	switch (d->ovl) {
	case OVL_HELP:       dirty = help_key(d, key); break;
	case OVL_DETAIL:     dirty = detail_key(d, key); break;
	case OVL_FORM_ORDER: dirty = form_order_key(d, key); break;
	case OVL_FORM_RULE:  dirty = form_rule_key(d, key); break;
	case OVL_FATAL:
	case OVL_NONE:
		dirty = d->prompt ? footer_prompt_key(d, key) : keys_dispatch(d, key);
		break;
	}
	d->dirty |= dirty | DIRTY_FOOTER;
	/* Lay out now, so the next key (Tab after z) sees the new slots. */
	if (d->dirty & DIRTY_LAYOUT)
		relayout(d);
}

/* Returns how many keys were handled. */
static int read_keys(struct dash *d)
{
	int n = 0;
	for (int i = 0; i < KEYS_PER_TURN && !d->quit; i++) {
		wint_t wch;
		int rc = wget_wch(stdscr, &wch);
		if (rc == ERR)
			break;
		handle_key(d, keys_encode(rc, wch));
		n++;
	}
	return n;
}

/* ---- engine ---- */

static void route(struct dash *d, const struct event *ev)
{
	if (ev->topic >= TOPIC__COUNT)
		return;
	pane_add(&d->panes[PANE_TOPIC(ev->topic)], ev);
	if (ev->topic == TOPIC_VALID || ev->topic == TOPIC_REFUSED)
		pane_add(&d->panes[PANE_DECISIONS], ev);
	if (ev->topic == TOPIC_RULES) {
		engine_rules_status(d->e, &d->rules);
		d->panes[PANE_RULES].dirty = true;
		d->dirty |= DIRTY_HEADER;
	}
	pane_status_event(d, ev);
	d->events_total++;
}

static void drain_events(struct dash *d)
{
	static struct event batch[POP_BATCH];
	struct evq *q = engine_events(d->e);
	size_t total = 0;
	if (!q)
		return;
	while (total < DASH_DRAIN_MAX) {
		size_t want = DASH_DRAIN_MAX - total < POP_BATCH ? DASH_DRAIN_MAX - total : POP_BATCH;
		size_t n = evq_pop(q, batch, want);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			route(d, &batch[i]);
		total += n;
	}
}

static void pull_log(struct dash *d)
{
	struct log_line lines[64];
	for (int round = 0; round < 8; round++) {
		size_t n = log_copy_since(d->log_seq, lines, 64);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			pane_add(&d->panes[PANE_LOG], &lines[i]);
		d->log_seq = lines[n - 1].seq;
		if (n < 64)
			break;
	}
}

static void tick(struct dash *d)
{
	engine_tick(d->e);
	dash_refresh_engine(d);
	d->panes[PANE_STATUS].dirty = true;     /* ages move */
	d->panes[PANE_RULES].dirty = true;
	if (d->ovl == OVL_DETAIL)
		detail_refresh(d);
}

static void check_fatal(struct dash *d)
{
	const char *f = engine_fatal_error(d->e);
	if (!f || d->ovl == OVL_FATAL)
		return;
	if (d->form) {
		formbox_close(d->form);
		free(d->form);
		d->form = NULL;
	}
	detail_close(d);
	d->prompt = false;
	curs_set(0);
	char safe[400];
	text_sanitize(safe, sizeof safe, f, strlen(f), -1);
	snprintf(d->fatal, sizeof d->fatal, "fatal: %s", safe);
	log_error("ui", "%s", d->fatal);
	d->ovl = OVL_FATAL;
	d->fatal_since_ms = mono_ms();
	d->exit_code = 1;
	d->dirty |= DIRTY_ALL | DIRTY_OVERLAY;
}

static void loop(struct dash *d)
{
	int fps = d->cfg->fps > 0 ? d->cfg->fps : 20;
	if (fps > 200)
		fps = 200;
	int64_t frame_ms = 1000 / fps;
	int64_t last_frame = 0, next_tick = mono_ms(), next_header = 0, last_drain = 0;
	struct evq *q = engine_events(d->e);
	int qfd = q ? evq_fd(q) : -1;

	while (!d->quit) {
		int64_t now = mono_ms();
		bool pending = d->dirty != 0;
		for (int i = 0; i < PANE__COUNT && !pending; i++)
			pending = d->panes[i].dirty && dash_pane_visible(d, i);
		int64_t timeout = pending ? last_frame + frame_ms - now : next_tick - now;
		if (timeout > 250)
			timeout = 250;
		if (timeout < 0)
			timeout = 0;
		if (qfd < 0 && timeout > frame_ms)
			timeout = frame_ms;

		/* Events wake us at most every DRAIN_GAP_MS: under a flood each
		 * turn then drains a batch instead of a few events. */
		bool watch_q = qfd >= 0 && now - last_drain >= DRAIN_GAP_MS;
		if (qfd >= 0 && !watch_q && timeout > DRAIN_GAP_MS - (now - last_drain))
			timeout = DRAIN_GAP_MS - (now - last_drain);
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = qfd, .events = POLLIN },
		};
		int rc = poll(fds, watch_q ? 2 : 1, (int)timeout);
		if (rc < 0 && errno != EINTR)
			break;

		int keys = read_keys(d);
		if (term_quit_signal()) {
			d->quit = true;
			break;
		}
		if (d->ovl != OVL_FATAL && engine_stopping(d->e) && !engine_fatal_error(d->e)) {
			d->quit = true;
			break;
		}
		now = mono_ms();
		if (now - last_drain >= DRAIN_GAP_MS) {
			drain_events(d);
			pull_log(d);
			last_drain = now;
		}

		if (now >= next_tick) {
			tick(d);
			next_tick = now + 1000;
		}
		if (now >= next_header) {
			stats_snapshot(engine_stats(d->e), &d->snap);
			d->dirty |= DIRTY_HEADER;
			next_header = now + HEADER_REFRESH_MS;
		}
		check_fatal(d);
		if (d->ovl == OVL_FATAL && now - d->fatal_since_ms > FATAL_QUIT_MS)
			d->quit = true;

		pending = d->dirty != 0;
		for (int i = 0; i < PANE__COUNT && !pending; i++)
			pending = d->panes[i].dirty && dash_pane_visible(d, i);
		/* A key is answered at once; the streams are drawn at --fps. */
		if (pending && (keys > 0 || now - last_frame >= frame_ms)) {
			frame(d);
			last_frame = now;
		}
	}
	if (d->ovl == OVL_FATAL)
		d->exit_code = 1;
}

int ui_run(struct engine *e, const struct config *cfg)
{
	struct dash *d = calloc(1, sizeof *d);
	char err[256];
	if (!d)
		return 1;
	d->e = e;
	d->cfg = cfg;
	d->g = glyph_set(glyph_locale_is_utf8());
	d->theme_cycle = -1;
	d->focus_pane = PANE_STATUS;
	d->tab_pane = PANE_TOPIC(TOPIC_ORDERS);
	if (panes_init(d) != 0) {
		panes_free(d);
		free(d);
		fprintf(stderr, "ordertop: out of memory\n");
		return 1;
	}
	theme_builtin(&d->theme);
	if (term_init(d, err, sizeof err) != 0) {
		fprintf(stderr, "ordertop: %s\n", err);
		panes_free(d);
		free(d);
		return 1;
	}
	term_load_theme(d, cfg->theme);
	d->n_themes = theme_list(cfg->theme_dir, d->theme_names, DASH_THEMES_MAX);
	dash_refresh_engine(d);
	stats_snapshot(engine_stats(e), &d->snap);
	d->log_seq = 0;
	d->dirty = DIRTY_LAYOUT | DIRTY_ALL;

	loop(d);

	if (d->form) {
		formbox_close(d->form);
		free(d->form);
		d->form = NULL;
	}
	detail_close(d);
	windows_free(d);
	term_restore();
	if (d->ovl == OVL_FATAL)
		fprintf(stderr, "ordertop: %s\n", d->fatal);
	int code = d->exit_code;
	panes_free(d);
	free(d);
	return code;
}
