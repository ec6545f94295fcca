/*
 * worker_producer.c — the producer role's generator: synthetic orders at
 * --rate orders/s (or as fast as the pipeline takes them), up to --count.
 * At full speed it holds back while more than --max-in-flight of its
 * orders are unfinished, so a lagging pipeline is never outrun (the
 * embedded broker keeps only ~5 MiB per partition; a consumer that falls
 * further behind would silently skip ahead).  The form's orders go through
 * engine_submit_order() on the same producer.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_internal.h"
#include "generator.h"
#include "int_text.h"
#include "json_writer.h"
#include "log.h"
#include "order.h"
#include "order_json.h"
#include "order_table.h"
#include "topics.h"

/* Orders generated, sent and registered at a time at full speed. */
#define GENERATOR_BATCH_MAX 256

/* Produces one order on the shared producer. */
static int
produce_order(struct engine *e, const struct order *o, bool generated)
{
	struct json_writer w;
	char created[INT_TEXT_MAX];
	size_t len;

	json_writer_init(&w);
	order_json_write(&w, o);
	const char *json = json_writer_text(&w, &len);
	if (json == NULL) {
		json_writer_discard(&w);
		return -1;
	}
	/* --trace-headers only: the payload carries created_at */
	const char *trace[] = {
		HDR_ORDER_ID, o->order_id, HDR_CREATED_MS, created,
		HDR_STAGE, generated ? "generator" : "intake", NULL,
	};
	if (e->cfg->trace_headers)
		int_text(created, o->created_at_ms);
	int rc = engine_produce(e, e->producer, e->producer_topic[TOPIC_ORDERS],
	                        RD_KAFKA_PARTITION_UA, o->user_id, strlen(o->user_id),
	                        json, len, e->cfg->trace_headers ? trace : NULL, e);
	json_writer_discard(&w);
	return rc;
}

/* The orders this process sent, for --drain and the hold-back. */
static void
register_local(struct engine *e, const struct order *o, size_t n)
{
	struct local_order l[GENERATOR_BATCH_MAX];
	for (size_t i = 0; i < n; i++)
		l[i] = (struct local_order){ o[i].order_id, o[i].user_id, o[i].item,
		                             order_total(&o[i]), o[i].created_at_ms };
	order_table_register_local_batch(e->orders, l, n);
}

int
engine_publish_order(struct engine *e, const struct order *o, bool generated)
{
	if (e->running[WORKER_MONITOR])
		register_local(e, o, 1);
	return produce_order(e, o, generated);
}

/* Unfinished orders of this process, as the monitor sees them. */
static uint64_t
in_flight(struct engine *e)
{
	return order_table_local_in_flight(e->orders);
}

void *
producer_worker_main(void *arg)
{
	struct engine *e = arg;
	const struct config *cfg = e->cfg;
	struct generator *gen = generator_new(cfg->seed, cfg->suspicious_share, e->run_id);
	bool track = e->running[WORKER_MONITOR];
	double tokens = 0;
	int64_t last = mono_us();
	uint64_t generated = 0;

	if (gen == NULL) {
		engine_set_fatal(e, "producer: out of memory");
		engine_request_stop(e);
		return NULL;
	}
	/* Orders sent before this process's fraud and notifier stages have
	 * joined their groups would only wait there (3 s or more). */
	int stages = e->running[WORKER_FRAUD] + e->running[WORKER_NOTIFIER];
	int64_t give_up = mono_ms() + 30000;
	while (!engine_stopping(e) && atomic_load(&e->stages_assigned) < stages &&
	       mono_ms() < give_up)
		rd_kafka_poll(e->producer, 50);
	/* Learn the orders topic's partitions now, not with the first orders. */
	topics_partition_count(e->producer, cfg->topics[TOPIC_ORDERS], 5000);
	if (cfg->rate > 0)
		log_info("producer", "generator %s, %.0f orders/s", atomic_load(&e->gen_on) ? "on" : "off",
		         cfg->rate);
	else
		log_info("producer", "generator %s, as fast as the pipeline goes",
		         atomic_load(&e->gen_on) ? "on" : "off");
	while (!engine_stopping(e)) {
		rd_kafka_poll(e->producer, 0);
		if (!atomic_load(&e->gen_on) || atomic_load(&e->gen_finished)) {
			rd_kafka_poll(e->producer, 50);
			last = mono_us();
			tokens = 0;
			continue;
		}
		bool hold = track && in_flight(e) >= (uint64_t)cfg->max_in_flight;
		atomic_store(&e->gen_holding_back, hold);
		if (hold) {
			rd_kafka_poll(e->producer, 5);
			continue;
		}
		double rate = atomic_load(&e->gen_rate);
		int64_t now = mono_us();
		int batch;
		if (rate <= 0) {
			batch = GENERATOR_BATCH_MAX; /* as fast as the pipeline takes them */
		} else {
			tokens += rate * (double)(now - last) / 1e6;
			double burst = rate / 10 > 1 ? rate / 10 : 1;
			if (tokens > burst)
				tokens = burst;
			batch = (int)tokens;
			if (batch == 0) {
				int wait_ms = (int)ceil((1 - tokens) * 1000 / rate);
				rd_kafka_poll(e->producer, wait_ms < 1 ? 1 : wait_ms > 50 ? 50 : wait_ms);
				last = now;
				continue;
			}
			if (batch > GENERATOR_BATCH_MAX)
				batch = GENERATOR_BATCH_MAX;
		}
		if (track) {                    /* never past --max-in-flight */
			uint64_t busy = in_flight(e), max = (uint64_t)cfg->max_in_flight;
			if (busy + (uint64_t)batch > max)
				batch = busy < max ? (int)(max - busy) : 0;
		}
		if (rate > 0)
			tokens -= batch;
		last = now;
		/* Sent, then registered together under one lock (an order the
		 * monitor sees before that becomes local then); --drain does not
		 * look in between (gen_sending). */
		atomic_store(&e->gen_sending, true);
		if (atomic_load(&e->gen_finished)) {
			atomic_store(&e->gen_sending, false);
			continue;
		}
		struct order o[GENERATOR_BATCH_MAX];
		int sent = 0;
		bool count_reached = false;
		while (sent < batch && !engine_stopping(e)) {
			if (cfg->count > 0 && generated >= (uint64_t)cfg->count) {
				count_reached = true;
				break;
			}
			generator_next(gen, &o[sent], now_ms());
			if (produce_order(e, &o[sent], true) < 0)
				break;
			sent++;
			generated++;
		}
		if (sent > 0)
			atomic_fetch_add(&e->stats.generated, (uint64_t)sent);
		if (track && sent > 0)
			register_local(e, o, (size_t)sent);
		if (count_reached) {
			atomic_store(&e->gen_finished, true);
			log_info("producer", "generated %" PRIu64 " orders (--count reached)", generated);
		}
		atomic_store(&e->gen_sending, false);
	}
	generator_free(gen);
	return NULL;
}
