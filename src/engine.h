/*
 * engine.h — the running pipeline, as the dashboard and headless mode see
 * it.  engine_start() brings up the broker (embedded mock cluster, or the
 * named cluster), provisions the topics and starts one worker thread per
 * role; the rest of this API observes it (all calls are thread-safe and
 * none blocks on the network) and steers it (orders from the form, rule
 * changes, the generator).
 */
#ifndef ORDERTOP_ENGINE_H
#define ORDERTOP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "evq.h"
#include "fraud_rules.h"
#include "order.h"
#include "order_table.h"
#include "stats.h"

struct engine;

/* Takes a reference to cfg, which must outlive the engine. */
struct engine *engine_new(const struct config *cfg);
/* Starts the broker, topics and workers.  0, or -1 with the reason in err
 * (also logged).  Waits for the brokers with back-off until reachable or
 * engine_request_stop(). */
int  engine_start(struct engine *e, char *err, size_t errlen);
/* Before engine_start: the worker threads (and the librdkafka threads they
 * start) run delta nice levels below the caller (see thread_priority.h). */
void engine_set_worker_nice(struct engine *e, int delta);
/* Asks every worker to stop (async-signal-safe: only sets a flag). */
void engine_request_stop(struct engine *e);
bool engine_stopping(const struct engine *e);
/* Stops and joins the workers (commits or aborts open transactions,
 * flushes producers, closes consumers), then the embedded broker. */
void engine_stop(struct engine *e);
void engine_free(struct engine *e);

/* Set when a worker hit a fatal error; the text says what (NULL if none). */
const char *engine_fatal_error(struct engine *e);

/* Once a second: turns counters into rates, refreshes broker state. */
void engine_tick(struct engine *e);

/* ---- observing ---- */
struct stats       *engine_stats(struct engine *e);
struct evq         *engine_events(struct engine *e);
struct order_table *engine_orders(struct engine *e);
const struct config *engine_config(const struct engine *e);

struct broker_status {
	bool embedded;
	char bootstraps[512];
	int  up, total;            /* brokers up / known */
};
void engine_broker_status(struct engine *e, struct broker_status *out);

#define ENGINE_WORKERS_MAX 16
struct rules_status {
	struct ruleset current;    /* the newest rule set seen on fraud.rules */
	int  n_workers;            /* fraud workers (any process) that reported */
	struct {
		char     id[64];
		uint64_t applied_version;
		int64_t  at_ms;
	} workers[ENGINE_WORKERS_MAX];
};
void engine_rules_status(struct engine *e, struct rules_status *out);

struct generator_status {
	bool   available;          /* producer role runs here */
	bool   on;
	double rate;               /* orders/s; 0 = max */
	bool   holding_back;       /* paused because the pipeline lags */
	uint64_t generated;
	int64_t  limit;            /* --count, 0 = none */
};
void engine_generator_status(struct engine *e, struct generator_status *out);

/* ---- steering ---- */
/* Publishes an order through the producer role (created_at and, when
 * empty, order_id are filled in).  0, or -1 with a reason. */
int  engine_submit_order(struct engine *e, struct order *o,
                         char *err, size_t errlen);
/* Publishes a new rule set version to the fraud.rules topic, built from
 * the current one with the change applied.  0, or -1 with a reason. */
int  engine_rule_toggle(struct engine *e, int rule, char *err, size_t errlen);
int  engine_rule_set_param(struct engine *e, int rule, const char *param,
                           const char *text, char *err, size_t errlen);
void engine_generator_set(struct engine *e, bool on);
void engine_generator_set_rate(struct engine *e, double rate);

/* Embedded cluster only: take broker id (1-based) down or up. */
int  engine_broker_set_up(struct engine *e, int broker_id, bool up,
                          char *err, size_t errlen);

/* Stops the generator for good (--duration reached); --drain then waits. */
void engine_generator_finish(struct engine *e);

/* True when the generator has finished (--count reached) and every order
 * this process generated reached a final state with its decision seen
 * (or was dead-lettered), so the counts agree. */
bool engine_drained(struct engine *e);

#endif
