/*
 * detail.c — the order detail overlay: where an order stands, its
 * timeline across the topics (partition, offset, time, latency of each hop
 * and since creation) and its JSON as received, pretty-printed with cJSON.
 * The JSON and every other text from the message is untrusted: each line
 * is sanitized (text_sanitize) before it reaches the screen; bytes that do
 * not parse are shown sanitized, as they are.  Re-read once a second so
 * the status moves while it is open.
 */
#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "overlays.h"
#include "status_style.h"
#include "text_sanitize.h"

#define DETAIL_LINE      512
#define DETAIL_LINES_MAX 4000

struct detail_line {
	int role;
	char text[DETAIL_LINE];
};

struct detail {
	char order_id[ORDER_ID_MAX + 1];
	struct detail_line *lines;
	int n, cap, top, rows;
};

static void add(struct detail *dt, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add(struct detail *dt, int role, const char *fmt, ...)
{
	if (dt->n >= DETAIL_LINES_MAX)
		return;
	if (dt->n == dt->cap) {
		int nc = dt->cap ? dt->cap * 2 : 64;
		struct detail_line *nl = realloc(dt->lines, (size_t)nc * sizeof *nl);
		if (!nl)
			return;
		dt->lines = nl;
		dt->cap = nc;
	}
	struct detail_line *l = &dt->lines[dt->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->role = role;
}

/* Untrusted text, sanitized, cut to `cols`. */
static void
safe(char *dst, size_t len, const char *s, int cols)
{
	text_sanitize(dst, len, s ? s : "", s ? strlen(s) : 0, cols);
}

/* Adds one line of untrusted text, tabs shown as two spaces. */
static void
add_untrusted(struct detail *dt, int role, const char *s, size_t len)
{
	char expanded[DETAIL_LINE], out[DETAIL_LINE];
	size_t k = 0;
	bool lead = true;
	for (size_t i = 0; i < len && k + 3 < sizeof expanded; i++) {
		if (s[i] == '\t') {
			expanded[k++] = ' ';
			if (lead)
				expanded[k++] = ' ';
		} else {
			lead = false;
			expanded[k++] = s[i];
		}
	}
	text_sanitize(out, sizeof out, expanded, k, -1);
	add(dt, role, "%s", out);
}

static void
add_json(struct detail *dt, const char *json)
{
	if (!json || !*json) {
		add(dt, ROLE_DIM, "(the order's JSON was not kept)");
		return;
	}
	size_t len = strlen(json);
	cJSON *root = cJSON_ParseWithLength(json, len);
	char *pretty = root ? cJSON_Print(root) : NULL;
	if (pretty) {
		add(dt, ROLE_COLUMN_HEADER, "JSON as received");
		const char *p = pretty;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			add_untrusted(dt, ROLE_TEXT, p, n);
			p += n + (nl ? 1 : 0);
		}
		free(pretty);
	} else {
		add(dt, ROLE_COLUMN_HEADER, "Payload (not JSON), sanitized:");
		/* Cut into pieces of 100 bytes, each shown sanitized. */
		for (size_t off = 0; off < len && dt->n < DETAIL_LINES_MAX; off += 100) {
			size_t n = len - off < 100 ? len - off : 100;
			char out[DETAIL_LINE];
			text_sanitize(out, sizeof out, json + off, n, -1);
			add(dt, ROLE_TEXT, "%s", out);
		}
	}
	cJSON_Delete(root);
}

/* A latency between two timestamps ("0ms" included; negative = clock skew). */
static void
span(char *buf, size_t len, int64_t ms)
{
	if (ms == 0)
		snprintf(buf, len, "0ms");
	else if (ms < 0)
		snprintf(buf, len, "-%lldms", (long long)-ms);
	else
		fmt_ms(buf, len, (double)ms);
}

static const int stage_order[] = {
	TOPIC_ORDERS, TOPIC_VALID, TOPIC_REFUSED, TOPIC_NOTIFICATIONS, TOPIC_NOTIFIED, TOPIC_DLQ,
};

static int
build(struct dash *d, struct detail *dt)
{
	struct order_detail od;
	memset(&od, 0, sizeof od);
	if (order_table_detail(engine_orders(d->e), dt->order_id, &od) != 0)
		return -1;
	dt->n = 0;
	const struct order_row *r = &od.row;
	char id[256], user[256], item[256], fired[512], total[32];

	safe(id, sizeof id, r->order_id, 80);
	safe(user, sizeof user, r->user_id, 60);
	safe(item, sizeof item, r->item, 60);
	safe(fired, sizeof fired, r->fired, -1);
	if (r->total >= 0)
		snprintf(total, sizeof total, "%.2f", r->total);
	else
		snprintf(total, sizeof total, "-");

	add(dt, ROLE_HEADER_VALUE, "Order %s", id);
	int dec = r->decision == ORDER_APPROVED || r->decision == ORDER_REFUSED ? r->decision : -1;
	if (dec >= 0 && dec != r->status)
		add(dt, status_style_role(r->status), "status  %s %s   (decision %s %s)",
		    status_style_glyph(d, r->status), order_status_name(r->status),
		    status_style_glyph(d, dec), order_status_name(dec));
	else
		add(dt, status_style_role(r->status), "status  %s %s",
		    status_style_glyph(d, r->status), order_status_name(r->status));
	add(dt, ROLE_TEXT, "user    %s", user);
	add(dt, ROLE_TEXT, "item    %s", item);
	add(dt, ROLE_TEXT, "total   %s   rules v%llu   source %s", total,
	    (unsigned long long)r->rules_version, order_table_source_name(r));
	add(dt, r->fired[0] ? ROLE_STATUS_REFUSED : ROLE_TEXT, "fired   %s",
	    r->fired[0] ? fired : "(no rule fired)");
	add(dt, ROLE_TEXT, "%s", "");
	add(dt, ROLE_COLUMN_HEADER, "%-18s %4s %9s  %-12s  %7s  %9s", "topic", "part", "offset",
	    "time", "hop", "since new");

	int64_t prev = 0;
	int64_t created = r->created_ms;
	for (size_t i = 0; i < sizeof stage_order / sizeof stage_order[0]; i++) {
		int t = stage_order[i];
		const struct order_stage *s = &od.stage[t];
		if (!s->seen)
			continue;
		char name[CONFIG_TOPIC_MAX * 2], tm[32], hop[32], since[32];
		safe(name, sizeof name, d->cfg->topics[t], 18);
		fmt_time(tm, sizeof tm, s->ts_ms, 1);
		if (prev > 0)
			span(hop, sizeof hop, s->ts_ms - prev);
		else
			snprintf(hop, sizeof hop, "-");
		if (created > 0)
			span(since, sizeof since, s->ts_ms - created);
		else
			snprintf(since, sizeof since, "-");
		int role = t == TOPIC_ORDERS ? ROLE_STATUS_NEW
			: t == TOPIC_VALID   ? ROLE_STATUS_APPROVED
			: t == TOPIC_REFUSED ? ROLE_STATUS_REFUSED
			: t == TOPIC_DLQ     ? ROLE_STATUS_DEAD
					     : ROLE_STATUS_NOTIFIED;
		add(dt, role, "%-18s %4d %9lld  %-12s  %7s  %9s", name, (int)s->partition,
		    (long long)s->offset, tm, hop, since);
		prev = s->ts_ms;
	}
	add(dt, ROLE_TEXT, "%s", "");
	add_json(dt, od.json);
	free(od.json);
	return 0;
}

static void
close_detail(struct dash *d)
{
	if (!d->detail)
		return;
	free(d->detail->lines);
	free(d->detail);
	d->detail = NULL;
	if (d->ovl == &detail_def)
		overlay_close(d);
}

int
detail_open(struct dash *d, const char *order_id)
{
	struct detail *dt = calloc(1, sizeof *dt);
	if (!dt)
		return 0;
	snprintf(dt->order_id, sizeof dt->order_id, "%s", order_id);
	if (build(d, dt) != 0) {
		char s[256];
		safe(s, sizeof s, order_id, 40);
		free(dt->lines);
		free(dt);
		dash_message(d, ROLE_ERROR, "order %s is not (or no longer) in the order table", s);
		return DIRTY_FOOTER;
	}
	close_detail(d);
	d->detail = dt;
	d->ovl = &detail_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

/* Once a second: re-reads the order, keeping the scroll position. */
static void
reread(struct dash *d)
{
	struct detail *dt = d->detail;
	if (!dt)
		return;
	int top = dt->top;
	if (build(d, dt) == 0)
		dt->top = top;
	d->dirty |= DIRTY_OVERLAY;
}

static void
draw(struct dash *d)
{
	struct detail *dt = d->detail;
	if (!dt)
		return;
	int w = d->cols - 4 > 100 ? 100 : d->cols - 4;
	int h = d->lines - 2;
	if (dt->n + 3 < h)
		h = dt->n + 3;
	overlay_window(d, h, w);
	if (!d->win_ovl)
		return;
	WINDOW *win = d->win_ovl;
	overlay_frame(d, "Order detail");
	int rows = getmaxy(win) - 2, cols = getmaxx(win) - 4;
	dt->rows = rows;
	if (dt->top > dt->n - rows)
		dt->top = dt->n - rows;
	if (dt->top < 0)
		dt->top = 0;
	for (int i = 0; i < rows && dt->top + i < dt->n; i++) {
		const struct detail_line *l = &dt->lines[dt->top + i];
		draw_text(win, 1 + i, 2, cols, dash_attr(d, l->role), l->text);
	}
	if (dt->n > rows) {
		char m[48];
		snprintf(m, sizeof m, " %d-%d/%d ", dt->top + 1,
			 dt->top + rows < dt->n ? dt->top + rows : dt->n, dt->n);
		draw_text_right(win, getmaxy(win) - 1, getmaxx(win) - 2, 20,
				dash_attr(d, ROLE_OVERLAY_BORDER), m);
	}
	wnoutrefresh(win);
}

static int
key(struct dash *d, int k)
{
	struct detail *dt = d->detail;
	if (!dt)
		return 0;
	int page = dt->rows > 1 ? dt->rows - 1 : 1;
	switch (k) {
	case 27:
	case 'q':
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_BACKSPACE:
	case 127:
	case KEY_F(10): close_detail(d); return DIRTY_ALL;
	case KEYCODE_CTRL('c'):
		close_detail(d);
		d->quit = true;
		return 0;
	case KEY_UP:
	case 'k': dt->top--; break;
	case KEY_DOWN:
	case 'j': dt->top++; break;
	case KEY_PPAGE: dt->top -= page; break;
	case KEY_NPAGE:
	case ' ': dt->top += page; break;
	case KEY_HOME:
	case 'g': dt->top = 0; break;
	case KEY_END:
	case 'G': dt->top = dt->n; break;
	default: return 0;
	}
	return DIRTY_OVERLAY;
}

const struct overlay_def detail_def = {
	.name = "detail",
	.hint = "↑↓ PgUp PgDn:scroll|Esc:close",
	.draw = draw,
	.key = key,
	.tick = reread,
	.close = close_detail,
};
