/*
 * explore_seek.c — turning a start into offsets.  See explore_seek.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explore_peek.h"
#include "explore_seek.h"

int64_t
explore_seek_clamp(const struct explore_start *start, int64_t low, int64_t high)
{
	switch (start->kind) {
	case EXPLORE_START_BEGINNING: return low;
	case EXPLORE_START_END: return high;
	case EXPLORE_START_OFFSET:
		return start->value < low ? low : start->value > high ? high : start->value;
	case EXPLORE_START_TIME: break;
	}
	return high;
}

/* The first offset in [lo, hi) whose record is at or after t, or hi:
 * timestamps grow with offsets (CreateTime from one producer, or
 * LogAppendTime), which a binary search relies on. */
static int
search_time(struct explore_cluster *c, rd_kafka_t *reader, const char *topic, int32_t partition,
	    int64_t lo, int64_t hi, int64_t t, int64_t *out, char *err, size_t errlen)
{
	int64_t end = hi;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2, ts;
		rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);
		rd_kafka_topic_partition_list_add(one, topic, partition)->offset = mid;
		int rc = explore_peek_timestamps(c, reader, one, &ts, err, errlen);
		rd_kafka_topic_partition_list_destroy(one);
		if (rc < 0)
			return -1;
		if (ts < 0) /* nothing readable from mid on */
			hi = mid;
		else if (ts < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	*out = lo <= end ? lo : end;
	return 0;
}

int
explore_seek(struct explore_cluster *c, rd_kafka_topic_partition_list_t *parts,
	     const struct explore_start *start, int64_t *low, int64_t *high, char *err,
	     size_t errlen)
{
	size_t n = (size_t)parts->cnt + 1;
	int64_t *lo = calloc(n, sizeof *lo), *hi = calloc(n, sizeof *hi);
	int rc = -1;
	if (lo == NULL || hi == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (explore_cluster_watermarks(c, parts, lo, hi, err, errlen) < 0)
		goto out;
	for (int i = 0; i < parts->cnt; i++) {
		if (lo[i] < 0) {
			snprintf(err, errlen, "%s [%d]: %s", parts->elems[i].topic,
				 (int)parts->elems[i].partition,
				 rd_kafka_err2str(parts->elems[i].err));
			goto out;
		}
		parts->elems[i].offset = explore_seek_clamp(start, lo[i], hi[i]);
	}
	if (start->kind == EXPLORE_START_TIME && !explore_cluster_limited(c)) {
		rd_kafka_topic_partition_list_t *q = rd_kafka_topic_partition_list_copy(parts);
		for (int i = 0; i < q->cnt; i++)
			q->elems[i].offset = start->value;
		rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(explore_cluster_handle(c), q,
								   explore_cluster_timeout_ms(c));
		for (int i = 0; e == RD_KAFKA_RESP_ERR_NO_ERROR && i < q->cnt; i++)
			parts->elems[i].offset =
				q->elems[i].offset >= 0 ? q->elems[i].offset : hi[i];
		rd_kafka_topic_partition_list_destroy(q);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "offsets for a time: %s", rd_kafka_err2str(e));
			goto out;
		}
	} else if (start->kind == EXPLORE_START_TIME) {
		rd_kafka_t *reader = explore_cluster_reader(c, "seek", err, errlen);
		if (reader == NULL)
			goto out;
		for (int i = 0; i < parts->cnt; i++) {
			if (search_time(c, reader, parts->elems[i].topic, parts->elems[i].partition,
					lo[i], hi[i], start->value, &parts->elems[i].offset, err,
					errlen) < 0) {
				rd_kafka_destroy(reader);
				goto out;
			}
		}
		rd_kafka_destroy(reader);
	}
	for (int i = 0; i < parts->cnt; i++) {
		if (low)
			low[i] = lo[i];
		if (high)
			high[i] = hi[i];
	}
	rc = 0;
out:
	free(lo);
	free(hi);
	return rc;
}
