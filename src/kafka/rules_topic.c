/*
 * rules_topic.c — reading and writing the records of the fraud.rules topic.
 * Versions are read from their digits and written as integers: a double
 * holds them exactly only up to 2^53.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "flat_json.h"
#include "json_writer.h"
#include "log.h"
#include "rules_topic.h"
#include "stats.h"
#include "topics.h"

int
rules_record_parse(const rd_kafka_message_t *m, struct rules_record *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->kind = RULES_RECORD_NONE;
	if (m->key == NULL || m->payload == NULL)
		return 0; /* a tombstone or an unkeyed record: nothing to apply */
	if (m->key_len == strlen(RULES_KEY_RULESET) &&
	    memcmp(m->key, RULES_KEY_RULESET, m->key_len) == 0) {
		if (ruleset_from_json(m->payload, m->len, &out->ruleset, err, errlen) < 0)
			return -1;
		out->kind = RULES_RECORD_RULESET;
		return 0;
	}
	if (m->key_len > strlen(RULES_KEY_WORKER_PREFIX) &&
	    memcmp(m->key, RULES_KEY_WORKER_PREFIX, strlen(RULES_KEY_WORKER_PREFIX)) == 0) {
		cJSON *j = cJSON_ParseWithLength(m->payload, m->len);
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "worker");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "applied_version");
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(j, "at");
		struct flat_member raw;
		const char *why = NULL;
		if (!cJSON_IsString(w) || !cJSON_IsNumber(v))
			why = "unreadable worker record";
		else if (!flat_member_of(m->payload, m->len, j, v, &raw) ||
			 !flat_uint64(raw.text, raw.len, &out->applied_version))
			why = "worker record: applied_version must be an integer "
			      "from 0 to 18446744073709551615 in strict JSON";
		if (why != NULL) {
			snprintf(err, errlen, "%s", why);
			cJSON_Delete(j);
			return -1;
		}
		snprintf(out->worker, sizeof out->worker, "%s", w->valuestring);
		out->at_ms = cJSON_IsNumber(at) && at->valuedouble >= 0 &&
				at->valuedouble <= ORDER_TIME_MAX
			? (int64_t)at->valuedouble
			: 0;
		out->kind = RULES_RECORD_WORKER;
		cJSON_Delete(j);
	}
	return 0;
}

char *
rules_worker_json(const char *worker, uint64_t version, int64_t at_ms)
{
	struct json_writer w;

	json_writer_init(&w);
	json_object_begin(&w);
	json_key_literal(&w, "worker");
	json_string(&w, worker, SIZE_MAX);
	json_key_literal(&w, "applied_version");
	json_uint(&w, version);
	json_key_literal(&w, "at");
	json_int(&w, at_ms);
	json_object_end(&w);
	return json_writer_finish(&w);
}

int
rules_reader_start(rd_kafka_t *consumer, const char *topic)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_resp_err_t e = rd_kafka_assign(consumer, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("rules", "cannot read '%s': %s", topic, rd_kafka_err2str(e));
		return -1;
	}
	return 0;
}

static int
handle(rd_kafka_message_t *m, void (*cb)(void *, const struct rules_record *), void *arg)
{
	struct rules_record r;
	char err[256];

	if (m->err) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			log_warn("rules", "%s", rd_kafka_message_errstr(m));
		return 0;
	}
	if (rules_record_parse(m, &r, err, sizeof err) < 0) {
		log_warn("rules", "ignoring record at offset %lld: %s", (long long)m->offset, err);
		return 0;
	}
	if (r.kind != RULES_RECORD_NONE)
		cb(arg, &r);
	return 1;
}

int
rules_reader_catch_up(rd_kafka_t *consumer, const char *topic, int timeout_ms,
		      void (*cb)(void *, const struct rules_record *), void *arg)
{
	int64_t lo = 0, hi = 0, deadline = mono_ms() + timeout_ms;
	rd_kafka_resp_err_t e = topics_watermarks(consumer, topic, 0, &lo, &hi, timeout_ms);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_warn("rules", "cannot read the end of '%s': %s", topic, rd_kafka_err2str(e));
		return -1;
	}
	int n = 0;
	int64_t next = lo;
	rd_kafka_topic_partition_list_t *pos = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(pos, topic, 0);
	/* The position, not the last offset read, tells when the end is
	 * reached: transaction markers and compaction leave gaps. */
	while (next < hi && mono_ms() < deadline) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 50);
		if (m != NULL) {
			n += handle(m, cb, arg);
			rd_kafka_message_destroy(m);
		}
		if (rd_kafka_position(consumer, pos) == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    pos->elems[0].offset >= 0)
			next = pos->elems[0].offset;
	}
	rd_kafka_topic_partition_list_destroy(pos);
	if (next < hi)
		log_warn("rules", "read '%s' up to offset %lld of %lld in %d ms; going on", topic,
			 (long long)next, (long long)hi, timeout_ms);
	return n;
}

int
rules_reader_poll(rd_kafka_t *consumer, void (*cb)(void *, const struct rules_record *), void *arg)
{
	int n = 0;
	rd_kafka_message_t *m;
	while ((m = rd_kafka_consumer_poll(consumer, 0)) != NULL) {
		n += handle(m, cb, arg);
		rd_kafka_message_destroy(m);
	}
	return n;
}
