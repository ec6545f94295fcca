/*
 * dead_letter.h — what a stage sends to the dead-letter topic: the record's
 * key and value, and headers saying why and whence.  A record too large to
 * be sent again as it is (over the producer's message.max.bytes once the
 * headers are added) is cut to fit, and its original sizes go in headers:
 * a dead letter must always be deliverable, or the input that caused it
 * would be read again forever.  No Kafka calls here: the stage produces
 * what this builds.
 */
#ifndef ORDERTOP_DEAD_LETTER_H
#define ORDERTOP_DEAD_LETTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set when the value (key) was cut: its original size in bytes. */
#define HDR_DLQ_TRUNCATED     "ordertop.dlq.truncated"
#define HDR_DLQ_KEY_TRUNCATED "ordertop.dlq.key_truncated"

/* Bytes librdkafka counts for one record besides key, value and headers
 * (its v2 overhead is about 40), with a margin. */
#define DEAD_LETTER_RECORD_OVERHEAD 128

struct dead_letter {
	const char *reason;
	const char *stage;     /* "fraud", "notifier" */
	const char *src_topic; /* where the input was read */
	int32_t partition;
	int64_t offset;
	const char *order_id; /* NULL when unknown */
	const void *key;
	size_t key_len;
	const void *val;
	size_t val_len;
};

/* The headers of one dead letter (name, value, ..., NULL) and the text of
 * its numbers. */
struct dead_letter_headers {
	const char *list[2 * 8 + 1];
	char part[16], off[24], val_size[24], key_size[24];
};

/*
 * Fills h for dl and cuts dl's key and value (their lengths) so that the
 * record fits in max_bytes (the producer's message.max.bytes; 0 = no
 * limit).  A value is cut before a key, a key to at most half the room.
 * Returns true when something was cut (h then says what).
 */
bool dead_letter_prepare(struct dead_letter *dl, size_t max_bytes, struct dead_letter_headers *h);

/* The size librdkafka checks against message.max.bytes, give or take
 * DEAD_LETTER_RECORD_OVERHEAD: key, value and the NULL-terminated
 * name/value header list. */
size_t dead_letter_record_size(size_t key_len, size_t val_len, const char *const *hdrs);

#endif
