/*
 * explore_messages.h — reading any topic, one partition or all, from a
 * start (explore_start.h), one record at a time: the caller keeps a page
 * of them, so a topic of millions never sits in memory.  The reader only
 * assign()s (no group is joined or committed to) and reads committed
 * records.  Bytes are kept as they came; showing them is the caller's
 * (text_sanitize.h).
 */
#ifndef ORDERTOP_EXPLORE_MESSAGES_H
#define ORDERTOP_EXPLORE_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"
#include "explore_start.h"

struct explore_header {
	char *name;
	void *value; /* NULL: a header without a value */
	size_t len;
};

struct explore_record {
	char *topic;
	int32_t partition;
	int64_t offset;
	int64_t timestamp_ms; /* -1 none */
	void *key;            /* NULL: no key */
	size_t key_len;
	void *value; /* NULL: a tombstone */
	size_t value_len;
	size_t n_headers;
	struct explore_header *headers;
};

/* A copy of a consumed message.  0, or -1 out of memory. */
int explore_record_from_message(struct explore_record *r, const rd_kafka_message_t *m);
void explore_record_clear(struct explore_record *r);
/* The last header named name, or NULL. */
const struct explore_header *explore_record_header(const struct explore_record *r,
						   const char *name);

struct explore_reader;

/*
 * Opens a reader of topic (partition -1: all) at start.  It reads until it
 * reaches the end the partitions had when it opened (explore_reader_next
 * returns 0), or on and on with follow.  NULL with the reason.
 */
struct explore_reader *explore_reader_open(struct explore_cluster *c, const char *topic,
					   int32_t partition, const struct explore_start *start,
					   bool follow, char *err, size_t errlen);
/*
 * The next record into *r (cleared first).  1, 0 when caught up (or, when
 * following, nothing came within timeout_ms), -1 with the reason.
 */
int explore_reader_next(struct explore_reader *rd, struct explore_record *r, int timeout_ms,
			char *err, size_t errlen);
/* Records between the start and the end, as of opening (-1 unknown). */
int64_t explore_reader_remaining(const struct explore_reader *rd);
void explore_reader_close(struct explore_reader *rd);

#endif
