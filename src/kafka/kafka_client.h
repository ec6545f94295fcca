/*
 * kafka_client.h — making librdkafka handles the ordertop way: our defaults
 * first, then every -F/-X property from the user (which win), logs routed
 * into log.h instead of stderr, and error callbacks that turn fatal and
 * authentication errors into something the engine can act on.
 */
#ifndef ORDERTOP_KAFKA_CLIENT_H
#define ORDERTOP_KAFKA_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <librdkafka/rdkafka.h>
#include "config.h"

#define KAFKA_HEALTH_BROKERS_MAX 256

/* What error callbacks report back (shared by all handles of an engine). */
struct kafka_health {
	atomic_int last_error;   /* rd_kafka_resp_err_t of the last error_cb */
	atomic_bool auth_failed; /* an _AUTHENTICATION error was seen */
	atomic_bool fatal;       /* a fatal error was raised */
	atomic_bool all_brokers_down;
	char auth_reason[256];  /* written once, before auth_failed is set */
	char fatal_reason[256]; /* written once, before fatal is set */
	/* A broker address answered, but not in Kafka's protocol (an SSH or
	 * HTTP server, a TLS listener spoken to in plaintext): its
	 * "host:port", written once, before not_kafka is set. */
	atomic_bool not_kafka;
	char not_kafka_addr[128];
	atomic_flag auth_once, fatal_once, not_kafka_once;
	/* From the statistics of the handle made with broker_stats (once a
	 * second): the cluster's brokers librdkafka knows, and those with a
	 * connection up.  brokers_known 0: no statistics yet. */
	atomic_int brokers_known, brokers_up;
	/* What the statistics last said of broker node id i (1: down), for
	 * the states that say nothing (INIT); the statistics callback's only. */
	unsigned char broker_down[KAFKA_HEALTH_BROKERS_MAX];
};

enum kafka_client_kind {
	KAFKA_PRODUCER,
	KAFKA_TXN_PRODUCER,    /* transactional; needs transactional_id */
	KAFKA_GROUP_CONSUMER,  /* subscribe() in a consumer group, read_committed */
	KAFKA_ASSIGN_CONSUMER, /* assign() only, no group, read_committed */
	KAFKA_ADMIN            /* metadata, watermarks and Admin API requests only */
};

struct kafka_client_opts {
	enum kafka_client_kind kind;
	const char *name;             /* for logs: "fraud", "monitor" ... */
	const char *group_id;         /* group consumers */
	const char *transactional_id; /* transactional producers */
	bool embedded;                /* tune for the in-process mock cluster */
	/* Consumers: deliver RD_KAFKA_RESP_ERR__PARTITION_EOF at each
	 * partition's end (past transaction markers, which are never
	 * delivered themselves). */
	bool partition_eof;
	/* Producers: send at once (linger.ms=0), for callers that wait for
	 * each record's acknowledgement; librdkafka still batches what
	 * queues up while a request is in flight. */
	bool no_linger;
	/* Group consumers: called from the consumer_poll() of the thread that
	 * polls the handle (librdkafka's rebalance_cb); NULL = default. */
	void (*rebalance_cb)(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			     rd_kafka_topic_partition_list_t *parts, void *opaque);
	/* Keep kafka_health's brokers_known/brokers_up current from
	 * librdkafka's statistics, served by rd_kafka_poll() (one handle per
	 * engine: it costs a JSON document a second). */
	bool broker_stats;
	/* Producers: delivery reports, served by rd_kafka_poll(); NULL = none. */
	void (*dr_msg_cb)(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);
};

/*
 * Creates a handle.  bootstraps is the broker list (the mock's, or the
 * configured one).  On failure returns NULL with the reason in err (a bad
 * property names its origin, e.g. "client.properties:7: ...").
 */
rd_kafka_t *kafka_client_new(const struct config *cfg, const char *bootstraps,
			     const struct kafka_client_opts *opts, struct kafka_health *health,
			     char *err, size_t errlen);

/* Consumer shutdown: close, then destroy. Producer: flush (bounded), destroy. */
void kafka_client_destroy(rd_kafka_t *rk, int flush_timeout_ms);

/* Message header helpers. */
int64_t kafka_header_int(const rd_kafka_message_t *m, const char *name, int64_t dflt);
/* Copies a header's value as a NUL-terminated string; 0 or -1 if missing. */
int kafka_header_str(const rd_kafka_message_t *m, const char *name, char *buf, size_t len);

/* The bytes ordertop's readers take from m: its HDR_RECORD header when
 * an output map shaped the value, else the value.  True when the
 * header was there. */
bool kafka_record_value(const rd_kafka_message_t *m, const void **buf, size_t *len);

/* "topic/partition/offset" of an input record, for a header value,
 * without snprintf (cut to len - 1 bytes).  Returns the length. */
size_t kafka_source_text(char *buf, size_t len, const rd_kafka_message_t *m);

/* Header names: tracing an order across topics (--trace-headers), and
 * why and whence a dead letter (always). */
#define HDR_ORDER_ID   "ordertop.order_id"
#define HDR_CREATED_MS "ordertop.created_ms" /* when the order was created */
#define HDR_DECIDED_MS "ordertop.decided_ms" /* when fraud decided it */
#define HDR_SOURCE     "ordertop.source"     /* "topic/partition/offset" it came from */
#define HDR_STAGE      "ordertop.stage"      /* producer/fraud/notifier */
#define HDR_REPLAY                                                                                 \
	"ordertop.replay" /* "1" on a decision of an order id
                                                 * already decided (the replay rule) */
/* ordertop's own record, on a record whose value --decision-map or
 * --notification-map shaped for other consumers; ordertop's readers take
 * it instead of the value (kafka_record_value()). */
#define HDR_RECORD     "ordertop.record"
#define HDR_DLQ_REASON "ordertop.dlq.reason"
#define HDR_DLQ_TOPIC  "ordertop.dlq.topic"
#define HDR_DLQ_PART   "ordertop.dlq.partition"
#define HDR_DLQ_OFFSET "ordertop.dlq.offset"

#endif
