/*
 * xp_messages.c — the explorer's Messages view of any topic: from the
 * beginning, the end, an offset or a time (`s`), one partition or all
 * (`p`), a jq filter over value, key and headers (`/`, jq's own error
 * shown when it is wrong), a page at a time (more is read when the
 * selection reaches the bottom, or `n`), live tail on and off (`F`).
 * Only the latest XP_KEEP records are kept.  Each row shows
 * partition@offset, time, key, headers and value, escaped; Enter opens
 * the record.  `D` plans a re-drive of the dead letters the filter picks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "text_sanitize.h"
#include "xp.h"

static struct explore_record *
rec_at(struct explorer *x, size_t i)
{
	return &x->recs[(x->head + i) % XP_KEEP];
}

void
xp_messages_free(struct explorer *x)
{
	for (size_t i = 0; x->recs && i < x->n_recs; i++)
		explore_record_clear(rec_at(x, i));
	free(x->recs);
	x->recs = NULL;
	x->n_recs = x->head = 0;
}

const struct explore_record *
xp_messages_selected(struct explorer *x)
{
	if (x->n_recs == 0 || x->msg_sel < 0 || (size_t)x->msg_sel >= x->n_recs)
		return NULL;
	return rec_at(x, (size_t)x->msg_sel);
}

static void
take(struct explorer *x, struct explore_reply *r)
{
	if (x->recs == NULL && (x->recs = calloc(XP_KEEP, sizeof *x->recs)) == NULL)
		return;
	bool at_bottom = x->n_recs == 0 || x->msg_sel >= (int)x->n_recs - 1;
	for (size_t i = 0; i < r->n_records; i++) {
		if (x->n_recs == XP_KEEP) {
			explore_record_clear(&x->recs[x->head]);
			x->recs[x->head] = r->records[i];
			x->head = (x->head + 1) % XP_KEEP;
			x->dropped++;
			if (x->msg_sel > 0)
				x->msg_sel--;
		} else {
			*rec_at(x, x->n_recs++) = r->records[i];
		}
		memset(&r->records[i], 0, sizeof r->records[i]);
	}
	if (x->msg_tail && at_bottom && x->n_recs)
		x->msg_sel = (int)x->n_recs - 1;
}

void
xp_messages_restart(struct dash *d, struct explorer *x)
{
	xp_messages_free(x);
	x->msg_sel = x->msg_top = 0;
	x->dropped = 0;
	x->scanned = 0;
	x->remaining = -1;
	x->msg_at_end = false;
	if (!x->msg_topic[0]) {
		xp_status(x, false, "no topic: Enter on a topic in Topics, or t to name one");
		return;
	}
	struct explore_job j = { .kind = EXPLORE_JOB_MESSAGES,
				 .partition = x->msg_partition,
				 .start = x->msg_start,
				 .follow = x->msg_tail };
	snprintf(j.topic, sizeof j.topic, "%s", x->msg_topic);
	snprintf(j.jq, sizeof j.jq, "%s", x->msg_jq);
	x->msg_job = xp_submit(d, &j);
	x->msg_loading = x->msg_job != 0;
	xp_status(x, false, "reading %.200s", x->msg_topic);
}

void
xp_messages_show(struct dash *d, struct explorer *x, const char *topic)
{
	snprintf(x->msg_topic, sizeof x->msg_topic, "%s", topic);
	x->view = XP_MESSAGES;
	d->explore_hint = xp_messages_view.hint;
	xp_messages_restart(d, x);
}

static void
more(struct dash *d, struct explorer *x)
{
	if (x->msg_loading || x->msg_at_end || x->msg_tail || !x->msg_job)
		return;
	struct explore_job j = { .kind = EXPLORE_JOB_MORE };
	uint64_t id = xp_submit(d, &j);
	if (id) {
		x->msg_job = id;
		x->msg_loading = true;
	}
}

static void
draw(struct dash *d, struct explorer *x, WINDOW *win, int y, int x0, int h, int w)
{
	char line[1024], safe[1024], part[16];
	if (x->msg_partition < 0)
		snprintf(part, sizeof part, "all");
	else
		snprintf(part, sizeof part, "%" PRId32, x->msg_partition);
	snprintf(line, sizeof line, "topic %s  partition %s  from %s  tail %s  jq %s", x->msg_topic,
		 part, x->msg_start_text, x->msg_tail ? "on" : "off",
		 x->msg_jq[0] ? x->msg_jq : "-");
	draw_sanitize(safe, sizeof safe, line, w - 2);
	draw_text(win, y, x0 + 1, w - 2, dash_attr(d, ROLE_COLUMN_HEADER), safe);
	snprintf(line, sizeof line, "%zu shown%s%s%s", x->n_recs,
		 x->dropped ? " (older ones dropped)" : "",
		 x->msg_at_end         ? ", end reached"
			 : x->msg_tail ? ", tailing"
				       : ", n: more",
		 x->msg_loading ? ", reading…" : "");
	draw_text(win, y + 1, x0 + 1, w - 2, dash_attr(d, ROLE_DIM), line);
	int rows = h - 2;
	if (rows < 1)
		return;
	xp_scroll(x->msg_sel, &x->msg_top, rows);
	for (int r = 0; r < rows && (size_t)(x->msg_top + r) < x->n_recs; r++) {
		int i = x->msg_top + r;
		const struct explore_record *rec = rec_at(x, (size_t)i);
		char ts[32], key[128], hdr[256], val[768];
		fmt_time(ts, sizeof ts, rec->timestamp_ms, 1);
		if (rec->key)
			text_sanitize(key, sizeof key, rec->key, rec->key_len, 24);
		else
			snprintf(key, sizeof key, "-");
		hdr[0] = '\0';
		size_t o = 0;
		for (size_t k = 0; k < rec->n_headers && o + 8 < sizeof hdr; k++) {
			char hn[64], hv[96];
			text_sanitize(hn, sizeof hn, rec->headers[k].name,
				      strlen(rec->headers[k].name), 20);
			if (rec->headers[k].value)
				text_sanitize(hv, sizeof hv, rec->headers[k].value,
					      rec->headers[k].len, 24);
			else
				snprintf(hv, sizeof hv, "null");
			o += (size_t)snprintf(hdr + o, sizeof hdr - o, "%s%s=%s", k ? "," : "[", hn,
					      hv);
		}
		if (rec->n_headers && o + 2 < sizeof hdr)
			snprintf(hdr + o, sizeof hdr - o, "]");
		if (rec->value)
			text_sanitize(val, sizeof val, rec->value, rec->value_len, w);
		else
			snprintf(val, sizeof val, "(tombstone)");
		struct draw_row dr;
		draw_row_begin(&dr, win, y + 2 + r, x0, w, i == x->msg_sel,
			       dash_attr(d, ROLE_SELECTION));
		snprintf(line, sizeof line, " %" PRId32 "@%-8" PRId64 " ", rec->partition,
			 rec->offset);
		draw_row_put(&dr, dash_attr(d, ROLE_DIM), line);
		draw_row_put(&dr, dash_attr(d, ROLE_DIM), ts);
		draw_row_put(&dr, dash_attr(d, ROLE_TEXT), " ");
		draw_row_put(&dr, dash_attr(d, ROLE_JSON_KEY), key);
		draw_row_put(&dr, dash_attr(d, ROLE_TEXT), " ");
		if (hdr[0]) {
			draw_row_put(&dr, dash_attr(d, ROLE_DIM), hdr);
			draw_row_put(&dr, dash_attr(d, ROLE_TEXT), " ");
		}
		draw_row_put(&dr, dash_attr(d, ROLE_TEXT), val);
		draw_row_end(&dr);
	}
	if (x->n_recs == 0 && !x->msg_loading)
		draw_text(win, y + 2, x0 + 1, w - 2, dash_attr(d, ROLE_DIM),
			  x->msg_topic[0] ? "no records (s: start elsewhere, F: tail)"
					  : "no topic chosen (t: name one)");
}

static void
fetch(struct dash *d, struct explorer *x, bool force)
{
	if (force)
		xp_messages_restart(d, x);
}

static void
reply(struct dash *d, struct explorer *x, struct explore_reply *r)
{
	(void)d;
	if ((r->kind != EXPLORE_JOB_MESSAGES && r->kind != EXPLORE_JOB_MORE) ||
	    r->job != x->msg_job)
		return;
	x->msg_loading = false;
	if (r->rc < 0) {
		xp_status(x, true, "%s", r->err);
		return;
	}
	if (r->kind == EXPLORE_JOB_MESSAGES)
		x->remaining = r->remaining;
	x->scanned += r->scanned;
	if (r->at_end)
		x->msg_at_end = true;
	take(x, r);
	if (x->view == XP_MESSAGES)
		xp_status(x, false, "%zu record%s read; %" PRId64 " from the start to the end",
			  x->scanned, x->scanned == 1 ? "" : "s", x->remaining);
}

static int
key(struct dash *d, struct explorer *x, int k)
{
	int page = 10;
	if (xp_move(k, &x->msg_sel, (int)x->n_recs, page)) {
		if (x->msg_sel >= (int)x->n_recs - 1)
			more(d, x);
		return DIRTY_PANES;
	}
	switch (k) {
	case 'n': more(d, x); return DIRTY_PANES;
	case 27:
		if (!x->msg_jq[0])
			return -1;
		x->msg_jq[0] = '\0'; /* Esc: the filter goes */
		xp_messages_restart(d, x);
		return DIRTY_ALL;
	case '/': xp_prompt_open(x, XP_PROMPT_JQ, "jq filter:", x->msg_jq); return DIRTY_ALL;
	case 's':
		xp_prompt_open(
			x, XP_PROMPT_START,
			"start (beginning|end|OFFSET|2026-12-01T10:00|-15m):", x->msg_start_text);
		return DIRTY_ALL;
	case 'p': {
		char cur[16] = "all";
		if (x->msg_partition >= 0)
			snprintf(cur, sizeof cur, "%" PRId32, x->msg_partition);
		xp_prompt_open(x, XP_PROMPT_PARTITION, "partition (N or all):", cur);
		return DIRTY_ALL;
	}
	case 't': xp_prompt_open(x, XP_PROMPT_TOPIC, "topic:", x->msg_topic); return DIRTY_ALL;
	case 'F':
		x->msg_tail = !x->msg_tail;
		if (x->msg_tail) {
			/* Like tail -f: what arrives from now on. */
			x->msg_start = (struct explore_start){ .kind = EXPLORE_START_END };
			snprintf(x->msg_start_text, sizeof x->msg_start_text, "end");
			xp_messages_restart(d, x);
		} else {
			struct explore_job j = { .kind = EXPLORE_JOB_TAIL_OFF };
			xp_submit(d, &j);
			x->msg_loading = false;
			x->msg_job = 0;
			xp_status(x, false, "tail off");
		}
		return DIRTY_ALL;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		const struct explore_record *r = xp_messages_selected(x);
		return r ? xp_record_open(d, r) : DIRTY_PANES;
	}
	case 'D':
	case 'd': {
		/* D: the dead letters the filter picks (all when none); d: the
		 * selected one.  Then a jq transform, then the plan. */
		const char *dlq = d->cfg->topics[TOPIC_DLQ];
		bool in_dlq = strcmp(x->msg_topic, dlq) == 0;
		const struct explore_record *sel = xp_messages_selected(x);
		if (xp_read_only(d, "re-driving dead letters"))
			return DIRTY_FOOTER;
		if (k == 'd' && (!in_dlq || sel == NULL)) {
			dash_message(d, ROLE_ERROR,
				     "select a dead letter in %s first (:messages %s)", dlq, dlq);
			return DIRTY_FOOTER;
		}
		if (k == 'd')
			snprintf(x->redrive_where, sizeof x->redrive_where,
				 "$partition == %" PRId32 " and $offset == %" PRId64,
				 sel->partition, sel->offset);
		else
			snprintf(x->redrive_where, sizeof x->redrive_where, "%s",
				 in_dlq ? x->msg_jq : "");
		xp_prompt_open(x, XP_PROMPT_TRANSFORM, "transform (jq, blank: as they are):", "");
		return DIRTY_ALL;
	}
	}
	return -1;
}

const struct xp_view xp_messages_view = {
	.name = "Messages",
	.hint = "Enter:record|/"
		":jq|s:start|F:tail|p:partition|t:topic|n:more|P:produce|D d:re-drive|x:pipeline",
	.draw = draw,
	.key = key,
	.reply = reply,
	.fetch = fetch,
};
