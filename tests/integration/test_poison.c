/*
 * test_poison.c — a stage whose transaction keeps aborting on the same
 * input dead-letters that input instead of reading it again forever.  The
 * cluster is a mock cluster made here (so the test can make its brokers
 * refuse every Produce request with MSG_SIZE_TOO_LARGE, as a broker with a
 * smaller limit than the client's would); one engine publishes an order
 * and watches, another runs the fraud and notifier stages against it as a
 * real cluster.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include "config.h"
#include "engine.h"
#include "log.h"
#include "stats.h"

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Polls one of e's counters (read by get) until it reaches want. */
static bool
wait_counter(struct engine *e, uint64_t (*get)(const struct stats_snapshot *), uint64_t want,
             double limit_s)
{
	int64_t deadline = mono_ms() + (int64_t)(limit_s * 1000);
	struct stats_snapshot s;
	for (;;) {
		engine_tick(e);
		stats_snapshot(engine_stats(e), &s);
		if (get(&s) >= want)
			return true;
		if (mono_ms() >= deadline)
			return false;
		sleep_ms(50);
	}
}

static uint64_t produced(const struct stats_snapshot *s) { return s->produced; }
static uint64_t notified(const struct stats_snapshot *s) { return s->notified; }
static uint64_t forced(const struct stats_snapshot *s) { return s->forced_dead_letters; }
static uint64_t aborts(const struct stats_snapshot *s) { return s->txn_aborts; }
static uint64_t dead(const struct stats_snapshot *s) { return s->dead_lettered; }

static void
submit(struct engine *e, const char *id)
{
	char err[256];
	struct order o = { .quantity = 1, .unit_price = 10, .has_unit_price = true };
	snprintf(o.order_id, sizeof o.order_id, "%s", id);
	snprintf(o.user_id, sizeof o.user_id, "user-%s", id);
	strcpy(o.item, "book");
	assert_int_equal(engine_submit_order(e, &o, err, sizeof err), 0);
}

static void
test_input_that_keeps_aborting_is_dead_lettered(void **state)
{
	(void)state;
	char err[512];
	rd_kafka_conf_t *hc = rd_kafka_conf_new();
	rd_kafka_conf_set(hc, "test.mock.num.brokers", "3", NULL, 0);
	rd_kafka_conf_set(hc, "socket.nagle.disable", "true", NULL, 0);
	rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, hc, err, sizeof err);
	assert_non_null(host);
	rd_kafka_mock_cluster_t *mc = rd_kafka_handle_mock_cluster(host);
	assert_non_null(mc);

	struct config pc, fc;
	config_init(&pc);
	config_init(&fc);
	for (int t = 0; t < TOPIC__COUNT; t++)
		assert_int_equal(rd_kafka_mock_topic_create(mc, pc.topics[t], 3, 3), 0);
	/* the watcher: producer and monitor */
	pc.brokers = strdup(rd_kafka_mock_cluster_bootstraps(mc));
	pc.headless = true;
	pc.generator_on = false;
	pc.roles = ROLE_PRODUCER | ROLE_MONITOR;
	struct engine *pe = engine_new(&pc);
	assert_non_null(pe);
	if (engine_start(pe, err, sizeof err) < 0)
		fail_msg("engine_start: %s", err);
	fc.brokers = strdup(pc.brokers);
	fc.headless = true;
	fc.roles = ROLE_FRAUD | ROLE_NOTIFIER;
	struct engine *fe = engine_new(&fc);
	assert_non_null(fe);
	if (engine_start(fe, err, sizeof err) < 0)
		fail_msg("engine_start: %s", err);

	/* While the stages join their groups (3 s on the mock), the order
	 * is published; then every record is refused: each transaction of
	 * the fraud stage that holds the order aborts. */
	submit(pe, "poison-1");
	assert_true(wait_counter(pe, produced, 1, 2));
	rd_kafka_resp_err_t refuse[1000];
	for (size_t i = 0; i < 1000; i++)
		refuse[i] = RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE;
	rd_kafka_mock_push_request_errors_array(mc, 0 /* Produce */, 1000, refuse);

	/* It gives up on the order after 3 aborts in a row. */
	bool gave_up = wait_counter(fe, forced, 1, 60);
	rd_kafka_mock_clear_request_errors(mc, 0);
	assert_true(gave_up);
	assert_true(wait_counter(fe, aborts, 3, 1));
	uint64_t aborts_then;
	{
		struct stats_snapshot s0;
		stats_snapshot(engine_stats(fe), &s0);
		aborts_then = s0.txn_aborts;
	}

	/* The stage is not wedged: the next order goes through, and the
	 * aborts stop. */
	submit(pe, "after-1");
	assert_true(wait_counter(pe, notified, 1, 60));
	struct stats_snapshot s1, s2;
	stats_snapshot(engine_stats(fe), &s1);
	sleep_ms(2000);
	stats_snapshot(engine_stats(fe), &s2);
	assert_int_equal(s2.txn_aborts, s1.txn_aborts);
	print_message("aborts %" PRIu64 " forced dead letters %" PRIu64 "\n",
	              s2.txn_aborts, s2.forced_dead_letters);
	assert_true(s2.txn_aborts <= aborts_then + 3);   /* the poison's own attempts */
	assert_null(engine_fatal_error(fe));
	/* in orders.dlq, unless it had to be skipped (3 attempts) */
	assert_true(s2.forced_dead_letters >= 3 || wait_counter(pe, dead, 1, 30));

	engine_stop(fe);
	engine_free(fe);
	engine_stop(pe);
	engine_free(pe);
	config_free(&fc);
	config_free(&pc);
	rd_kafka_destroy(host);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	log_init(LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_that_keeps_aborting_is_dead_lettered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
