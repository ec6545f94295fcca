/*
 * explore_produce.c — one record to any topic (explore_produce.h): a
 * producer made for the send, the delivery report awaited by flush()
 * within the cluster's time limit.
 */
#include "explore_produce.h"

#include <stdio.h>
#include <string.h>

struct delivery {
	rd_kafka_resp_err_t err;
	int32_t partition;
	int64_t offset;
	int done;
};

static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	struct delivery *dv = m->_private;
	if (dv == NULL)
		return;
	dv->err = m->err;
	dv->partition = m->partition;
	dv->offset = m->offset;
	dv->done = 1;
}

int
explore_produce_headers(const char *text, rd_kafka_headers_t *h, char *err, size_t errlen)
{
	int n = 0;
	const char *p = text ? text : "";
	while (*p) {
		size_t len = strcspn(p, ";\n");
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len > 0) {
			const char *eq = memchr(p, '=', len);
			if (eq == NULL || eq == p) {
				snprintf(err, errlen, "header %d: \"%.*s\" is not name=value",
					 n + 1, (int)(len > 40 ? 40 : len), p);
				return -1;
			}
			if (h &&
			    rd_kafka_header_add(h, p, eq - p, eq + 1, len - (size_t)(eq - p) - 1) !=
				    RD_KAFKA_RESP_ERR_NO_ERROR) {
				snprintf(err, errlen, "header %d: cannot add it", n + 1);
				return -1;
			}
			n++;
		}
		p += len;
		if (*p)
			p++;
	}
	return n;
}

int
explore_produce(struct explore_cluster *c, const struct explore_produce_rec *r, int32_t *partition,
		int64_t *offset, char *err, size_t errlen)
{
	if (r->topic == NULL || !r->topic[0]) {
		snprintf(err, errlen, "a topic is needed");
		return -1;
	}
	if (explore_produce_headers(r->headers, NULL, err, errlen) < 0)
		return -1;
	rd_kafka_t *rk = explore_cluster_producer(c, on_delivery, err, errlen);
	if (rk == NULL)
		return -1;
	rd_kafka_headers_t *hdrs = rd_kafka_headers_new(4);
	explore_produce_headers(r->headers, hdrs, err, errlen);
	struct delivery dv = { .err = RD_KAFKA_RESP_ERR_NO_ERROR };
	rd_kafka_resp_err_t e = rd_kafka_producev(
		rk, RD_KAFKA_V_TOPIC(r->topic),
		RD_KAFKA_V_PARTITION(r->partition < 0 ? RD_KAFKA_PARTITION_UA : r->partition),
		RD_KAFKA_V_KEY(r->key, r->key ? r->key_len : 0),
		RD_KAFKA_V_VALUE((void *)r->value, r->value ? r->value_len : 0),
		RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(hdrs),
		RD_KAFKA_V_OPAQUE(&dv), RD_KAFKA_V_END);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_headers_destroy(hdrs);
		rd_kafka_destroy(rk);
		snprintf(err, errlen, "%s: %s", r->topic, rd_kafka_err2str(e));
		return -1;
	}
	rd_kafka_flush(rk, explore_cluster_timeout_ms(c));
	int rc = 0;
	if (!dv.done) {
		snprintf(err, errlen, "%s: not acknowledged within %d ms", r->topic,
			 explore_cluster_timeout_ms(c));
		rc = -1;
	} else if (dv.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "%s: %s", r->topic, rd_kafka_err2str(dv.err));
		rc = -1;
	} else {
		*partition = dv.partition;
		*offset = dv.offset;
	}
	rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_poll(rk, 0);
	rd_kafka_destroy(rk);
	return rc;
}
