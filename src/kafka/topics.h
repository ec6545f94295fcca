/*
 * topics.h — getting a real cluster ready for the pipeline: wait until the
 * brokers answer (with back-off, saying so), then create the topics that
 * are missing through the Admin API and check that the ones that exist can
 * be used.  Existing topics are left alone.
 */
#ifndef ORDERTOP_TOPICS_H
#define ORDERTOP_TOPICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <librdkafka/rdkafka.h>
#include "config.h"
#include "kafka_client.h"

/* Waits until a metadata request succeeds, for at most timeout_ms (<= 0:
 * no limit).  Returns the number of brokers, or -1 (stop requested, time
 * out, authentication failed, fatal error) with the reason, which says
 * when an address answered in something other than Kafka's protocol. */
int topics_wait_for_brokers(rd_kafka_t *rk, const char *bootstraps, struct kafka_health *health,
			    const atomic_bool *stop, int timeout_ms, char *err, size_t errlen);

/* Creates what is missing.  0, or -1 with a reason that names the topic. */
int topics_provision(rd_kafka_t *rk, const struct config *cfg, char *err, size_t errlen);

/* Low and high watermarks, retrying while a partition has no leader yet
 * (a topic just created) for up to timeout_ms. */
rd_kafka_resp_err_t topics_watermarks(rd_kafka_t *rk, const char *topic, int32_t partition,
				      int64_t *lo, int64_t *hi, int timeout_ms);

/* True when the cluster's controller is none of its brokers: another
 * process's embedded (mock) cluster, which among other things keeps no
 * offsets sent with a transaction. */
bool topics_cluster_is_mock(rd_kafka_t *rk);

/* Number of partitions of a topic (metadata), or -1. */
int topics_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms);

#endif
