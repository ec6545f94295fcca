/*
 * json_writer.c — compact JSON text written straight into a buffer (see
 * json_writer.h).  Escapes and number formats follow cJSON 1.7's printer,
 * so a record reads the same whichever of the two wrote it.
 */
#include "json_writer.h"
#include "int_text.h"
#include "json_plain.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
json_writer_init(struct json_writer *w)
{
	w->buf = w->inline_buf;
	w->len = 0;
	w->cap = sizeof w->inline_buf;
	w->failed = false;
	w->need_comma = false;
	w->after_key = false;
}

/* Makes room for n more bytes (and a NUL): the buffer doubles. */
static bool
grow(struct json_writer *w, size_t n)
{
	if (w->failed)
		return false;
	size_t cap = w->cap * 2;
	while (cap < w->len + n + 1)
		cap *= 2;
	char *b = w->buf == w->inline_buf ? malloc(cap) : realloc(w->buf, cap);
	if (b == NULL) {
		w->failed = true;
		return false;
	}
	if (w->buf == w->inline_buf)
		memcpy(b, w->inline_buf, w->len);
	w->buf = b;
	w->cap = cap;
	return true;
}

/* Room for n more bytes (and a NUL); false once the writer has failed. */
static inline bool
reserve(struct json_writer *w, size_t n)
{
	return (w->len + n + 1 <= w->cap && !w->failed) || grow(w, n);
}

static inline void
put(struct json_writer *w, const char *s, size_t n)
{
	if (reserve(w, n)) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

static inline void
put_char(struct json_writer *w, char c)
{
	if (reserve(w, 1))
		w->buf[w->len++] = c;
}

/* Before a value: the comma between elements, unless a key precedes it. */
static void
value_begin(struct json_writer *w)
{
	if (!w->after_key && w->need_comma)
		put_char(w, ',');
	w->after_key = false;
}

static void
value_end(struct json_writer *w)
{
	w->need_comma = true;
}

char *
json_writer_finish(struct json_writer *w)
{
	char *s = NULL;

	if (!w->failed) {
		if (w->buf == w->inline_buf) {
			s = malloc(w->len + 1);
			if (s != NULL)
				memcpy(s, w->inline_buf, w->len);
		} else {
			s = w->buf;
			w->buf = NULL;
		}
		if (s != NULL)
			s[w->len] = '\0';
	}
	if (w->buf != NULL && w->buf != w->inline_buf)
		free(w->buf);
	json_writer_init(w);
	return s;
}

const char *
json_writer_text(struct json_writer *w, size_t *len)
{
	if (w->failed)
		return NULL;
	w->buf[w->len] = '\0'; /* reserve() keeps room for it */
	*len = w->len;
	return w->buf;
}

void
json_writer_discard(struct json_writer *w)
{
	if (w->buf != w->inline_buf)
		free(w->buf);
	json_writer_init(w);
}

void
json_writer_mark(const struct json_writer *w, struct json_writer_mark *m)
{
	m->len = w->len;
	m->need_comma = w->need_comma;
	m->after_key = w->after_key;
}

void
json_writer_rewind(struct json_writer *w, const struct json_writer_mark *m)
{
	if (m->len <= w->len)
		w->len = m->len;
	w->need_comma = m->need_comma;
	w->after_key = m->after_key;
}

void
json_object_begin(struct json_writer *w)
{
	value_begin(w);
	put_char(w, '{');
	w->need_comma = false;
}

void
json_object_end(struct json_writer *w)
{
	put_char(w, '}');
	value_end(w);
}

void
json_array_begin(struct json_writer *w)
{
	value_begin(w);
	put_char(w, '[');
	w->need_comma = false;
}

void
json_array_end(struct json_writer *w)
{
	put_char(w, ']');
	value_end(w);
}

static void
put_escaped(struct json_writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	put_char(w, '"');
	for (size_t i = 0;;) {
		size_t run = json_plain_run(s + i, n - i);
		put(w, s + i, run);
		i += run;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i++];
		char esc[6] = { '\\', 0 };
		size_t len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			len = 6;
			break;
		}
		put(w, esc, len);
	}
	put_char(w, '"');
}

void
json_key(struct json_writer *w, const char *name)
{
	if (w->need_comma)
		put_char(w, ',');
	put_escaped(w, name, strlen(name));
	put_char(w, ':');
	w->after_key = true;
}

void
json_key_quoted(struct json_writer *w, const char *quoted, size_t len)
{
	if (reserve(w, len + 1)) {
		if (w->need_comma)
			w->buf[w->len++] = ',';
		memcpy(w->buf + w->len, quoted, len);
		w->len += len;
	}
	w->after_key = true;
}

void
json_string(struct json_writer *w, const char *s, size_t max)
{
	value_begin(w);
	if (s == NULL)
		put(w, "\"\"", 2);
	else
		put_escaped(w, s, strnlen(s, max));
	value_end(w);
}

/* Digits of v, minus first when negative. */
static void
put_ull(struct json_writer *w, unsigned long long v, bool negative)
{
	char text[INT_TEXT_MAX + 1];
	size_t n = 0;

	if (negative)
		text[n++] = '-';
	n += uint_text(text + n, v);
	put(w, text, n);
}

void
json_int(struct json_writer *w, long long v)
{
	value_begin(w);
	put_ull(w, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
	value_end(w);
}

void
json_uint(struct json_writer *w, unsigned long long v)
{
	value_begin(w);
	put_ull(w, v, false);
	value_end(w);
}

void
json_bool(struct json_writer *w, bool v)
{
	value_begin(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
	value_end(w);
}

/* cJSON's test for "reads back as the same double". */
static bool
same_double(double a, double b)
{
	double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= max * DBL_EPSILON;
}

/* '.' for the decimal point of printf's text (n bytes), whatever
 * LC_NUMERIC says, as cJSON's printer does; the new length. */
static size_t
c_decimal_point(char *buf, size_t n)
{
	const char *dp = localeconv()->decimal_point;
	size_t dl = dp != NULL ? strlen(dp) : 0;
	char *p;

	if (dl == 0 || (dl == 1 && dp[0] == '.') || (p = strstr(buf, dp)) == NULL)
		return n;
	*p = '.';
	memmove(p + 1, p + dl, n - (size_t)(p - buf) - dl + 1); /* with the NUL */
	return n - dl + 1;
}

void
json_number(struct json_writer *w, double v)
{
	char buf[32];
	int n;

	value_begin(w);
	if (!isfinite(v)) {
		put(w, "null", 4);
	} else if (v == 0 && signbit(v)) {
		put(w, "-0", 2); /* as cJSON prints it */
	} else if (v >= INT_MIN && v <= INT_MAX && v == (double)(int)v) {
		put_ull(w, v < 0 ? (unsigned long long)-(long long)v : (unsigned long long)v,
			v < 0);
	} else if (fabs(v) < 1e15 && v == floor(v)) {
		/* Whole numbers of up to 15 digits (times in ms): %1.15g prints
		 * them digit for digit, without an exponent. */
		put_ull(w, (unsigned long long)fabs(v), v < 0);
	} else {
		/* Whole cents (prices) the short way: %1.15g prints exactly the
		 * digits of c/100 for them, trailing zeros dropped. */
		double a = fabs(v);
		long long c = llround(a * 100.0);
		if (a < 1e12 && (double)c / 100.0 == a) {
			char text[CENTS_TEXT_MAX];
			put(w, text, cents_text(text, v < 0 ? -c : c));
		} else {
			n = snprintf(buf, sizeof buf, "%1.15g", v);
			if (!same_double(strtod(buf, NULL), v))
				n = snprintf(buf, sizeof buf, "%1.17g", v);
			put(w, buf, c_decimal_point(buf, (size_t)n));
		}
	}
	value_end(w);
}

static double
cents_round(double v)
{
	if (!isfinite(v))
		return 0.0;
	return round(v * 100.0) / 100.0 + 0.0; /* + 0.0: no -0 */
}

void
json_cents(struct json_writer *w, double v)
{
	char buf[64];
	size_t n;

	v = cents_round(v);
	if (fabs(v) >= 1e15) { /* no exact cents left anyway */
		json_number(w, v);
		return;
	}
	value_begin(w);
	if (fabs(v) < 1e13) { /* the digits of round(v * 100) */
		n = cents_text(buf, llround(v * 100.0));
	} else {
		snprintf(buf, sizeof buf, "%.2f", v);
		n = strlen(buf);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
		if (buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	put(w, buf, n);
	value_end(w);
}

void
json_raw(struct json_writer *w, const char *text)
{
	value_begin(w);
	put(w, text, strlen(text));
	value_end(w);
}

void
json_members_raw(struct json_writer *w, const char *text, size_t len)
{
	if (len == 0)
		return;
	if (w->need_comma)
		put_char(w, ',');
	put(w, text, len);
	w->need_comma = true;
}

void
json_members_compact(struct json_writer *w, const char *text, size_t len)
{
	size_t from = 0, k = 0;

	if (len == 0)
		return;
	if (w->need_comma)
		put_char(w, ',');
	/* runs between blanks, each string whole */
	while (k < len) {
		char c = text[k];
		if (c == '"') {
			for (k++; k < len; k++) {
				k += json_plain_run(text + k, len - k);
				if (k >= len || text[k] == '"')
					break;
				k++; /* '\\' and what it escapes */
			}
			k++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			put(w, text + from, k - from);
			while (k < len &&
			       (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' ||
				text[k] == '\r'))
				k++;
			from = k;
		} else {
			k++;
		}
	}
	put(w, text + from, (k < len ? k : len) - from);
	w->need_comma = true;
}
