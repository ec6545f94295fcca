/*
 * ui_loop.c — ui_run(): the dashboard's only loop.  poll() waits on the
 * keyboard and on the event queue's fd; each turn reads every pending key,
 * drains at most DASH_DRAIN_MAX events into the panes' rings, calls
 * engine_tick() about once a second, and repaints what is dirty at most
 * cfg->fps times a second (screen.c).  Keys stay responsive however fast
 * events arrive, because the drain is bounded and keys are read on every
 * turn; where a key goes is keys.c's.  The top of ui/: nothing calls back
 * into this file.
 */
#include "ui.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "event_match.h"
#include "explorer.h"
#include "keycode.h"
#include "keys.h"
#include "log.h"
#include "overlays.h"
#include "panes.h"
#include "screen.h"
#include "term.h"
#include "term_check.h"
#include "text_sanitize.h"

#define HEADER_REFRESH_MS 250
#define FATAL_QUIT_MS     5000
#define KEYS_PER_TURN     256
#define POP_BATCH         256
#define DRAIN_GAP_MS      10

/* ---- setup ---- */

static int
panes_init(struct dash *d)
{
	const struct config *cfg = d->cfg;
	int rc = 0;

	rc |= pane_init(&d->panes[PANE_STATUS], &pane_status_def, -1, 0, 0, NULL);
	rc |= pane_init(&d->panes[PANE_DECISIONS], &pane_decisions_def, -1, sizeof(struct event),
			DASH_PANE_LINES, event_match);
	rc |= pane_init(&d->panes[PANE_RULES], &pane_rules_def, -1, 0, 0, NULL);
	rc |= pane_init(&d->panes[PANE_LOG], &pane_log_def, -1, sizeof(struct log_line),
			DASH_PANE_LINES, pane_log_match);
	snprintf(d->panes[PANE_STATUS].title, sizeof d->panes[0].title, "Orders");
	snprintf(d->panes[PANE_DECISIONS].title, sizeof d->panes[0].title, "Fraud decisions");
	snprintf(d->panes[PANE_RULES].title, sizeof d->panes[0].title, "Rules");
	snprintf(d->panes[PANE_LOG].title, sizeof d->panes[0].title, "log");
	for (int t = 0; t < DASH_STREAM_TOPICS; t++) {
		struct pane *p = &d->panes[PANE_TOPIC(t)];
		rc |= pane_init(p, t == TOPIC_DLQ ? &pane_dlq_def : &pane_stream_def, t,
				sizeof(struct event), DASH_PANE_LINES, event_match);
		char name[CONFIG_TOPIC_MAX * 2];
		text_sanitize(name, sizeof name, cfg->topics[t], strlen(cfg->topics[t]), 24);
		if (t == TOPIC_DLQ)
			snprintf(p->title, sizeof p->title, "dead letters");
		else
			snprintf(p->title, sizeof p->title, "%s",
				 name[0] ? name : config_topic_role_name(t));
	}
	d->status.cap = 2000;
	d->status.rows = calloc(d->status.cap, sizeof *d->status.rows);
	if (!d->status.rows)
		rc = -1;
	return rc;
}

static void
panes_free(struct dash *d)
{
	for (int i = 0; i < PANE__COUNT; i++)
		pane_free(&d->panes[i]);
	free(d->status.rows);
	d->status.rows = NULL;
}

/* ---- input ---- */

/* A key from wget_wch: a resize waits for the next frame; other keys go
 * to keys.c, then the layout is redone at once so the next key (Tab after
 * z) sees the new slots. */
static void
handle_key(struct dash *d, int key)
{
	if (key == KEY_RESIZE) {
		d->dirty |= DIRTY_LAYOUT | DIRTY_ALL;
		return;
	}
	d->dirty |= keys_handle(d, key);
	if (d->dirty & DIRTY_LAYOUT)
		screen_relayout(d);
}

/* Returns how many keys were handled. */
static int
read_keys(struct dash *d)
{
	int n = 0;
	for (int i = 0; i < KEYS_PER_TURN && !d->quit; i++) {
		wint_t wch;
		int rc = wget_wch(stdscr, &wch);
		if (rc == ERR)
			break;
		handle_key(d, keycode_encode(rc, wch));
		n++;
	}
	return n;
}

/* ---- engine ---- */

static void
route(struct dash *d, const struct event *ev)
{
	if (ev->topic >= DASH_STREAM_TOPICS)
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

static void
drain_events(struct dash *d)
{
	static struct event batch[POP_BATCH];
	struct evq *q = engine_events(d->e);
	size_t total = 0;
	if (!q)
		return;
	while (total < DASH_DRAIN_MAX) {
		size_t want =
			DASH_DRAIN_MAX - total < POP_BATCH ? DASH_DRAIN_MAX - total : POP_BATCH;
		size_t n = evq_pop(q, batch, want);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			route(d, &batch[i]);
		total += n;
	}
}

static void
pull_log(struct dash *d)
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

static void
tick(struct dash *d)
{
	engine_tick(d->e);
	dash_refresh_engine(d);
	d->panes[PANE_STATUS].dirty = true; /* ages move */
	d->panes[PANE_RULES].dirty = true;
	if (d->ovl && d->ovl->tick)
		d->ovl->tick(d);
	explorer_tick(d);
	whatif_preview_reap(d, false);
}

/* Closes the open overlay, and the one under it, if they can be closed
 * (the fatal notice cannot). */
static void
close_overlay(struct dash *d)
{
	while (d->ovl && d->ovl->close) {
		const struct overlay_def *was = d->ovl;
		d->ovl->close(d);
		if (d->ovl == was)
			break;
	}
}

static void
check_fatal(struct dash *d)
{
	const char *f = engine_fatal_error(d->e);
	if (!f || d->ovl == &fatal_def)
		return;
	close_overlay(d);
	d->prompt = false;
	curs_set(0);
	fatal_open(d, f);
}

static void
loop(struct dash *d)
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
		/* The explorer's worker and the open overlay's job (the
		 * what-if preview's) wake us when they have news. */
		struct pollfd fds[4] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = explorer_fd(d), .events = POLLIN },
			{ .fd = d->ovl && d->ovl->fd ? d->ovl->fd(d) : -1, .events = POLLIN },
			{ .fd = qfd, .events = POLLIN },
		};
		int rc = poll(fds, watch_q ? 4 : 3, (int)timeout);
		if (rc < 0 && errno != EINTR)
			break;

		int keys = read_keys(d);
		d->dirty |= (unsigned)explorer_pump(d);
		if (d->ovl && d->ovl->pump)
			d->dirty |= (unsigned)d->ovl->pump(d);
		if (term_quit_signal()) {
			d->quit = true;
			break;
		}
		if (d->ovl != &fatal_def && engine_stopping(d->e) && !engine_fatal_error(d->e)) {
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
		if (d->ovl == &fatal_def && now - d->fatal_since_ms > FATAL_QUIT_MS)
			d->quit = true;

		pending = d->dirty != 0;
		for (int i = 0; i < PANE__COUNT && !pending; i++)
			pending = d->panes[i].dirty && dash_pane_visible(d, i);
		/* A key is answered at once; the streams are drawn at --fps. */
		if (pending && (keys > 0 || now - last_frame >= frame_ms)) {
			screen_draw(d);
			last_frame = now;
		}
	}
	if (d->ovl == &fatal_def)
		d->exit_code = 1;
}

int
ui_check_terminal(char *err, size_t errlen)
{
	return term_check(err, errlen);
}

int
ui_run(struct engine *e, const struct config *cfg)
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

	close_overlay(d);
	screen_free(d);
	term_restore();
	explorer_free(d); /* joins its thread: after the terminal is back */
	whatif_preview_reap(d, true);
	if (d->ovl == &fatal_def)
		fprintf(stderr, "ordertop: %s\n", d->fatal);
	int code = d->exit_code;
	panes_free(d);
	free(d);
	return code;
}
