/*
 * test_fraud_state.c — unit tests of the durable side of the fraud state:
 * the changelog records' keys and values (src/model/fraud_changelog.c),
 * the undo log (fraud_state_rollback() leaves exactly what the last commit
 * left, down to which user and id are forgotten next), and a restore from
 * the records a run wrote, compacted as Kafka would, giving back the same
 * state (src/model/fraud_restore.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_changelog.h"
#include "fraud_restore.h"
#include "fraud_rules.h"
#include "fraud_state_internal.h"

#define USERS   12 /* slots: fewer than the users, so some are dropped */
#define IDS     40
#define KEYS    30 /* users and ids drawn from this many */
#define WINDOW  50 /* velocity window, ms: users expire 100 ms behind */
#define HORIZON 400

/* ---- the records ---- */

static void
test_keys(void **state)
{
	char buf[FRAUD_CHANGELOG_KEY_MAX];
	struct fraud_changelog_key k;
	size_t n;

	(void)state;
	n = fraud_changelog_user_key(buf, sizeof buf, 7, "user 1/x", 8);
	assert_int_equal(n, 12);
	assert_memory_equal(buf, "7/u/user 1/x", n);
	assert_int_equal(fraud_changelog_key_parse(buf, n, &k), 0);
	assert_int_equal(k.kind, FRAUD_CHANGELOG_USER);
	assert_int_equal(k.partition, 7);
	assert_int_equal(k.user_len, 8);
	assert_memory_equal(k.user, "user 1/x", 8);

	n = fraud_changelog_bucket_key(buf, sizeof buf, 0, 123456789012ULL);
	assert_int_equal(fraud_changelog_key_parse(buf, n, &k), 0);
	assert_int_equal(k.kind, FRAUD_CHANGELOG_BUCKET);
	assert_true(k.seq == 123456789012ULL);

	n = fraud_changelog_meta_key(buf, sizeof buf, 12);
	assert_memory_equal(buf, "12/m", n);
	assert_int_equal(fraud_changelog_key_parse(buf, n, &k), 0);
	assert_int_equal(k.kind, FRAUD_CHANGELOG_META);
	assert_int_equal(k.partition, 12);

	const char *bad[] = { "", "x/u/a", "1/u/", "1/u", "1/o/", "1/o/1x", "1/m2", "-1/m",
			      "1/z/a", "1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(fraud_changelog_key_parse(bad[i], strlen(bad[i]), &k), -1);
}

static void
test_values(void **state)
{
	int64_t t[] = { 1700000000000, 1700000000012, 1699999999990, -5, 0 };
	int64_t back[8];
	char buf[5 * FRAUD_CHANGELOG_TIME_TEXT + 1];
	size_t n;

	(void)state;
	n = fraud_changelog_times_write(buf, t, 5);
	assert_memory_equal(buf, "1700000000000 12 -22 -1699999999995 5", n);
	assert_int_equal(fraud_changelog_times_read(buf, n, back, 8), 5);
	assert_memory_equal(back, t, sizeof t);
	assert_int_equal(fraud_changelog_times_read(buf, n, back, 4), -1); /* too many */
	assert_int_equal(fraud_changelog_times_read("1  2", 4, back, 8), -1);
	assert_int_equal(fraud_changelog_times_read("1 x", 3, back, 8), -1);
	assert_int_equal(fraud_changelog_times_read("", 0, back, 8), 0);

	uint64_t next, oldest;
	int64_t high;
	n = fraud_changelog_meta_write(buf, sizeof buf, 90, 40, -3);
	assert_int_equal(fraud_changelog_meta_read(buf, n, &next, &oldest, &high), 0);
	assert_true(next == 90 && oldest == 40 && high == -3);
	assert_int_equal(fraud_changelog_meta_read("4 5 1", 5, &next, &oldest, &high), -1);
	assert_int_equal(fraud_changelog_meta_read("5 4", 3, &next, &oldest, &high), -1);
}

struct seen_ids {
	int n;
	char ids[4][16];
	int64_t t[4];
	uint64_t seq[4];
};

static void
collect_id(void *arg, const char *id, size_t len, int64_t t, uint64_t seq)
{
	struct seen_ids *s = arg;
	snprintf(s->ids[s->n], sizeof s->ids[0], "%.*s", (int)len, id);
	s->t[s->n] = t;
	s->seq[s->n++] = seq;
}

static void
test_bucket(void **state)
{
	const char v[] = "10 3\n5 2:a1\n7 4:b\n:2\n9 0:\n";
	struct seen_ids s = { 0 };

	(void)state;
	assert_int_equal(fraud_changelog_bucket_read(v, sizeof v - 1, collect_id, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.ids[0], "a1");
	assert_string_equal(s.ids[1], "b\n:2"); /* ids are length-prefixed */
	assert_string_equal(s.ids[2], "");
	assert_true(s.t[1] == 7 && s.seq[0] == 10 && s.seq[2] == 12);
	memset(&s, 0, sizeof s);
	assert_int_equal(fraud_changelog_bucket_read("10 2\n5 2:a1\n", 12, collect_id, &s), -1);
	assert_int_equal(fraud_changelog_bucket_read("10 1\n5 9:a1\n", 12, collect_id, &s), -1);
}

/* ---- a deterministic stream of orders ---- */

struct stream {
	unsigned rnd;
	int64_t t;
};

static unsigned
next_rnd(struct stream *s)
{
	s->rnd = s->rnd * 1103515245u + 12345u;
	return s->rnd >> 8;
}

static void
record_next(struct fraud_state *st, struct stream *s)
{
	char user[16], oid[16];

	s->t += (int64_t)(next_rnd(s) % 7);
	snprintf(user, sizeof user, "u%u", next_rnd(s) % KEYS);
	snprintf(oid, sizeof oid, "o%u", next_rnd(s) % (KEYS * 4));
	/* now and then an order a little late */
	int64_t t = s->t - (next_rnd(s) % 5 == 0 ? (int64_t)(next_rnd(s) % 20) : 0);
	fraud_state_record(st, user, oid, t, 4, WINDOW);
}

static struct fraud_state *
new_state(void)
{
	struct fraud_state *st = fraud_state_new(USERS, IDS);
	assert_non_null(st);
	fraud_state_set_horizon(st, HORIZON);
	return st;
}

/* Everything the rules can ask of a and b answers the same. */
static void
assert_same(const struct fraud_state *a, const struct fraud_state *b, int64_t now)
{
	char key[16];

	assert_int_equal(fraud_state_user_count(a), fraud_state_user_count(b));
	assert_int_equal(fraud_state_order_count(a), fraud_state_order_count(b));
	for (int k = 0; k < KEYS; k++) {
		snprintf(key, sizeof key, "u%d", k);
		for (int64_t w = 1; w < 400; w = w * 2 + 1)
			assert_int_equal(fraud_state_recent_orders(a, key, now, w, 100),
					 fraud_state_recent_orders(b, key, now, w, 100));
	}
	for (int k = 0; k < KEYS * 4; k++) {
		snprintf(key, sizeof key, "o%d", k);
		assert_int_equal(fraud_state_seen_order(a, key), fraud_state_seen_order(b, key));
	}
}

/* a and b answer the same now and, given the same orders, from now on
 * (which users and ids each forgets next is the same too). */
static void
assert_same_ahead(struct fraud_state *a, struct fraud_state *b, struct stream s)
{
	struct stream s2 = s;
	assert_same(a, b, s.t);
	for (int i = 0; i < 300; i++) {
		record_next(a, &s);
		record_next(b, &s2);
		assert_same(a, b, s.t);
	}
}

static void
test_rollback(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 20; seed++) {
		struct fraud_state *a = new_state(), *b = new_state();
		struct stream sa = { seed, 1000 }, sb = sa;

		for (int txn = 0; txn < 30; txn++) {
			int n = (int)(next_rnd(&sa) % 60);
			sb.rnd = sa.rnd;
			for (int i = 0; i < n; i++) {
				record_next(a, &sa);
				record_next(b, &sb);
			}
			fraud_state_commit(a);
			fraud_state_commit(b);
			/* a transaction of a that aborts: a goes back to b */
			struct stream lost = sa;
			lost.rnd ^= 0x5555u;
			for (int i = (int)(next_rnd(&lost) % 80); i > 0; i--)
				record_next(a, &lost);
			fraud_state_rollback(a);
			assert_false(fraud_state_changed(a));
			assert_same(a, b, sa.t);
		}
		assert_same_ahead(a, b, sa);
		fraud_state_free(a);
		fraud_state_free(b);
	}
}

/* ---- flush and restore ---- */

/* The changelog as Kafka keeps it after compaction: the newest record of
 * each key, in the order they were written; tombstones go. */
struct log {
	int n;
	struct {
		char key[FRAUD_CHANGELOG_KEY_MAX];
		size_t keylen;
		char *val; /* NULL: tombstone */
		size_t vallen;
	} rec[4096];
};

static int
append(void *arg, const char *key, size_t keylen, const char *val, size_t vallen)
{
	struct log *l = arg;
	for (int i = 0; i < l->n; i++) {
		if (l->rec[i].keylen == keylen && memcmp(l->rec[i].key, key, keylen) == 0) {
			free(l->rec[i].val);
			memmove(&l->rec[i], &l->rec[i + 1], (size_t)(l->n - i - 1) * sizeof l->rec[0]);
			l->n--;
			break;
		}
	}
	if (val == NULL)
		return 0;
	assert_true(l->n < 4096);
	memcpy(l->rec[l->n].key, key, keylen);
	l->rec[l->n].keylen = keylen;
	l->rec[l->n].val = malloc(vallen + 1);
	memcpy(l->rec[l->n].val, val, vallen);
	l->rec[l->n].vallen = vallen;
	l->n++;
	return 0;
}

static struct fraud_state *
restore(const struct log *l)
{
	struct fraud_state *st = new_state();
	struct fraud_restore *r = fraud_restore_new(st, 3);
	char err[128];

	for (int i = 0; i < l->n; i++)
		assert_int_equal(fraud_restore_record(r, l->rec[i].key, l->rec[i].keylen,
						      l->rec[i].val, l->rec[i].vallen, err,
						      sizeof err),
				 0);
	size_t n = fraud_restore_finish(r);
	assert_int_equal(n, fraud_state_user_count(st) + fraud_state_order_count(st));
	return st;
}

static void
test_restore(void **state)
{
	static struct log log;

	(void)state;
	for (unsigned seed = 1; seed <= 20; seed++) {
		struct fraud_state *a = new_state();
		struct stream s = { seed * 7919u, 5000 };
		memset(&log, 0, sizeof log);
		for (int txn = 0; txn < 40; txn++) {
			for (int i = (int)(next_rnd(&s) % 50); i > 0; i--)
				record_next(a, &s);
			assert_int_equal(fraud_state_flush(a, 3, append, &log), 0);
			fraud_state_commit(a);
			if (txn % 9 == 4) { /* a kill: a new process restores */
				struct fraud_state *b = restore(&log);
				assert_same(a, b, s.t);
				fraud_state_free(a);
				a = b;
			}
		}
		/* The log holds no more than the state does (and a meta record). */
		int users = 0;
		for (int i = 0; i < log.n; i++)
			users += memcmp(log.rec[i].key, "3/u/", 4) == 0;
		assert_int_equal(users, (int)fraud_state_user_count(a));
		assert_true(log.n <= users + (IDS + FRAUD_CHANGELOG_BUCKET_MAX - 1) + 1);

		struct fraud_state *b = restore(&log);
		assert_same_ahead(a, b, s);
		fraud_state_free(a);
		fraud_state_free(b);
		for (int i = 0; i < log.n; i++)
			free(log.rec[i].val);
	}
}

/* Nothing changed, nothing written; a rollback's changes are not written. */
static void
test_flush_only_changes(void **state)
{
	struct log *log = calloc(1, sizeof *log);
	struct fraud_state *a = new_state();

	(void)state;
	assert_int_equal(fraud_state_flush(a, 0, append, log), 0);
	assert_int_equal(log->n, 0);
	fraud_state_record(a, "u1", "o1", 10, 4, WINDOW);
	fraud_state_record(a, "u1", "o2", 11, 4, WINDOW);
	fraud_state_record(a, "u2", "o3", 12, 4, WINDOW);
	fraud_state_rollback(a);
	assert_int_equal(fraud_state_flush(a, 0, append, log), 0);
	assert_int_equal(log->n, 0);
	fraud_state_record(a, "u1", "o1", 10, 4, WINDOW);
	fraud_state_record(a, "u1", "o2", 11, 4, WINDOW);
	fraud_state_record(a, "u2", "o3", 12, 4, WINDOW);
	assert_int_equal(fraud_state_flush(a, 0, append, log), 0);
	/* one record per user, one bucket, the meta record */
	assert_int_equal(log->n, 4);
	assert_memory_equal(log->rec[0].key, "0/u/u1", 6);
	assert_memory_equal(log->rec[0].val, "10 1", 4);
	assert_memory_equal(log->rec[2].key, "0/o/0", 5);
	assert_memory_equal(log->rec[2].val, "0 3\n10 2:o1\n11 2:o2\n12 2:o3\n",
			    log->rec[2].vallen);
	assert_memory_equal(log->rec[3].val, "3 0 12", 6);
	for (int i = 0; i < log->n; i++)
		free(log->rec[i].val);
	free(log);
	fraud_state_free(a);
}

/* Dropped for memory is counted at commit; expiry is not a drop. */
static void
test_dropped(void **state)
{
	struct fraud_state *a = fraud_state_new(2, 3);
	char id[8];

	(void)state;
	fraud_state_set_horizon(a, 1000);
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "o%d", i);
		fraud_state_record(a, i % 2 ? "u1" : "u2", id, 10 + i, 4, 1000);
	}
	assert_int_equal(fraud_state_commit(a), 2); /* two ids */
	fraud_state_record(a, "u3", "o9", 20, 4, 1000);
	fraud_state_rollback(a);
	assert_int_equal(fraud_state_commit(a), 0);
	fraud_state_record(a, "u3", "o9", 20, 4, 1000); /* a user and an id */
	assert_int_equal(fraud_state_commit(a), 2);
	fraud_state_record(a, "u3", "o10", 100000, 4, 1000); /* the others expire */
	assert_int_equal(fraud_state_commit(a), 0);
	assert_int_equal(fraud_state_user_count(a), 1);
	assert_int_equal(fraud_state_order_count(a), 1);
	fraud_state_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_flush_only_changes),
		cmocka_unit_test(test_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
