/*
 * test_rules_store.c — the rules in force and what each worker applies:
 * a change is numbered the next version and followed at once once
 * published, a failed change or publish changes nothing, the newest set
 * seen wins, concurrent changes never share a version, and readers never
 * wait for a publish in progress (it runs without the store's lock).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rules_store.h"
#include "stats.h"

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int
toggle(struct ruleset *next, const void *arg, char *err, size_t errlen)
{
	int rule = *(const int *)arg;
	(void)err;
	(void)errlen;
	next->rules[rule].enabled = !next->rules[rule].enabled;
	return 0;
}

static int
refuse_change(struct ruleset *next, const void *arg, char *err, size_t errlen)
{
	(void)arg;
	next->rules[0].enabled = !next->rules[0].enabled;   /* on the copy only */
	snprintf(err, errlen, "bad value");
	return -1;
}

struct published {
	int      n;
	uint64_t versions[512];
	bool     fail;
};

static int
record_publish(void *arg, const struct ruleset *next, char *err, size_t errlen)
{
	struct published *p = arg;
	if (p->fail) {
		snprintf(err, errlen, "queue full");
		return -1;
	}
	if (p->n < 512)
		p->versions[p->n++] = next->version;
	return 0;
}

static void
test_change_is_next_version_and_followed_at_once(void **state)
{
	(void)state;
	struct rules_store rs;
	struct published pub = { 0 };
	struct ruleset now;
	char err[128];
	int rule = 0;

	rules_store_init(&rs);
	rules_store_current(&rs, &now);
	bool was = now.rules[0].enabled;
	assert_int_equal(now.version, 0);

	assert_int_equal(rules_store_change(&rs, toggle, &rule, record_publish, &pub, err,
	                                    sizeof err), 0);
	assert_int_equal(pub.n, 1);
	assert_int_equal(pub.versions[0], 1);
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 1);
	assert_true(now.rules[0].enabled != was);

	/* the change refuses: nothing published, nothing changed */
	assert_int_equal(rules_store_change(&rs, refuse_change, NULL, record_publish, &pub, err,
	                                    sizeof err), -1);
	assert_string_equal(err, "bad value");
	assert_int_equal(pub.n, 1);
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 1);
	assert_true(now.rules[0].enabled != was);

	/* the publish fails: the rules in force stay as they were */
	pub.fail = true;
	assert_int_equal(rules_store_change(&rs, toggle, &rule, record_publish, &pub, err,
	                                    sizeof err), -1);
	assert_string_equal(err, "queue full");
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 1);
	assert_true(now.rules[0].enabled != was);

	/* the next one that goes out takes the version the failed one had */
	pub.fail = false;
	assert_int_equal(rules_store_change(&rs, toggle, &rule, record_publish, &pub, err,
	                                    sizeof err), 0);
	assert_int_equal(pub.versions[1], 2);
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 2);
	assert_true(now.rules[0].enabled == was);
	rules_store_destroy(&rs);
}

static void
test_newest_seen_wins(void **state)
{
	(void)state;
	struct rules_store rs;
	struct ruleset set, now;

	rules_store_init(&rs);
	ruleset_defaults(&set);
	set.version = 3;
	set.rules[1].enabled = !set.rules[1].enabled;
	rules_store_seen(&rs, &set);
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 3);
	assert_int_equal(now.rules[1].enabled, set.rules[1].enabled);

	struct ruleset older = set;
	older.version = 2;
	older.rules[1].enabled = !older.rules[1].enabled;
	rules_store_seen(&rs, &older);
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 3);
	assert_int_equal(now.rules[1].enabled, set.rules[1].enabled);
	rules_store_destroy(&rs);
}

static void
test_workers_recorded_and_bounded(void **state)
{
	(void)state;
	struct rules_store rs;
	struct rules_status st;
	char id[32];

	rules_store_init(&rs);
	rules_store_worker_applied(&rs, "fraud-a", 1, 100);
	rules_store_worker_applied(&rs, "fraud-b", 1, 110);
	rules_store_worker_applied(&rs, "fraud-a", 2, 120);
	rules_store_status(&rs, &st);
	assert_int_equal(st.n_workers, 2);
	assert_string_equal(st.workers[0].id, "fraud-a");
	assert_int_equal(st.workers[0].applied_version, 2);
	assert_int_equal(st.workers[0].at_ms, 120);
	assert_int_equal(st.workers[1].applied_version, 1);
	for (int i = 0; i < RULES_STORE_WORKERS_MAX + 5; i++) {
		snprintf(id, sizeof id, "w%d", i);
		rules_store_worker_applied(&rs, id, 7, 200);
	}
	rules_store_status(&rs, &st);
	assert_int_equal(st.n_workers, RULES_STORE_WORKERS_MAX);
	rules_store_destroy(&rs);
}

/* A publish that takes as long as a network round trip can: it waits
 * (up to 2 s) until the reader thread has done its reads. */
struct slow_publish {
	struct rules_store *rs;
	atomic_bool         publishing, reader_done;
	int64_t             reader_ms;          /* the longest read took */
};

static int
slow_publish(void *arg, const struct ruleset *next, char *err, size_t errlen)
{
	struct slow_publish *sp = arg;
	(void)next;
	(void)err;
	(void)errlen;
	atomic_store(&sp->publishing, true);
	int64_t give_up = mono_ms() + 2000;
	while (!atomic_load(&sp->reader_done) && mono_ms() < give_up)
		sleep_ms(1);
	return 0;
}

static void *
reader(void *arg)
{
	struct slow_publish *sp = arg;
	struct rules_status st;
	struct ruleset set;

	while (!atomic_load(&sp->publishing))
		sleep_ms(1);
	ruleset_defaults(&set);
	set.version = 5;                    /* another process's, newer */
	int64_t t0 = mono_ms();
	rules_store_status(sp->rs, &st);
	rules_store_current(sp->rs, &set);
	set.version = 5;
	rules_store_seen(sp->rs, &set);
	rules_store_worker_applied(sp->rs, "fraud-x", 5, 1);
	sp->reader_ms = mono_ms() - t0;
	atomic_store(&sp->reader_done, true);
	return NULL;
}

static void
test_readers_never_wait_for_a_publish(void **state)
{
	(void)state;
	struct rules_store rs;
	struct slow_publish sp = { .rs = &rs };
	pthread_t t;
	char err[128];
	int rule = 0;

	rules_store_init(&rs);
	assert_int_equal(pthread_create(&t, NULL, reader, &sp), 0);
	int64_t t0 = mono_ms();
	assert_int_equal(rules_store_change(&rs, toggle, &rule, slow_publish, &sp, err,
	                                    sizeof err), 0);
	int64_t took = mono_ms() - t0;
	pthread_join(t, NULL);
	print_message("reads during the publish took %lld ms, the publish %lld ms\n",
	              (long long)sp.reader_ms, (long long)took);
	assert_true(atomic_load(&sp.reader_done));
	assert_true(sp.reader_ms < 50);
	assert_true(took < 1000);           /* the publish did not wait out its 2 s */
	/* the newer set seen meanwhile stays in force over the one published */
	struct ruleset now;
	rules_store_current(&rs, &now);
	assert_int_equal(now.version, 5);
	rules_store_destroy(&rs);
}

struct racer {
	struct rules_store *rs;
	struct published    pub;
	pthread_mutex_t    *pub_lock;
	struct published   *all;
};

static int
shared_publish(void *arg, const struct ruleset *next, char *err, size_t errlen)
{
	struct racer *r = arg;
	pthread_mutex_lock(r->pub_lock);
	int rc = record_publish(r->all, next, err, errlen);
	pthread_mutex_unlock(r->pub_lock);
	return rc;
}

static void *
racer_main(void *arg)
{
	struct racer *r = arg;
	char err[128];
	int rule = 1;
	for (int i = 0; i < 200; i++)
		rules_store_change(r->rs, toggle, &rule, shared_publish, r, err, sizeof err);
	return NULL;
}

static void
test_concurrent_changes_never_share_a_version(void **state)
{
	(void)state;
	struct rules_store rs;
	static struct published all;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct racer a = { .rs = &rs, .pub_lock = &lock, .all = &all };
	struct racer b = a;
	pthread_t ta, tb;

	memset(&all, 0, sizeof all);
	rules_store_init(&rs);
	assert_int_equal(pthread_create(&ta, NULL, racer_main, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, racer_main, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(all.n, 400);
	for (int i = 0; i < all.n; i++)
		assert_int_equal(all.versions[i], (uint64_t)i + 1);
	struct ruleset now, dflt;
	rules_store_current(&rs, &now);
	ruleset_defaults(&dflt);
	assert_int_equal(now.version, 400);
	assert_int_equal(now.rules[1].enabled, dflt.rules[1].enabled);   /* 400 toggles */
	rules_store_destroy(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_is_next_version_and_followed_at_once),
		cmocka_unit_test(test_newest_seen_wins),
		cmocka_unit_test(test_workers_recorded_and_bounded),
		cmocka_unit_test(test_readers_never_wait_for_a_publish),
		cmocka_unit_test(test_concurrent_changes_never_share_a_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
