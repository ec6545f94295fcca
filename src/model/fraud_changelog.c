/*
 * fraud_changelog.c — the fraud state's changelog records: writing and
 * reading their keys and values (fraud_changelog.h has the forms), and
 * restoring a partition's state from them in offset order.
 *
 * Users are applied as they come (a later record of a user is its newer
 * state and makes it more recent, as recording its order did).  Buckets of
 * order ids are kept until the end, when the last meta record says which
 * ids are still remembered: the ids of a bucket can be forgotten one by one
 * while its record stays until all are.  A bucket numbered at or below one
 * already kept replaces it and those after it: the same transaction again
 * after an abort that a broker without transaction isolation let through.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_changelog.h"
#include "fraud_state_internal.h"
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

/* ---- restoring ---- */

struct bucket {
	uint64_t key; /* the number in its key */
	size_t off, len;
	bool gone; /* a tombstone came */
};

struct fraud_changelog_restore {
	struct fraud_state *st;
	int32_t partition;
	int64_t *times; /* FRAUD_STATE_KEEP_MAX */
	struct bucket *buckets;
	size_t n_buckets, cap_buckets, first_live;
	char *text; /* the buckets' values */
	size_t n_text, cap_text;
	bool has_meta, failed;
	uint64_t next, oldest;
	int64_t high;
};

struct fraud_changelog_restore *
fraud_changelog_restore_new(struct fraud_state *st, int32_t partition)
{
	struct fraud_changelog_restore *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->st = st;
	r->partition = partition;
	r->times = malloc(FRAUD_STATE_KEEP_MAX * sizeof *r->times);
	if (r->times == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

static int
fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
	return -1;
}

static int
keep_bucket(struct fraud_changelog_restore *r, uint64_t key, const void *val, size_t len)
{
	/* Numbered at or below one kept: the same ids again, replacing. */
	while (r->n_buckets > 0 && r->buckets[r->n_buckets - 1].key >= key) {
		r->n_buckets--;
		r->n_text = r->buckets[r->n_buckets].off;
	}
	if (r->first_live > r->n_buckets)
		r->first_live = r->n_buckets;
	if (r->n_buckets == r->cap_buckets) {
		size_t cap = r->cap_buckets ? r->cap_buckets * 2 : 256;
		struct bucket *b = realloc(r->buckets, cap * sizeof *b);
		if (b == NULL)
			return -1;
		r->buckets = b;
		r->cap_buckets = cap;
	}
	if (r->n_text + len > r->cap_text) {
		size_t cap = r->cap_text ? r->cap_text : 65536;
		while (cap < r->n_text + len)
			cap *= 2;
		char *t = realloc(r->text, cap);
		if (t == NULL)
			return -1;
		r->text = t;
		r->cap_text = cap;
	}
	memcpy(r->text + r->n_text, val, len);
	r->buckets[r->n_buckets++] = (struct bucket){ .key = key, .off = r->n_text, .len = len };
	r->n_text += len;
	return 0;
}

static void
forget_bucket(struct fraud_changelog_restore *r, uint64_t key)
{
	/* Tombstones come for the oldest buckets: look from the first live. */
	for (size_t i = r->first_live; i < r->n_buckets; i++) {
		if (r->buckets[i].key == key) {
			r->buckets[i].gone = true;
			break;
		}
		if (r->buckets[i].key > key)
			break;
	}
	while (r->first_live < r->n_buckets && r->buckets[r->first_live].gone)
		r->first_live++;
}

int
fraud_changelog_restore_record(struct fraud_changelog_restore *r, const void *key, size_t keylen,
			       const void *val, size_t vallen, char *err, size_t errlen)
{
	struct fraud_changelog_key k;

	if (fraud_changelog_key_parse(key, keylen, &k) != 0)
		return fail(err, errlen, "not a fraud state key");
	if (k.partition != r->partition)
		return fail(err, errlen, "a key of another partition");
	switch (k.kind) {
	case FRAUD_CHANGELOG_USER:
		if (val == NULL) {
			fraud_state_restore_forget_user(r->st, k.user, k.user_len);
			return 0;
		}
		int n = fraud_changelog_times_read(val, vallen, r->times, FRAUD_STATE_KEEP_MAX);
		if (n < 1)
			return fail(err, errlen, "a user's times cannot be read");
		fraud_state_restore_user(r->st, k.user, k.user_len, r->times, (size_t)n);
		return 0;
	case FRAUD_CHANGELOG_BUCKET:
		if (val == NULL) {
			forget_bucket(r, k.seq);
			return 0;
		}
		if (keep_bucket(r, k.seq, val, vallen) != 0) {
			r->failed = true;
			return fail(err, errlen, "out of memory");
		}
		return 0;
	case FRAUD_CHANGELOG_META:
		if (val == NULL)
			return 0;
		if (fraud_changelog_meta_read(val, vallen, &r->next, &r->oldest, &r->high) != 0)
			return fail(err, errlen, "the meta record cannot be read");
		r->has_meta = true;
		return 0;
	}
	return 0;
}

/* The ids of one bucket within [r->oldest, r->next). */
static void
restore_bucket(struct fraud_changelog_restore *r, const struct bucket *b)
{
	const char *p = r->text + b->off, *end = p + b->len;
	int64_t seq, count, t, len;

	if (!read_int(&p, end, &seq) || seq < 0 || !read_char(&p, end, ' ') ||
	    !read_int(&p, end, &count) || !read_char(&p, end, '\n'))
		return;
	for (int64_t i = 0; i < count; i++) {
		if (!read_int(&p, end, &t) || !read_char(&p, end, ' ') ||
		    !read_int(&p, end, &len) || !read_char(&p, end, ':') || len < 0 ||
		    len > end - p)
			return;
		const char *id = p;
		p += len;
		if (!read_char(&p, end, '\n'))
			return;
		uint64_t s = (uint64_t)seq + (uint64_t)i;
		if (s >= r->oldest && s < r->next)
			fraud_state_restore_id(r->st, id, (size_t)len, t, s, b->key);
	}
}

size_t
fraud_changelog_restore_finish(struct fraud_changelog_restore *r)
{
	if (!r->has_meta) { /* no meta record: every id kept */
		r->oldest = 0;
		r->next = UINT64_MAX;
		r->high = INT64_MIN;
	}
	fraud_state_restore_ids_from(r->st, r->oldest);
	for (size_t i = r->first_live; i < r->n_buckets; i++)
		if (!r->buckets[i].gone)
			restore_bucket(r, &r->buckets[i]);
	fraud_state_restore_done(r->st, r->has_meta ? r->next : 0, r->high);
	size_t n = fraud_state_user_count(r->st) + fraud_state_order_count(r->st);
	free(r->times);
	free(r->buckets);
	free(r->text);
	free(r);
	return n;
}
