/*
 * explore_peek.c — reading one record per partition at a given offset for
 * its timestamp.  See explore_peek.h.
 */
#include <stdio.h>
#include <string.h>
#include "clock.h"
#include "explore_peek.h"

int
explore_peek_timestamps(struct explore_cluster *c, rd_kafka_t *reader,
			const rd_kafka_topic_partition_list_t *parts, int64_t *ts, char *err,
			size_t errlen)
{
	rd_kafka_t *rk = reader;
	int left = 0;

	for (int i = 0; i < parts->cnt; i++) {
		ts[i] = -1;
		left++;
	}
	if (left == 0)
		return 0;
	if (rk == NULL && (rk = explore_cluster_reader(c, "peek", err, errlen)) == NULL)
		return -1;
	rd_kafka_resp_err_t e = rd_kafka_assign(rk, parts);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assign: %s", rd_kafka_err2str(e));
		if (rk != reader)
			rd_kafka_destroy(rk);
		return -1;
	}
	int64_t deadline = mono_ms() + explore_cluster_timeout_ms(c);
	while (left > 0 && mono_ms() < deadline) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 50);
		if (m == NULL)
			continue;
		bool eof = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR || eof) {
			const char *topic = rd_kafka_topic_name(m->rkt);
			for (int i = 0; i < parts->cnt; i++) {
				const rd_kafka_topic_partition_t *p = &parts->elems[i];
				if (ts[i] != -1 || p->partition != m->partition ||
				    m->offset < p->offset || strcmp(p->topic, topic) != 0)
					continue;
				if (eof)
					ts[i] = EXPLORE_PEEK_END;
				else if ((ts[i] = rd_kafka_message_timestamp(m, NULL)) < 0)
					ts[i] = 0; /* a record without a timestamp */
				left--;
				/* one record is all it needs from this partition */
				rd_kafka_topic_partition_list_t *one =
					rd_kafka_topic_partition_list_new(1);
				rd_kafka_topic_partition_list_add(one, p->topic, p->partition);
				rd_kafka_pause_partitions(rk, one);
				rd_kafka_topic_partition_list_destroy(one);
			}
		}
		rd_kafka_message_destroy(m);
	}
	/* a reader used again must not find these partitions paused */
	rd_kafka_topic_partition_list_t *all = rd_kafka_topic_partition_list_copy(parts);
	rd_kafka_resume_partitions(rk, all);
	rd_kafka_topic_partition_list_destroy(all);
	rd_kafka_assign(rk, NULL);
	if (rk != reader)
		rd_kafka_destroy(rk);
	return 0;
}
