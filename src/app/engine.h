/*
 * engine.h — the running pipeline, as the dashboard, headless mode and
 * `ordertop rules` see it.  engine_start() brings up the broker (embedded
 * mock cluster, or the named cluster), provisions the topics and starts one
 * thread per role (role.h); the rest of this API observes it and steers it
 * (orders from the form, rule changes, the generator).  Between
 * engine_start() and engine_stop() (which wait for the brokers, and flush)
 * every call is thread-safe, and none waits on the network or on a lock
 * held across network I/O: the UI thread may call any of them.
 */
#ifndef ORDERTOP_ENGINE_H
#define ORDERTOP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "config.h"
#include "evq.h"
#include "fraud_rules.h"
#include "order.h"
#include "order_table.h"
#include "rules_store.h"
#include "stats.h"

struct engine;
struct pipeline_lag_row; /* pipeline.h */

/* Takes a reference to cfg, which must outlive the engine. */
struct engine *engine_new(const struct config *cfg);
/* Starts the broker, topics and workers.  0, or -1 with the reason in err
 * (also logged).  Waits for the brokers with back-off until reachable or
 * engine_request_stop(). */
int engine_start(struct engine *e, char *err, size_t errlen);
/* Before engine_start: the roles' threads (and the librdkafka threads they
 * start) run delta nice levels below the caller (see thread_priority.h). */
void engine_set_worker_nice(struct engine *e, int delta);
/* Asks every role to stop (async-signal-safe: only sets a flag). */
void engine_request_stop(struct engine *e);
bool engine_stopping(const struct engine *e);
/* Stops and joins the roles' threads (commits or aborts open transactions,
 * flushes producers, closes consumers), then the embedded broker. */
void engine_stop(struct engine *e);
void engine_free(struct engine *e);

/* Set when a role hit a fatal error; the text says what (NULL if none). */
const char *engine_fatal_error(struct engine *e);

/* Once a second: turns counters into rates, refreshes broker state. */
void engine_tick(struct engine *e);

/* ---- observing ---- */
struct stats *engine_stats(struct engine *e);
struct evq *engine_events(struct engine *e);
struct order_table *engine_orders(struct engine *e);
const struct config *engine_config(const struct engine *e);

struct broker_status {
	bool embedded;
	char bootstraps[512];
	int up, total; /* brokers up / known */
};
void engine_broker_status(struct engine *e, struct broker_status *out);

/* The rules in force and what each fraud worker applies (rules_store.h). */
void engine_rules_status(struct engine *e, struct rules_status *out);

/* Ready to take orders: a broker reachable, this process's consumer
 * stages assigned, no fatal error; why says what is missing ("ready"). */
bool engine_ready(struct engine *e, char *why, size_t whylen);
/* The transactional stages' consumer lag (pipeline_lag_get()). */
size_t engine_consumer_lag(struct engine *e, struct pipeline_lag_row *rows, size_t max);

/* Wall-clock ms of the first order delivered and of the last order that
 * reached its final state (0: none yet), for the summary's throughput. */
void engine_run_span(struct engine *e, int64_t *first_produced_ms, int64_t *last_final_ms);

struct generator_status {
	bool available; /* producer role runs here */
	bool on;
	double rate;       /* orders/s; 0 = max */
	bool holding_back; /* paused because the pipeline lags */
	bool finished;     /* for good: --count reached, or finished */
	uint64_t generated;
	int64_t limit; /* --count, 0 = none */
};
void engine_generator_status(struct engine *e, struct generator_status *out);

/* ---- steering ----
 * Orders and rule changes are handed to the shared producer without
 * waiting: a full local queue (the brokers slow or down) is returned at
 * once as an error ("... Local: Queue full") for the caller to show, and
 * nothing changes; the caller may try again.  Delivery then happens in
 * the background (a failed order is counted in stats' produce_errors). */
/* Publishes an order on the orders topic (created_at and, when empty,
 * order_id are filled in).  0, or -1 with a reason. */
int engine_submit_order(struct engine *e, struct order *o, char *err, size_t errlen);
/* Publishes a new rule set version to the fraud.rules topic, built from
 * the current one with the change applied; once published it is the
 * rules in force here at once (engine_rules_status()).  0, or -1 with a
 * reason. */
/* One rule's change as one new version: enabled 0 or 1 (-1: as it is),
 * and n parameters set from text (names[i] = texts[i]); errors name the
 * rule and the parameter. */
int engine_rule_update(struct engine *e, int rule, int enabled, const char *const *names,
		       const char *const *texts, size_t n, char *err, size_t errlen);
int engine_rule_toggle(struct engine *e, int rule, char *err, size_t errlen);
int engine_rule_set_param(struct engine *e, int rule, const char *param, const char *text,
			  char *err, size_t errlen);
/* The same as engine_submit_order (never waits), on the intake's producer
 * once engine_open_intake() made it (batch: one of many orders sent
 * together, see pipeline_produce_order_ack()), and then, once the broker
 * acknowledged the record or gave up on it, done(arg, err, partition,
 * offset) runs on the thread that serves that producer.  source is the
 * intake, kept in the order's row and named in the trace headers.  On -1
 * done never runs. */
typedef void engine_delivered_fn(void *arg, rd_kafka_resp_err_t err, int32_t partition,
				 int64_t offset);
int engine_submit_order_cb(struct engine *e, struct order *o, enum order_source source, bool batch,
			   engine_delivered_fn *done, void *arg, char *err, size_t errlen);
/* After engine_start: a producer of its own for engine_submit_order_cb
 * (no linger: its callers wait for each acknowledgement) and a thread
 * serving its delivery reports at once, until engine_stop.  0, or -1
 * with a reason. */
int engine_open_intake(struct engine *e, char *err, size_t errlen);
void engine_generator_set(struct engine *e, bool on);
void engine_generator_set_rate(struct engine *e, double rate);

/* Embedded cluster only: take broker id (1-based) down or up. */
int engine_broker_set_up(struct engine *e, int broker_id, bool up, char *err, size_t errlen);

/* Stops the generator for good (--duration reached); --drain then waits. */
void engine_generator_finish(struct engine *e);

/* True when the generator has finished (--count reached) and every order
 * this process generated reached a final state with its decision seen
 * (or was dead-lettered), so the counts agree. */
bool engine_drained(struct engine *e);

#endif
