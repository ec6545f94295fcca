/*
 * fraud_store.h — the fraud role's durable state, as Kafka Streams keeps
 * its state stores: each orders partition's fraud_state is restored from
 * its partition of the compacted changelog topic (fraud.state) when the
 * partition is assigned, reading committed records from the start to the
 * end, and each transaction writes the state's changes there beside the
 * decisions and offsets they came from (fraud_changelog.h has the
 * records).
 */
#ifndef ORDERTOP_FRAUD_STORE_H
#define ORDERTOP_FRAUD_STORE_H

#include <stddef.h>
#include <stdint.h>

struct pipeline;
struct fraud_state;
struct fraud_store;
struct txn_stage;

/* The restore reader is made on the first restore. */
struct fraud_store *fraud_store_new(struct pipeline *p);
void fraud_store_free(struct fraud_store *fs);

/* Fills st (fresh from fraud_state_new()) from the changelog's partition
 * and logs "restored N entries of partition P in X ms".  The entries, or
 * -1 with the reason. */
long fraud_store_restore(struct fraud_store *fs, int32_t partition, struct fraud_state *st,
			 char *err, size_t errlen);

/* Writes st's changes in the open transaction to the changelog's
 * partition.  The records written, or -1. */
long fraud_store_flush(struct txn_stage *stage, const char *topic, int32_t partition,
		       struct fraud_state *st);

#endif
