/*
 * test_rule_whatif.c — unit tests of the what-if preview's core
 * (src/model/rule_whatif.c): orders decided with the rules in force and a
 * candidate side by side, the changes counted per direction and per rule
 * with examples, memory rebuilt from the orders fed, per partition, and the
 * note when the orders span less than a velocity window.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fraud_rules.h"
#include "rule_whatif.h"

static struct order
mk(const char *id, const char *user, double price)
{
	struct order o;

	memset(&o, 0, sizeof o);
	snprintf(o.order_id, sizeof o.order_id, "%s", id);
	snprintf(o.user_id, sizeof o.user_id, "%s", user);
	snprintf(o.item, sizeof o.item, "pen");
	o.quantity = 1;
	o.unit_price = price;
	o.has_unit_price = true;
	snprintf(o.country, sizeof o.country, "US");
	snprintf(o.card_country, sizeof o.card_country, "US");
	return o;
}

static void
test_velocity_limit_lowered(void **state)
{
	struct ruleset cur, cand;
	char err[128], notes[WHATIF_NOTES_MAX][200];
	int velocity = ruleset_find("velocity");

	(void)state;
	ruleset_defaults(&cur);
	cand = cur;
	assert_int_equal(ruleset_set_param(&cand, velocity, "max_orders", "3", err, sizeof err), 0);
	struct rule_whatif *w = rule_whatif_new(&cur, &cand, 64);
	assert_non_null(w);
	/* bob: 5 orders in 10 s on partition 0 (the 4th and 5th change); the
	 * same user id on partition 1 is another partition's memory. */
	for (int i = 0; i < 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "b-%d", i + 1);
		struct order o = mk(id, "bob", 10);
		assert_int_equal(rule_whatif_feed(w, 0, &o, 1000000 + i * 2000), 0);
	}
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof id, "c-%d", i + 1);
		struct order o = mk(id, "bob", 10);
		assert_int_equal(rule_whatif_feed(w, 1, &o, 1000000 + i * 2000), 0);
	}
	struct order big = mk("t-1", "tom", 9000); /* refused both ways */
	assert_int_equal(rule_whatif_feed(w, 2, &big, 1010000), 0);

	const struct whatif_result *r = rule_whatif_result(w);
	assert_int_equal(r->orders, 9);
	assert_int_equal(r->approved_to_refused, 2);
	assert_int_equal(r->refused_to_approved, 0);
	assert_int_equal(r->still_refused, 1);
	assert_int_equal(r->still_approved, 6);
	assert_int_equal(r->fires_more[velocity], 2);
	assert_int_equal(r->n_to_refused, 2);
	assert_string_equal(r->to_refused[0].order_id, "b-4");
	assert_string_equal(r->to_refused[0].rule, "velocity");
	assert_string_equal(r->to_refused[1].order_id, "b-5");
	/* 10 s of orders, a 60 s window */
	int n = rule_whatif_notes(w, notes, WHATIF_NOTES_MAX);
	assert_int_equal(n, 1);
	assert_non_null(strstr(notes[0], "60 s window is longer than the 10 s"));
	rule_whatif_free(w);
}

static void
test_rule_disabled(void **state)
{
	struct ruleset cur, cand;
	char notes[WHATIF_NOTES_MAX][200];
	int replay = ruleset_find("replay");

	(void)state;
	ruleset_defaults(&cur);
	cand = cur;
	cand.rules[replay].enabled = false;
	struct rule_whatif *w = rule_whatif_new(&cur, &cand, 16);
	struct order a = mk("x-1", "ann", 10), b = mk("x-1", "ann", 10);
	assert_int_equal(rule_whatif_feed(w, 0, &a, 0), 0);
	assert_int_equal(rule_whatif_feed(w, 0, &b, 600000000), 0);
	const struct whatif_result *r = rule_whatif_result(w);
	assert_int_equal(r->refused_to_approved, 1);
	assert_int_equal(r->fires_less[replay], 1);
	assert_string_equal(r->to_approved[0].rule, "replay");
	/* a long enough span: only the replay note */
	int n = rule_whatif_notes(w, notes, WHATIF_NOTES_MAX);
	assert_int_equal(n, 1);
	assert_non_null(strstr(notes[0], "replay: only repeats within these 2 orders"));
	rule_whatif_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_velocity_limit_lowered),
		cmocka_unit_test(test_rule_disabled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
