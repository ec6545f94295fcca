/*
 * explore_seek.h — a start (explore_start.h) as an offset in each of a
 * list of partitions: the watermarks for the beginning and the end, an
 * offset kept within them, and for a time the first record at or after it
 * (offsets_for_times on a real cluster; on a limited one, which answers it
 * with -1, a binary search over the records' timestamps, about log2(N)
 * single-record reads per partition).
 */
#ifndef ORDERTOP_EXPLORE_SEEK_H
#define ORDERTOP_EXPLORE_SEEK_H

#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"
#include "explore_start.h"

/*
 * Sets parts->elems[i].offset to where start falls in that partition, and
 * low[i]/high[i] (when not NULL) to its watermarks.  A time after the last
 * record gives the end.  0, or -1 with the reason.
 */
int explore_seek(struct explore_cluster *c, rd_kafka_topic_partition_list_t *parts,
		 const struct explore_start *start, int64_t *low, int64_t *high, char *err,
		 size_t errlen);

/* The offset of an absolute start within [low, high]: pure, for tests. */
int64_t explore_seek_clamp(const struct explore_start *start, int64_t low, int64_t high);

#endif
