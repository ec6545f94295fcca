/*
 * xp_record.c — one record of the Messages view in full, as an overlay:
 * topic, partition@offset, timestamp, key and headers escaped (as hex when
 * they are not text), the value pretty-printed when it is JSON, escaped
 * text when it is UTF-8, else a hex dump.  Lines are made once when it
 * opens (at most LINES_MAX); ↑↓ PgUp PgDn scroll, Esc or q closes.
 */
#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "overlay.h"
#include "text_sanitize.h"
#include "xp.h"

#define LINES_MAX 4000
#define LINE_MAX  512

static struct {
	char (*lines)[LINE_MAX];
	int n, top;
	char title[128];
} rv;

static void
add(const char *s)
{
	if (rv.n < LINES_MAX)
		text_sanitize(rv.lines[rv.n++], LINE_MAX, s, strlen(s), -1);
}

static void
add_raw(const char *prefix, const void *b, size_t len)
{
	char buf[LINE_MAX];
	size_t o = (size_t)snprintf(buf, sizeof buf, "%s", prefix);
	if (rv.n < LINES_MAX) {
		text_sanitize(buf + o, sizeof buf - o, b, len, 200);
		snprintf(rv.lines[rv.n++], LINE_MAX, "%s", buf);
	}
}

static void
add_hex(const unsigned char *b, size_t len)
{
	for (size_t off = 0; off < len && rv.n < LINES_MAX; off += 16) {
		char line[128];
		size_t o = (size_t)snprintf(line, sizeof line, "%08zx ", off);
		for (size_t i = 0; i < 16; i++)
			o += (size_t)(off + i < len ? snprintf(line + o, sizeof line - o, " %02x",
							       b[off + i])
						    : snprintf(line + o, sizeof line - o, "   "));
		o += (size_t)snprintf(line + o, sizeof line - o, "  ");
		for (size_t i = 0; i < 16 && off + i < len; i++)
			line[o++] = b[off + i] >= 32 && b[off + i] < 127 ? (char)b[off + i] : '.';
		line[o] = '\0';
		snprintf(rv.lines[rv.n++], LINE_MAX, "%s", line);
	}
}

/* Text, one line per line of it (each escaped). */
static void
add_text(const char *s, size_t len)
{
	while (len > 0 && rv.n < LINES_MAX) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len;
		add_raw("", s, n);
		s += n;
		len -= n;
		if (nl) {
			s++;
			len--;
		}
	}
}

static void
add_bytes(const char *label, const void *b, size_t len)
{
	char line[LINE_MAX];
	if (b == NULL) {
		snprintf(line, sizeof line, "%s: null", label);
		add(line);
	} else if (text_utf8_valid(b, len)) {
		snprintf(line, sizeof line, "%s: ", label);
		add_raw(line, b, len);
	} else {
		snprintf(line, sizeof line, "%s: (%zu bytes, not text)", label, len);
		add(line);
		add_hex(b, len);
	}
}

int
xp_record_open(struct dash *d, const struct explore_record *r)
{
	char line[LINE_MAX], ts[40];
	if (rv.lines == NULL && (rv.lines = calloc(LINES_MAX, LINE_MAX)) == NULL)
		return DIRTY_FOOTER;
	rv.n = rv.top = 0;
	text_sanitize(line, sizeof line, r->topic, strlen(r->topic), 60);
	snprintf(rv.title, sizeof rv.title, "%s %" PRId32 "@%" PRId64, line, r->partition,
		 r->offset);
	fmt_time(ts, sizeof ts, r->timestamp_ms, 1);
	snprintf(line, sizeof line, "timestamp: %s (%" PRId64 " ms)", ts, r->timestamp_ms);
	add(line);
	add_bytes("key", r->key, r->key_len);
	for (size_t i = 0; i < r->n_headers; i++) {
		char label[128];
		text_sanitize(label, sizeof label, r->headers[i].name, strlen(r->headers[i].name),
			      60);
		snprintf(line, sizeof line, "header %s", label);
		add_bytes(line, r->headers[i].value, r->headers[i].len);
	}
	if (r->value == NULL) {
		add("value: null (a tombstone)");
	} else {
		cJSON *root = cJSON_ParseWithLength(r->value, r->value_len);
		char *pretty = root ? cJSON_Print(root) : NULL;
		snprintf(line, sizeof line, "value (%zu bytes%s):", r->value_len,
			 pretty                                            ? ", JSON"
				 : text_utf8_valid(r->value, r->value_len) ? ""
									   : ", hex");
		add(line);
		if (pretty) {
			for (char *t = pretty; *t; t++)
				if (*t == '\t')
					*t = ' '; /* cJSON indents with tabs */
			add_text(pretty, strlen(pretty));
		} else if (text_utf8_valid(r->value, r->value_len))
			add_text(r->value, r->value_len);
		else
			add_hex(r->value, r->value_len);
		free(pretty);
		cJSON_Delete(root);
	}
	d->ovl = &xp_record_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

static void
draw(struct dash *d)
{
	int h = d->lines - 2, w = d->cols - 4;
	overlay_window(d, h, w);
	if (!d->win_ovl)
		return;
	WINDOW *win = d->win_ovl;
	overlay_frame(d, rv.title);
	int rows = getmaxy(win) - 2;
	if (rv.top > rv.n - rows)
		rv.top = rv.n - rows;
	if (rv.top < 0)
		rv.top = 0;
	for (int i = 0; i < rows && rv.top + i < rv.n; i++)
		draw_text(win, 1 + i, 2, getmaxx(win) - 4, dash_attr(d, ROLE_OVERLAY),
			  rv.lines[rv.top + i]);
	wnoutrefresh(win);
}

static void
close_record(struct dash *d)
{
	free(rv.lines);
	rv.lines = NULL;
	rv.n = 0;
	overlay_close(d);
}

static int
key(struct dash *d, int k)
{
	int page = d->lines - 5;
	switch (k) {
	case KEY_UP:
	case 'k': rv.top--; break;
	case KEY_DOWN:
	case 'j': rv.top++; break;
	case KEY_PPAGE: rv.top -= page; break;
	case KEY_NPAGE:
	case ' ': rv.top += page; break;
	case KEY_HOME: rv.top = 0; break;
	case KEY_END:
	case 'G': rv.top = rv.n; break;
	case 'q':
	case 27:
	case '\r':
	case '\n':
	case KEY_ENTER: close_record(d); return DIRTY_ALL;
	case KEYCODE_CTRL('c'):
		close_record(d);
		d->quit = true;
		return 0;
	}
	return DIRTY_OVERLAY;
}

const struct overlay_def xp_record_def = {
	.name = "record",
	.hint = "↑↓ PgUp PgDn:scroll|Esc q:close",
	.draw = draw,
	.key = key,
	.close = close_record,
};
