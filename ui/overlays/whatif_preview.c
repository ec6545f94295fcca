/*
 * whatif_preview.c — "what if": before a rule change is published, the
 * recent orders re-decided with the candidate rules (whatif_job.h, on a
 * thread of its own) and what would change shown: opened by Enter in the
 * rule editor when a parameter changed, and by `w` in the rules pane (the
 * selected rule toggled).  p publishes the change (one new rule set
 * version), Esc cancels (nothing published), s changes the span and runs
 * it again, ↑/↓ select an example and Enter opens the order's detail (the
 * preview comes back when it closes).  The loop polls the job's fd
 * (overlay_def.fd) so the result shows as soon as it is there.  A job
 * still running when the preview closes is asked to stop and reaped once
 * it ended (whatif_preview_reap), never waited for here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "overlays.h"
#include "text_sanitize.h"
#include "whatif_job.h"
#include "whatif_lines.h"

#define PREVIEW_PARAMS_MAX 8

struct whatif_preview {
	int rule;
	int enabled; /* the toggle's new state; -1: parameters change */
	int n_params;
	char names[PREVIEW_PARAMS_MAX][64];
	char texts[PREVIEW_PARAMS_MAX][RULE_TEXT_MAX];
	char change[256]; /* sanitized: "velocity max_orders=3" */
	uint64_t version; /* of the rules the candidate was made from */
	int span;
	struct whatif_job *job;
	enum whatif_job_state state;
	uint64_t read;
	int64_t planned;
	struct whatif_report rep;
	char err[256];
	char status[400];
	int status_role;
	bool confirm; /* p pressed once after the rules changed */
	int sel, top, rows;
	struct whatif_line lines[WHATIF_LINES_MAX];
	int n_lines, lines_width;
};

/* Stops a job and keeps it until its thread ended; with
 * DASH_WHATIF_REAP_MAX already stuck, waits for it (its waits all end). */
static void
park(struct dash *d, struct whatif_job *j)
{
	if (j == NULL)
		return;
	whatif_job_stop(j);
	if (whatif_job_finished(j) || d->n_whatif_reap >= DASH_WHATIF_REAP_MAX)
		whatif_job_free(j);
	else
		d->whatif_reap[d->n_whatif_reap++] = j;
}

void
whatif_preview_reap(struct dash *d, bool all)
{
	int k = 0;
	for (int i = 0; i < d->n_whatif_reap; i++) {
		struct whatif_job *j = d->whatif_reap[i];
		if (all || whatif_job_finished(j))
			whatif_job_free(j);
		else
			d->whatif_reap[k++] = j;
	}
	d->n_whatif_reap = k;
}

/* The candidate: the rules in force with the change. */
static int
candidate(struct dash *d, struct whatif_preview *p, struct ruleset *out, char *err, size_t errlen)
{
	*out = d->rules.current;
	if (p->enabled >= 0) {
		out->rules[p->rule].enabled = p->enabled != 0;
		return 0;
	}
	for (int k = 0; k < p->n_params; k++)
		if (ruleset_set_param(out, p->rule, p->names[k], p->texts[k], err, errlen) != 0)
			return -1;
	return 0;
}

/* (Re)starts the replay over span p->span, from the rules in force now. */
static void
run(struct dash *d, struct whatif_preview *p)
{
	struct ruleset cand;
	struct broker_status b;
	char err[256];

	park(d, p->job);
	p->job = NULL;
	dash_refresh_engine(d);
	p->version = d->rules.current.version;
	p->confirm = false;
	p->status[0] = '\0';
	p->sel = p->top = 0;
	p->n_lines = 0;
	p->read = 0;
	p->planned = -1;
	if (candidate(d, p, &cand, err, sizeof err) != 0) {
		snprintf(p->err, sizeof p->err, "%s", err);
		p->state = WHATIF_JOB_FAILED;
		return;
	}
	engine_broker_status(d->e, &b);
	struct whatif_span span = whatif_span_of(p->span, now_ms());
	p->job = whatif_job_start(d->cfg, b.bootstraps, &d->rules.current, &cand, &span);
	p->state = p->job ? WHATIF_JOB_RUNNING : WHATIF_JOB_FAILED;
	if (!p->job)
		snprintf(p->err, sizeof p->err, "cannot start the replay (out of memory?)");
}

static int
open_preview(struct dash *d, struct whatif_preview *p)
{
	if (d->preview || d->ovl) {
		free(p);
		return 0;
	}
	d->preview = p;
	d->ovl = &whatif_preview_def;
	run(d, p);
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

int
whatif_preview_toggle(struct dash *d, int rule)
{
	if (rule < 0 || rule >= fraud_rule_count)
		return 0;
	struct whatif_preview *p = calloc(1, sizeof *p);
	if (!p)
		return 0;
	dash_refresh_engine(d);
	p->rule = rule;
	p->enabled = !d->rules.current.rules[rule].enabled;
	snprintf(p->change, sizeof p->change, "%s turned %s", fraud_rule_defs[rule].id,
		 p->enabled ? "on" : "off");
	return open_preview(d, p);
}

int
whatif_preview_params(struct dash *d, int rule, int n, const char *const *names,
		      const char *const *texts)
{
	if (rule < 0 || rule >= fraud_rule_count || n <= 0 || n > PREVIEW_PARAMS_MAX)
		return 0;
	struct whatif_preview *p = calloc(1, sizeof *p);
	if (!p)
		return 0;
	p->rule = rule;
	p->enabled = -1;
	p->n_params = n;
	size_t used = (size_t)snprintf(p->change, sizeof p->change, "%s", fraud_rule_defs[rule].id);
	for (int k = 0; k < n; k++) {
		snprintf(p->names[k], sizeof p->names[k], "%s", names[k]);
		snprintf(p->texts[k], sizeof p->texts[k], "%s", texts[k]);
		char safe[RULE_TEXT_MAX * 4];
		text_sanitize(safe, sizeof safe, texts[k], strlen(texts[k]), 40);
		if (used < sizeof p->change)
			used += (size_t)snprintf(p->change + used, sizeof p->change - used,
						 " %s=%s", names[k], safe);
	}
	return open_preview(d, p);
}

static void
close_preview(struct dash *d)
{
	struct whatif_preview *p = d->preview;
	if (!p)
		return;
	park(d, p->job);
	free(p);
	d->preview = NULL;
	if (d->ovl == &whatif_preview_def)
		overlay_close(d);
}

static int
fd(struct dash *d)
{
	return d->preview && d->preview->job ? whatif_job_fd(d->preview->job) : -1;
}

/* Every loop turn: the job's news. */
static int
pump(struct dash *d)
{
	struct whatif_preview *p = d->preview;
	if (!p || !p->job)
		return 0;
	uint64_t read;
	int64_t planned;
	enum whatif_job_state st = whatif_job_state(p->job, &read, &planned);
	if (st == p->state && read == p->read && planned == p->planned)
		return 0;
	p->read = read;
	p->planned = planned;
	p->state = st;
	if (st == WHATIF_JOB_DONE)
		p->rep = *whatif_job_report(p->job);
	else if (st == WHATIF_JOB_FAILED)
		snprintf(p->err, sizeof p->err, "%s", whatif_job_error(p->job));
	if (st != WHATIF_JOB_RUNNING) {
		whatif_job_free(p->job); /* its thread has ended */
		p->job = NULL;
		p->n_lines = 0;
	}
	return DIRTY_OVERLAY;
}

static int
publish(struct dash *d, struct whatif_preview *p)
{
	char err[256];
	const char *names[PREVIEW_PARAMS_MAX], *texts[PREVIEW_PARAMS_MAX];
	dash_refresh_engine(d);
	if (d->rules.current.version != p->version && !p->confirm && !d->cfg->read_only) {
		p->confirm = true;
		snprintf(p->status, sizeof p->status,
			 "the rules changed (v%llu -> v%llu): p again publishes, s re-runs",
			 (unsigned long long)p->version,
			 (unsigned long long)d->rules.current.version);
		p->status_role = ROLE_BANNER_WARN;
		return DIRTY_OVERLAY;
	}
	for (int k = 0; k < p->n_params; k++) {
		names[k] = p->names[k];
		texts[k] = p->texts[k];
	}
	if (engine_rule_update(d->e, p->rule, p->enabled, names, texts, (size_t)p->n_params, err,
			       sizeof err) != 0) {
		char safe[400];
		text_sanitize(safe, sizeof safe, err, strlen(err), -1);
		snprintf(p->status, sizeof p->status, "%s", safe);
		p->status_role = ROLE_ERROR;
		return DIRTY_OVERLAY;
	}
	int rule = p->rule, enabled = p->enabled, n = p->n_params;
	close_preview(d);
	if (enabled >= 0)
		dash_message(d, ROLE_FOOTER_MESSAGE,
			     "rule %d %s turned %s (new rule set published)", rule + 1,
			     fraud_rule_defs[rule].id, enabled ? "on" : "off");
	else
		dash_message(d, ROLE_FOOTER_MESSAGE,
			     "rule %s: %d parameter%s changed (new rule set published)",
			     fraud_rule_defs[rule].id, n, n == 1 ? "" : "s");
	dash_pane(d, PANE_RULES)->sel = rule;
	dash_refresh_engine(d);
	dash_mark_pane(d, PANE_RULES);
	return DIRTY_ALL;
}

static void
ensure_lines(struct dash *d, struct whatif_preview *p, int width)
{
	if (p->state != WHATIF_JOB_DONE || (p->n_lines > 0 && p->lines_width == width))
		return;
	p->n_lines = whatif_lines(&p->rep, width, d->g->utf8, p->lines, WHATIF_LINES_MAX);
	p->lines_width = width;
}

/* The line of example sel, or -1. */
static int
example_line(const struct whatif_preview *p)
{
	for (int i = 0; i < p->n_lines; i++)
		if (p->lines[i].example == p->sel)
			return i;
	return -1;
}

static void
draw(struct dash *d)
{
	struct whatif_preview *p = d->preview;
	if (!p)
		return;
	int w = d->cols - 4 > 96 ? 96 : d->cols - 4;
	ensure_lines(d, p, w - 4);
	/* frame, span line, warning, lines (or progress), status */
	int h = 2 + 2 + (p->state == WHATIF_JOB_DONE ? p->n_lines : 2) + 2;
	if (h < 12)
		h = 12;
	if (h > d->lines - 2)
		h = d->lines - 2;
	overlay_window(d, h, w);
	if (!d->win_ovl)
		return;
	WINDOW *win = d->win_ovl;
	char title[320];
	snprintf(title, sizeof title, "What if: %s", p->change);
	overlay_frame(d, title);
	int cols = getmaxx(win) - 4, bottom = getmaxy(win) - 2;
	int y = 1;
	char line[512];

	snprintf(line, sizeof line, "the %s of '%s', rules v%llu in force (s: span)",
		 whatif_span_label(p->span), d->cfg->topics[TOPIC_ORDERS],
		 (unsigned long long)p->version);
	char safe[512];
	text_sanitize(safe, sizeof safe, line, strlen(line), cols);
	draw_text(win, y++, 2, cols, dash_attr(d, ROLE_DIM), safe);
	if (d->rules.current.version != p->version && y <= bottom) {
		snprintf(line, sizeof line,
			 "the rules changed since this preview (now v%llu): s runs it again",
			 (unsigned long long)d->rules.current.version);
		draw_text(win, y++, 2, cols, dash_attr(d, ROLE_BANNER_WARN), line);
	}
	/* the last rows: the status, the keys */
	int last = bottom;
	if (p->status[0]) {
		int len = (int)strlen(p->status), cut = len;
		if (text_width(p->status) > cols && cols > 10) {
			cut = cols < len ? cols : len;
			while (cut > 0 && p->status[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = cols;
		}
		if (cut < len) {
			char first[400];
			snprintf(first, sizeof first, "%.*s", cut, p->status);
			draw_text(win, last - 1, 2, cols, dash_attr(d, p->status_role), first);
			draw_text(win, last, 2, cols, dash_attr(d, p->status_role),
				  p->status + cut + 1);
			last -= 2;
		} else {
			draw_text(win, last, 2, cols, dash_attr(d, p->status_role), p->status);
			last--;
		}
	}
	if (p->state == WHATIF_JOB_RUNNING) {
		if (p->planned < 0)
			snprintf(line, sizeof line, "connecting to the orders topic...");
		else
			snprintf(line, sizeof line, "replaying... %llu of %lld orders read",
				 (unsigned long long)p->read, (long long)p->planned);
		draw_text(win, y + 1, 2, cols, dash_attr(d, ROLE_TEXT), line);
		wnoutrefresh(win);
		return;
	}
	if (p->state == WHATIF_JOB_FAILED) {
		char e[300];
		text_sanitize(e, sizeof e, p->err, strlen(p->err), -1);
		snprintf(line, sizeof line, "the preview failed: %s", e);
		draw_text(win, y + 1, 2, cols, dash_attr(d, ROLE_ERROR), line);
		wnoutrefresh(win);
		return;
	}
	ensure_lines(d, p, cols);
	int rows = last - y + 1;
	if (rows < 1) {
		wnoutrefresh(win);
		return;
	}
	p->rows = rows;
	int sl = example_line(p);
	if (sl >= 0 && sl < p->top)
		p->top = sl;
	if (sl >= 0 && sl >= p->top + rows)
		p->top = sl - rows + 1;
	if (p->top > p->n_lines - rows)
		p->top = p->n_lines - rows;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < rows && p->top + i < p->n_lines; i++) {
		const struct whatif_line *l = &p->lines[p->top + i];
		bool selected = l->example >= 0 && l->example == p->sel;
		if (selected) {
			draw_fill(win, y + i, 2, cols, dash_attr(d, ROLE_SELECTION));
			draw_text(win, y + i, 2, cols, dash_attr(d, ROLE_SELECTION), l->text);
			if (cols > 2)
				draw_text(win, y + i, 2, 1, dash_attr(d, ROLE_SELECTION), ">");
		} else {
			draw_text(win, y + i, 2, cols, dash_attr(d, l->role), l->text);
		}
	}
	wnoutrefresh(win);
}

static int
key(struct dash *d, int k)
{
	struct whatif_preview *p = d->preview;
	if (!p)
		return 0;
	int n = p->state == WHATIF_JOB_DONE ? whatif_examples(&p->rep) : 0;
	switch (k) {
	case 27:
	case 'q':
	case KEY_F(10): {
		char id[64];
		snprintf(id, sizeof id, "%s", fraud_rule_defs[p->rule].id);
		close_preview(d);
		dash_message(d, ROLE_FOOTER_MESSAGE, "what-if of rule %s closed: nothing published",
			     id);
		return DIRTY_ALL;
	}
	case KEYCODE_CTRL('c'):
		close_preview(d);
		d->quit = true;
		return 0;
	case 'p': return publish(d, p);
	case 's':
		p->span = (p->span + 1) % WHATIF_SPANS;
		run(d, p);
		return DIRTY_OVERLAY;
	case KEY_UP:
	case 'k':
		if (p->sel > 0)
			p->sel--;
		return DIRTY_OVERLAY;
	case KEY_DOWN:
	case 'j':
		if (p->sel + 1 < n)
			p->sel++;
		return DIRTY_OVERLAY;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		const char *id = n > 0 ? whatif_example_id(&p->rep, p->sel, NULL) : NULL;
		if (!id)
			return 0;
		char oid[ORDER_ID_MAX + 1];
		snprintf(oid, sizeof oid, "%s", id);
		/* the detail replaces the preview in d->ovl; closing it brings
		 * the preview back */
		d->ovl = NULL;
		int dirty = detail_open(d, oid);
		if (d->ovl == &detail_def) {
			d->ovl_back = &whatif_preview_def;
		} else {
			d->ovl = &whatif_preview_def;
			p->status[0] = '\0';
		}
		return dirty | DIRTY_ALL;
	}
	default: return 0;
	}
}

const struct overlay_def whatif_preview_def = {
	.name = "whatif",
	.hint = "p:publish|Esc:cancel|s:span|↑↓:example|Enter:order detail",
	.draw = draw,
	.key = key,
	.fd = fd,
	.pump = pump,
	.close = close_preview,
};
