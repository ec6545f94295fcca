/*
 * explore_peek.h — the timestamps of the records at given offsets, read
 * with a consumer that only assign()s, bounded by the cluster's time
 * limit: how old a group's next unconsumed record is (lag in time), and
 * the steps of a search by time where the broker cannot answer
 * offsets_for_times (the embedded broker).
 */
#ifndef ORDERTOP_EXPLORE_PEEK_H
#define ORDERTOP_EXPLORE_PEEK_H

#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"

/* ts[i] of an offset with no record after it: only transaction markers
 * (which a high watermark counts) lie between it and the end. */
#define EXPLORE_PEEK_END (-2)

/*
 * For each parts->elems[i] (topic, partition, offset), ts[i] = the
 * timestamp (ms) of the first record at or after that offset,
 * EXPLORE_PEEK_END when the partition ends before one, or -1 when none
 * came within the time limit.  reader is
 * an explore_cluster_reader() to use, or NULL for one of its own.
 * 0, or -1 with the reason.
 */
int explore_peek_timestamps(struct explore_cluster *c, rd_kafka_t *reader,
			    const rd_kafka_topic_partition_list_t *parts, int64_t *ts, char *err,
			    size_t errlen);

#endif
