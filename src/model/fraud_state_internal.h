/*
 * fraud_state_internal.h — what the rules in fraud_rules.c ask of struct
 * fraud_state (fraud_state.c): a user's recent order times (velocity) and
 * the recently decided order ids (replay).  Not for other modules; the
 * unit tests use it to look inside.
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
 * the replay set.  When full, the least recently seen user and the oldest
 * order id are forgotten.  Empty ids are not recorded.  Allocates only
 * when a user's history must grow beyond what its slot already holds.
 */
void fraud_state_record(struct fraud_state *st, const char *user_id, const char *order_id,
			int64_t now_ms, int keep);

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

#endif
