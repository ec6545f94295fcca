/*
 * pipeline.h — what the roles of one process share, below them: the
 * configuration, counters, the dashboard's event queue, the order table,
 * the audit trail, the stop flag and the first fatal error, the brokers,
 * the shared producer (generator, form, rule changes) with its topic
 * handles, the generator's controls and the rules store.  The engine owns
 * one and starts the roles (role.h) on it; roles and txn_stage use it,
 * never the engine.
 */
#ifndef ORDERTOP_PIPELINE_H
#define ORDERTOP_PIPELINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "config.h"
#include "intake_gate.h"
#include "kafka_client.h"
#include "order.h"
#include "rules_store.h"
#include "stats.h"

struct audit;
struct embedded_broker;
struct evq;
struct order_table;

struct pipeline;

/* What the shared producer's delivery report of one order does: counts it
 * in p's stats and, when done is set, hands the outcome (the broker's
 * partition and offset) to done on the thread that serves the producer. */
typedef void pipeline_ack_fn(void *arg, rd_kafka_resp_err_t err, int32_t partition, int64_t offset);
struct pipeline_ack {
	struct pipeline *p;
	pipeline_ack_fn *done; /* NULL: only counted (p->count_only) */
	void *arg;
	/* The intake's gate it went out through (its answer is counted
	 * there), or NULL. */
	struct intake_gate *gate;
};

/* Consumer lag of the transactional stages' groups, per partition, as each
 * stage last measured it (about once a second; for /metrics). */
#define PIPELINE_LAG_MAX 256
struct pipeline_lag_row {
	char group[CONFIG_TOPIC_MAX + 16];
	enum topic_id topic;
	int32_t partition;
	int64_t lag; /* records */
};
struct pipeline_lag {
	pthread_mutex_t lock;
	size_t n;
	struct pipeline_lag_row rows[PIPELINE_LAG_MAX];
};

struct pipeline {
	const struct config *cfg;
	struct stats stats;
	struct evq *events;
	struct order_table *orders;
	struct audit *audit;        /* --audit, or NULL */
	struct kafka_health health; /* shared by every handle */
	atomic_bool stop;

	struct embedded_broker *embedded; /* NULL on a named cluster */
	/* -b names another process's embedded cluster (topics_cluster_is_mock()) */
	bool mock_cluster;
	char bootstraps[512];
	atomic_int brokers_up, brokers_total;

	/* The shared producer: generator, form, rule changes.  Idempotent;
	 * thread-safe to produce on from any thread.  Its delivery reports
	 * (pipeline_delivery_report) count the orders. */
	rd_kafka_t *producer;
	/* Its handles of the topics it writes (orders, fraud.rules), made
	 * once the topics exist; the others are NULL. */
	rd_kafka_topic_t *producer_topic[TOPIC__COUNT];
	/* The HTTP intake's own producer (engine_open_intake()), NULL
	 * without --http: no linger, as every request waits for its orders'
	 * acknowledgements, and a thread of its own serving them.  Its
	 * handle of the orders topic. */
	rd_kafka_t *intake;
	rd_kafka_topic_t *intake_orders;
	/* Paces the intake's records into it (intake_gate.h), made with it. */
	struct intake_gate *intake_gate;

	struct rules_store rules;
	struct pipeline_lag lag;
	/* The delivery report's opaque for orders nobody waits on. */
	struct pipeline_ack count_only;

	/* Set by the roles' prepare(), before any role's thread starts. */
	bool tracks_local;    /* a monitor here registers sent orders */
	int stages_local;     /* transactional stages that run here */
	bool producer_served; /* a role's thread polls the producer */
	/* Local stages that have their first assignment: the generator waits
	 * for them, so no order waits on a group join. */
	atomic_int stages_assigned;
	/* Called once, on the stage thread whose first assignment completes
	 * them; NULL = nothing.  The engine then writes --bootstrap-file, so
	 * that a client that starts when it appears waits on no group join. */
	void (*stages_ready)(struct pipeline *p);

	/* Generator control, read by the producer role. */
	atomic_bool gen_on;
	_Atomic double gen_rate;
	atomic_bool gen_holding_back;
	atomic_bool gen_finished; /* --count reached, or finished */
	/* A batch is out (sent, not registered yet): --drain waits.  Set
	 * before the producer looks at gen_finished, which is set before
	 * the engine's drained check looks at this (both seq_cst): one of the
	 * two sees the other. */
	atomic_bool gen_sending;

	/* Summary timing (wall ms; 0 = not yet). */
	_Atomic int64_t first_produced_ms;
	_Atomic int64_t last_final_ms;

	pthread_mutex_t fatal_lock;
	char fatal[512];
	atomic_bool has_fatal;
	char run_id[32]; /* unique per process run */
};

/* 0, or -1 when out of memory.  cfg must outlive the pipeline. */
int pipeline_init(struct pipeline *p, const struct config *cfg);
void pipeline_destroy(struct pipeline *p);

static inline bool
pipeline_stopping(const struct pipeline *p)
{
	return atomic_load(&p->stop);
}

/* Async-signal-safe: one atomic store. */
void pipeline_request_stop(struct pipeline *p);

/* Records the first fatal error (later ones are only logged). */
void pipeline_set_fatal(struct pipeline *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The first fatal error, or NULL. */
const char *pipeline_fatal_error(struct pipeline *p);

/* The shared producer's delivery report callback (opaque: a struct
 * pipeline_ack for an order, NULL for anything else).  An ack with done
 * set was malloc'd by pipeline_produce_order_ack()'s caller and is freed
 * here after done ran. */
void pipeline_delivery_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);

/*
 * Produces a message to topic, a handle of rk's (non-transactional, or
 * inside an open transaction), with headers from hdrs (NULL-terminated
 * name/value string pairs, or NULL).  A full local queue is waited out
 * (serving rk's events) until *stop is set; with stop NULL it is never
 * waited on and RD_KAFKA_RESP_ERR__QUEUE_FULL comes back at once.  Other
 * errors are logged.  Handles, not names: producing by name makes
 * librdkafka look the topic up under its client lock every time.
 */
rd_kafka_resp_err_t pipeline_produce(rd_kafka_t *rk, rd_kafka_topic_t *topic, int32_t partition,
				     const void *key, size_t keylen, const void *val, size_t vallen,
				     const char *const *hdrs, void *msg_opaque,
				     const atomic_bool *stop);

/* Produces one order on the shared producer, keyed by user (stop as for
 * pipeline_produce()).  generated: from the generator, not the form. */
rd_kafka_resp_err_t pipeline_produce_order(struct pipeline *p, const struct order *o,
					   bool generated, const atomic_bool *stop);

/* The same on the intake's producer (the shared one without it), never
 * waiting, stage naming the intake (trace headers); ack (malloc'd, done
 * set) is handed the outcome and freed by the delivery report when this
 * returns no error, and stays the caller's otherwise.  On the intake's
 * producer the record goes through its gate (it may wait there for the
 * records before it to be acknowledged, see intake_gate.h).  batch: one of many
 * orders sent at once, which go out on the shared producer (its linger
 * batches them) when a role's thread serves its delivery reports. */
rd_kafka_resp_err_t pipeline_produce_order_ack(struct pipeline *p, const struct order *o,
					       const char *stage, bool batch,
					       struct pipeline_ack *ack);

/* The intake's gate (p->intake_gate), once p->intake is made: 0, or -1
 * when out of memory.  Closing fails the records still waiting in it
 * (RD_KAFKA_RESP_ERR__DESTROY): flush it first. */
int pipeline_open_intake_gate(struct pipeline *p);
void pipeline_close_intake_gate(struct pipeline *p);

/* A stage's measurement replaces the rows of its group (n rows of topic). */
void pipeline_lag_set(struct pipeline *p, const char *group, enum topic_id topic,
		      const int32_t *partitions, const int64_t *lags, size_t n);
/* Copies up to max rows; returns how many. */
size_t pipeline_lag_get(struct pipeline *p, struct pipeline_lag_row *out, size_t max);

/* Registers orders this process sent, for --drain and the hold-back (only
 * when a monitor runs here, which settles them). */
void pipeline_register_local(struct pipeline *p, const struct order *o, size_t n,
			     enum order_source source);

#endif
