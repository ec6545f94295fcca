/*
 * fraud_state_internal.h — what the rules in fraud_rules.c, the changelog
 * (fraud_changelog.c) and the fraud role ask of struct fraud_state
 * (fraud_state.c): a user's recent order times (velocity), the recently
 * decided order ids (replay), an undo log that takes the state back to the
 * last committed transaction, and the changes of the open transaction as
 * changelog records.  The unit tests use it to look inside.
 *
 * A fraud_state belongs to one partition and is used by one thread.
 */
#ifndef ORDERTOP_FRAUD_STATE_INTERNAL_H
#define ORDERTOP_FRAUD_STATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fraud_state;

/* Most order times kept per user; the velocity rule's max_orders maximum. */
#define FRAUD_STATE_KEEP_MAX 10000

/* fraud_state_new(0, 0) picks these. */
#define FRAUD_STATE_DEFAULT_USERS  100000
#define FRAUD_STATE_DEFAULT_ORDERS 100000

/* Order ids older than this (behind the newest order time) are forgotten:
 * fraud_state_set_horizon() changes it. */
#define FRAUD_STATE_DEFAULT_HORIZON_MS (24 * 3600 * 1000LL)

/*
 * How many orders of user_id were recorded at times t with
 * now_ms - window_ms < t <= now_ms, counting no further than limit.
 * Does not change the state (a lookup does not make a user "recent").
 */
int fraud_state_recent_orders(const struct fraud_state *st, const char *user_id, int64_t now_ms,
			      int64_t window_ms, int limit);

/* True when order_id was recorded and not forgotten yet. */
bool fraud_state_seen_order(const struct fraud_state *st, const char *order_id);

/*
 * Records one evaluated order: its time in the user's history (keeping
 * that user's newest `keep` times, 1..FRAUD_STATE_KEEP_MAX) and its id in
 * the replay set.  First what has expired is forgotten: the least recently
 * seen users whose newest time is two windows (window_ms) behind the
 * newest order time recorded, and the oldest ids past the replay horizon.
 * When still full, the least recently seen user and the oldest order id
 * are forgotten (dropped for memory, counted).  Empty ids are not recorded.
 * Every change goes in the undo log.  Allocates only when a user's
 * history or the undo log must grow beyond what they already hold.
 */
void fraud_state_record(struct fraud_state *st, const char *user_id, const char *order_id,
			int64_t now_ms, int keep, int64_t window_ms);

void fraud_state_set_horizon(struct fraud_state *st, int64_t horizon_ms);

/*
 * Starts loading, into the CPU cache, the index cells that evaluating and
 * recording this order will read, so that their cache misses overlap
 * instead of following one another.  A hint: it changes nothing.
 */
void fraud_state_prefetch(const struct fraud_state *st, const char *user_id, const char *order_id);

/* The same for the user alone, as early as the user is known (the
 * record's key): its index cell, so that fraud_state_prefetch() can then
 * start loading the user's slot too. */
void fraud_state_prefetch_user(const struct fraud_state *st, const char *user_id, size_t len);

/* Users and order ids currently remembered. */
size_t fraud_state_user_count(const struct fraud_state *st);
size_t fraud_state_order_count(const struct fraud_state *st);

/* ---- transactions ---- */

/* The open transaction's changes stay: the undo log is emptied.  Returns
 * the entries dropped for memory in it. */
uint64_t fraud_state_commit(struct fraud_state *st);
/* The state goes back to what the last fraud_state_commit() left. */
void fraud_state_rollback(struct fraud_state *st);
/* True when the open transaction changed anything. */
bool fraud_state_changed(const struct fraud_state *st);

/* One changelog record: val NULL is a tombstone.  0, or -1 to stop. */
typedef int (*fraud_state_emit_fn)(void *arg, const char *key, size_t keylen, const char *val,
				   size_t vallen);

/*
 * The open transaction's changes as changelog records of partition
 * (fraud_changelog.h has the keys and values), one per changed key, in an
 * order that restoring them rebuilds the same state: tombstones of users
 * forgotten, changed users least recent first, new order ids in buckets of
 * up to FRAUD_CHANGELOG_BUCKET_MAX, tombstones of buckets whose ids are all
 * forgotten, and last the partition's meta record.  0, or the first -1.
 */
int fraud_state_flush(struct fraud_state *st, int32_t partition, fraud_state_emit_fn emit,
		      void *arg);

/* ---- restoring (fraud_changelog.c); outside the undo log ---- */

/* Sets a user's times (oldest first), making it the most recent user. */
void fraud_state_restore_user(struct fraud_state *st, const char *user_id, size_t len,
			      const int64_t *times, size_t n);
void fraud_state_restore_forget_user(struct fraud_state *st, const char *user_id, size_t len);
/* Starts the order ids over at seq (the oldest one kept). */
void fraud_state_restore_ids_from(struct fraud_state *st, uint64_t seq);
/* Appends order id number seq (ascending) decided at t, of bucket. */
void fraud_state_restore_id(struct fraud_state *st, const char *order_id, size_t len, int64_t t,
			    uint64_t seq, uint64_t bucket);
/* Ends a restore: the next id's number and the newest order time. */
void fraud_state_restore_done(struct fraud_state *st, uint64_t next_seq, int64_t high_ms);

#endif
