/*
 * rule_whatif.h — what a rule change would do, before it is published:
 * orders are decided twice, with the rules in force and with the candidate
 * rules, each with velocity and replay memory of its own rebuilt from the
 * orders fed (per partition, in their order), and the decisions that differ
 * are counted, per direction and per rule, with a few examples.  Nothing
 * here reads Kafka (rules_cmd.c feeds it) or keeps the orders.
 */
#ifndef ORDERTOP_RULE_WHATIF_H
#define ORDERTOP_RULE_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fraud_rules.h"
#include "order.h"

#define WHATIF_EXAMPLES  5
#define WHATIF_NOTES_MAX 4

struct whatif_example {
	char order_id[ORDER_ID_MAX + 1];
	char rule[24]; /* the rule that made the difference, "" if several */
};

struct whatif_result {
	uint64_t orders;
	uint64_t approved_to_refused, refused_to_approved;
	uint64_t still_refused, still_approved;
	/* per rule (fraud_rule_defs index): orders it fires on with the
	 * candidate and not with the rules in force, and the other way */
	uint64_t fires_more[FRAUD_RULES_MAX], fires_less[FRAUD_RULES_MAX];
	struct whatif_example to_refused[WHATIF_EXAMPLES], to_approved[WHATIF_EXAMPLES];
	int n_to_refused, n_to_approved;
	int64_t first_ms, last_ms; /* the orders' event times */
};

struct rule_whatif;

/* capacity: order ids (and users) remembered per partition, at most. */
struct rule_whatif *rule_whatif_new(const struct ruleset *current, const struct ruleset *candidate,
				    size_t capacity);
void rule_whatif_free(struct rule_whatif *w);
/* Decides one order of partition both ways.  0, or -1 out of memory. */
int rule_whatif_feed(struct rule_whatif *w, int32_t partition, const struct order *o,
		     int64_t event_ms);
const struct whatif_result *rule_whatif_result(const struct rule_whatif *w);
/* Lines saying where the orders fed are too few for a rule to judge (a
 * velocity window longer than the time they span...).  How many. */
int rule_whatif_notes(const struct rule_whatif *w, char notes[][200], int max);

#endif
