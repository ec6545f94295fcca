/*
 * draw.c — text drawing and number formatting helpers (see draw.h).
 * Widths are display columns (text_width), never bytes.
 */
#include "draw.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "text_sanitize.h"

#define DRAW_BUF 1024

int
draw_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	char buf[DRAW_BUF];
	if (maxw <= 0 || !s)
		return 0;
	size_t n = strlen(s);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	int cols = text_truncate(buf, maxw);
	wattrset(w, a);
	mvwaddstr(w, y, x, buf);
	return cols;
}

int
draw_text_right(WINDOW *w, int y, int x_end, int maxw, attr_t a, const char *s)
{
	char buf[DRAW_BUF];
	if (maxw <= 0 || !s)
		return 0;
	snprintf(buf, sizeof buf, "%s", s);
	int cols = text_truncate(buf, maxw);
	wattrset(w, a);
	mvwaddstr(w, y, x_end - cols, buf);
	return cols;
}

void
draw_fill(WINDOW *w, int y, int x, int n, attr_t a)
{
	if (n <= 0)
		return;
	wattrset(w, a);
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddch(w, ' ');
}

static void
cut_right(char *dst, size_t len, const char *s, int maxw, const char *ellipsis)
{
	snprintf(dst, len, "%s", s);
	if (text_width(dst) <= maxw)
		return;
	int ew = text_width(ellipsis);
	if (maxw <= ew) {
		text_truncate(dst, maxw);
		return;
	}
	text_truncate(dst, maxw - ew);
	size_t n = strlen(dst);
	snprintf(dst + n, len - n, "%s", ellipsis);
}

/* Copies safe text to dst, dropping a character that len would cut. */
static void
copy_whole(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s);
	if (len == 0)
		return;
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The draw_cut_* take untrusted bytes: sanitized first. */
void
draw_cut_right(char *dst, size_t len, const char *s, int maxw, const char *ellipsis)
{
	char safe[DRAW_BUF], cut[DRAW_BUF];

	text_sanitize(safe, sizeof safe, s, s ? strlen(s) : 0, -1);
	cut_right(cut, sizeof cut, safe, maxw, ellipsis);
	copy_whole(dst, len, cut);
}

/* Byte offset in s where the last `cols` columns begin (UTF-8 aware). */
static size_t
tail_offset(const char *s, int cols)
{
	size_t n = strlen(s);
	size_t off = n;
	while (off > 0) {
		size_t prev = off - 1;
		while (prev > 0 && ((unsigned char)s[prev] & 0xC0) == 0x80)
			prev--;
		if (text_width(s + prev) > cols)
			break;
		off = prev;
	}
	return off;
}

static void
cut_left(char *dst, size_t len, const char *s, int maxw, const char *ellipsis)
{
	if (text_width(s) <= maxw) {
		snprintf(dst, len, "%s", s);
		return;
	}
	int ew = text_width(ellipsis);
	if (maxw <= ew) {
		snprintf(dst, len, "%s", s + tail_offset(s, maxw));
		return;
	}
	snprintf(dst, len, "%s%s", ellipsis, s + tail_offset(s, maxw - ew));
}

void
draw_cut_left(char *dst, size_t len, const char *s, int maxw, const char *ellipsis)
{
	char safe[DRAW_BUF], cut[DRAW_BUF];

	text_sanitize(safe, sizeof safe, s, s ? strlen(s) : 0, -1);
	cut_left(cut, sizeof cut, safe, maxw, ellipsis);
	copy_whole(dst, len, cut);
}

void
draw_sanitize(char *dst, size_t len, const char *s, int maxw)
{
	text_sanitize(dst, len, s, strlen(s), maxw);
}

void
fmt_time(char *buf, size_t len, int64_t ts_ms, int with_ms)
{
	time_t t = (time_t)(ts_ms / 1000);
	struct tm tm;
	if (ts_ms <= 0 || !localtime_r(&t, &tm)) {
		snprintf(buf, len, with_ms ? "--:--:--.---" : "--:--:--");
		return;
	}
	if (with_ms)
		snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)(ts_ms % 1000));
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
fmt_age(char *buf, size_t len, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		snprintf(buf, len, "%dms", (int)ms);
	else if (ms < 10000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (ms < 60000)
		snprintf(buf, len, "%ds", (int)(ms / 1000));
	else if (ms < 3600000)
		snprintf(buf, len, "%dm%02d", (int)(ms / 60000), (int)(ms / 1000 % 60));
	else if (ms < 86400000)
		snprintf(buf, len, "%dh%02d", (int)(ms / 3600000), (int)(ms / 60000 % 60));
	else
		snprintf(buf, len, "%dd", (int)(ms / 86400000));
}

void
fmt_count(char *buf, size_t len, uint64_t n)
{
	if (n < 100000)
		snprintf(buf, len, "%llu", (unsigned long long)n);
	else if (n < 10000000)
		snprintf(buf, len, "%.1fk", (double)n / 1e3);
	else if (n < 10000000000ULL)
		snprintf(buf, len, "%.2fM", (double)n / 1e6);
	else
		snprintf(buf, len, "%.2fG", (double)n / 1e9);
}

void
fmt_rate(char *buf, size_t len, double r)
{
	if (r < 0)
		r = 0;
	if (r < 0.05)
		snprintf(buf, len, "0");
	else if (r < 10)
		snprintf(buf, len, "%.1f", r);
	else if (r < 10000)
		snprintf(buf, len, "%.0f", r);
	else if (r < 1e6)
		snprintf(buf, len, "%.1fk", r / 1e3);
	else
		snprintf(buf, len, "%.1fM", r / 1e6);
}

void
fmt_ms(char *buf, size_t len, double ms)
{
	if (ms <= 0)
		snprintf(buf, len, "-");
	else if (ms < 10)
		snprintf(buf, len, "%.1fms", ms);
	else if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms);
	else
		snprintf(buf, len, "%.1fs", ms / 1000.0);
}

void
draw_row_begin(struct draw_row *r, WINDOW *w, int y, int x, int width, bool selected, attr_t sel)
{
	r->w = w;
	r->y = y;
	r->x = r->x0 = x;
	r->maxx = x + width;
	r->selected = selected;
	r->sel = sel;
	if (selected)
		draw_fill(w, y, x, width, sel);
}

int
draw_row_put(struct draw_row *r, attr_t a, const char *s)
{
	if (r->x >= r->maxx)
		return 0;
	int n = draw_text(r->w, r->y, r->x, r->maxx - r->x, r->selected ? r->sel : a, s);
	r->x += n;
	return n;
}

void
draw_row_col(struct draw_row *r, attr_t a, const char *s, int cols)
{
	int start = r->x;
	if (cols > r->maxx - r->x)
		cols = r->maxx - r->x;
	if (cols <= 0)
		return;
	int n = draw_text(r->w, r->y, r->x, cols, r->selected ? r->sel : a, s);
	if (n < cols)
		draw_fill(r->w, r->y, r->x + n, cols - n, r->selected ? r->sel : a);
	r->x = start + cols;
}

void
draw_row_rcol(struct draw_row *r, attr_t a, const char *s, int cols)
{
	if (cols > r->maxx - r->x)
		cols = r->maxx - r->x;
	if (cols <= 0)
		return;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	int tw = text_truncate(buf, cols);
	if (tw < cols)
		draw_fill(r->w, r->y, r->x, cols - tw, r->selected ? r->sel : a);
	draw_text(r->w, r->y, r->x + cols - tw, tw, r->selected ? r->sel : a, buf);
	r->x += cols;
}

void
draw_row_end(struct draw_row *r)
{
	(void)r;
}

void
draw_box(WINDOW *w, attr_t a, bool line_drawing)
{
	wattrset(w, A_NORMAL);
	if (line_drawing)
		wborder(w, ACS_VLINE | a, ACS_VLINE | a, ACS_HLINE | a, ACS_HLINE | a,
			ACS_ULCORNER | a, ACS_URCORNER | a, ACS_LLCORNER | a, ACS_LRCORNER | a);
	else
		wborder(w, '|' | a, '|' | a, '-' | a, '-' | a, '+' | a, '+' | a, '+' | a, '+' | a);
}
