/*
 * pane_status.c — the order status table: the orders the monitor knows,
 * most recently changed first (order_table_recent): glyphs for the decision
 * and the final state (so status never depends on colour), id, user,
 * total, status and age.  Orders not final after DASH_STUCK_MS stand out.
 *
 * While following, every refresh re-reads the newest rows.  Moving the
 * selection freezes the list (the rows keep their place, their status
 * still updates through a small hash of the frozen ids) and counts the new
 * orders that arrived meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "event_match.h"
#include "panes.h"
#include "status_style.h"

#define STATUS_SCAN 2000 /* rows read when frozen or filtering */
#define STATUS_HASH 4096 /* > 2 * STATUS_SCAN, power of two */

static struct order_row scan_buf[STATUS_SCAN];
static int hash_idx[STATUS_HASH];

static uint32_t
hash_id(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
hash_build(const struct status_rows *st)
{
	for (int i = 0; i < STATUS_HASH; i++)
		hash_idx[i] = -1;
	for (size_t i = 0; i < st->n; i++) {
		uint32_t h = hash_id(st->rows[i].order_id) & (STATUS_HASH - 1);
		while (hash_idx[h] >= 0)
			h = (h + 1) & (STATUS_HASH - 1);
		hash_idx[h] = (int)i;
	}
}

static int
hash_find(const struct status_rows *st, const char *id)
{
	uint32_t h = hash_id(id) & (STATUS_HASH - 1);
	while (hash_idx[h] >= 0) {
		if (strcmp(st->rows[hash_idx[h]].order_id, id) == 0)
			return hash_idx[h];
		h = (h + 1) & (STATUS_HASH - 1);
	}
	return -1;
}

static bool
row_match(const struct order_row *r, const char *f)
{
	return pane_text_match(r->order_id, f) || pane_text_match(r->user_id, f) ||
		pane_text_match(r->item, f) || pane_text_match(r->fired, f) ||
		pane_text_match(order_status_name(r->status), f);
}

static bool
is_final(int status)
{
	return status == ORDER_NOTIFIED || status == ORDER_DEAD_LETTERED;
}

static void
count_stuck(struct dash *d)
{
	struct status_rows *st = &d->status;
	int64_t now = now_ms();
	st->stuck = 0;
	for (size_t i = 0; i < st->n; i++)
		if (!is_final(st->rows[i].status) && st->rows[i].created_ms > 0 &&
		    now - st->rows[i].created_ms > DASH_STUCK_MS)
			st->stuck++;
}

/* Reads up to want rows, filtered, into the table. */
static void
fetch(struct dash *d, size_t want)
{
	struct status_rows *st = &d->status;
	struct pane *p = dash_pane(d, PANE_STATUS);
	const char *f = p->filter;

	if (want > st->cap)
		want = st->cap;
	if (!f[0]) {
		st->n = order_table_recent(engine_orders(d->e), st->rows, want);
	} else {
		size_t n = order_table_recent(engine_orders(d->e), scan_buf, STATUS_SCAN);
		st->n = 0;
		for (size_t i = 0; i < n && st->n < want; i++)
			if (row_match(&scan_buf[i], f))
				st->rows[st->n++] = scan_buf[i];
	}
	st->fetched_ms = mono_ms();
}

static void
freeze(struct dash *d, struct pane *p)
{
	if (!p->follow)
		return;
	fetch(d, STATUS_SCAN);
	hash_build(&d->status);
	p->follow = false;
	p->unseen = 0;
}

void
pane_status_event(struct dash *d, const struct event *ev)
{
	struct pane *p = dash_pane(d, PANE_STATUS);
	if (!p->follow && ev->topic == TOPIC_ORDERS) {
		if (!p->filter[0] || event_match(ev, p->filter))
			p->unseen++;
	}
	p->dirty = true;
}

void
pane_status_refresh(struct dash *d)
{
	struct pane *p = dash_pane(d, PANE_STATUS);
	struct status_rows *st = &d->status;

	if (p->follow) {
		size_t want = (size_t)(p->rows > 0 ? p->rows : 60);
		fetch(d, want);
		p->sel = 0;
		p->top = 0;
	} else {
		size_t n = order_table_recent(engine_orders(d->e), scan_buf, STATUS_SCAN);
		for (size_t i = 0; i < n; i++) {
			int k = hash_find(st, scan_buf[i].order_id);
			if (k >= 0)
				st->rows[k] = scan_buf[i];
		}
	}
	count_stuck(d);
	if (st->stuck > 0)
		snprintf(p->title, sizeof p->title, "Orders %s %d stuck", d->g->stuck, st->stuck);
	else
		snprintf(p->title, sizeof p->title, "Orders");
}

static void
draw(struct dash *d, struct pane *p, WINDOW *win, int y, int x, int h, int w)
{
	struct status_rows *st = &d->status;
	int body = h - 1;
	if (body < 1)
		return;
	p->rows = body;
	p->body_rows_offset = 1;
	pane_clamp(p, (int)st->n, body);

	/* Columns */
	int gw = 3, tw = 9, sw = 8, aw = 6;
	int rest = w - gw - tw - 1 - sw - 1 - aw - 1;
	int uw = w >= 60 ? rest * 40 / 100 : 0;
	int iw = rest - (uw ? uw + 1 : 0);
	if (iw < 4)
		iw = 4;

	struct draw_row r;
	attr_t ch = dash_attr(d, ROLE_COLUMN_HEADER);
	draw_row_begin(&r, win, y, x, w, false, 0);
	draw_row_col(&r, ch, "", gw);
	draw_row_col(&r, ch, "order", iw);
	draw_row_col(&r, ch, " ", 1);
	if (uw) {
		draw_row_col(&r, ch, "user", uw);
		draw_row_col(&r, ch, " ", 1);
	}
	draw_row_rcol(&r, ch, "total", tw);
	draw_row_col(&r, ch, " ", 1);
	draw_row_col(&r, ch, "status", sw);
	draw_row_rcol(&r, ch, "age", aw + 1);

	if (st->n == 0) {
		draw_text(win, y + 1, x, w, dash_attr(d, ROLE_DIM),
			  p->filter[0] ? "(no order matches the filter)" : "(no orders yet)");
		return;
	}
	int64_t now = now_ms();
	for (int i = 0; i < body && p->top + i < (int)st->n; i++) {
		const struct order_row *o = &st->rows[p->top + i];
		bool sel = (p->top + i == p->sel) && (!p->follow || d->focus_pane == PANE_STATUS);
		bool stuck = !is_final(o->status) && o->created_ms > 0 &&
			now - o->created_ms > DASH_STUCK_MS;
		int srole = status_style_role(o->status);
		attr_t base = stuck ? dash_attr(d, ROLE_STATUS_STUCK) : dash_attr(d, ROLE_TEXT);
		attr_t sa = stuck ? base : dash_attr(d, srole);
		char glyphs[32], id[ORDER_ID_MAX * 3], user[ORDER_ID_MAX * 3], total[32], age[32];

		int dec = o->decision;
		if (dec != ORDER_APPROVED && dec != ORDER_REFUSED)
			dec = (o->status == ORDER_APPROVED || o->status == ORDER_REFUSED)
				? o->status
				: ORDER_NEW;
		const char *fin = o->status == ORDER_NOTIFIED
			? status_style_glyph(d, ORDER_NOTIFIED)
			: o->status == ORDER_DEAD_LETTERED
			? status_style_glyph(d, ORDER_DEAD_LETTERED)
			: " ";
		if (o->status == ORDER_DEAD_LETTERED)
			snprintf(glyphs, sizeof glyphs, "%s ", fin);
		else
			snprintf(glyphs, sizeof glyphs, "%s%s", status_style_glyph(d, dec), fin);

		draw_row_begin(&r, win, y + 1 + i, x, w, sel, dash_attr(d, ROLE_SELECTION));
		draw_row_col(&r, sa, glyphs, gw);
		draw_cut_left(id, sizeof id, o->order_id, iw, d->g->ellipsis);
		draw_row_col(&r, base, id, iw);
		draw_row_col(&r, base, " ", 1);
		if (uw) {
			draw_cut_right(user, sizeof user, o->user_id, uw, d->g->ellipsis);
			draw_row_col(&r, base, user, uw);
			draw_row_col(&r, base, " ", 1);
		}
		if (o->total >= 0)
			snprintf(total, sizeof total, "%.2f", o->total);
		else
			snprintf(total, sizeof total, "-");
		draw_row_rcol(&r, base, total, tw);
		draw_row_col(&r, base, " ", 1);
		draw_row_col(&r, sa,
			     o->status == ORDER_DEAD_LETTERED ? "DEAD"
							      : order_status_name(o->status),
			     sw);
		fmt_age(age, sizeof age, o->created_ms > 0 ? now - o->created_ms : 0);
		if (stuck) {
			char a2[48];
			snprintf(a2, sizeof a2, "%s%s", d->g->stuck, age);
			draw_row_rcol(&r, base, a2, aw + 1);
		} else {
			draw_row_rcol(&r, dash_attr(d, ROLE_DIM), age, aw + 1);
		}
		draw_row_end(&r);
	}
}

static void
seek(struct dash *d, struct pane *p, int delta)
{
	if (delta <= PANE_HOME) {
		p->follow = true;
		p->unseen = 0;
		p->sel = 0;
		p->top = 0;
		pane_status_refresh(d);
		return;
	}
	freeze(d, p);
	if (delta >= PANE_END)
		p->sel = (int)d->status.n - 1;
	else
		p->sel += delta;
	pane_clamp(p, (int)d->status.n, p->rows);
	p->dirty = true;
}

static void
follow(struct dash *d, struct pane *p)
{
	seek(d, p, PANE_HOME);
}

static bool
selected_order(struct dash *d, struct pane *p, char *id, size_t len)
{
	if (d->status.n == 0 || p->sel < 0 || p->sel >= (int)d->status.n)
		return false;
	snprintf(id, len, "%s", d->status.rows[p->sel].order_id);
	return true;
}

static void
click(struct dash *d, struct pane *p, int row)
{
	if (row < 1)
		return;
	int target = p->top + row - 1;
	if (target >= (int)d->status.n)
		return;
	if (p->follow && target == 0)
		return; /* the top row is selected already */
	freeze(d, p);
	p->sel = target;
	pane_clamp(p, (int)d->status.n, p->rows);
	p->dirty = true;
}

static void
filter_changed(struct dash *d, struct pane *p)
{
	if (!p->follow) {
		p->follow = true;
		freeze(d, p);
	}
	pane_status_refresh(d);
}

const struct pane_def pane_status_def = {
	.name = "status",
	.draw = draw,
	.seek = seek,
	.follow = follow,
	.selected_order = selected_order,
	.click = click,
	.filter_changed = filter_changed,
	.hint = "Enter:detail|/:filter",
	.newest_first = true,
};
