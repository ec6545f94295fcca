/*
 * fraud_changelog.c — the fraud state's changelog records: writing and
 * reading their keys and values (fraud_changelog.h has the forms).  Plain
 * text, so that kcat shows them as they are; numbers without printf on
 * the way in, as a restore reads a million of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_changelog.h"
#include "int_text.h"
#include "order.h"

/* ---- numbers ---- */

/* Reads an optionally signed decimal at *p (below end); moves past it. */
static bool
read_int(const char **p, const char *end, int64_t *out)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v = 0;

	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	*p = s;
	return true;
}

static bool
read_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* ---- keys ---- */

size_t
fraud_changelog_user_key(char *buf, size_t len, int32_t partition, const char *user,
			 size_t user_len)
{
	int n = snprintf(buf, len, "%" PRId32 "/u/", partition);
	if (n < 0 || (size_t)n + user_len > len)
		return 0;
	memcpy(buf + n, user, user_len);
	return (size_t)n + user_len;
}

size_t
fraud_changelog_bucket_key(char *buf, size_t len, int32_t partition, uint64_t seq)
{
	int n = snprintf(buf, len, "%" PRId32 "/o/%" PRIu64, partition, seq);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

size_t
fraud_changelog_meta_key(char *buf, size_t len, int32_t partition)
{
	int n = snprintf(buf, len, "%" PRId32 "/m", partition);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

int
fraud_changelog_key_parse(const void *key, size_t len, struct fraud_changelog_key *out)
{
	const char *p = key, *end = p + len;
	int64_t part, seq;

	if (key == NULL || !read_int(&p, end, &part) || part < 0 || part > INT32_MAX ||
	    !read_char(&p, end, '/') || p >= end)
		return -1;
	out->partition = (int32_t)part;
	switch (*p++) {
	case 'm': out->kind = FRAUD_CHANGELOG_META; return p == end ? 0 : -1;
	case 'u':
		out->kind = FRAUD_CHANGELOG_USER;
		out->user = p + 1;
		out->user_len = (size_t)(end - p) - 1;
		return read_char(&p, end, '/') && out->user_len > 0 && out->user_len <= ORDER_ID_MAX
			? 0
			: -1;
	case 'o':
		out->kind = FRAUD_CHANGELOG_BUCKET;
		if (!read_char(&p, end, '/') || !read_int(&p, end, &seq) || seq < 0 || p != end)
			return -1;
		out->seq = (uint64_t)seq;
		return 0;
	default: return -1;
	}
}

/* ---- values ---- */

size_t
fraud_changelog_times_write(char *buf, const int64_t *times, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf[len++] = ' ';
		len += int_text(buf + len, i == 0 ? times[0] : times[i] - times[i - 1]);
	}
	return len;
}

int
fraud_changelog_times_read(const char *val, size_t len, int64_t *times, size_t max)
{
	const char *p = val, *end = val + len;
	size_t n = 0;
	int64_t v, prev = 0;

	while (p < end) {
		if (n > 0 && !read_char(&p, end, ' '))
			return -1;
		if (!read_int(&p, end, &v) || n == max)
			return -1;
		prev = n == 0 ? v : prev + v;
		times[n++] = prev;
	}
	return (int)n;
}

size_t
fraud_changelog_meta_write(char *buf, size_t len, uint64_t next, uint64_t oldest, int64_t high)
{
	int n = snprintf(buf, len, "%" PRIu64 " %" PRIu64 " %" PRId64, next, oldest, high);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

int
fraud_changelog_meta_read(const char *val, size_t len, uint64_t *next, uint64_t *oldest,
			  int64_t *high)
{
	const char *p = val, *end = val + len;
	int64_t a, b;

	if (!read_int(&p, end, &a) || a < 0 || !read_char(&p, end, ' ') || !read_int(&p, end, &b) ||
	    b < 0 || b > a || !read_char(&p, end, ' ') || !read_int(&p, end, high) || p != end)
		return -1;
	*next = (uint64_t)a;
	*oldest = (uint64_t)b;
	return 0;
}

int
fraud_changelog_bucket_read(const char *val, size_t len, fraud_changelog_id_fn fn, void *arg)
{
	const char *p = val, *end = val + len;
	int64_t seq, count, t, idlen;

	if (!read_int(&p, end, &seq) || seq < 0 || !read_char(&p, end, ' ') ||
	    !read_int(&p, end, &count) || !read_char(&p, end, '\n'))
		return -1;
	for (int64_t i = 0; i < count; i++) {
		if (!read_int(&p, end, &t) || !read_char(&p, end, ' ') ||
		    !read_int(&p, end, &idlen) || !read_char(&p, end, ':') || idlen < 0 ||
		    idlen > end - p || idlen > ORDER_ID_MAX)
			return -1;
		const char *id = p;
		p += idlen;
		if (!read_char(&p, end, '\n'))
			return -1;
		fn(arg, id, (size_t)idlen, t, (uint64_t)seq + (uint64_t)i);
	}
	return p == end ? 0 : -1;
}
