/*
 * test_explore_worker.c — the explorer's thread (explore_worker.h) on the
 * embedded broker: records produced through it land where it says, the
 * Topics job counts them, a Messages job reads them a page at a time
 * through a jq filter (jq's own error when the program is wrong), a tail
 * hands over records produced after it started, a Groups job answers on
 * the mock with the note, and queueing a job never waits for the one
 * running.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "embedded_broker.h"
#include "explore_worker.h"
#include "log.h"

#define TOPIC "xw.test"

static struct config cfg;
static struct embedded_broker *eb;
static struct explore_worker *w;
static uint64_t tail_id;   /* records of this job are counted in tail_got */
static size_t tail_got;

/* The reply to job id, waiting on the worker's fd (others are dropped,
 * a tail's records counted). */
static struct explore_reply *
wait_reply(uint64_t id, int limit_ms)
{
	int64_t end = mono_ms() + limit_ms;
	while (mono_ms() < end) {
		struct pollfd p = { .fd = explore_worker_fd(w), .events = POLLIN };
		poll(&p, 1, 100);
		struct explore_reply *r;
		while ((r = explore_worker_take(w)) != NULL) {
			if (r->job == id)
				return r;
			if (tail_id && r->job == tail_id)
				tail_got += r->n_records;
			explore_reply_free(r);
		}
	}
	return NULL;
}

/* Waits until the tail handed over want records. */
static size_t
wait_tail(size_t want, int limit_ms)
{
	int64_t end = mono_ms() + limit_ms;
	while (tail_got < want && mono_ms() < end) {
		struct pollfd p = { .fd = explore_worker_fd(w), .events = POLLIN };
		poll(&p, 1, 100);
		struct explore_reply *r;
		while ((r = explore_worker_take(w)) != NULL) {
			if (r->job == tail_id)
				tail_got += r->n_records;
			explore_reply_free(r);
		}
	}
	return tail_got;
}

static void
produce(int q, int32_t *part, int64_t *off)
{
	struct explore_job j = { .kind = EXPLORE_JOB_PRODUCE, .partition = -1, .has_key = true };
	snprintf(j.topic, sizeof j.topic, "%s", TOPIC);
	snprintf(j.key, sizeof j.key, "k-%d", q);
	snprintf(j.headers, sizeof j.headers, "src=test;n=%d", q);
	char v[64];
	snprintf(v, sizeof v, "{\"q\":%d}", q);
	j.value = strdup(v);
	j.value_len = strlen(v);
	uint64_t id = explore_worker_submit(w, &j);
	assert_true(id > 0);
	struct explore_reply *r = wait_reply(id, 20000);
	assert_non_null(r);
	if (r->rc != 0)
		fail_msg("produce: %s", r->err);
	*part = r->partition;
	*off = r->offset;
	explore_reply_free(r);
}

static int
setup(void **state)
{
	char err[512];
	(void)state;
	log_set_level(LOG_ERROR);
	config_init(&cfg);
	eb = embedded_broker_start(&cfg, err, sizeof err);
	if (eb == NULL) {
		fprintf(stderr, "embedded broker: %s\n", err);
		return -1;
	}
	w = explore_worker_start(&cfg, embedded_broker_bootstraps(eb), 10000, err, sizeof err);
	return w ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	explore_worker_stop(w);
	embedded_broker_stop(eb);
	config_free(&cfg);
	return 0;
}

static void
test_produce_topics_messages(void **state)
{
	(void)state;
	for (int q = 1; q <= 6; q++) {
		int32_t p = -1;
		int64_t o = -1;
		produce(q, &p, &o);
		assert_true(p >= 0);
		assert_true(o >= 0);
	}

	struct explore_job t = { .kind = EXPLORE_JOB_TOPICS };
	struct explore_reply *r = wait_reply(explore_worker_submit(w, &t), 20000);
	assert_non_null(r);
	assert_int_equal(r->rc, 0);
	int64_t records = -1;
	for (size_t i = 0; i < r->topics.n; i++)
		if (strcmp(r->topics.topics[i].name, TOPIC) == 0)
			records = r->topics.topics[i].records;
	assert_int_equal(records, 6);
	explore_reply_free(r);

	/* A filter over value and headers: q > 2 and the header n != 5. */
	struct explore_job m = { .kind = EXPLORE_JOB_MESSAGES, .partition = -1 };
	snprintf(m.topic, sizeof m.topic, "%s", TOPIC);
	snprintf(m.jq, sizeof m.jq, "select(.q > 2 and $headers.n != \"5\")");
	r = wait_reply(explore_worker_submit(w, &m), 20000);
	assert_non_null(r);
	if (r->rc != 0)
		fail_msg("messages: %s", r->err);
	assert_int_equal(r->n_records, 3); /* q = 3, 4, 6 */
	assert_int_equal(r->scanned, 6);
	assert_true(r->at_end);
	int sum = 0;
	for (size_t i = 0; i < r->n_records; i++) {
		const struct explore_record *rec = &r->records[i];
		sum += atoi((const char *)rec->value + 5);
		assert_non_null(explore_record_header(rec, "src"));
		assert_memory_equal(rec->key, "k-", 2);
	}
	assert_int_equal(sum, 13);
	explore_reply_free(r);

	/* jq's own error for a bad program. */
	snprintf(m.jq, sizeof m.jq, "select(.q >");
	r = wait_reply(explore_worker_submit(w, &m), 20000);
	assert_non_null(r);
	assert_int_equal(r->rc, -1);
	assert_non_null(strstr(r->err, "jq: error"));
	explore_reply_free(r);
}

static void
test_tail(void **state)
{
	(void)state;
	struct explore_job m = { .kind = EXPLORE_JOB_MESSAGES,
				 .partition = -1,
				 .follow = true,
				 .start = { .kind = EXPLORE_START_END } };
	snprintf(m.topic, sizeof m.topic, "%s", TOPIC);
	uint64_t id = explore_worker_submit(w, &m);
	struct explore_reply *r = wait_reply(id, 20000);
	assert_non_null(r);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->n_records, 0); /* from the end: nothing yet */
	explore_reply_free(r);
	tail_id = id;
	int32_t p;
	int64_t o;
	for (int q = 100; q < 104; q++)
		produce(q, &p, &o);
	assert_int_equal(wait_tail(4, 20000), 4);
	tail_id = 0;

	struct explore_job off = { .kind = EXPLORE_JOB_TAIL_OFF };
	r = wait_reply(explore_worker_submit(w, &off), 20000);
	assert_non_null(r);
	explore_reply_free(r);
}

static void
test_groups_and_submit_never_waits(void **state)
{
	(void)state;
	struct explore_job g = { .kind = EXPLORE_JOB_GROUPS };
	int64_t t0 = mono_ms();
	uint64_t id = explore_worker_submit(w, &g);
	/* Queued behind the groups job: answered later, queued at once. */
	struct explore_job t = { .kind = EXPLORE_JOB_TOPICS };
	uint64_t id2 = explore_worker_submit(w, &t);
	assert_true(mono_ms() - t0 < 100);
	assert_true(id2 > id);
	struct explore_reply *r = wait_reply(id, 30000);
	assert_non_null(r);
	assert_int_equal(r->rc, 0);
	assert_true(r->groups.limited);
	assert_non_null(strstr(r->groups.note, "embedded broker"));
	explore_reply_free(r);
	r = wait_reply(id2, 20000);
	assert_non_null(r);
	explore_reply_free(r);
	assert_true(explore_worker_limited(w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_produce_topics_messages),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_groups_and_submit_never_waits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
