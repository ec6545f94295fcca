/*
 * test_pipeline.c — the whole pipeline in-process on the embedded mock
 * cluster (a real Kafka protocol peer): every order decided and notified
 * exactly once; malformed input sent by a separate client goes to the
 * dead-letter topic while good orders keep flowing; a rule toggled at run
 * time changes later decisions; a broker taken down and up mid-run loses
 * nothing; an order from the form or a rule change that finds the
 * producer's queue full is answered at once, never waited on.  Waits are
 * on conditions, with generous limits.
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
#include "evq.h"
#include "log.h"
#include "order_table.h"
#include "stats.h"

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

typedef bool (*cond_fn)(struct engine *e, const void *arg);

/* Polls cond every 50 ms for up to limit_s seconds. */
static bool
wait_for(struct engine *e, cond_fn cond, const void *arg, double limit_s)
{
	int64_t deadline = mono_ms() + (int64_t)(limit_s * 1000);
	while (mono_ms() < deadline) {
		if (cond(e, arg))
			return true;
		sleep_ms(50);
		engine_tick(e);
	}
	return cond(e, arg);
}

static bool drained(struct engine *e, const void *arg) { (void)arg; return engine_drained(e); }

static bool
status_is(struct engine *e, const void *arg)
{
	const struct { const char *id; int status; } *want = arg;
	struct order_detail d;
	if (order_table_detail(engine_orders(e), want->id, &d) < 0)
		return false;
	free(d.json);
	/* Topics are read independently: the notified record may be seen
	 * before the decision; wait for both. */
	return d.row.status == want->status &&
	       (want->status != ORDER_NOTIFIED || d.row.decision != ORDER_NEW);
}

static bool
dead_letters_at_least(struct engine *e, const void *arg)
{
	struct stats_snapshot s;
	stats_snapshot(engine_stats(e), &s);
	return s.dead_lettered >= *(const uint64_t *)arg;
}

static bool
notified_at_least(struct engine *e, const void *arg)
{
	struct stats_snapshot s;
	stats_snapshot(engine_stats(e), &s);
	return s.notified >= *(const uint64_t *)arg;
}

static bool
commits_at_least(struct engine *e, const void *arg)
{
	struct stats_snapshot s;
	stats_snapshot(engine_stats(e), &s);
	return s.txn_commits >= *(const uint64_t *)arg;
}

/* The fraud stage adds its counts to stats every 64 orders or 10 ms. */
static bool
fraud_counted(struct engine *e, const void *arg)
{
	struct stats_snapshot s;
	stats_snapshot(engine_stats(e), &s);
	return s.fraud_approved + s.fraud_refused >= *(const uint64_t *)arg;
}

static bool
workers_applied(struct engine *e, const void *arg)
{
	struct rules_status st;
	engine_rules_status(e, &st);
	uint64_t v = *(const uint64_t *)arg;
	if (st.n_workers == 0)
		return false;
	for (int i = 0; i < st.n_workers; i++)
		if (st.workers[i].applied_version < v)
			return false;
	return true;
}

struct fixture {
	struct config  cfg;
	struct engine *e;
};

/* headless: the engine as --headless runs it (its monitor keeps no order
 * details); false: as the dashboard runs it.  tune (or NULL) changes the
 * configuration last. */
static struct fixture *
start_tuned(int64_t count, double rate, bool generate, bool headless,
            void (*tune)(struct config *c))
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[512];
	config_init(&f->cfg);
	f->cfg.headless = headless;
	f->cfg.count = count;
	f->cfg.rate = rate;
	f->cfg.generator_on = generate;
	f->cfg.seed = 42;
	if (tune != NULL)
		tune(&f->cfg);
	f->e = engine_new(&f->cfg);
	assert_non_null(f->e);
	if (engine_start(f->e, err, sizeof err) < 0)
		fail_msg("engine_start: %s", err);
	return f;
}

static struct fixture *
start(int64_t count, double rate, bool generate, bool headless)
{
	return start_tuned(count, rate, generate, headless, NULL);
}

static void
finish(struct fixture *f)
{
	engine_stop(f->e);
	engine_free(f->e);
	config_free(&f->cfg);
	free(f);
}

static void
assert_exactly_once(struct engine *e, uint64_t expected_orders)
{
	struct stats_snapshot s;
	struct order_table_counts c;
	stats_snapshot(engine_stats(e), &s);
	order_table_counts(engine_orders(e), &c);
	print_message("produced %" PRIu64 " approved %" PRIu64 " refused %" PRIu64
	              " notified %" PRIu64 " dup %" PRIu64 " aborts %" PRIu64 "\n",
	              s.produced, s.approved, s.refused, s.notified, s.duplicates, s.txn_aborts);
	assert_int_equal(s.produced, expected_orders);
	assert_int_equal(s.approved + s.refused, expected_orders);
	assert_int_equal(s.notified, expected_orders);
	assert_int_equal(s.duplicates, 0);
	assert_int_equal(c.local_registered, expected_orders);
	assert_int_equal(c.local_final, expected_orders);
}

static void
test_all_orders_decided_and_notified_once(void **state)
{
	(void)state;
	struct fixture *f = start(5000, 0, true, true);
	assert_true(wait_for(f->e, drained, NULL, 120));
	assert_null(engine_fatal_error(f->e));
	assert_exactly_once(f->e, 5000);
	struct stats_snapshot s;
	stats_snapshot(engine_stats(f->e), &s);
	assert_true(s.refused > 0);     /* the generator's suspicious share */
	assert_true(s.approved > 0);
	/* the stages' own counts, gathered per batch, are exact at the end */
	uint64_t all = 5000;
	assert_true(wait_for(f->e, fraud_counted, &all, 10));
	stats_snapshot(engine_stats(f->e), &s);
	assert_int_equal(s.generated, 5000);
	assert_int_equal(s.fraud_dlq, 0);
	assert_int_equal(s.txn_aborts, 0);
	assert_int_equal(s.fraud_in, 5000);
	assert_int_equal(s.fraud_approved, s.approved);
	assert_int_equal(s.fraud_refused, s.refused);
	assert_int_equal(s.notify_delivered, 5000);
	assert_true(s.max_ms[HOP_END_TO_END] > 0);
	/* every hop of every order is timed from the times its records carry */
	struct stats *st = engine_stats(f->e);
	for (int h = 0; h < HOP__COUNT; h++)
		assert_int_equal(atomic_load(&st->hop[h].count), 5000);
	/* Headless, the orders topic is counted, not read into the table:
	 * an order's row shows where its decision and notice were seen. */
	assert_int_equal(s.seen[TOPIC_ORDERS], 5000);
	struct order_row row;
	struct order_detail d;
	assert_int_equal(order_table_recent(engine_orders(f->e), &row, 1), 1);
	assert_int_equal(order_table_detail(engine_orders(f->e), row.order_id, &d), 0);
	assert_false(d.stage[TOPIC_ORDERS].seen);
	assert_true(d.stage[TOPIC_VALID].seen || d.stage[TOPIC_REFUSED].seen);
	assert_true(d.stage[TOPIC_NOTIFIED].seen);
	free(d.json);
	/* nor the rules that refused an order: nothing headless shows them */
	static struct order_row recent[256];
	size_t nr = order_table_recent(engine_orders(f->e), recent, 256), refused = 0;
	for (size_t i = 0; i < nr; i++) {
		if (recent[i].decision != ORDER_REFUSED)
			continue;
		refused++;
		assert_true(recent[i].fired[0] == '\0');
	}
	assert_true(refused > 0);
	finish(f);
}

/* The engine as the dashboard runs it, at full speed: past its display
 * budget the monitor stops making display lines, yet every count is exact
 * and every order's row has its decision's user, item and rules. */
static void
test_dashboard_engine_at_full_speed(void **state)
{
	(void)state;
	struct fixture *f = start(20000, 0, true, false);
	assert_true(wait_for(f->e, drained, NULL, 180));
	assert_null(engine_fatal_error(f->e));
	assert_exactly_once(f->e, 20000);
	assert_true(evq_dropped(engine_events(f->e)) > 0);     /* "not shown" */
	struct order_row rows[64];
	size_t n = order_table_recent(engine_orders(f->e), rows, 64);
	assert_int_equal(n, 64);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rows[i].status, ORDER_NOTIFIED);
		assert_true(rows[i].user_id[0] != '\0');
		assert_true(rows[i].item[0] != '\0');
		assert_true(rows[i].total > 0);
		assert_true(rows[i].decision != ORDER_REFUSED || rows[i].fired[0] != '\0');
		struct order_detail d;
		assert_int_equal(order_table_detail(engine_orders(f->e), rows[i].order_id, &d), 0);
		assert_true(d.stage[TOPIC_ORDERS].seen);      /* the detail view's timeline */
		free(d.json);
	}
	finish(f);
}

/* A separate Kafka client, as another team's service would be. */
static rd_kafka_t *
outside_producer(struct engine *e)
{
	struct broker_status b;
	char err[256];
	engine_broker_status(e, &b);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(rd_kafka_conf_set(conf, "bootstrap.servers", b.bootstraps, err, sizeof err),
	                 RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
	assert_non_null(rk);
	return rk;
}

static void
send_keyed(rd_kafka_t *rk, const char *topic, const char *key, const void *buf, size_t len)
{
	assert_int_equal(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
	                                   RD_KAFKA_V_KEY(key, strlen(key)),
	                                   RD_KAFKA_V_VALUE((void *)buf, len),
	                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	                                   RD_KAFKA_V_END), RD_KAFKA_RESP_ERR_NO_ERROR);
}

static void
send_raw(rd_kafka_t *rk, const char *topic, const void *buf, size_t len)
{
	assert_int_equal(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
	                                   RD_KAFKA_V_VALUE((void *)buf, len),
	                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
	                                   RD_KAFKA_V_END), RD_KAFKA_RESP_ERR_NO_ERROR);
}

static void
test_malformed_input_goes_to_dead_letters(void **state)
{
	(void)state;
	struct fixture *f = start(0, 100, true, true);
	const char *orders = f->cfg.topics[TOPIC_ORDERS];
	rd_kafka_t *rk = outside_producer(f->e);
	static const char nul_payload[] = "{\"order_id\":\"a\0b\",\"user_id\":\"u\",\"item\":\"x\",\"quantity\":1}";
	const char *bad[] = {
		"this is not json",
		"{\"user_id\":\"u1\",\"item\":\"book\",\"quantity\":1}",
		"{\"order_id\":\"q0\",\"user_id\":\"u1\",\"item\":\"book\",\"quantity\":0}",
		"{\"order_id\":\"bad\xff\",\"user_id\":\"u1\",\"item\":\"book\",\"quantity\":1}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	};
	uint64_t before;
	struct stats_snapshot s;

	/* Let good orders flow first, so we can see they keep flowing. */
	uint64_t some = 20;
	assert_true(wait_for(f->e, notified_at_least, &some, 60));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		send_raw(rk, orders, bad[i], strlen(bad[i]));
	send_raw(rk, orders, nul_payload, sizeof nul_payload - 1);
	const char *minimal = "{\"order_id\":\"12345\",\"user_id\":\"user789\",\"item\":\"laptop\",\"quantity\":2}";
	/* Keyed by user, as ordertop keys orders, so both land on one
	 * partition: the second is refused by the replay rule, a second
	 * decision that is not a duplicate (the monitor reads the payload to
	 * tell). */
	send_keyed(rk, orders, "user789", minimal, strlen(minimal));
	send_keyed(rk, orders, "user789", minimal, strlen(minimal));
	assert_int_equal(rd_kafka_flush(rk, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
	rd_kafka_destroy(rk);

	uint64_t six = 6;
	assert_true(wait_for(f->e, dead_letters_at_least, &six, 60));
	struct { const char *id; int status; } want = { "12345", ORDER_NOTIFIED };
	assert_true(wait_for(f->e, status_is, &want, 60));

	stats_snapshot(engine_stats(f->e), &s);
	before = s.notified;
	uint64_t more = before + 20;
	assert_true(wait_for(f->e, notified_at_least, &more, 60));
	stats_snapshot(engine_stats(f->e), &s);
	assert_int_equal(s.dead_lettered, 6);
	assert_int_equal(s.duplicates, 0);
	/* The row keeps the first decision, whichever topic came in first. */
	struct order_detail d;
	assert_int_equal(order_table_detail(engine_orders(f->e), "12345", &d), 0);
	assert_int_equal(d.row.decision, ORDER_APPROVED);
	free(d.json);
	assert_null(engine_fatal_error(f->e));
	finish(f);
}

static void
test_rule_toggle_changes_later_decisions(void **state)
{
	(void)state;
	struct fixture *f = start(0, 0, false, false);
	char err[256];
	struct order big = { .quantity = 1, .unit_price = 99999, .has_unit_price = true };
	strcpy(big.user_id, "whale-1");
	strcpy(big.item, "yacht");
	strcpy(big.currency, "USD");
	strcpy(big.country, "US");
	strcpy(big.card_country, "US");
	strcpy(big.order_id, "big-1");

	uint64_t v0 = 0;
	assert_true(wait_for(f->e, workers_applied, &v0, 60));
	assert_int_equal(engine_submit_order(f->e, &big, err, sizeof err), 0);
	struct { const char *id; int status; } want = { "big-1", ORDER_NOTIFIED };
	assert_true(wait_for(f->e, status_is, &want, 60));
	struct order_detail d;
	assert_int_equal(order_table_detail(engine_orders(f->e), "big-1", &d), 0);
	assert_int_equal(d.row.decision, ORDER_REFUSED);
	assert_non_null(strstr(d.row.fired, "total_limit"));
	free(d.json);

	int rule = ruleset_find("total_limit");
	assert_true(rule >= 0);
	assert_int_equal(engine_rule_toggle(f->e, rule, err, sizeof err), 0);
	struct rules_status st;
	engine_rules_status(f->e, &st);
	assert_false(st.current.rules[rule].enabled);
	uint64_t v = st.current.version;
	assert_true(v >= 1);
	assert_true(wait_for(f->e, workers_applied, &v, 60));

	strcpy(big.order_id, "big-2");
	strcpy(big.user_id, "whale-2");
	assert_int_equal(engine_submit_order(f->e, &big, err, sizeof err), 0);
	want.id = "big-2";
	assert_true(wait_for(f->e, status_is, &want, 60));
	assert_int_equal(order_table_detail(engine_orders(f->e), "big-2", &d), 0);
	assert_int_equal(d.row.decision, ORDER_APPROVED);
	assert_int_equal(d.row.rules_version, v);
	free(d.json);
	finish(f);
}

static void
ten_minute_transactions(struct config *c)
{
	c->txn_max_ms = 600000;
}

/* A transaction that is not full commits when its input runs dry, not
 * after --txn-max-ms: with a ten-minute limit, orders sent one at a time
 * are each decided and notified, each in transactions of its own (one of
 * the fraud stage, one of the notifier) committed before the next order
 * is sent. */
static void
test_lone_orders_commit_when_input_runs_dry(void **state)
{
	(void)state;
	struct fixture *f = start_tuned(0, 0, false, true, ten_minute_transactions);
	char err[256];
	uint64_t v0 = 0;
	assert_true(wait_for(f->e, workers_applied, &v0, 60));

	for (int i = 0; i < 3; i++) {
		struct order o = { .quantity = 1, .unit_price = 25, .has_unit_price = true };
		snprintf(o.order_id, sizeof o.order_id, "lone-%d", i);
		snprintf(o.user_id, sizeof o.user_id, "lone-user-%d", i);
		strcpy(o.item, "book");
		strcpy(o.currency, "USD");
		strcpy(o.country, "US");
		strcpy(o.card_country, "US");
		assert_int_equal(engine_submit_order(f->e, &o, err, sizeof err), 0);
		uint64_t notified = (uint64_t)i + 1, commits = 2 * notified;
		assert_true(wait_for(f->e, notified_at_least, &notified, 30));
		/* (The mock cluster shows records before their transaction
		 * commits, so the order can be notified first.) */
		assert_true(wait_for(f->e, commits_at_least, &commits, 30));
	}
	struct stats_snapshot s;
	stats_snapshot(engine_stats(f->e), &s);
	assert_int_equal(s.notified, 3);
	assert_int_equal(s.txn_aborts, 0);
	finish(f);
}

/* The shared producer holds one message at a time, for a second before
 * it sends it: a second one finds its queue full.  Only the producer and
 * the monitor run. */
static void
one_slow_message(struct config *c)
{
	c->roles = ROLE_PRODUCER | ROLE_MONITOR;
	kv_list_add(&c->props, "queue.buffering.max.messages", "1", "test");
	kv_list_add(&c->props, "linger.ms", "1000", "test");
}

static struct order
form_order(const char *user)
{
	struct order o = { .quantity = 2, .unit_price = 10, .has_unit_price = true };
	snprintf(o.user_id, sizeof o.user_id, "%s", user);
	strcpy(o.item, "book");
	strcpy(o.currency, "EUR");
	return o;
}

static bool
on_orders_topic(struct engine *e, const void *arg)
{
	struct order_detail d;
	if (order_table_detail(engine_orders(e), arg, &d) < 0)
		return false;
	free(d.json);
	return d.stage[TOPIC_ORDERS].seen;
}

/* The dashboard calls these on its only thread: none may wait.  Each
 * call is timed; one that waited for room would take most of a second. */
#define STEER_MS_MAX 50

static int
timed_submit(struct engine *e, struct order *o, char *err, size_t errlen)
{
	int64_t t0 = mono_ms();
	int rc = engine_submit_order(e, o, err, errlen);
	int64_t took = mono_ms() - t0;
	if (took >= STEER_MS_MAX)
		fail_msg("engine_submit_order took %lld ms", (long long)took);
	return rc;
}

static int
timed_toggle(struct engine *e, int rule, char *err, size_t errlen)
{
	int64_t t0 = mono_ms();
	int rc = engine_rule_toggle(e, rule, err, errlen);
	int64_t took = mono_ms() - t0;
	if (took >= STEER_MS_MAX)
		fail_msg("engine_rule_toggle took %lld ms", (long long)took);
	return rc;
}

static void
test_full_producer_queue_is_answered_at_once(void **state)
{
	(void)state;
	struct fixture *f = start_tuned(0, 0, false, false, one_slow_message);
	struct rules_status before, after;
	char err[256];
	int rule = ruleset_find("total_limit");

	struct order a = form_order("queue-user-a");
	assert_int_equal(timed_submit(f->e, &a, err, sizeof err), 0);

	/* a is still lingering in the queue */
	struct order b = form_order("queue-user-b");
	assert_int_equal(timed_submit(f->e, &b, err, sizeof err), -1);
	print_message("second order: %s\n", err);
	assert_non_null(strstr(err, "Queue full"));

	engine_rules_status(f->e, &before);
	assert_int_equal(timed_toggle(f->e, rule, err, sizeof err), -1);
	print_message("rule change: %s\n", err);
	assert_non_null(strstr(err, "Queue full"));
	engine_rules_status(f->e, &after);
	assert_int_equal(after.current.version, before.current.version);
	assert_int_equal(after.current.rules[rule].enabled, before.current.rules[rule].enabled);

	/* Once a is out there is room again: the change goes out as the next
	 * version and is in force here at once. */
	int64_t give_up = mono_ms() + 10000;
	int rc;
	while ((rc = timed_toggle(f->e, rule, err, sizeof err)) != 0 && mono_ms() < give_up)
		sleep_ms(20);
	assert_int_equal(rc, 0);
	engine_rules_status(f->e, &after);
	assert_int_equal(after.current.version, before.current.version + 1);
	assert_int_not_equal(after.current.rules[rule].enabled, before.current.rules[rule].enabled);

	/* b, sent again, and a both reach the orders topic */
	b = form_order("queue-user-b");
	give_up = mono_ms() + 10000;
	while ((rc = timed_submit(f->e, &b, err, sizeof err)) != 0 && mono_ms() < give_up)
		sleep_ms(20);
	assert_int_equal(rc, 0);
	assert_true(wait_for(f->e, on_orders_topic, a.order_id, 30));
	assert_true(wait_for(f->e, on_orders_topic, b.order_id, 30));
	struct stats_snapshot s;
	stats_snapshot(engine_stats(f->e), &s);
	assert_int_equal(s.produced, 2);
	assert_int_equal(s.produce_errors, 0);
	assert_null(engine_fatal_error(f->e));
	finish(f);
}

static void
test_broker_down_and_up_loses_nothing(void **state)
{
	(void)state;
	char err[256];
	struct fixture *f = start(20000, 4000, true, true);
	uint64_t some = 500;
	assert_true(wait_for(f->e, notified_at_least, &some, 60));
	assert_int_equal(engine_broker_set_up(f->e, 1, false, err, sizeof err), 0);
	struct broker_status b;
	engine_broker_status(f->e, &b);
	assert_int_equal(b.up, b.total - 1);
	sleep_ms(2500);
	assert_int_equal(engine_broker_set_up(f->e, 1, true, err, sizeof err), 0);
	assert_true(wait_for(f->e, drained, NULL, 180));
	assert_null(engine_fatal_error(f->e));
	assert_exactly_once(f->e, 20000);
	finish(f);
}

/* The mock cluster drops transactional offsets, so the stages store them
 * directly after each commit.  Here the cluster (one the test holds, named
 * with -b) answers three OffsetCommits with ILLEGAL_GENERATION: each such
 * store fails and its member joins the group again.  The partitions it is
 * assigned again must start where it got to, not at the older offsets
 * stored: nothing is read and decided (or notified) twice. */
static void
test_offsets_the_mock_could_not_store_are_not_read_again(void **state)
{
	(void)state;
	char err[512];
	rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), err, sizeof err);
	assert_non_null(host);
	rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(host, 3);
	assert_non_null(mc);

	struct fixture *f = calloc(1, sizeof *f);
	config_init(&f->cfg);
	f->cfg.headless = true;
	f->cfg.count = 20000;
	f->cfg.rate = 4000;
	f->cfg.generator_on = true;
	f->cfg.seed = 42;
	f->cfg.brokers = strdup(rd_kafka_mock_cluster_bootstraps(mc));
	for (int t = 0; t < TOPIC__COUNT; t++)
		assert_int_equal(rd_kafka_mock_topic_create(mc, f->cfg.topics[t],
		                                            t == TOPIC_RULES ? 1 : f->cfg.partitions, 1),
		                 RD_KAFKA_RESP_ERR_NO_ERROR);
	f->e = engine_new(&f->cfg);
	assert_non_null(f->e);
	if (engine_start(f->e, err, sizeof err) < 0)
		fail_msg("engine_start: %s", err);

	uint64_t some = 2000;
	assert_true(wait_for(f->e, notified_at_least, &some, 60));
	const int16_t offset_commit = 8; /* the Kafka protocol's API key */
	rd_kafka_mock_push_request_errors(mc, offset_commit, 3, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
	                                  RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
	                                  RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION);
	assert_true(wait_for(f->e, drained, NULL, 180));
	assert_null(engine_fatal_error(f->e));
	assert_exactly_once(f->e, 20000);
	finish(f);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(host);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	log_init(getenv("TEST_INFO") ? LOG_INFO : LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_orders_decided_and_notified_once),
		cmocka_unit_test(test_dashboard_engine_at_full_speed),
		cmocka_unit_test(test_malformed_input_goes_to_dead_letters),
		cmocka_unit_test(test_rule_toggle_changes_later_decisions),
		cmocka_unit_test(test_lone_orders_commit_when_input_runs_dry),
		cmocka_unit_test(test_full_producer_queue_is_answered_at_once),
		cmocka_unit_test(test_broker_down_and_up_loses_nothing),
		cmocka_unit_test(test_offsets_the_mock_could_not_store_are_not_read_again),
	};
	/* TEST_ONLY=NAME runs one test; TEST_INFO=1 logs at info level */
	if (getenv("TEST_ONLY") != NULL)
		cmocka_set_test_filter(getenv("TEST_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
