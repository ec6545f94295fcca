/*
 * rule_whatif.c — deciding orders with two rule sets side by side (see
 * rule_whatif.h).  Each rule set has its own fraud_state per partition: the
 * velocity rule's memory keeps max_orders times per user, so a change of
 * that parameter changes the memory too.  No undo log is needed (nothing
 * is rolled back): each state is committed every COMMIT_EVERY orders so
 * that its log stays small.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_state_internal.h"
#include "rule_whatif.h"
#include "text_join.h"

#define COMMIT_EVERY 4096

struct rule_whatif {
	struct ruleset rs[2]; /* 0: in force, 1: the candidate */
	struct fraud_state **state[2];
	int32_t n_parts;
	size_t capacity;
	unsigned since_commit;
	struct whatif_result res;
};

struct rule_whatif *
rule_whatif_new(const struct ruleset *current, const struct ruleset *candidate, size_t capacity)
{
	struct rule_whatif *w = calloc(1, sizeof *w);

	if (w == NULL)
		return NULL;
	w->rs[0] = *current;
	w->rs[1] = *candidate;
	w->capacity = capacity > 0 ? capacity : 1;
	w->res.first_ms = INT64_MAX;
	w->res.last_ms = INT64_MIN;
	return w;
}

void
rule_whatif_free(struct rule_whatif *w)
{
	if (w == NULL)
		return;
	for (int k = 0; k < 2; k++) {
		for (int32_t p = 0; p < w->n_parts; p++)
			fraud_state_free(w->state[k][p]);
		free(w->state[k]);
	}
	free(w);
}

static int
partitions_upto(struct rule_whatif *w, int32_t partition)
{
	if (partition < w->n_parts)
		return 0;
	int32_t n = partition + 1;
	for (int k = 0; k < 2; k++) {
		struct fraud_state **s = realloc(w->state[k], (size_t)n * sizeof *s);
		if (s == NULL)
			return -1;
		memset(s + w->n_parts, 0, (size_t)(n - w->n_parts) * sizeof *s);
		w->state[k] = s;
	}
	w->n_parts = n;
	return 0;
}

static bool
fired(const struct decision *d, const char *id)
{
	for (int i = 0; i < d->n_fired; i++)
		if (strcmp(d->fired[i].id, id) == 0)
			return true;
	return false;
}

static void
example(struct whatif_example *ex, int *n, const struct order *o, const char *rule)
{
	if (*n >= WHATIF_EXAMPLES)
		return;
	text_join(ex[*n].order_id, sizeof ex[*n].order_id, (const char *[]){ o->order_id }, 1);
	text_join(ex[*n].rule, sizeof ex[*n].rule, &rule, 1);
	(*n)++;
}

int
rule_whatif_feed(struct rule_whatif *w, int32_t partition, const struct order *o, int64_t event_ms)
{
	struct decision d[2];

	if (partition < 0 || partitions_upto(w, partition) != 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		struct fraud_state **st = &w->state[k][partition];
		if (*st == NULL && (*st = fraud_state_new(w->capacity, w->capacity)) == NULL)
			return -1;
		memset(&d[k], 0, sizeof d[k]);
		fraud_evaluate(&w->rs[k], *st, o, event_ms, &d[k]);
	}
	if (++w->since_commit >= COMMIT_EVERY) {
		for (int k = 0; k < 2; k++)
			for (int32_t p = 0; p < w->n_parts; p++)
				if (w->state[k][p] != NULL)
					fraud_state_commit(w->state[k][p]);
		w->since_commit = 0;
	}

	struct whatif_result *r = &w->res;
	r->orders++;
	if (event_ms < r->first_ms)
		r->first_ms = event_ms;
	if (event_ms > r->last_ms)
		r->last_ms = event_ms;
	const char *why = "";
	int whys = 0;
	for (int i = 0; i < fraud_rule_count; i++) {
		bool before = fired(&d[0], fraud_rule_defs[i].id);
		bool after = fired(&d[1], fraud_rule_defs[i].id);
		if (before == after)
			continue;
		if (after)
			r->fires_more[i]++;
		else
			r->fires_less[i]++;
		why = fraud_rule_defs[i].id;
		whys++;
	}
	if (whys > 1)
		why = "";
	bool was = d[0].status == ORDER_REFUSED, is = d[1].status == ORDER_REFUSED;
	if (!was && is) {
		r->approved_to_refused++;
		example(r->to_refused, &r->n_to_refused, o, why);
	} else if (was && !is) {
		r->refused_to_approved++;
		example(r->to_approved, &r->n_to_approved, o, why);
	} else if (is) {
		r->still_refused++;
	} else {
		r->still_approved++;
	}
	return 0;
}

const struct whatif_result *
rule_whatif_result(const struct rule_whatif *w)
{
	return &w->res;
}

int
rule_whatif_notes(const struct rule_whatif *w, char notes[][200], int max)
{
	const struct whatif_result *r = &w->res;
	int n = 0, velocity = ruleset_find("velocity"), replay = ruleset_find(FRAUD_RULE_REPLAY_ID);
	double span_s = r->orders > 0 ? (double)(r->last_ms - r->first_ms) / 1000.0 : 0;

	if (velocity >= 0 && n < max &&
	    (w->rs[0].rules[velocity].enabled || w->rs[1].rules[velocity].enabled)) {
		double win = w->rs[0].rules[velocity].params[1].num;
		if (w->rs[1].rules[velocity].params[1].num > win)
			win = w->rs[1].rules[velocity].params[1].num;
		if (span_s < win)
			snprintf(notes[n++], sizeof notes[0],
				 "velocity: its %.0f s window is longer than the %.0f s these "
				 "orders span: too short to judge (replay more orders)",
				 win, span_s);
	}
	if (replay >= 0 && n < max &&
	    w->rs[0].rules[replay].enabled != w->rs[1].rules[replay].enabled)
		snprintf(notes[n++], sizeof notes[0],
			 "replay: only repeats within these %llu orders (%.0f s) are seen",
			 (unsigned long long)r->orders, span_s);
	if (r->orders == 0 && n < max)
		snprintf(notes[n++], sizeof notes[0], "no orders to judge");
	return n;
}
