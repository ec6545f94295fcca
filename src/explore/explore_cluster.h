/*
 * explore_cluster.h — the cluster explorer's connection: one admin handle on
 * any Kafka cluster (a real one, or the embedded mock cluster through its
 * bootstraps), the time limit every request of the explorer gets, and what
 * the cluster cannot answer.  librdkafka 2.0.2's mock cluster answers
 * neither ListGroups nor DescribeConfigs, and DescribeConsumerGroups breaks
 * the handle that asked (../shared/notes/mock-cluster.md): such a cluster
 * is "limited", found out once by a ListConsumerGroups probe, and the
 * explorer's other files never send it those requests.
 *
 * Not thread-safe: one thread uses a cluster (and what it returns) at a time.
 */
#ifndef ORDERTOP_EXPLORE_CLUSTER_H
#define ORDERTOP_EXPLORE_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "config.h"

struct explore_cluster;

/* What a limited cluster cannot show, in one line for people. */
#define EXPLORE_LIMITED_NOTE                                                                       \
	"the embedded broker answers neither ListGroups, DescribeGroups nor DescribeConfigs: "     \
	"groups are shown from their committed offsets (members, state and topic configs need a "  \
	"real cluster)"

/*
 * Connects to bootstraps (cfg's -F/-X properties apply) and waits up to
 * timeout_ms for the brokers' metadata, then probes what they answer.
 * cfg must outlive the cluster.  NULL with the reason in err.
 */
struct explore_cluster *explore_cluster_open(const struct config *cfg, const char *bootstraps,
					     int timeout_ms, char *err, size_t errlen);
void explore_cluster_close(struct explore_cluster *c);

rd_kafka_t *explore_cluster_handle(struct explore_cluster *c);
const struct config *explore_cluster_config(const struct explore_cluster *c);
const char *explore_cluster_bootstraps(const struct explore_cluster *c);
int explore_cluster_timeout_ms(const struct explore_cluster *c);
/* True when the cluster answers no ListGroups (the embedded broker). */
bool explore_cluster_limited(const struct explore_cluster *c);
/* The brokers the metadata named at open. */
int explore_cluster_broker_count(const struct explore_cluster *c);

/* Admin options of type op with the cluster's time limit. */
rd_kafka_AdminOptions_t *explore_cluster_admin_options(struct explore_cluster *c,
						       rd_kafka_admin_op_t op);
/* Waits for an admin request's result on q, up to the time limit plus a
 * little (the request's own timeout answers first).  NULL when none came. */
rd_kafka_event_t *explore_cluster_admin_wait(struct explore_cluster *c, rd_kafka_queue_t *q);

/* A consumer of this cluster that only assign()s (no group is joined or
 * committed to), for reading records; name is for logs.  It reads
 * committed records only and reports each partition's end as a message
 * with RD_KAFKA_RESP_ERR__PARTITION_EOF, whose offset is past the
 * transaction markers a high watermark counts.  NULL with err. */
rd_kafka_t *explore_cluster_reader(struct explore_cluster *c, const char *name, char *err,
				   size_t errlen);

/* A plain (idempotent) producer of this cluster whose delivery reports go
 * to dr_msg_cb, served by rd_kafka_poll/flush.  NULL with err. */
rd_kafka_t *explore_cluster_producer(struct explore_cluster *c,
				     void (*dr_msg_cb)(rd_kafka_t *rk, const rd_kafka_message_t *m,
						       void *opaque),
				     char *err, size_t errlen);

/* A transactional producer of this cluster with transactional_id.  NULL
 * with err. */
rd_kafka_t *explore_cluster_txn_producer(struct explore_cluster *c, const char *transactional_id,
					 char *err, size_t errlen);

/* Low and high watermarks of every partition in parts, into low[i] and
 * high[i] for parts->elems[i]: two ListOffsets requests in all, not one
 * per partition.  A partition that failed gets -1 in both and its error in
 * parts->elems[i].err.  0, or -1 with the reason. */
int explore_cluster_watermarks(struct explore_cluster *c, rd_kafka_topic_partition_list_t *parts,
			       int64_t *low, int64_t *high, char *err, size_t errlen);

#endif
