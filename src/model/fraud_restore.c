/*
 * fraud_restore.c — restoring a partition's fraud state from its changelog
 * records (fraud_changelog.h), fed in offset order.
 *
 * Users are applied as they come (a later record of a user is its newer
 * state and makes it more recent, as recording its order did).  Buckets of
 * order ids are kept until the end, when the last meta record says which
 * ids are still remembered: the ids of a bucket can be forgotten one by one
 * while its record stays until all are.  A bucket numbered at or below one
 * already kept replaces it and those after it: the same transaction again
 * after an abort that a broker without transaction isolation let through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_changelog.h"
#include "fraud_restore.h"
#include "fraud_state_internal.h"

struct bucket {
	uint64_t key; /* the number in its key */
	size_t off, len;
	bool gone; /* a tombstone came */
};

struct fraud_restore {
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

struct fraud_restore *
fraud_restore_new(struct fraud_state *st, int32_t partition)
{
	struct fraud_restore *r = calloc(1, sizeof *r);

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
keep_bucket(struct fraud_restore *r, uint64_t key, const void *val, size_t len)
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
forget_bucket(struct fraud_restore *r, uint64_t key)
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
fraud_restore_record(struct fraud_restore *r, const void *key, size_t keylen, const void *val,
		     size_t vallen, char *err, size_t errlen)
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

struct bucket_ctx {
	struct fraud_restore *r;
	uint64_t bucket;
};

static void
restore_id(void *arg, const char *id, size_t len, int64_t t, uint64_t seq)
{
	struct bucket_ctx *c = arg;
	if (seq >= c->r->oldest && seq < c->r->next)
		fraud_state_restore_id(c->r->st, id, len, t, seq, c->bucket);
}

size_t
fraud_restore_finish(struct fraud_restore *r)
{
	if (!r->has_meta) { /* no meta record: every id kept */
		r->oldest = 0;
		r->next = UINT64_MAX;
		r->high = INT64_MIN;
	}
	fraud_state_restore_ids_from(r->st, r->oldest);
	for (size_t i = r->first_live; i < r->n_buckets; i++)
		if (!r->buckets[i].gone)
			fraud_changelog_bucket_read(r->text + r->buckets[i].off, r->buckets[i].len,
						    restore_id,
						    &(struct bucket_ctx){ r, r->buckets[i].key });
	fraud_state_restore_done(r->st, r->has_meta ? r->next : 0, r->high);
	size_t n = fraud_state_user_count(r->st) + fraud_state_order_count(r->st);
	free(r->times);
	free(r->buckets);
	free(r->text);
	free(r);
	return n;
}
