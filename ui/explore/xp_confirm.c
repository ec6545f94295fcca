/*
 * xp_confirm.c — a mutating action's plan, shown before it runs: an
 * offset reset (each partition's committed offset and where it goes; the
 * active members named, and `y` refused, while the group has any) or a
 * re-drive of dead letters (what was scanned and matched, each record and
 * the topic it goes back to, or why not).  `y` runs it on the explorer's
 * worker, `n` or Esc drops it; the footer says how it went.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "overlay.h"
#include "text_sanitize.h"
#include "xp.h"

#define LINES_MAX 1000
#define LINE_MAX  300

static struct {
	enum explore_job_kind kind; /* RESET_PLAN or REDRIVE_PLAN */
	bool refused;               /* y does nothing (members active, nothing ready) */
	char title[128];
	char (*lines)[LINE_MAX];
	int n, top;
	/* The plan shown, executed as it is on y */
	struct explore_reset_plan reset;
	struct explore_redrive_plan redrive;
} cf;

static void add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
add(const char *fmt, ...)
{
	char raw[LINE_MAX * 2];
	va_list ap;
	if (cf.n >= LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	text_sanitize(cf.lines[cf.n++], LINE_MAX, raw, strlen(raw), -1);
}

static void
plan_reset(const struct explore_reset_plan *p)
{
	char to[64];
	explore_start_text(&p->to, to, sizeof to);
	snprintf(cf.title, sizeof cf.title, "Reset offsets of %.80s", p->group);
	add("group %s to %s: %zu partition%s", p->group, to, p->n, p->n == 1 ? "" : "s");
	if (p->members_known && p->n_members > 0) {
		cf.refused = true;
		add("refused: the group has %d active member%s: %s", p->n_members,
		    p->n_members == 1 ? "" : "s", p->members);
	} else if (!p->members_known) {
		add("members cannot be listed on this cluster: make sure none is running");
	}
	add("%-32s %5s %12s    %12s", "TOPIC", "PART", "NOW", "NEW");
	for (size_t i = 0; i < p->n; i++) {
		const struct explore_reset_row *r = &p->rows[i];
		char now[32];
		snprintf(now, sizeof now, "%" PRId64, r->current);
		add("%-32.32s %5" PRId32 " %12s -> %12" PRId64, r->topic, r->partition,
		    r->current < 0 ? "-" : now, r->target);
	}
	if (p->n == 0)
		cf.refused = true;
}

static void
plan_redrive(const struct explore_redrive_plan *p)
{
	snprintf(cf.title, sizeof cf.title, "Re-drive dead letters of %.80s", p->dlq);
	add("scanned %zu, matched %zu: %zu ready, %zu re-driven before, %zu skipped%s", p->scanned,
	    p->matched, p->ready, p->done_before, p->skipped, p->truncated ? " (plan cut)" : "");
	add("all in one transaction; each gets header %s", EXPLORE_HDR_REDRIVEN_FROM);
	for (size_t i = 0; i < p->n; i++) {
		const struct explore_redrive_item *it = &p->items[i];
		add("%s -> %s  %s%s%s", it->source, it->target ? it->target : "?",
		    explore_redrive_status_name(it->status), it->note[0] ? ": " : "", it->note);
	}
	if (p->ready == 0)
		cf.refused = true;
}

static int
open_plan(struct dash *d, struct explore_reply *r)
{
	if (d->ovl && d->ovl->close)
		d->ovl->close(d); /* a plan shown before is dropped */
	if ((cf.lines = calloc(LINES_MAX, LINE_MAX)) == NULL)
		return DIRTY_FOOTER;
	cf.n = cf.top = 0;
	cf.refused = false;
	cf.kind = r->kind;
	if (r->kind == EXPLORE_JOB_RESET_PLAN) {
		plan_reset(&r->reset);
		cf.reset = r->reset; /* moved: the reply no longer holds it */
		memset(&r->reset, 0, sizeof r->reset);
	} else {
		plan_redrive(&r->redrive);
		cf.redrive = r->redrive;
		memset(&r->redrive, 0, sizeof r->redrive);
	}
	d->ovl = &xp_confirm_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

int
xp_confirm_reply(struct dash *d, struct explore_reply *r)
{
	struct explorer *x = xp_get(d);
	if (r->job == x->reset_job)
		x->reset_job = 0;
	if (r->job == x->redrive_job)
		x->redrive_job = 0;
	if (r->rc < 0) {
		xp_status(x, true, "%s", r->err);
		x->status_kept_until = mono_ms() + XP_ACTION_ERROR_MS;
		dash_message(d, ROLE_ERROR, "%s", r->err);
		return DIRTY_ALL;
	}
	x->status[0] = '\0';
	x->status_kept_until = 0;
	switch (r->kind) {
	case EXPLORE_JOB_RESET_PLAN:
	case EXPLORE_JOB_REDRIVE_PLAN: return open_plan(d, r);
	case EXPLORE_JOB_RESET_EXEC:
		dash_message(d, ROLE_FOOTER_MESSAGE, "offsets reset");
		xp_groups_view.fetch(d, x, true);
		return DIRTY_ALL;
	case EXPLORE_JOB_REDRIVE_EXEC:
		dash_message(d, ROLE_FOOTER_MESSAGE,
			     "re-drove %zu dead letter%s in one transaction", r->redrive.ready,
			     r->redrive.ready == 1 ? "" : "s");
		return DIRTY_ALL;
	default: return 0;
	}
}

static void
draw(struct dash *d)
{
	overlay_window(d, cf.n + 5 < d->lines - 2 ? cf.n + 5 : d->lines - 2, d->cols - 6);
	if (!d->win_ovl)
		return;
	WINDOW *w = d->win_ovl;
	overlay_frame(d, cf.title);
	int rows = getmaxy(w) - 4;
	if (cf.top > cf.n - rows)
		cf.top = cf.n - rows;
	if (cf.top < 0)
		cf.top = 0;
	for (int i = 0; i < rows && cf.top + i < cf.n; i++) {
		const char *l = cf.lines[cf.top + i];
		draw_text(w, 1 + i, 2, getmaxx(w) - 4,
			  dash_attr(d, strncmp(l, "refused", 7) == 0 ? ROLE_ERROR : ROLE_OVERLAY),
			  l);
	}
	draw_text(w, getmaxy(w) - 2, 2, getmaxx(w) - 4,
		  dash_attr(d, cf.refused ? ROLE_ERROR : ROLE_FOOTER_KEY),
		  cf.refused ? "Nothing to run. Esc: close"
			     : "y: run it   n / Esc: cancel (nothing is changed)");
	wnoutrefresh(w);
}

static void
close_confirm(struct dash *d)
{
	free(cf.lines);
	cf.lines = NULL;
	cf.n = 0;
	explore_reset_plan_free(&cf.reset);
	explore_redrive_plan_free(&cf.redrive);
	memset(&cf.redrive, 0, sizeof cf.redrive);
	overlay_close(d);
}

static int
key(struct dash *d, int k)
{
	struct explorer *x = xp_get(d);
	switch (k) {
	case KEY_UP:
	case 'k': cf.top--; return DIRTY_OVERLAY;
	case KEY_DOWN:
	case 'j': cf.top++; return DIRTY_OVERLAY;
	case KEY_PPAGE: cf.top -= 10; return DIRTY_OVERLAY;
	case KEY_NPAGE: cf.top += 10; return DIRTY_OVERLAY;
	case 'y':
	case 'Y': {
		if (cf.refused)
			return DIRTY_OVERLAY;
		struct explore_job j = { .kind = cf.kind == EXPLORE_JOB_RESET_PLAN
						 ? EXPLORE_JOB_RESET_EXEC
						 : EXPLORE_JOB_REDRIVE_EXEC };
		/* The plan shown is the one that runs: handed over to the job. */
		j.reset = cf.reset;
		j.redrive = cf.redrive;
		memset(&cf.reset, 0, sizeof cf.reset);
		memset(&cf.redrive, 0, sizeof cf.redrive);
		uint64_t id = xp_submit(d, &j);
		if (cf.kind == EXPLORE_JOB_RESET_PLAN)
			x->reset_exec_job = id;
		else
			x->redrive_exec_job = id;
		close_confirm(d);
		dash_message(d, ROLE_FOOTER_MESSAGE, "running…");
		return DIRTY_ALL;
	}
	case 'n':
	case 'N':
	case 'q':
	case 27:
		close_confirm(d);
		dash_message(d, ROLE_FOOTER_MESSAGE, "cancelled; nothing changed");
		return DIRTY_ALL;
	case KEYCODE_CTRL('c'):
		close_confirm(d);
		d->quit = true;
		return 0;
	}
	return DIRTY_OVERLAY;
}

const struct overlay_def xp_confirm_def = {
	.name = "confirm",
	.hint = "y:run|n Esc:cancel|↑↓:scroll",
	.draw = draw,
	.key = key,
	.close = close_confirm,
};
