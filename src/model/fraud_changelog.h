/*
 * fraud_changelog.h — the fraud state's changelog records (the compacted
 * topic fraud.state, partitioned like the orders topic): their keys and
 * values.  fraud_restore.h rebuilds a state from them.
 *
 * Keys (P: the orders partition, so a record is never read by another):
 *   P/u/USER   the user's recent order times, oldest first:
 *              "T0 D1 D2 ..." (T0 in ms, then each time minus the one before)
 *   P/o/SEQ    a bucket of decided order ids numbered SEQ, SEQ+1, ...:
 *              "SEQ N\n" then per id "T LEN:ID\n" (T: its order time)
 *   P/m        the partition's meta record: "NEXT OLDEST HIGH" (the next
 *              id's number, the oldest id kept, the newest order time)
 * A null value (tombstone) deletes a user that expired or was dropped for
 * memory, and a bucket whose ids are all forgotten.
 */
#ifndef ORDERTOP_FRAUD_CHANGELOG_H
#define ORDERTOP_FRAUD_CHANGELOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fraud_state;

/* Order ids per bucket record; a transaction writes one bucket or more. */
#define FRAUD_CHANGELOG_BUCKET_MAX 1000
/* Longest key: "P/u/" and a user id. */
#define FRAUD_CHANGELOG_KEY_MAX 96
/* Longest user value: FRAUD_STATE_KEEP_MAX numbers. */
#define FRAUD_CHANGELOG_TIME_TEXT 21

enum fraud_changelog_kind {
	FRAUD_CHANGELOG_USER,
	FRAUD_CHANGELOG_BUCKET,
	FRAUD_CHANGELOG_META,
};

struct fraud_changelog_key {
	enum fraud_changelog_kind kind;
	int32_t partition;
	const char *user; /* USER: the user id, user_len bytes, in the key */
	size_t user_len;
	uint64_t seq; /* BUCKET */
};

size_t fraud_changelog_user_key(char *buf, size_t len, int32_t partition, const char *user,
				size_t user_len);
size_t fraud_changelog_bucket_key(char *buf, size_t len, int32_t partition, uint64_t seq);
size_t fraud_changelog_meta_key(char *buf, size_t len, int32_t partition);
/* 0, or -1 when the key is none of the three. */
int fraud_changelog_key_parse(const void *key, size_t len, struct fraud_changelog_key *out);

/* A user's times as a value; buf holds n * FRAUD_CHANGELOG_TIME_TEXT. */
size_t fraud_changelog_times_write(char *buf, const int64_t *times, size_t n);
/* Reads up to max times; how many, or -1 when the value is not one. */
int fraud_changelog_times_read(const char *val, size_t len, int64_t *times, size_t max);

size_t fraud_changelog_meta_write(char *buf, size_t len, uint64_t next, uint64_t oldest,
				  int64_t high);
int fraud_changelog_meta_read(const char *val, size_t len, uint64_t *next, uint64_t *oldest,
			      int64_t *high);

/* Calls fn for each id of a bucket value, numbered from its SEQ.  0, or
 * -1 when the value is not a bucket (fn may have been called before). */
typedef void (*fraud_changelog_id_fn)(void *arg, const char *id, size_t len, int64_t t,
				      uint64_t seq);
int fraud_changelog_bucket_read(const char *val, size_t len, fraud_changelog_id_fn fn, void *arg);

#endif
