/*
 * text_sanitize.c — untrusted bytes to terminal-safe text.
 *
 * The input is cut into "units", each shown whole or not at all: one
 * printable character, one escape (\x1b, \n, \u{202E}), or one U+FFFD for
 * each byte that does not start a valid UTF-8 sequence.  A combining mark
 * (width 0) stays with the character before it.  Units are appended while
 * they fit both the byte budget (dstlen - 1) and the column budget; on the
 * first one that does not, the output goes back to the last point where
 * the ellipsis still fits and ends with it.
 *
 * Besides controls, the invisible characters that reorder or hide text
 * (bidi marks, embeddings, overrides and isolates, zero-width space,
 * non-joiner and joiner, word joiner, line/paragraph separators, BOM) are
 * escaped as \u{XXXX}: they have width 0 but are not
 * combining marks, and a terminal would let them rearrange what is shown.
 */
#include "text_sanitize.h"

#include <langinfo.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* Longest unit: "\u{10FFFF}" is 10 bytes. */
#define TEXT_UNIT_MAX 16

struct text_unit {
	char bytes[TEXT_UNIT_MAX];
	int len;    /* bytes */
	int cols;   /* display columns */
	bool joins; /* width-0 mark that belongs to the previous unit */
};

static bool
text_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}

/* Decodes one valid UTF-8 sequence at p (n bytes available): returns its
 * length and sets *cp, or 0 when the first byte starts no valid sequence
 * (overlong, surrogate, above U+10FFFF, truncated, stray continuation). */
static int
text_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xBF;
	int need;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < (size_t)need || p[1] < lo || p[1] > hi)
		return 0;
	v = (v << 6) | (p[1] & 0x3F);
	for (int i = 2; i < need; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*cp = v;
	return need;
}

/* Zero-width characters that are not combining marks but control how
 * text is laid out or hide it. */
static bool
text_is_invisible(uint32_t cp)
{
	return cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
		(cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
		(cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
		(cp >= 0xE0000 && cp <= 0xE007F);
}

static void
text_unit_ascii(struct text_unit *u, const char *s)
{
	u->len = (int)strlen(s);
	memcpy(u->bytes, s, (size_t)u->len);
	u->cols = u->len;
	u->joins = false;
}

static void
text_unit_byte_escape(struct text_unit *u, unsigned int b)
{
	char tmp[8];

	switch (b) {
	case '\n': text_unit_ascii(u, "\\n"); return;
	case '\t': text_unit_ascii(u, "\\t"); return;
	case '\r': text_unit_ascii(u, "\\r"); return;
	}
	snprintf(tmp, sizeof tmp, "\\x%02x", b & 0xFF);
	text_unit_ascii(u, tmp);
}

/* Reads the next unit from src; returns the bytes of src consumed. */
static size_t
text_next_unit(const unsigned char *p, size_t n, bool utf8, struct text_unit *u)
{
	uint32_t cp;
	int k, w;
	char tmp[TEXT_UNIT_MAX];

	if (p[0] < 0x80) {
		if (p[0] < 0x20 || p[0] == 0x7F)
			text_unit_byte_escape(u, p[0]);
		else {
			u->bytes[0] = (char)p[0];
			u->len = 1;
			u->cols = 1;
			u->joins = false;
		}
		return 1;
	}
	if (!utf8) {
		text_unit_byte_escape(u, p[0]);
		return 1;
	}
	k = text_decode(p, n, &cp);
	if (k == 0) {
		memcpy(u->bytes, "\xEF\xBF\xBD", 3); /* U+FFFD */
		u->len = 3;
		u->cols = 1;
		u->joins = false;
		return 1;
	}
	if (cp < 0xA0) { /* C1 control */
		text_unit_byte_escape(u, cp);
		return (size_t)k;
	}
	w = text_is_invisible(cp) ? -1 : wcwidth((wchar_t)cp);
	if (w < 0) {
		snprintf(tmp, sizeof tmp, "\\u{%04X}", (unsigned int)cp);
		text_unit_ascii(u, tmp);
		return (size_t)k;
	}
	memcpy(u->bytes, p, (size_t)k);
	u->len = k;
	u->cols = w;
	u->joins = w == 0;
	return (size_t)k;
}

int
text_sanitize(char *dst, size_t dstlen, const void *src, size_t srclen, int max_cols)
{
	const unsigned char *p = src;
	bool utf8 = text_locale_utf8();
	const char *ell = utf8 ? "\xE2\x80\xA6" : "...";
	size_t ell_len = 3;
	int ell_cols = utf8 ? 1 : 3;
	size_t cap, b = 0, cut_b = 0, bound_b = 0;
	int c = 0, cut_c = 0, bound_c = 0;
	bool cut_ok = false, truncated = false;
	size_t i = 0;

	if (dst == NULL || dstlen == 0)
		return 0;
	cap = dstlen - 1;
	if (p == NULL)
		srclen = 0;

	while (i < srclen) {
		struct text_unit u;
		size_t used = text_next_unit(p + i, srclen - i, utf8, &u);

		if (!u.joins) {
			/* A boundary: the output may be cut here. */
			bound_b = b;
			bound_c = c;
			if (b + ell_len <= cap && (max_cols < 0 || c + ell_cols <= max_cols)) {
				cut_b = b;
				cut_c = c;
				cut_ok = true;
			}
		}
		if (b + (size_t)u.len > cap || (max_cols >= 0 && c + u.cols > max_cols)) {
			truncated = true;
			break;
		}
		memcpy(dst + b, u.bytes, (size_t)u.len);
		b += (size_t)u.len;
		c += u.cols;
		i += used;
	}

	if (truncated) {
		if (cut_ok) {
			memcpy(dst + cut_b, ell, ell_len);
			b = cut_b + ell_len;
			c = cut_c + ell_cols;
		} else {
			/* No room even for the ellipsis: cut without it. */
			b = bound_b;
			c = bound_c;
		}
	}
	dst[b] = '\0';
	return c;
}

bool
text_utf8_valid(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		int k = p[i] == 0 ? 0 : text_decode(p + i, n - i, &cp);
		if (k == 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

size_t
text_utf8_repair(char *dst, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t o = 0;
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		int k = p[i] == 0 ? 0 : text_decode(p + i, n - i, &cp);
		if (k == 0) {
			memcpy(dst + o, "\xEF\xBF\xBD", 3); /* U+FFFD */
			o += 3;
			i++;
		} else {
			memcpy(dst + o, p + i, (size_t)k);
			o += (size_t)k;
			i += (size_t)k;
		}
	}
	dst[o] = '\0';
	return o;
}

/* Columns of the character at s (its length in *len); invalid bytes and
 * unprintable characters count 1, as a terminal shows something. */
static int
text_char_width(const char *s, int *len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int k = text_decode(p, strnlen(s, 4), &cp), w;

	if (k == 0) {
		*len = 1;
		return 1;
	}
	*len = k;
	if (cp < 0x80)
		return (cp < 0x20 || cp == 0x7F) ? 0 : 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	int cols = 0, len;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		cols += text_char_width(s, &len);
		s += len;
	}
	return cols;
}

int
text_truncate(char *s, int max_cols)
{
	int cols = 0, len, w;
	char *p = s;

	if (s == NULL)
		return 0;
	if (max_cols < 0)
		return text_width(s);
	while (*p != '\0') {
		w = text_char_width(p, &len);
		if (cols + w > max_cols)
			break;
		cols += w;
		p += len;
	}
	*p = '\0';
	return cols;
}
