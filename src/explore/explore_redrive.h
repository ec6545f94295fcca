/*
 * explore_redrive.h — re-driving dead letters: the records of the
 * dead-letter topic (orders.dlq) picked by a jq condition, optionally
 * rewritten by a jq expression (to repair a schema), published again to
 * the topic they came from (their ordertop.dlq.topic header) in one
 * transaction, each with the dead letter's headers but its ordertop.dlq.*
 * ones, and a header naming the dead letter it came from
 * (ordertop.redriven_from: orders.dlq/P/O).
 *
 * Done once: in the same transaction, a marker per dead letter goes to the
 * compacted topic DLQ.redriven (key "DLQ/P/O", value the topic it went
 * to).  A later plan reads those markers and skips what they name, so a
 * second re-drive of the same records sends nothing.  On a real cluster
 * the marker topic is created (compacted, one partition) when first
 * needed; the embedded broker creates it on the first write.
 *
 * Planning reads the dead-letter topic from the beginning to its end as of
 * now (bounded by max_items kept; the rest is counted, not kept).
 */
#ifndef ORDERTOP_EXPLORE_REDRIVE_H
#define ORDERTOP_EXPLORE_REDRIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"
#include "explore_messages.h"

#define EXPLORE_HDR_REDRIVEN_FROM     "ordertop.redriven_from"
#define EXPLORE_REDRIVE_MARKER_SUFFIX ".redriven"

enum explore_redrive_status {
	EXPLORE_REDRIVE_READY,         /* will be sent */
	EXPLORE_REDRIVE_DONE_BEFORE,   /* a marker says it was re-driven already */
	EXPLORE_REDRIVE_NO_SOURCE,     /* no ordertop.dlq.topic header */
	EXPLORE_REDRIVE_BAD_TRANSFORM, /* the transform failed or gave no output */
	EXPLORE_REDRIVE_SENT,          /* committed by explore_redrive_execute */
};

struct explore_redrive_item {
	int32_t partition; /* in the dead-letter topic */
	int64_t offset;
	char source[64]; /* "orders.dlq/P/O" */
	char *target;    /* the topic it goes back to, or NULL */
	char *reason;    /* its ordertop.dlq.reason, or NULL */
	void *key;
	size_t key_len;
	char *value; /* as it will be sent (transformed) */
	size_t value_len;
	/* READY items: the headers it will carry besides ordertop.redriven_from
	 * (the dead letter's, without ordertop.dlq.*) */
	struct explore_header *headers;
	size_t n_headers;
	enum explore_redrive_status status;
	char note[256]; /* why it is not READY */
};

struct explore_redrive_opts {
	const char *where;     /* jq condition, NULL: every dead letter */
	const char *transform; /* jq expression, NULL: the value as it is */
	size_t max_items;      /* items kept in the plan; 0: 10000 */
};

struct explore_redrive_plan {
	char *dlq; /* the dead-letter topic */
	size_t scanned, matched, ready, done_before, skipped;
	bool truncated; /* more matched than max_items */
	size_t n;
	struct explore_redrive_item *items; /* matched, in partition/offset order */
};

/* Builds the plan (nothing is sent).  0, or -1 with the reason (a jq
 * program's error is jq's own message). */
int explore_redrive_plan(struct explore_cluster *c, const char *dlq,
			 const struct explore_redrive_opts *o, struct explore_redrive_plan *out,
			 char *err, size_t errlen);
/* Sends every READY item and its marker in one transaction; they become
 * SENT.  0, or -1 with the reason (the transaction aborted: nothing sent). */
int explore_redrive_execute(struct explore_cluster *c, struct explore_redrive_plan *plan, char *err,
			    size_t errlen);
void explore_redrive_plan_free(struct explore_redrive_plan *p);
const char *explore_redrive_status_name(enum explore_redrive_status s);

#endif
