/*
 * test_order_table.c — the monitor's order table: the lifecycle, messages
 * arriving out of order across topics, duplicates versus redeliveries,
 * eviction (final orders first), bounded size, the local-order counts
 * --drain relies on (registered one by one or a batch at a time), batch
 * observation equal to one by one, detail copies, prefetching that changes
 * nothing, and concurrent use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order_table.h"

static struct order_observation
obs_of(enum topic_id topic, const char *id, int32_t partition, int64_t offset)
{
	struct order_observation o;

	memset(&o, 0, sizeof o);
	o.topic = topic;
	o.order_id = id;
	o.total = -1;
	o.partition = partition;
	o.offset = offset;
	o.ts_ms = 1000 + offset;
	return o;
}

static int
observe(struct order_table *t, enum topic_id topic, const char *id,
        int32_t partition, int64_t offset, int64_t now)
{
	struct order_observation o = obs_of(topic, id, partition, offset);

	return order_table_observe(t, &o, now);
}

static struct order_detail
detail(struct order_table *t, const char *id)
{
	struct order_detail d;

	memset(&d, 0, sizeof d);
	assert_int_equal(order_table_detail(t, id, &d), 0);
	return d;
}

static bool
known(struct order_table *t, const char *id)
{
	struct order_detail d;

	if (order_table_detail(t, id, &d) != 0)
		return false;
	free(d.json);
	return true;
}

static struct order_table_counts
counts(struct order_table *t)
{
	struct order_table_counts c;

	order_table_counts(t, &c);
	return c;
}

static void
test_lifecycle(void **state)
{
	struct order_table *t = order_table_new(16);
	const char json[] = "{\"order_id\":\"o1\",\"user_id\":\"u1\"}";
	struct order_observation o;
	struct order_detail d;
	struct order_row rows[4];

	(void)state;
	o = obs_of(TOPIC_ORDERS, "o1", 2, 10);
	o.user_id = "u1";
	o.item = "lamp";
	o.total = 42.5;
	o.created_ms = 777;
	o.json = json;
	o.json_len = strlen(json);
	assert_int_equal(order_table_observe(t, &o, 5000), OBS_NEW);

	d = detail(t, "o1");
	assert_string_equal(d.row.order_id, "o1");
	assert_string_equal(d.row.user_id, "u1");
	assert_string_equal(d.row.item, "lamp");
	assert_true(d.row.total == 42.5);
	assert_int_equal(d.row.status, ORDER_NEW);
	assert_int_equal(d.row.decision, ORDER_NEW);
	assert_int_equal(d.row.created_ms, 777);
	assert_int_equal(d.row.updated_ms, 5000);
	assert_false(d.row.local);
	assert_true(d.stage[TOPIC_ORDERS].seen);
	assert_int_equal(d.stage[TOPIC_ORDERS].partition, 2);
	assert_int_equal(d.stage[TOPIC_ORDERS].offset, 10);
	assert_int_equal(d.stage[TOPIC_ORDERS].ts_ms, 1010);
	assert_false(d.stage[TOPIC_VALID].seen);
	assert_string_equal(d.json, json);
	free(d.json);

	o = obs_of(TOPIC_VALID, "o1", 0, 3);
	o.rules_version = 7;
	o.fired = "velocity";
	assert_int_equal(order_table_observe(t, &o, 5100), OBS_ADVANCED);
	d = detail(t, "o1");
	assert_int_equal(d.row.status, ORDER_APPROVED);
	assert_int_equal(d.row.decision, ORDER_APPROVED);
	assert_int_equal(d.row.rules_version, 7);
	assert_string_equal(d.row.fired, "velocity");
	assert_true(d.stage[TOPIC_VALID].seen);
	free(d.json);
	assert_int_equal(counts(t).unfinished, 1);

	assert_int_equal(observe(t, TOPIC_NOTIFICATIONS, "o1", 1, 4, 5200), 0);
	d = detail(t, "o1");
	assert_int_equal(d.row.status, ORDER_APPROVED);
	assert_true(d.stage[TOPIC_NOTIFICATIONS].seen);
	free(d.json);

	assert_int_equal(observe(t, TOPIC_NOTIFIED, "o1", 1, 8, 5300),
	                 OBS_ADVANCED | OBS_FINAL);
	d = detail(t, "o1");
	assert_int_equal(d.row.status, ORDER_NOTIFIED);
	assert_int_equal(d.row.decision, ORDER_APPROVED);
	assert_int_equal(d.row.updated_ms, 5300);
	assert_int_equal(d.row.created_ms, 777);
	free(d.json);
	assert_int_equal(counts(t).unfinished, 0);
	assert_int_equal(counts(t).size, 1);

	assert_int_equal(order_table_recent(t, rows, 4), 1);
	assert_string_equal(rows[0].order_id, "o1");
	order_table_free(t);
}

static void
test_refused_and_dead_lettered(void **state)
{
	struct order_table *t = order_table_new(16);
	struct order_observation o;
	struct order_detail d;

	(void)state;
	o = obs_of(TOPIC_REFUSED, "r1", 0, 1);
	o.total = 9000;
	o.fired = "total_limit,country_mismatch";
	o.rules_version = 3;
	assert_int_equal(order_table_observe(t, &o, 10),
	                 OBS_NEW | OBS_ADVANCED);
	d = detail(t, "r1");
	assert_int_equal(d.row.status, ORDER_REFUSED);
	assert_int_equal(d.row.decision, ORDER_REFUSED);
	assert_true(d.row.total == 9000);
	assert_string_equal(d.row.fired, "total_limit,country_mismatch");
	assert_int_equal(d.row.created_ms, 10);   /* first seen */
	assert_null(d.json);
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "r1", 0, 2, 20),
	                 OBS_ADVANCED | OBS_FINAL);

	assert_int_equal(observe(t, TOPIC_DLQ, "bad", 0, 1, 30),
	                 OBS_NEW | OBS_ADVANCED | OBS_FINAL);
	d = detail(t, "bad");
	assert_int_equal(d.row.status, ORDER_DEAD_LETTERED);
	assert_true(d.row.total < 0);             /* unknown */
	assert_int_equal(counts(t).unfinished, 0);
	order_table_free(t);
}

/* The notified record seen before the decision and the order itself. */
static void
test_out_of_order(void **state)
{
	struct order_table *t = order_table_new(16);
	struct order_observation o;
	struct order_detail d;

	(void)state;
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "x", 0, 5, 100),
	                 OBS_NEW | OBS_ADVANCED | OBS_FINAL);
	d = detail(t, "x");
	assert_int_equal(d.row.status, ORDER_NOTIFIED);
	assert_int_equal(d.row.decision, ORDER_NEW);

	o = obs_of(TOPIC_VALID, "x", 1, 7);
	o.rules_version = 2;
	o.user_id = "ux";
	assert_int_equal(order_table_observe(t, &o, 110), 0);
	d = detail(t, "x");
	assert_int_equal(d.row.status, ORDER_NOTIFIED);    /* not back */
	assert_int_equal(d.row.decision, ORDER_APPROVED);
	assert_int_equal(d.row.rules_version, 2);
	assert_string_equal(d.row.user_id, "ux");

	o = obs_of(TOPIC_ORDERS, "x", 2, 1);
	o.user_id = "someone-else";              /* already known: kept */
	o.item = "desk";
	o.total = 12;
	o.created_ms = 50;
	o.json = "{}";
	o.json_len = 2;
	assert_int_equal(order_table_observe(t, &o, 120), 0);
	d = detail(t, "x");
	assert_int_equal(d.row.status, ORDER_NOTIFIED);
	assert_string_equal(d.row.user_id, "ux");
	assert_string_equal(d.row.item, "desk");
	assert_true(d.row.total == 12);
	assert_int_equal(d.row.created_ms, 50);
	assert_string_equal(d.json, "{}");
	free(d.json);

	/* Decision before the order. */
	assert_int_equal(observe(t, TOPIC_REFUSED, "y", 0, 1, 200),
	                 OBS_NEW | OBS_ADVANCED);
	assert_int_equal(observe(t, TOPIC_ORDERS, "y", 0, 1, 210), 0);
	d = detail(t, "y");
	assert_int_equal(d.row.status, ORDER_REFUSED);
	order_table_free(t);
}

static void
test_duplicates_vs_redelivery(void **state)
{
	struct order_table *t = order_table_new(16);
	struct order_detail d;

	(void)state;
	assert_int_equal(observe(t, TOPIC_VALID, "d", 0, 5, 1),
	                 OBS_NEW | OBS_ADVANCED);
	/* The same message again (a redelivery): nothing new. */
	assert_int_equal(observe(t, TOPIC_VALID, "d", 0, 5, 2), 0);
	/* Decided again at another offset, partition or topic. */
	assert_int_equal(observe(t, TOPIC_VALID, "d", 0, 9, 3), OBS_DUPLICATE);
	assert_int_equal(observe(t, TOPIC_VALID, "d", 1, 5, 4), OBS_DUPLICATE);
	assert_int_equal(observe(t, TOPIC_REFUSED, "d", 0, 5, 5), OBS_DUPLICATE);
	d = detail(t, "d");
	assert_int_equal(d.row.decision, ORDER_APPROVED);  /* the first kept */
	assert_int_equal(d.row.status, ORDER_APPROVED);
	assert_int_equal(d.stage[TOPIC_VALID].offset, 5);  /* first sighting */
	/* The original again is still a redelivery. */
	assert_int_equal(observe(t, TOPIC_VALID, "d", 0, 5, 6), 0);

	assert_int_equal(observe(t, TOPIC_NOTIFIED, "d", 2, 1, 7),
	                 OBS_ADVANCED | OBS_FINAL);
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "d", 2, 1, 8), 0);
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "d", 2, 2, 9), OBS_DUPLICATE);
	/* OBS_FINAL only once, whatever comes after. */
	assert_int_equal(observe(t, TOPIC_DLQ, "d", 0, 1, 10), OBS_ADVANCED);
	assert_int_equal(observe(t, TOPIC_ORDERS, "d", 0, 1, 11), 0);
	assert_int_equal(observe(t, TOPIC_ORDERS, "d", 0, 2, 12), 0);
	order_table_free(t);
}

static void
test_eviction_prefers_final(void **state)
{
	struct order_table *t = order_table_new(4);
	struct order_row rows[8];

	(void)state;
	observe(t, TOPIC_ORDERS, "a", 0, 1, 1);
	observe(t, TOPIC_ORDERS, "b", 0, 2, 2);
	observe(t, TOPIC_ORDERS, "c", 0, 3, 3);
	observe(t, TOPIC_ORDERS, "d", 0, 4, 4);
	observe(t, TOPIC_NOTIFIED, "c", 0, 1, 5);   /* final, newest */
	observe(t, TOPIC_DLQ, "b", 0, 1, 6);        /* final, newest */
	observe(t, TOPIC_NOTIFIED, "c", 0, 1, 7);   /* c touched: b is older */
	assert_int_equal(counts(t).size, 4);
	assert_int_equal(counts(t).unfinished, 2);

	assert_int_equal(observe(t, TOPIC_ORDERS, "e", 0, 5, 8), OBS_NEW);
	assert_false(known(t, "b"));                /* stalest final */
	assert_true(known(t, "a") && known(t, "c") && known(t, "d"));
	assert_int_equal(observe(t, TOPIC_ORDERS, "f", 0, 6, 9), OBS_NEW);
	assert_false(known(t, "c"));                /* the other final */
	assert_true(known(t, "a"));                 /* though oldest */

	/* No final left: the least recently updated goes. */
	observe(t, TOPIC_VALID, "a", 0, 1, 10);     /* a touched: d oldest */
	assert_int_equal(observe(t, TOPIC_ORDERS, "g", 0, 7, 11), OBS_NEW);
	assert_false(known(t, "d"));
	assert_true(known(t, "a") && known(t, "e") && known(t, "f") &&
	            known(t, "g"));
	assert_int_equal(counts(t).size, 4);
	assert_int_equal(counts(t).unfinished, 4);
	assert_int_equal(counts(t).local_evicted_unfinished, 0);

	/* Newest first. */
	assert_int_equal(order_table_recent(t, rows, 8), 4);
	assert_string_equal(rows[0].order_id, "g");
	assert_string_equal(rows[1].order_id, "a");
	assert_string_equal(rows[2].order_id, "f");
	assert_string_equal(rows[3].order_id, "e");
	assert_int_equal(order_table_recent(t, rows, 2), 2);
	assert_string_equal(rows[1].order_id, "a");

	/* An evicted order that comes back is new again. */
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "b", 0, 1, 12),
	                 OBS_NEW | OBS_ADVANCED | OBS_FINAL);
	order_table_free(t);
}

/* A million orders through a thousand places, half of them finished. */
static void
test_bounded(void **state)
{
	enum { CAP = 1000, N = 1000000 };
	struct order_table *t = order_table_new(CAP);
	const char json[] = "{\"order_id\":\"...\",\"quantity\":1}";
	char id[32];
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		struct order_observation o;

		snprintf(id, sizeof id, "order-%d", i);
		o = obs_of(TOPIC_ORDERS, id, i % 3, i);
		o.json = json;
		o.json_len = sizeof json - 1;
		assert_int_equal(order_table_observe(t, &o, i), OBS_NEW);
		if (i % 2 == 1)
			observe(t, TOPIC_DLQ, id, 0, i, i);
		if (i % 1000 == 999)
			assert_true(counts(t).size <= CAP);
	}
	assert_int_equal(counts(t).size, CAP);
	/* The unfinished outlive the finished: the last order (final, just
	 * in) and the newest CAP - 1 even ones are there, and every lookup
	 * still finds them. */
	snprintf(id, sizeof id, "order-%d", N - 1);
	assert_true(known(t, id));
	for (i = N - 2 * CAP + 2; i < N; i += 2) {
		snprintf(id, sizeof id, "order-%d", i);
		assert_true(known(t, id));
	}
	for (i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "order-%d", i);
		assert_false(known(t, id));
	}
	snprintf(id, sizeof id, "order-%d", N - 2 * CAP);
	assert_false(known(t, id));
	snprintf(id, sizeof id, "order-%d", N - 3);
	assert_false(known(t, id));
	assert_int_equal(counts(t).unfinished, CAP - 1);
	order_table_free(t);
}

static void
test_local_counts(void **state)
{
	struct order_table *t = order_table_new(16);
	char ids[8][ORDER_ID_MAX + 1];
	struct order_table_counts c;
	struct order_detail d;

	(void)state;
	order_table_register_local(t, "a", "ua", "pen", 3.0, 111);
	order_table_register_local(t, "b", "ub", NULL, -1, 0);
	order_table_register_local(t, "c", NULL, NULL, -1, 0);
	order_table_register_local(t, "a", "ua", "pen", 3.0, 111);  /* again */
	c = counts(t);
	assert_int_equal(c.local_registered, 3);
	assert_int_equal(c.local_final, 0);
	assert_int_equal(c.unfinished, 3);
	d = detail(t, "a");
	assert_true(d.row.local);
	assert_string_equal(d.row.user_id, "ua");
	assert_string_equal(d.row.item, "pen");
	assert_true(d.row.total == 3.0);
	assert_int_equal(d.row.created_ms, 111);
	assert_int_equal(d.row.status, ORDER_NEW);

	/* The monitor's first sighting of a registered order is still new. */
	assert_int_equal(observe(t, TOPIC_ORDERS, "a", 0, 1, 5), OBS_NEW);
	assert_int_equal(observe(t, TOPIC_NOTIFIED, "a", 0, 1, 6),
	                 OBS_ADVANCED | OBS_FINAL);
	assert_int_equal(counts(t).local_final, 1);
	/* Notified before its decision was read: final, not settled yet. */
	assert_int_equal(counts(t).local_settled, 0);
	observe(t, TOPIC_VALID, "a", 0, 1, 6);
	assert_int_equal(counts(t).local_settled, 1);
	observe(t, TOPIC_NOTIFIED, "z", 0, 2, 7);   /* not ours */
	assert_int_equal(counts(t).local_final, 1);

	/* Seen by the monitor before the producer registered it. */
	observe(t, TOPIC_ORDERS, "d", 0, 3, 8);
	order_table_register_local(t, "d", "ud", "cup", 1.0, 0);
	assert_true(detail(t, "d").row.local);
	/* ... even when already final. */
	observe(t, TOPIC_DLQ, "e", 0, 4, 9);
	order_table_register_local(t, "e", NULL, NULL, -1, 0);
	c = counts(t);
	assert_int_equal(c.local_registered, 5);
	assert_int_equal(c.local_final, 2);
	assert_int_equal(order_table_local_in_flight(t), 3);
	assert_int_equal(c.unfinished, 3);          /* b, c, d */
	assert_int_equal(c.size, 6);
	assert_int_equal(c.capacity, 16);

	/* Oldest first. */
	assert_int_equal(order_table_local_unfinished(t, ids, 8), 3);
	assert_string_equal(ids[0], "b");
	assert_string_equal(ids[1], "c");
	assert_string_equal(ids[2], "d");
	assert_int_equal(order_table_local_unfinished(t, ids, 1), 1);

	observe(t, TOPIC_REFUSED, "b", 0, 5, 10);
	observe(t, TOPIC_NOTIFIED, "b", 0, 6, 11);
	observe(t, TOPIC_NOTIFIED, "c", 0, 7, 12);
	observe(t, TOPIC_NOTIFIED, "d", 0, 8, 13);
	c = counts(t);
	assert_int_equal(c.local_final, c.local_registered);
	/* b was decided; e was dead-lettered; c and d not decided yet */
	assert_int_equal(c.local_settled, 3);
	observe(t, TOPIC_REFUSED, "c", 0, 9, 14);
	observe(t, TOPIC_VALID, "d", 0, 10, 15);
	assert_int_equal(counts(t).local_settled, c.local_registered);
	assert_int_equal(order_table_local_in_flight(t), 0);
	assert_int_equal(order_table_local_unfinished(t, ids, 8), 0);
	order_table_free(t);
}

/* Rows and counts of a table, compared whole. */
static bool
same_table(struct order_table *a, struct order_table *b)
{
	struct order_row ra[64], rb[64];
	struct order_table_counts ca = counts(a), cb = counts(b);
	size_t na = order_table_recent(a, ra, 64), nb = order_table_recent(b, rb, 64);
	if (memcmp(&ca, &cb, sizeof ca) != 0 || na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(ra[i].order_id, rb[i].order_id) || strcmp(ra[i].user_id, rb[i].user_id) ||
		    strcmp(ra[i].item, rb[i].item) || ra[i].status != rb[i].status ||
		    ra[i].local != rb[i].local || ra[i].created_ms != rb[i].created_ms ||
		    memcmp(&ra[i].total, &rb[i].total, sizeof ra[i].total) != 0)
			return false;
	return true;
}

/* A batch registers exactly what the same orders registered one by one
 * would: repeats, an order seen (and finished) before, eviction. */
static void
test_register_batch(void **state)
{
	(void)state;
	struct order_table *one = order_table_new(32), *batch = order_table_new(32);
	char ids[100][16];
	struct local_order l[100];

	for (int i = 0; i < 100; i++) {
		snprintf(ids[i], sizeof ids[i], "o%d", i % 70);   /* 30 repeats */
		l[i] = (struct local_order){ ids[i], i % 3 ? "u" : NULL, "item", i * 1.5, 1000 + i,
		                             ORDER_SOURCE_OTHER };
	}
	l[5].order_id = "";                                   /* ignored */
	for (int k = 0; k < 2; k++) {
		struct order_table *t = k ? batch : one;
		observe(t, TOPIC_NOTIFIED, "o69", 0, 1, 5);       /* final before it is ours */
	}
	for (int i = 0; i < 100; i++)
		order_table_register_local(one, l[i].order_id, l[i].user_id, l[i].item, l[i].total,
		                           l[i].created_ms);
	order_table_register_local_batch(batch, l, 40);
	order_table_register_local_batch(batch, l + 40, 60);
	assert_true(same_table(one, batch));
	assert_int_equal(counts(batch).size, 32);
	assert_true(counts(batch).local_registered >= 69);
	order_table_register_local_batch(batch, l, 0);
	assert_true(same_table(one, batch));
	order_table_free(one);
	order_table_free(batch);
}

/* Where an order came from: the source its intake registered it with,
 * "this process" without one, "other client" for an order only seen. */
static const char *
source_of(struct order_table *t, const char *id)
{
	struct order_detail d = detail(t, id);
	free(d.json);
	return order_table_source_name(&d.row);
}

static void
test_source(void **state)
{
	(void)state;
	struct order_table *t = order_table_new(16);
	struct local_order l[] = {
		{ "h", "u", "pen", 1, 1, ORDER_SOURCE_HTTP },
		{ "f", "u", "pen", 1, 1, ORDER_SOURCE_FORM },
		{ "g", "u", "pen", 1, 1, ORDER_SOURCE_GENERATOR },
	};

	observe(t, TOPIC_ORDERS, "h", 0, 1, 5); /* seen before it is registered */
	order_table_register_local_batch(t, l, 3);
	order_table_register_local(t, "p", "u", "pen", 1, 1);
	observe(t, TOPIC_ORDERS, "o", 0, 2, 5);
	assert_string_equal(source_of(t, "h"), "http");
	assert_string_equal(source_of(t, "f"), "form");
	assert_string_equal(source_of(t, "g"), "generator");
	assert_string_equal(source_of(t, "p"), "this process");
	assert_string_equal(source_of(t, "o"), "other client");
	struct order_detail d = detail(t, "h");
	assert_true(d.stage[TOPIC_ORDERS].seen);
	free(d.json);
	order_table_free(t);
}

/* Observing a batch under one lock is observing its members one by one:
 * 600 observations of 90 ids over every topic (new orders, decisions,
 * second decisions, redeliveries, notifications, dead letters, ids the
 * table ignores) into a table of 64 that evicts, in batches of 1 to 37.
 * Same flags for each, same table after. */
static void
test_observe_batch(void **state)
{
	(void)state;
	enum { N = 600 };
	struct order_table *one = order_table_new(64), *batch = order_table_new(64);
	static char ids[N][16];
	static struct order_observation obs[N];
	int want[N], got[N];
	uint64_t x = 0x9E3779B97F4A7C15ULL;

	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		snprintf(ids[i], sizeof ids[i], "b%d", (int)(x % 90));
		enum topic_id t = (enum topic_id)((x >> 8) % (TOPIC_DLQ + 2));   /* one past DLQ too */
		/* a tenth are redeliveries: partition and offset as an earlier one */
		int64_t offset = (x >> 16) % 10 == 0 ? (int64_t)((x >> 24) % 90) : 1000 + i;
		obs[i] = obs_of(t, (x >> 32) % 50 == 0 ? "" : ids[i], (int32_t)((x >> 40) % 2), offset);
		obs[i].total = (x >> 44) % 3 ? (double)i : -1;
		obs[i].user_id = "u";
		obs[i].fired = t == TOPIC_REFUSED ? "total_limit" : NULL;
	}
	order_table_register_local(one, ids[3], "u", "item", 1, 1000);
	order_table_register_local(batch, ids[3], "u", "item", 1, 1000);
	for (int i = 0; i < N; i++)
		want[i] = order_table_observe(one, &obs[i], 5000);
	for (int i = 0, n; i < N; i += n) {
		n = 1 + i % 37 < N - i ? 1 + i % 37 : N - i;
		order_table_observe_batch(batch, obs + i, (size_t)n, 5000, got + i);
	}
	for (int i = 0; i < N; i++)
		if (got[i] != want[i])
			print_error("observation %d (%s on topic %d): %d, one by one %d\n", i,
			            obs[i].order_id, obs[i].topic, got[i], want[i]);
	assert_memory_equal(got, want, sizeof want);
	assert_true(same_table(one, batch));
	int dups = 0, finals = 0;
	for (int i = 0; i < N; i++) {
		dups += (want[i] & OBS_DUPLICATE) != 0;
		finals += (want[i] & OBS_FINAL) != 0;
	}
	assert_true(dups > 10 && finals > 10);      /* the mix covers both */
	order_table_free(one);
	order_table_free(batch);
}

/* Prefetching is a hint: known, unknown, empty and over-long ids, more
 * than one chunk of them, and the table is as it was. */
static void
test_prefetch_changes_nothing(void **state)
{
	(void)state;
	struct order_table *t = order_table_new(64), *copy = order_table_new(64);
	char ids[150][ORDER_ID_MAX + 8];
	const char *p[150];
	size_t lens[150];

	for (int i = 0; i < 150; i++) {
		if (i == 149)
			memset(ids[i], 'x', sizeof ids[i] - 1), ids[i][sizeof ids[i] - 1] = '\0';
		else
			snprintf(ids[i], sizeof ids[i], "p%d", i);
		p[i] = ids[i];
		lens[i] = i == 7 ? 0 : strlen(ids[i]);
	}
	for (int i = 0; i < 80; i += 2) {
		for (int k = 0; k < 2; k++)
			observe(k ? copy : t, TOPIC_ORDERS, ids[i], 0, i, 10 + i);
	}
	order_table_prefetch(t, p, lens, 150);
	order_table_prefetch(t, p, lens, 0);
	assert_true(same_table(t, copy));
	assert_int_equal(observe(t, TOPIC_VALID, "p2", 0, 1, 99), observe(copy, TOPIC_VALID, "p2", 0, 1, 99));
	assert_true(same_table(t, copy));
	order_table_free(t);
	order_table_free(copy);
}

static void
test_local_evicted_unfinished(void **state)
{
	struct order_table *t = order_table_new(2);
	struct order_table_counts c;

	(void)state;
	order_table_register_local(t, "x", NULL, NULL, -1, 0);
	order_table_register_local(t, "y", NULL, NULL, -1, 0);
	observe(t, TOPIC_NOTIFIED, "y", 0, 1, 1);
	order_table_register_local(t, "z", NULL, NULL, -1, 0);  /* y goes */
	c = counts(t);
	assert_int_equal(c.local_evicted_unfinished, 0);
	assert_int_equal(c.local_final, 1);
	order_table_register_local(t, "w", NULL, NULL, -1, 0);  /* x goes */
	c = counts(t);
	assert_int_equal(c.local_registered, 4);
	assert_int_equal(c.local_evicted_unfinished, 1);
	assert_int_equal(c.size, 2);
	assert_false(known(t, "x"));
	order_table_free(t);
}

static void
test_detail_json(void **state)
{
	struct order_table *t = order_table_new(8);
	struct order_observation o;
	struct order_detail d;
	char buf[] = "{\"order_id\":\"j\"}XXXX";  /* not terminated at len */
	size_t len = strlen("{\"order_id\":\"j\"}");
	char *big;

	(void)state;
	assert_int_equal(order_table_detail(t, "nope", &d), -1);

	o = obs_of(TOPIC_ORDERS, "j", 0, 1);
	o.json = buf;
	o.json_len = len;
	order_table_observe(t, &o, 1);
	memset(buf, 'Z', sizeof buf - 1);            /* the caller's buffer */
	d = detail(t, "j");
	assert_string_equal(d.json, "{\"order_id\":\"j\"}");
	d.json[0] = '!';                             /* the caller's copy */
	free(d.json);
	d = detail(t, "j");
	assert_string_equal(d.json, "{\"order_id\":\"j\"}");
	free(d.json);

	/* Over 1 MiB: not kept. */
	big = malloc(ORDER_JSON_MAX + 1);
	memset(big, ' ', ORDER_JSON_MAX + 1);
	o = obs_of(TOPIC_ORDERS, "big", 0, 2);
	o.json = big;
	o.json_len = ORDER_JSON_MAX + 1;
	order_table_observe(t, &o, 2);
	d = detail(t, "big");
	assert_null(d.json);
	/* Exactly 1 MiB: kept. */
	o = obs_of(TOPIC_ORDERS, "big2", 0, 3);
	o.json = big;
	o.json_len = ORDER_JSON_MAX;
	order_table_observe(t, &o, 3);
	d = detail(t, "big2");
	assert_non_null(d.json);
	assert_int_equal(strlen(d.json), ORDER_JSON_MAX);
	free(d.json);
	free(big);

	/* JSON only from the orders topic. */
	o = obs_of(TOPIC_VALID, "k", 0, 1);
	o.json = "{}";
	o.json_len = 2;
	order_table_observe(t, &o, 4);
	d = detail(t, "k");
	assert_null(d.json);
	order_table_free(t);
}

static void
test_ignored_and_cut(void **state)
{
	struct order_table *t = order_table_new(8);
	struct order_observation o;
	char longid[200];
	struct order_detail d;

	(void)state;
	assert_int_equal(observe(t, TOPIC_RULES, "r", 0, 1, 1), 0);
	assert_int_equal(observe(t, TOPIC_ORDERS, "", 0, 1, 1), 0);
	o = obs_of(TOPIC_ORDERS, NULL, 0, 1);
	assert_int_equal(order_table_observe(t, &o, 1), 0);
	order_table_register_local(t, NULL, NULL, NULL, -1, 0);
	order_table_register_local(t, "", NULL, NULL, -1, 0);
	assert_int_equal(counts(t).size, 0);
	assert_int_equal(counts(t).local_registered, 0);

	memset(longid, 'q', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	assert_int_equal(observe(t, TOPIC_ORDERS, longid, 0, 1, 1), OBS_NEW);
	longid[ORDER_ID_MAX + 5] = '\0';           /* same first 64 bytes */
	assert_int_equal(observe(t, TOPIC_VALID, longid, 0, 1, 2), OBS_ADVANCED);
	d = detail(t, longid);
	assert_int_equal(strlen(d.row.order_id), ORDER_ID_MAX);
	assert_int_equal(counts(t).size, 1);

	/* Long fired text is cut, terminated. */
	memset(longid, 'f', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	o = obs_of(TOPIC_REFUSED, "cut", 0, 1);
	o.fired = longid;
	o.user_id = longid;
	o.item = longid;
	order_table_observe(t, &o, 3);
	d = detail(t, "cut");
	assert_int_equal(strlen(d.row.fired), ORDER_FIRED_TEXT_MAX - 1);
	assert_int_equal(strlen(d.row.user_id), ORDER_ID_MAX);
	assert_int_equal(strlen(d.row.item), ORDER_ITEM_MAX);
	order_table_free(t);
	order_table_free(NULL);
}

/* ---- threads (for TSan) ---- */

#define THREADS 4
#define PER_THREAD 20000

struct worker_arg {
	struct order_table *t;
	int id;
	uint64_t max_in_flight;     /* the most order_table_local_in_flight() said */
};

static void *
worker(void *p)
{
	struct worker_arg *a = p;
	struct order_row rows[16];
	char id[32];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		snprintf(id, sizeof id, "t%d", i % 5000);
		switch (a->id) {
		case 0:
			order_table_register_local(a->t, id, "u", "i", 1, 1);
			break;
		case 1:
			observe(a->t, TOPIC_ORDERS, id, 0, i, i);
			break;
		case 2:
			observe(a->t, TOPIC_NOTIFIED, id, 1, i % 5000, i);
			break;
		default: {
			order_table_recent(a->t, rows, 16);
			uint64_t f = order_table_local_in_flight(a->t);
			if (f > a->max_in_flight)
				a->max_in_flight = f;
			break;
		}
		}
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct order_table *t = order_table_new(10000);
	struct worker_arg args[THREADS];
	pthread_t th[THREADS];
	struct order_table_counts c;
	int i;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		args[i].t = t;
		args[i].id = i;
		args[i].max_in_flight = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker, &args[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	/* Read without the lock while both counts moved: never more than
	 * were registered (a wrapped difference would be huge). */
	for (i = 0; i < THREADS; i++)
		assert_true(args[i].max_in_flight <= 5000);
	c = counts(t);
	assert_int_equal(c.size, 5000);
	assert_int_equal(c.local_registered, 5000);
	assert_int_equal(c.local_final, 5000);
	assert_int_equal(c.unfinished, 0);
	order_table_free(t);
}

/* order_table_lookup: known (0), forgotten by eviction (-2), never
 * seen (-1); the JSON is not copied. */
static void
test_lookup_tells_evicted_from_unknown(void **state)
{
	(void)state;
	struct order_table *t = order_table_new(2);
	struct order_detail d;
	char id[16];

	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "o%d", i);
		order_table_register_local(t, id, "u", "pen", 1.0, 1);
	}
	assert_int_equal(order_table_lookup(t, "o4", &d), 0);
	assert_string_equal(d.row.order_id, "o4");
	assert_null(d.json);
	assert_int_equal(order_table_lookup(t, "o0", &d), -2);
	assert_int_equal(order_table_lookup(t, "o1", &d), -2);
	assert_int_equal(order_table_lookup(t, "never", &d), -1);
	assert_int_equal(order_table_detail(t, "o0", &d), -1);
	order_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_tells_evicted_from_unknown),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_refused_and_dead_lettered),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_duplicates_vs_redelivery),
		cmocka_unit_test(test_eviction_prefers_final),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_local_counts),
		cmocka_unit_test(test_local_evicted_unfinished),
		cmocka_unit_test(test_register_batch),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_observe_batch),
		cmocka_unit_test(test_prefetch_changes_nothing),
		cmocka_unit_test(test_detail_json),
		cmocka_unit_test(test_ignored_and_cut),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
