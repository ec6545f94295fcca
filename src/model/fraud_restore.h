/*
 * fraud_restore.h — rebuilding one partition's fraud state from its
 * changelog records (fraud_changelog.h), read in offset order.
 */
#ifndef ORDERTOP_FRAUD_RESTORE_H
#define ORDERTOP_FRAUD_RESTORE_H

#include <stddef.h>
#include <stdint.h>

struct fraud_state;
struct fraud_restore;

/* Restores into st (empty, fresh from fraud_state_new()) the records of
 * partition.  NULL when out of memory. */
struct fraud_restore *fraud_restore_new(struct fraud_state *st, int32_t partition);
/* One record (val NULL: a tombstone).  0, or -1 with the reason when the
 * record is not a changelog record of this partition (it is skipped). */
int fraud_restore_record(struct fraud_restore *r, const void *key, size_t keylen, const void *val,
			 size_t vallen, char *err, size_t errlen);
/* Finishes: the order ids go in, the restorer is freed.  Returns the
 * entries (users and order ids) the state now holds. */
size_t fraud_restore_finish(struct fraud_restore *r);

#endif
