/*
 * embedded_broker.c — the in-process mock cluster (rdkafka_mock.h).  The
 * cluster lives inside a host rd_kafka_t that does nothing else; the mock
 * must be destroyed before its host, or librdkafka aborts.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include "embedded_broker.h"
#include "log.h"

struct embedded_broker {
	rd_kafka_t *host;
	rd_kafka_mock_cluster_t *mock;
	int n_brokers;
	atomic_uint down_mask; /* bit i: broker i+1 is down */
	char bootstraps[512];
};

static void
host_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	log_msg(level <= 3           ? LOG_ERROR
			: level == 4 ? LOG_WARN
				     : LOG_DEBUG,
		"mock", "%s: %s", fac, buf);
}

struct embedded_broker *
embedded_broker_start(const struct config *cfg, char *err, size_t errlen)
{
	struct embedded_broker *eb = calloc(1, sizeof *eb);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char why[512];

	if (eb == NULL) {
		snprintf(err, errlen, "out of memory");
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	/* The host handle needs no broker of its own; nagle off keeps the
	 * mock's transaction commits fast (see mock-cluster.md, Q2). */
	rd_kafka_conf_set(conf, "client.id", "ordertop-mock-host", NULL, 0);
	rd_kafka_conf_set(conf, "socket.nagle.disable", "true", NULL, 0);
	rd_kafka_conf_set_log_cb(conf, host_log_cb);
	eb->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
	if (eb->host == NULL) {
		snprintf(err, errlen, "embedded broker: %s", why);
		rd_kafka_conf_destroy(conf);
		free(eb);
		return NULL;
	}
	eb->n_brokers = cfg->embedded_brokers;
	eb->mock = rd_kafka_mock_cluster_new(eb->host, eb->n_brokers);
	if (eb->mock == NULL) {
		snprintf(err, errlen, "embedded broker: cannot start a mock cluster of %d brokers",
			 eb->n_brokers);
		rd_kafka_destroy(eb->host);
		free(eb);
		return NULL;
	}
	snprintf(eb->bootstraps, sizeof eb->bootstraps, "%s",
		 rd_kafka_mock_cluster_bootstraps(eb->mock));

	for (int t = 0; t < TOPIC__COUNT; t++) {
		int parts = t == TOPIC_RULES ? 1 : cfg->partitions;
		rd_kafka_resp_err_t e =
			rd_kafka_mock_topic_create(eb->mock, cfg->topics[t], parts, 1);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR &&
		    e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			snprintf(err, errlen, "embedded broker: cannot create topic '%s': %s",
				 cfg->topics[t], rd_kafka_err2str(e));
			embedded_broker_stop(eb);
			return NULL;
		}
	}
	log_info("broker", "embedded Kafka cluster of %d broker(s) at %s", eb->n_brokers,
		 eb->bootstraps);
	return eb;
}

const char *
embedded_broker_bootstraps(const struct embedded_broker *eb)
{
	return eb->bootstraps;
}

int
embedded_broker_count(const struct embedded_broker *eb)
{
	return eb->n_brokers;
}

int
embedded_broker_up_count(const struct embedded_broker *eb)
{
	unsigned mask = atomic_load(&eb->down_mask);
	return eb->n_brokers - __builtin_popcount(mask);
}

int
embedded_broker_set_up(struct embedded_broker *eb, int broker_id, bool up, char *err, size_t errlen)
{
	if (broker_id < 1 || broker_id > eb->n_brokers) {
		snprintf(err, errlen, "no broker %d (the embedded cluster has 1..%d)", broker_id,
			 eb->n_brokers);
		return -1;
	}
	rd_kafka_resp_err_t e = up ? rd_kafka_mock_broker_set_up(eb->mock, broker_id)
				   : rd_kafka_mock_broker_set_down(eb->mock, broker_id);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "broker %d: %s", broker_id, rd_kafka_err2str(e));
		return -1;
	}
	unsigned bit = 1u << (broker_id - 1);
	if (up)
		atomic_fetch_and(&eb->down_mask, ~bit);
	else
		atomic_fetch_or(&eb->down_mask, bit);
	log_warn("broker", "embedded broker %d is %s", broker_id, up ? "up" : "down");
	return 0;
}

void
embedded_broker_stop(struct embedded_broker *eb)
{
	if (eb == NULL)
		return;
	rd_kafka_mock_cluster_destroy(eb->mock);
	rd_kafka_destroy(eb->host);
	free(eb);
}
