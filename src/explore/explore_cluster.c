/*
 * explore_cluster.c — the explorer's admin handle, its time limit, and the
 * probe that tells a full cluster from the embedded broker.  See
 * explore_cluster.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "explore_cluster.h"
#include "kafka_client.h"

struct explore_cluster {
	const struct config *cfg;
	char *bootstraps;
	rd_kafka_t *rk;
	struct kafka_health health;
	int timeout_ms;
	int brokers;
	bool limited;
};

rd_kafka_t *
explore_cluster_handle(struct explore_cluster *c)
{
	return c->rk;
}

const struct config *
explore_cluster_config(const struct explore_cluster *c)
{
	return c->cfg;
}

const char *
explore_cluster_bootstraps(const struct explore_cluster *c)
{
	return c->bootstraps;
}

int
explore_cluster_timeout_ms(const struct explore_cluster *c)
{
	return c->timeout_ms;
}

bool
explore_cluster_limited(const struct explore_cluster *c)
{
	return c->limited;
}

int
explore_cluster_broker_count(const struct explore_cluster *c)
{
	return c->brokers;
}

rd_kafka_AdminOptions_t *
explore_cluster_admin_options(struct explore_cluster *c, rd_kafka_admin_op_t op)
{
	char why[256];
	rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(c->rk, op);
	if (o != NULL)
		rd_kafka_AdminOptions_set_request_timeout(o, c->timeout_ms, why, sizeof why);
	return o;
}

rd_kafka_event_t *
explore_cluster_admin_wait(struct explore_cluster *c, rd_kafka_queue_t *q)
{
	int64_t deadline = mono_ms() + c->timeout_ms + 1000;
	for (;;) {
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return NULL;
		rd_kafka_event_t *ev = rd_kafka_queue_poll(q, (int)(left > 100 ? 100 : left));
		if (ev != NULL)
			return ev;
		rd_kafka_poll(c->rk, 0); /* error callbacks */
	}
}

/* ListGroups: a cluster that says "unsupported" is the embedded broker.
 * The legacy call, not the Admin API's ListConsumerGroups: librdkafka
 * 2.0.2 leaks part of the handle when every broker answers the latter
 * "unsupported".  0, or -1 when no answer came. */
static int
probe_groups(struct explore_cluster *c, char *err, size_t errlen)
{
	const struct rd_kafka_group_list *groups = NULL;
	rd_kafka_resp_err_t e = rd_kafka_list_groups(c->rk, NULL, &groups, c->timeout_ms);

	if (groups != NULL)
		rd_kafka_group_list_destroy(groups);
	if (e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE) {
		c->limited = true;
		return 0;
	}
	if (e == RD_KAFKA_RESP_ERR__TIMED_OUT) {
		snprintf(err, errlen, "ListGroups: no answer within %d ms", c->timeout_ms);
		return -1;
	}
	return 0; /* answered (a partial answer says the feature is there) */
}

struct explore_cluster *
explore_cluster_open(const struct config *cfg, const char *bootstraps, int timeout_ms, char *err,
		     size_t errlen)
{
	struct explore_cluster *c = calloc(1, sizeof *c);
	struct kafka_client_opts o = { .kind = KAFKA_ADMIN, .name = "explore" };

	if (c == NULL || (c->bootstraps = strdup(bootstraps)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->cfg = cfg;
	c->timeout_ms = timeout_ms;
	c->rk = kafka_client_new(cfg, bootstraps, &o, &c->health, err, errlen);
	if (c->rk == NULL)
		goto fail;

	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(c->rk, 0, NULL, &md, timeout_ms);
	rd_kafka_poll(c->rk, 0);
	if (atomic_load(&c->health.auth_failed)) {
		snprintf(err, errlen, "authentication failed: %s", c->health.auth_reason);
		goto fail_md;
	}
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR || md->broker_cnt == 0) {
		snprintf(err, errlen, "cannot reach the brokers at %s within %d ms: %s", bootstraps,
			 timeout_ms, rd_kafka_err2str(e));
		goto fail_md;
	}
	c->brokers = md->broker_cnt;
	rd_kafka_metadata_destroy(md);
	if (probe_groups(c, err, errlen) < 0)
		goto fail;
	return c;
fail_md:
	if (md)
		rd_kafka_metadata_destroy(md);
fail:
	explore_cluster_close(c);
	return NULL;
}

void
explore_cluster_close(struct explore_cluster *c)
{
	if (c == NULL)
		return;
	if (c->rk)
		rd_kafka_destroy(c->rk);
	free(c->bootstraps);
	free(c);
}

rd_kafka_t *
explore_cluster_reader(struct explore_cluster *c, const char *name, char *err, size_t errlen)
{
	struct kafka_client_opts o = { .kind = KAFKA_ASSIGN_CONSUMER,
				       .name = name,
				       .partition_eof = true };
	return kafka_client_new(c->cfg, c->bootstraps, &o, &c->health, err, errlen);
}

rd_kafka_t *
explore_cluster_producer(struct explore_cluster *c,
			 void (*dr_msg_cb)(rd_kafka_t *rk, const rd_kafka_message_t *m,
					   void *opaque),
			 char *err, size_t errlen)
{
	struct kafka_client_opts o = { .kind = KAFKA_PRODUCER,
				       .name = "explore-produce",
				       .dr_msg_cb = dr_msg_cb };
	return kafka_client_new(c->cfg, c->bootstraps, &o, &c->health, err, errlen);
}

rd_kafka_t *
explore_cluster_txn_producer(struct explore_cluster *c, const char *transactional_id, char *err,
			     size_t errlen)
{
	struct kafka_client_opts o = { .kind = KAFKA_TXN_PRODUCER,
				       .name = "redrive",
				       .transactional_id = transactional_id };
	return kafka_client_new(c->cfg, c->bootstraps, &o, &c->health, err, errlen);
}

/* One ListOffsets for every partition at the special timestamp which. */
static int
list_offsets(struct explore_cluster *c, rd_kafka_topic_partition_list_t *parts, int64_t which,
	     int64_t *out, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *q = rd_kafka_topic_partition_list_copy(parts);
	for (int i = 0; i < q->cnt; i++)
		q->elems[i].offset = which;
	rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(c->rk, q, c->timeout_ms);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "ListOffsets: %s", rd_kafka_err2str(e));
		rd_kafka_topic_partition_list_destroy(q);
		return -1;
	}
	for (int i = 0; i < q->cnt; i++) {
		out[i] = q->elems[i].err ? -1 : q->elems[i].offset;
		if (q->elems[i].err)
			parts->elems[i].err = q->elems[i].err;
	}
	rd_kafka_topic_partition_list_destroy(q);
	return 0;
}

int
explore_cluster_watermarks(struct explore_cluster *c, rd_kafka_topic_partition_list_t *parts,
			   int64_t *low, int64_t *high, char *err, size_t errlen)
{
	if (parts->cnt == 0)
		return 0;
	if (list_offsets(c, parts, RD_KAFKA_OFFSET_BEGINNING, low, err, errlen) < 0 ||
	    list_offsets(c, parts, RD_KAFKA_OFFSET_END, high, err, errlen) < 0)
		return -1;
	for (int i = 0; i < parts->cnt; i++)
		if (low[i] < 0 || high[i] < 0)
			low[i] = high[i] = -1;
	return 0;
}
