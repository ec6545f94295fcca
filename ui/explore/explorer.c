/*
 * explorer.c — the explorer screen (explorer.h): its window, the tab line
 * of the views, the status line ("loading…", errors, what the embedded
 * broker cannot answer), the body drawn by the current view (xp_view),
 * and the routing of keys and of the worker's replies.  The worker is
 * started the first time the screen is shown.
 */
#include "explorer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "xp.h"

static const struct xp_view *const views[XP__VIEWS] = {
	[XP_TOPICS] = &xp_topics_view,
	[XP_GROUPS] = &xp_groups_view,
	[XP_MESSAGES] = &xp_messages_view,
};

/* ---- switching ---- */

static void
set_hint(struct dash *d)
{
	struct explorer *x = d->explorer;
	d->explore_hint =
		x->prompt != XP_PROMPT_NONE ? "Enter:apply|Esc:cancel" : views[x->view]->hint;
}

static void
show_view(struct dash *d, enum xp_view_id v)
{
	struct explorer *x = d->explorer;
	x->view = v;
	x->status[0] = '\0';
	views[v]->fetch(d, x, false);
	set_hint(d);
}

static int
start(struct dash *d)
{
	struct explorer *x = calloc(1, sizeof *x);
	if (x == NULL)
		return -1;
	d->explorer = x;
	x->msg_partition = -1;
	x->remaining = -1;
	snprintf(x->msg_start_text, sizeof x->msg_start_text, "beginning");
	x->msg_start.kind = EXPLORE_START_BEGINNING;
	int timeout = d->cfg->timeout > 0 ? (int)(d->cfg->timeout * 1000) : 10000;
	struct broker_status bs;
	engine_broker_status(d->e, &bs);
	x->w = explore_worker_start(d->cfg, bs.bootstraps, timeout, x->werr, sizeof x->werr);
	if (x->w == NULL)
		xp_status(x, true, "%s", x->werr);
	return 0;
}

int
explorer_toggle(struct dash *d)
{
	if (d->explorer == NULL && start(d) != 0) {
		dash_message(d, ROLE_ERROR, "out of memory");
		return DIRTY_FOOTER;
	}
	d->explore_on = !d->explore_on;
	if (d->explore_on) {
		show_view(d, d->explorer->view);
	} else {
		struct explorer *x = d->explorer;
		d->explore_hint = NULL;
		x->prompt = XP_PROMPT_NONE;
		curs_set(0);
		if (x->msg_tail) { /* no reading for a screen not shown */
			struct explore_job j = { .kind = EXPLORE_JOB_TAIL_OFF };
			x->msg_tail = false;
			x->msg_job = 0;
			x->msg_loading = false;
			xp_submit(d, &j);
		}
	}
	return DIRTY_LAYOUT | DIRTY_ALL | DIRTY_CLEAR;
}

/* ---- keys ---- */

static int
command(struct dash *d, struct explorer *x, const char *cmd)
{
	char word[32] = "", arg[EXPLORE_NAME_MAX] = "";
	sscanf(cmd, " %31s %255s", word, arg);
	if (strcmp(word, "topics") == 0 || strcmp(word, "t") == 0)
		show_view(d, XP_TOPICS);
	else if (strcmp(word, "groups") == 0 || strcmp(word, "g") == 0)
		show_view(d, XP_GROUPS);
	else if (strcmp(word, "messages") == 0 || strcmp(word, "m") == 0) {
		if (arg[0])
			xp_messages_show(d, x, arg);
		else
			show_view(d, XP_MESSAGES);
	} else if (strcmp(word, "produce") == 0 || strcmp(word, "p") == 0)
		return xp_produce_open(d, arg[0] ? arg : x->msg_topic);
	else if (strcmp(word, "pipeline") == 0 || strcmp(word, "q") == 0)
		return explorer_toggle(d);
	else
		dash_message(d, ROLE_ERROR,
			     "unknown command \"%.40s\": topics, groups, messages TOPIC, produce "
			     "[TOPIC], pipeline",
			     word);
	return DIRTY_ALL;
}

int
explorer_key(struct dash *d, int key)
{
	struct explorer *x = d->explorer;
	if (x == NULL)
		return -1;
	if (x->prompt != XP_PROMPT_NONE) {
		enum xp_prompt_kind kind = x->prompt;
		int r = xp_prompt_key(d, x, key);
		if (kind == XP_PROMPT_COMMAND && x->prompt == XP_PROMPT_NONE && key != 27) {
			char cmd[EXPLORE_JQ_MAX];
			snprintf(cmd, sizeof cmd, "%s", x->prompt_buf);
			r |= command(d, x, cmd);
		}
		set_hint(d);
		return r | DIRTY_ALL;
	}
	int r = views[x->view]->key(d, x, key);
	if (r >= 0) {
		set_hint(d);
		return r | DIRTY_PANES;
	}
	switch (key) {
	case '1':
	case '2':
	case '3': show_view(d, (enum xp_view_id)(key - '1')); return DIRTY_ALL;
	case '\t':
	case KEY_BTAB:
		show_view(d,
			  (enum xp_view_id)((x->view + (key == '\t' ? 1 : XP__VIEWS - 1)) %
					    XP__VIEWS));
		return DIRTY_ALL;
	case ':': xp_prompt_open(x, XP_PROMPT_COMMAND, ":", ""); break;
	case 'P':
		if (xp_read_only(d, "produce"))
			return DIRTY_FOOTER;
		return xp_produce_open(d, x->msg_topic);
	case 'r': views[x->view]->fetch(d, x, true); break;
	default: return -1;
	}
	set_hint(d);
	return DIRTY_ALL;
}

/* ---- replies ---- */

int
explorer_fd(const struct dash *d)
{
	return d->explorer && d->explorer->w ? explore_worker_fd(d->explorer->w) : -1;
}

int
explorer_pump(struct dash *d)
{
	struct explorer *x = d->explorer;
	struct explore_reply *r;
	int dirty = 0;
	if (x == NULL || x->w == NULL)
		return 0;
	for (int i = 0; i < 16 && (r = explore_worker_take(x->w)) != NULL; i++) {
		if (r->job == x->produce_job) {
			xp_produce_reply(d, r);
		} else if (r->job == x->reset_job || r->job == x->reset_exec_job ||
			   r->job == x->redrive_job || r->job == x->redrive_exec_job) {
			dirty |= xp_confirm_reply(d, r);
		} else {
			for (int v = 0; v < XP__VIEWS; v++)
				views[v]->reply(d, x, r);
		}
		explore_reply_free(r);
		dirty |= DIRTY_PANES | DIRTY_FOOTER | DIRTY_OVERLAY;
	}
	return d->explore_on ? dirty : dirty & DIRTY_FOOTER;
}

void
explorer_tick(struct dash *d)
{
	struct explorer *x = d->explorer;
	if (x && d->explore_on)
		views[x->view]->fetch(d, x, false);
}

void
explorer_free(struct dash *d)
{
	struct explorer *x = d->explorer;
	if (x == NULL)
		return;
	explore_worker_stop(x->w);
	explore_topic_list_free(&x->topics);
	explore_group_list_free(&x->groups);
	free(x->group_order);
	xp_messages_free(x);
	free(x);
	d->explorer = NULL;
	if (d->win_explore)
		delwin(d->win_explore);
	d->win_explore = NULL;
}

/* ---- drawing ---- */

void
explorer_draw(struct dash *d)
{
	struct explorer *x = d->explorer;
	int h = d->lines - 1, w = d->cols;
	if (x == NULL || h < 4)
		return;
	if (d->win_explore == NULL || getmaxy(d->win_explore) != h ||
	    getmaxx(d->win_explore) != w) {
		if (d->win_explore)
			delwin(d->win_explore);
		d->win_explore = newwin(h, w, 0, 0);
		if (d->win_explore == NULL)
			return;
	}
	WINDOW *win = d->win_explore;
	wbkgdset(win, dash_attr(d, ROLE_TEXT) | ' ');
	werase(win);

	/* The tab line */
	struct draw_row row;
	draw_row_begin(&row, win, 0, 0, w, false, 0);
	draw_row_put(&row, dash_attr(d, ROLE_HEADER_TITLE), " ordertop explorer ");
	for (int v = 0; v < XP__VIEWS; v++) {
		char tab[48];
		snprintf(tab, sizeof tab, " %d %s ", v + 1, views[v]->name);
		draw_row_put(
			&row,
			dash_attr(d, v == (int)x->view ? ROLE_PANE_TITLE_FOCUS : ROLE_PANE_TAB),
			tab);
	}
	char where[600];
	struct broker_status bs;
	engine_broker_status(d->e, &bs);
	snprintf(where, sizeof where, "  %s%s", bs.embedded ? "embedded " : "", bs.bootstraps);
	draw_row_put(&row, dash_attr(d, ROLE_DIM), where);
	draw_row_end(&row);

	/* The status line */
	bool busy = x->w && explore_worker_pending(x->w) > 0;
	char line[640];
	if (x->status[0])
		snprintf(line, sizeof line, "%s%s", busy && !x->status_error ? "loading… " : "",
			 x->status);
	else
		snprintf(line, sizeof line, "%s", busy ? "loading…" : "");
	draw_text(win, 1, 1, w - 2, dash_attr(d, x->status_error ? ROLE_ERROR : ROLE_DIM), line);

	int body_h = h - 3;
	if (body_h > 0)
		views[x->view]->draw(d, x, win, 2, 0, body_h, w);
	if (x->prompt != XP_PROMPT_NONE)
		xp_prompt_draw(d, x, win, h - 1, w);
	wnoutrefresh(win);
}
