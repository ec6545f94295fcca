/*
 * txn_stage.h — the exactly-once consume-transform-produce loop shared by
 * the fraud and notifier roles (librdkafka's examples/transactions.c, made
 * generic).  A stage consumes one topic in a consumer group (read_committed)
 * and, for each input, produces its outputs inside a transaction that also
 * carries the input offsets (send_offsets_to_transaction).  Transactions
 * commit after txn_max_msgs inputs, txn_max_ms, or when the input runs dry.
 * An aborted transaction rewinds the consumer, so the inputs are processed
 * again.  No input can stop a stage for good: one whose outputs cannot be
 * sent (over message.max.bytes) is dead-lettered in their place, and one
 * whose transaction aborts POISON_ABORTS (3) times in a row is dead-lettered
 * instead of processed (cut shorter, then skipped, if that aborts too); the
 * log says so and stats.forced_dead_letters counts them.  A fatal error
 * (e.g. fenced by a newer instance with the same transactional.id) stops
 * the pipeline with a clear message.
 *
 * The embedded mock cluster does not store offsets sent with a transaction,
 * so there (ours or another process's, named with -b) the stage also
 * commits them with rd_kafka_commit().
 */
#ifndef ORDERTOP_TXN_STAGE_H
#define ORDERTOP_TXN_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "config.h"

struct pipeline;
struct txn_stage;

struct txn_stage_ops {
	const char *role; /* "fraud", "notifier" */
	/* One input, inside an open transaction.  Produce with
	 * txn_stage_produce() / txn_stage_dead_letter().  -1 aborts. */
	int (*process)(struct txn_stage *st, const rd_kafka_message_t *m);
	/* Before the transaction commits (for batched work).  -1 aborts. */
	int (*before_commit)(struct txn_stage *st);
	/* After an abort: forget whatever the aborted inputs left behind. */
	void (*after_abort)(struct txn_stage *st);
	/* After a commit: what the transaction's inputs left behind stays. */
	void (*after_commit)(struct txn_stage *st);
	void (*on_assign)(struct txn_stage *st, int32_t partition);
	void (*on_revoke)(struct txn_stage *st, int32_t partition);
	/* Every loop turn (about every 100 ms when idle). */
	void (*tick)(struct txn_stage *st);
};

struct txn_stage_params {
	const char *input_topic;
	const char *group_id;
	const char *transactional_id;
	void *arg;    /* the role's own state */
	int max_msgs; /* inputs per transaction; 0 = --txn-max-msgs */
	/* The topics the role writes (NULL-terminated): their metadata is
	 * fetched before the first input, not while the first orders wait. */
	const char *outputs[TOPIC__COUNT + 1];
};

/* Runs until the pipeline stops.  Returns 0, or -1 after a fatal error. */
/* A role's prepare() for a stage: counts it among the stages the
 * generator waits for (their first assignment) before it sends. */
int txn_stage_prepare(struct pipeline *p, void **state, char *err, size_t errlen);

int txn_stage_run(struct pipeline *p, const struct txn_stage_ops *ops,
		  const struct txn_stage_params *params);

void *txn_stage_arg(struct txn_stage *st);
struct pipeline *txn_stage_pipeline(struct txn_stage *st);
const char *txn_stage_worker_id(struct txn_stage *st); /* the transactional.id */

/* Produces inside the stage's transaction (opening one if needed).
 * hdrs: NULL-terminated name, value, name, value... strings. */
int txn_stage_produce(struct txn_stage *st, const char *topic, const void *key, size_t keylen,
		      const void *val, size_t vallen, const char *const *hdrs);

/* The same to one partition; val NULL is a tombstone (compacted topics). */
int txn_stage_produce_to(struct txn_stage *st, const char *topic, int32_t partition,
			 const void *key, size_t keylen, const void *val, size_t vallen);

/* Sends the input to the dead-letter topic with the reason and its source
 * topic/partition/offset in headers: unchanged, or cut to fit under the
 * producer's message.max.bytes (see dead_letter.h). */
int txn_stage_dead_letter(struct txn_stage *st, const rd_kafka_message_t *m, const char *reason);
struct dead_letter;
/* The same for a record the role kept (e.g. until --notify-exec ran). */
int txn_stage_dead_letter_record(struct txn_stage *st, const struct dead_letter *dl);

#endif
