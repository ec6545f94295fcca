/*
 * worker_producer.c — the producer role's generator: synthetic orders at
 * --rate orders/s (or as fast as the pipeline takes them), up to --count.
 * At full speed it holds back while more than --max-in-flight of its
 * orders are unfinished, so a lagging pipeline is never outrun (the
 * embedded broker keeps only ~5 MiB per partition; a consumer that falls
 * further behind would silently skip ahead).  The form's orders go
 * through the same shared producer (engine_submit_order()).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "generator.h"
#include "log.h"
#include "order.h"
#include "order_json.h"
#include "order_table.h"
#include "pipeline.h"
#include "role.h"
#include "topics.h"

/* Orders generated, sent and registered at a time at full speed. */
#define GENERATOR_BATCH_MAX 256

/* Unfinished orders of this process, as the monitor sees them. */
static uint64_t
in_flight(struct pipeline *p)
{
	return order_table_local_in_flight(p->orders);
}

static void
producer_main(struct pipeline *p, void *state)
{
	const struct config *cfg = p->cfg;
	struct generator *gen = generator_new(cfg->seed, cfg->suspicious_share, p->run_id);
	bool track = p->tracks_local;
	double tokens = 0;
	int64_t last = mono_us();
	uint64_t generated = 0;

	(void)state;
	if (gen == NULL) {
		pipeline_set_fatal(p, "producer: out of memory");
		pipeline_request_stop(p);
		return;
	}
	/* Orders sent before this process's fraud and notifier stages have
	 * joined their groups would only wait there (3 s or more). */
	int64_t give_up = mono_ms() + 30000;
	while (!pipeline_stopping(p) && atomic_load(&p->stages_assigned) < p->stages_local &&
	       mono_ms() < give_up)
		rd_kafka_poll(p->producer, 50);
	/* Learn the orders topic's partitions now, not with the first orders. */
	topics_partition_count(p->producer, cfg->topics[TOPIC_ORDERS], 5000);
	if (cfg->rate > 0)
		log_info("producer", "generator %s, %.0f orders/s",
			 atomic_load(&p->gen_on) ? "on" : "off", cfg->rate);
	else
		log_info("producer", "generator %s, as fast as the pipeline goes",
			 atomic_load(&p->gen_on) ? "on" : "off");
	while (!pipeline_stopping(p)) {
		rd_kafka_poll(p->producer, 0);
		if (!atomic_load(&p->gen_on) || atomic_load(&p->gen_finished)) {
			rd_kafka_poll(p->producer, 50);
			last = mono_us();
			tokens = 0;
			continue;
		}
		bool hold = track && in_flight(p) >= (uint64_t)cfg->max_in_flight;
		atomic_store(&p->gen_holding_back, hold);
		if (hold) {
			rd_kafka_poll(p->producer, 5);
			continue;
		}
		double rate = atomic_load(&p->gen_rate);
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
				rd_kafka_poll(p->producer,
					      wait_ms < 1            ? 1
						      : wait_ms > 50 ? 50
								     : wait_ms);
				last = now;
				continue;
			}
			if (batch > GENERATOR_BATCH_MAX)
				batch = GENERATOR_BATCH_MAX;
		}
		if (track) { /* never past --max-in-flight */
			uint64_t busy = in_flight(p), max = (uint64_t)cfg->max_in_flight;
			if (busy + (uint64_t)batch > max)
				batch = busy < max ? (int)(max - busy) : 0;
		}
		if (rate > 0)
			tokens -= batch;
		last = now;
		/* Sent, then registered together under one lock (an order the
		 * monitor sees before that becomes local then); --drain does not
		 * look in between (gen_sending). */
		atomic_store(&p->gen_sending, true);
		if (atomic_load(&p->gen_finished)) {
			atomic_store(&p->gen_sending, false);
			continue;
		}
		struct order o[GENERATOR_BATCH_MAX];
		int sent = 0;
		bool count_reached = false;
		while (sent < batch && !pipeline_stopping(p)) {
			if (cfg->count > 0 && generated >= (uint64_t)cfg->count) {
				count_reached = true;
				break;
			}
			generator_next(gen, &o[sent], now_ms());
			if (pipeline_produce_order(p, &o[sent], true, &p->stop) != 0)
				break;
			sent++;
			generated++;
		}
		if (sent > 0)
			atomic_fetch_add(&p->stats.generated, (uint64_t)sent);
		if (sent > 0)
			pipeline_register_local(p, o, (size_t)sent, ORDER_SOURCE_GENERATOR);
		if (count_reached) {
			atomic_store(&p->gen_finished, true);
			log_info("producer", "generated %" PRIu64 " orders (--count reached)",
				 generated);
		}
		atomic_store(&p->gen_sending, false);
	}
	generator_free(gen);
}

static bool
producer_runs_here(const struct config *cfg)
{
	return (cfg->roles & ROLE_PRODUCER) != 0;
}

/* Its thread serves the shared producer's events. */
static int
producer_prepare(struct pipeline *p, void **state, char *err, size_t errlen)
{
	(void)state;
	(void)err;
	(void)errlen;
	p->producer_served = true;
	return 0;
}

const struct role role_producer = {
	.name = "producer",
	.thread_name = "ot-producer",
	.runs_here = producer_runs_here,
	.prepare = producer_prepare,
	.main = producer_main,
};
