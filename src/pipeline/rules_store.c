/*
 * rules_store.c — the rules in force and what each fraud worker applies,
 * behind a lock held only for copies (see rules_store.h).
 */
#include <stdio.h>
#include <string.h>
#include "rules_store.h"

void
rules_store_init(struct rules_store *rs)
{
	memset(rs, 0, sizeof *rs);
	pthread_mutex_init(&rs->lock, NULL);
	pthread_mutex_init(&rs->change_lock, NULL);
	ruleset_defaults(&rs->rules);
}

void
rules_store_destroy(struct rules_store *rs)
{
	pthread_mutex_destroy(&rs->lock);
	pthread_mutex_destroy(&rs->change_lock);
}

void
rules_store_seen(struct rules_store *rs, const struct ruleset *set)
{
	pthread_mutex_lock(&rs->lock);
	if (!rs->known || set->version >= rs->rules.version) {
		rs->rules = *set;
		rs->known = true;
	}
	pthread_mutex_unlock(&rs->lock);
}

void
rules_store_worker_applied(struct rules_store *rs, const char *worker, uint64_t version,
			   int64_t at_ms)
{
	struct rules_status *st = &rs->status;
	pthread_mutex_lock(&rs->lock);
	int i;
	for (i = 0; i < st->n_workers; i++)
		if (strcmp(st->workers[i].id, worker) == 0)
			break;
	if (i == st->n_workers && i < RULES_STORE_WORKERS_MAX)
		snprintf(st->workers[st->n_workers++].id, sizeof st->workers[0].id, "%s", worker);
	if (i < st->n_workers) {
		st->workers[i].applied_version = version;
		st->workers[i].at_ms = at_ms;
	}
	pthread_mutex_unlock(&rs->lock);
}

void
rules_store_current(struct rules_store *rs, struct ruleset *out)
{
	pthread_mutex_lock(&rs->lock);
	*out = rs->rules;
	pthread_mutex_unlock(&rs->lock);
}

void
rules_store_status(struct rules_store *rs, struct rules_status *out)
{
	pthread_mutex_lock(&rs->lock);
	*out = rs->status;
	out->current = rs->rules;
	pthread_mutex_unlock(&rs->lock);
}

int
rules_store_change(struct rules_store *rs, rules_change_fn change, const void *change_arg,
		   rules_publish_fn publish, void *publish_arg, char *err, size_t errlen)
{
	struct ruleset next;

	pthread_mutex_lock(&rs->change_lock);
	rules_store_current(rs, &next);
	next.version++;
	int rc = change(&next, change_arg, err, errlen);
	if (rc == 0)
		rc = publish(publish_arg, &next, err, errlen);
	if (rc == 0)
		rules_store_seen(rs, &next);
	pthread_mutex_unlock(&rs->change_lock);
	return rc;
}
