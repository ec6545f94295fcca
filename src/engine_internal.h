/*
 * engine_internal.h — the engine's state as the worker threads see it.
 * Not for the UI: it uses engine.h.
 */
#ifndef ORDERTOP_ENGINE_INTERNAL_H
#define ORDERTOP_ENGINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <librdkafka/rdkafka.h>
#include "embedded_broker.h"
#include "engine.h"
#include "kafka_client.h"

struct audit;
struct monitor;

enum worker_role { WORKER_PRODUCER, WORKER_FRAUD, WORKER_NOTIFIER, WORKER_MONITOR, WORKER__COUNT };

struct engine {
	const struct config    *cfg;
	struct stats            stats;
	struct evq             *events;
	struct order_table     *orders;
	struct audit           *audit;
	int                     worker_nice;   /* engine_set_worker_nice(): the */
	bool                    worker_nice_set; /* workers' nice value */
	struct kafka_health     health;
	atomic_bool             stop;

	struct embedded_broker *embedded;
	char                    bootstraps[512];
	atomic_int              brokers_up, brokers_total;

	/* The shared producer: generator, form intake, rule changes.
	 * Idempotent; thread-safe to produce on from any thread. */
	rd_kafka_t             *producer;
	/* The producer's handles of the topics it writes (orders, fraud.rules),
	 * made once the topics exist; the others are NULL. */
	rd_kafka_topic_t       *producer_topic[TOPIC__COUNT];

	struct monitor         *monitor;          /* prepared before the workers start */
	pthread_t               threads[WORKER__COUNT];
	bool                    running[WORKER__COUNT];

	/* Generator control, read by the producer thread. */
	atomic_bool             gen_on;
	_Atomic double          gen_rate;
	atomic_bool             gen_holding_back;
	atomic_bool             gen_finished;     /* --count reached, or finished */
	/* A batch is out (sent, not registered yet): --drain waits.  Set
	 * before the producer looks at gen_finished, which is set before
	 * engine_drained() looks at this (both seq_cst): one of the two sees
	 * the other. */
	atomic_bool             gen_sending;
	struct generator       *form_ids;         /* order ids for the form (under lock) */
	pthread_mutex_t         form_lock;

	/* Rules: the newest rule set seen and what each worker applied. */
	pthread_mutex_t         rules_lock;
	struct ruleset          rules;
	bool                    rules_known;      /* rules came from the topic or --rules */
	struct rules_status     rules_status;

	/* Local stages (fraud, notifier) that have their first assignment:
	 * the generator waits for them, so no order waits on a group join. */
	atomic_int              stages_assigned;

	/* Summary timing */
	_Atomic int64_t         first_produced_ms;
	_Atomic int64_t         last_final_ms;

	pthread_mutex_t         fatal_lock;
	char                    fatal[512];
	atomic_bool             has_fatal;
	char                    run_id[32];       /* unique per process run */
};

void engine_set_fatal(struct engine *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A rule set was seen on fraud.rules (by any worker); keeps the newest. */
void engine_rules_seen(struct engine *e, const struct ruleset *rs);
/* A fraud worker (any process) reported the version it applies. */
void engine_rules_worker_applied(struct engine *e, const char *worker,
                                 uint64_t version, int64_t at_ms);

/* Worker entry points (pthread start routines; arg is the engine). */
void *producer_worker_main(void *engine);
void *fraud_worker_main(void *engine);
void *notifier_worker_main(void *engine);
void *monitor_worker_main(void *engine);

/* Creates the monitor's consumer and assigns it at the topics' current
 * ends, so nothing produced after engine_start() is missed. */
int monitor_prepare(struct engine *e, char *err, size_t errlen);

/* Produces one order on the shared producer (registered for --drain when
 * the monitor runs here).  generated: from the generator, not the form. */
int engine_publish_order(struct engine *e, const struct order *o, bool generated);

/* Produces a message with trace headers to topic, a handle of rk's
 * (non-transactional or inside an open transaction), waiting out a full
 * local queue.  Headers: the NULL-terminated name/value string pairs in
 * hdrs.  0 or -1 (stop/error).  Handles, not names: producing by name
 * makes librdkafka look the topic up under its client lock every time. */
int engine_produce(struct engine *e, rd_kafka_t *rk, rd_kafka_topic_t *topic,
                   int32_t partition, const void *key, size_t keylen,
                   const void *val, size_t vallen, const char *const *hdrs,
                   void *msg_opaque);

#endif
