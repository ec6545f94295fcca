/*
 * rules_store.h — the rule set in force as this process knows it (the
 * newest version seen on fraud.rules, or published from here) and the
 * version each fraud worker, of any process, reports it applies.
 *
 * Readers (the fraud and monitor threads, the dashboard) take its lock for
 * a copy.  A change copies the set under that lock, applies itself to the
 * copy, names it the next version and publishes it with the lock released:
 * no reader ever waits on a publish.  Once published the local view follows
 * at once.  Changes are serialised among themselves (a second lock readers
 * never take), so two changes never claim the same version.
 */
#ifndef ORDERTOP_RULES_STORE_H
#define ORDERTOP_RULES_STORE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fraud_rules.h"

#define RULES_STORE_WORKERS_MAX 16

struct rules_status {
	struct ruleset current; /* the newest rule set seen on fraud.rules */
	int n_workers;          /* fraud workers (any process) that reported */
	struct {
		char id[64];
		uint64_t applied_version;
		int64_t at_ms;
	} workers[RULES_STORE_WORKERS_MAX];
};

struct rules_store {
	pthread_mutex_t lock;        /* the fields below; held for copies only */
	pthread_mutex_t change_lock; /* one change at a time (rules_store_change) */
	struct ruleset rules;
	bool known;                 /* rules came from the topic or were published */
	struct rules_status status; /* .workers; .current is rules */
};

/* Starts with the default rules, version 0. */
void rules_store_init(struct rules_store *rs);
void rules_store_destroy(struct rules_store *rs);

/* A rule set was seen on fraud.rules, or published here: the newest is kept. */
void rules_store_seen(struct rules_store *rs, const struct ruleset *set);
/* A fraud worker reported the version it applies (the first
 * RULES_STORE_WORKERS_MAX workers are kept). */
void rules_store_worker_applied(struct rules_store *rs, const char *worker, uint64_t version,
				int64_t at_ms);
void rules_store_current(struct rules_store *rs, struct ruleset *out);
void rules_store_status(struct rules_store *rs, struct rules_status *out);

/* Changes next (a copy of the rules in force, already numbered as the next
 * version).  0, or -1 with the reason in err. */
typedef int (*rules_change_fn)(struct ruleset *next, const void *arg, char *err, size_t errlen);
/* Publishes next; called without the store's lock.  0, or -1 with the
 * reason in err. */
typedef int (*rules_publish_fn)(void *arg, const struct ruleset *next, char *err, size_t errlen);

/* Applies change to a copy of the rules in force, numbers it the next
 * version and publishes it; once published it is the rules in force here.
 * 0, or -1 with the reason (the rules in force stay as they were). */
int rules_store_change(struct rules_store *rs, rules_change_fn change, const void *change_arg,
		       rules_publish_fn publish, void *publish_arg, char *err, size_t errlen);

#endif
