/*
 * explore_messages.c — a bounded reader of any topic.  See
 * explore_messages.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "explore_messages.h"
#include "explore_seek.h"

struct explore_reader {
	struct explore_cluster *c;
	rd_kafka_t *rk;
	bool follow;
	int n;
	int32_t *partitions;
	int64_t *next, *end; /* per partition: next offset to read, end at open */
	int64_t remaining;
};

static void *
dup_bytes(const void *p, size_t n)
{
	void *d = malloc(n ? n : 1);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

int
explore_record_from_message(struct explore_record *r, const rd_kafka_message_t *m)
{
	rd_kafka_headers_t *hdrs = NULL;
	memset(r, 0, sizeof *r);
	r->topic = strdup(rd_kafka_topic_name(m->rkt));
	r->partition = m->partition;
	r->offset = m->offset;
	r->timestamp_ms = rd_kafka_message_timestamp(m, NULL);
	if (r->topic == NULL)
		goto oom;
	if (m->key && (r->key = dup_bytes(m->key, m->key_len)) == NULL)
		goto oom;
	r->key_len = m->key ? m->key_len : 0;
	if (m->payload && (r->value = dup_bytes(m->payload, m->len)) == NULL)
		goto oom;
	r->value_len = m->payload ? m->len : 0;
	if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		size_t n = rd_kafka_header_cnt(hdrs);
		r->headers = calloc(n + 1, sizeof *r->headers);
		if (r->headers == NULL)
			goto oom;
		const char *name;
		const void *val;
		size_t len;
		for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &len) ==
		     RD_KAFKA_RESP_ERR_NO_ERROR;
		     i++) {
			struct explore_header *h = &r->headers[r->n_headers];
			h->name = strdup(name);
			h->value = val ? dup_bytes(val, len) : NULL;
			h->len = val ? len : 0;
			r->n_headers++;
			if (h->name == NULL || (val && h->value == NULL))
				goto oom;
		}
	}
	return 0;
oom:
	explore_record_clear(r);
	return -1;
}

void
explore_record_clear(struct explore_record *r)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->topic);
	free(r->key);
	free(r->value);
	memset(r, 0, sizeof *r);
}

const struct explore_header *
explore_record_header(const struct explore_record *r, const char *name)
{
	for (size_t i = r->n_headers; i-- > 0;)
		if (strcmp(r->headers[i].name, name) == 0)
			return &r->headers[i];
	return NULL;
}

/* The partitions of topic (metadata of all topics: never creates it). */
static int
topic_partitions(struct explore_cluster *c, const char *topic, int32_t only,
		 rd_kafka_topic_partition_list_t *out, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(explore_cluster_handle(c), 1, NULL, &md,
						  explore_cluster_timeout_ms(c));
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		return -1;
	}
	int found = -1;
	for (int i = 0; i < md->topic_cnt && found < 0; i++)
		if (strcmp(md->topics[i].topic, topic) == 0)
			found = i;
	if (found < 0) {
		snprintf(err, errlen, "no topic '%s' on the cluster", topic);
	} else {
		const rd_kafka_metadata_topic_t *t = &md->topics[found];
		for (int k = 0; k < t->partition_cnt; k++)
			if (only < 0 || t->partitions[k].id == only)
				rd_kafka_topic_partition_list_add(out, topic, t->partitions[k].id);
		if (out->cnt == 0) {
			snprintf(err, errlen, "topic '%s' has no partition %d (it has %d)", topic,
				 (int)only, t->partition_cnt);
			found = -1;
		}
	}
	rd_kafka_metadata_destroy(md);
	return found < 0 ? -1 : 0;
}

struct explore_reader *
explore_reader_open(struct explore_cluster *c, const char *topic, int32_t partition,
		    const struct explore_start *start, bool follow, char *err, size_t errlen)
{
	struct explore_reader *rd = calloc(1, sizeof *rd);
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(8);
	if (rd == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rd->c = c;
	rd->follow = follow;
	if (topic_partitions(c, topic, partition, parts, err, errlen) < 0)
		goto fail;
	rd->n = parts->cnt;
	rd->partitions = calloc((size_t)rd->n, sizeof *rd->partitions);
	rd->next = calloc((size_t)rd->n, sizeof *rd->next);
	rd->end = calloc((size_t)rd->n, sizeof *rd->end);
	if (!rd->partitions || !rd->next || !rd->end) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (explore_seek(c, parts, start, NULL, rd->end, err, errlen) < 0)
		goto fail;
	rd->remaining = 0;
	for (int i = 0; i < rd->n; i++) {
		rd->partitions[i] = parts->elems[i].partition;
		rd->next[i] = parts->elems[i].offset;
		rd->remaining += rd->end[i] - rd->next[i];
	}
	if ((rd->rk = explore_cluster_reader(c, "messages", err, errlen)) == NULL)
		goto fail;
	rd_kafka_resp_err_t e = rd_kafka_assign(rd->rk, parts);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assign: %s", rd_kafka_err2str(e));
		goto fail;
	}
	rd_kafka_topic_partition_list_destroy(parts);
	return rd;
fail:
	rd_kafka_topic_partition_list_destroy(parts);
	explore_reader_close(rd);
	return NULL;
}

static bool
caught_up(const struct explore_reader *rd)
{
	for (int i = 0; i < rd->n; i++)
		if (rd->next[i] < rd->end[i])
			return false;
	return true;
}

int
explore_reader_next(struct explore_reader *rd, struct explore_record *r, int timeout_ms, char *err,
		    size_t errlen)
{
	int64_t deadline = mono_ms() + timeout_ms;
	explore_record_clear(r);
	while (rd->follow || !caught_up(rd)) {
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return 0;
		rd_kafka_message_t *m =
			rd_kafka_consumer_poll(rd->rk, left > 100 ? 100 : (int)left);
		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			/* the end, past transaction markers the watermark counted
			 * (or at an open transaction): this partition is read */
			for (int i = 0; i < rd->n && !rd->follow; i++)
				if (rd->partitions[i] == m->partition && rd->next[i] < rd->end[i])
					rd->next[i] = rd->end[i];
			rd_kafka_message_destroy(m);
			continue;
		}
		if (m->err) {
			bool fatal = m->err != RD_KAFKA_RESP_ERR__TRANSPORT;
			if (fatal)
				snprintf(err, errlen, "%s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			if (fatal)
				return -1;
			continue;
		}
		for (int i = 0; i < rd->n; i++)
			if (rd->partitions[i] == m->partition)
				rd->next[i] = m->offset + 1;
		int rc = explore_record_from_message(r, m);
		rd_kafka_message_destroy(m);
		if (rc < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 1;
	}
	return 0;
}

int64_t
explore_reader_remaining(const struct explore_reader *rd)
{
	return rd->remaining;
}

void
explore_reader_close(struct explore_reader *rd)
{
	if (rd == NULL)
		return;
	if (rd->rk)
		rd_kafka_destroy(rd->rk);
	free(rd->partitions);
	free(rd->next);
	free(rd->end);
	free(rd);
}
