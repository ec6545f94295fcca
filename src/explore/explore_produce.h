/*
 * explore_produce.h — one record sent to any topic, as the explorer's
 * Produce form asks: key, headers, a partition or the partitioner, the
 * value; waits for the broker's acknowledgement (bounded by the cluster's
 * time limit) and says where it landed.
 */
#ifndef ORDERTOP_EXPLORE_PRODUCE_H
#define ORDERTOP_EXPLORE_PRODUCE_H

#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"

struct explore_produce_rec {
	const char *topic;
	int32_t partition; /* -1: the partitioner */
	const void *key;   /* NULL: no key */
	size_t key_len;
	const char *headers; /* "name=value" lines (or ';'-separated), NULL: none */
	const void *value;   /* NULL: a tombstone */
	size_t value_len;
};

/* Sends r and waits for its delivery; *partition and *offset say where it
 * went.  0, or -1 with the reason. */
int explore_produce(struct explore_cluster *c, const struct explore_produce_rec *r,
		    int32_t *partition, int64_t *offset, char *err, size_t errlen);

/* Parses "a=1;b=2" (or newline-separated) headers into h (NULL: check only).
 * Returns the count, or -1 with err naming the bad item. */
int explore_produce_headers(const char *text, rd_kafka_headers_t *h, char *err, size_t errlen);

#endif
