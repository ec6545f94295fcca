/*
 * test_fraud_rules.c — unit tests of the fraud rules (src/model/fraud_rules.c)
 * and their per-partition state (src/model/fraud_state.c): each rule at its
 * boundary, toggles and parameters, velocity windows and eviction, replay
 * and its bound, the rule set's text and JSON forms with every error, and
 * --rules files.  Run from the repository root or anywhere: the example
 * rules file is found next to this source file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fraud_rules.h"
#include "ruleset_json.h"
#include "fraud_state_internal.h"

enum { TOTAL, QUANTITY, VELOCITY, BLOCKLIST, MISMATCH, REPLAY };

static struct order
mk_order(const char *id, const char *user, int64_t qty, double price,
         const char *country, const char *card)
{
	struct order o;

	memset(&o, 0, sizeof o);
	snprintf(o.order_id, sizeof o.order_id, "%s", id);
	snprintf(o.user_id, sizeof o.user_id, "%s", user);
	snprintf(o.item, sizeof o.item, "widget");
	o.quantity = qty;
	o.unit_price = price;
	o.has_unit_price = true;
	snprintf(o.country, sizeof o.country, "%s", country);
	snprintf(o.card_country, sizeof o.card_country, "%s", card);
	return o;
}

/* Defaults with only rule r on. */
static void
only(struct ruleset *rs, int r)
{
	ruleset_defaults(rs);
	for (int i = 0; i < fraud_rule_count; i++)
		rs->rules[i].enabled = i == r;
}

static void
set(struct ruleset *rs, int rule, const char *name, const char *text)
{
	char err[256] = "";
	int rc = ruleset_set_param(rs, rule, name, text, err, sizeof err);

	if (rc != 0)
		fail_msg("set %s=%s: %s", name, text, err);
}

/* Evaluates with a fresh decision; returns its status. */
static enum order_status
eval(const struct ruleset *rs, struct fraud_state *st, const struct order *o,
     int64_t now_ms, struct decision *d)
{
	struct decision local;

	if (d == NULL)
		d = &local;
	memset(d, 0, sizeof *d);
	fraud_evaluate(rs, st, o, now_ms, d);
	return d->status;
}

/* Sends one order per call for user with a fresh order id. */
static enum order_status
user_order(const struct ruleset *rs, struct fraud_state *st,
           const char *user, int64_t now_ms)
{
	static unsigned seq;
	char id[32];
	struct order o;

	snprintf(id, sizeof id, "o-%u", ++seq);
	o = mk_order(id, user, 1, 10, "US", "US");
	return eval(rs, st, &o, now_ms, NULL);
}

static bool
rulesets_equal(const struct ruleset *a, const struct ruleset *b)
{
	if (a->version != b->version)
		return false;
	for (int r = 0; r < fraud_rule_count; r++) {
		if (a->rules[r].enabled != b->rules[r].enabled)
			return false;
		for (int i = 0; i < fraud_rule_defs[r].n_params; i++) {
			const struct rule_param_value *x = &a->rules[r].params[i];
			const struct rule_param_value *y = &b->rules[r].params[i];

			if (x->num != y->num || strcmp(x->text, y->text) != 0)
				return false;
		}
	}
	return true;
}

/* ---- table and defaults ---- */

static void
test_table_and_defaults(void **state)
{
	static const char *ids[] = { "total_limit", "quantity_limit",
		"velocity", "country_blocklist", "card_mismatch", "replay" };
	struct ruleset rs;
	char buf[RULE_TEXT_MAX];

	(void)state;
	assert_int_equal(fraud_rule_count, 6);
	for (int r = 0; r < fraud_rule_count; r++) {
		assert_string_equal(fraud_rule_defs[r].id, ids[r]);
		assert_int_equal(ruleset_find(ids[r]), r);
		assert_non_null(fraud_rule_defs[r].evaluate);
		assert_true(fraud_rule_defs[r].default_enabled);
	}
	assert_int_equal(ruleset_find("nope"), -1);
	assert_int_equal(ruleset_find(NULL), -1);

	ruleset_defaults(&rs);
	assert_int_equal(rs.version, 0);
	for (int r = 0; r < fraud_rule_count; r++)
		assert_true(rs.rules[r].enabled);
	assert_true(rs.rules[TOTAL].params[0].num == 5000);
	assert_true(rs.rules[QUANTITY].params[0].num == 20);
	assert_true(rs.rules[VELOCITY].params[0].num == 5);
	assert_true(rs.rules[VELOCITY].params[1].num == 60);
	assert_string_equal(rs.rules[BLOCKLIST].params[0].text,
	                    "KP,IR,SY,CU,RU");
	assert_true(rs.rules[MISMATCH].params[0].num == 1000);

	ruleset_param_text(&rs, TOTAL, 0, buf, sizeof buf);
	assert_string_equal(buf, "5000");
	ruleset_param_text(&rs, VELOCITY, 1, buf, sizeof buf);
	assert_string_equal(buf, "60");
	ruleset_param_text(&rs, BLOCKLIST, 0, buf, sizeof buf);
	assert_string_equal(buf, "KP,IR,SY,CU,RU");
	set(&rs, TOTAL, "max_total", "0.1");
	ruleset_param_text(&rs, TOTAL, 0, buf, sizeof buf);
	assert_string_equal(buf, "0.1");
	ruleset_param_text(&rs, REPLAY, 0, buf, sizeof buf);
	assert_string_equal(buf, "");           /* replay has no params */
	ruleset_param_text(&rs, 99, 0, buf, sizeof buf);
	assert_string_equal(buf, "");
}

/* ---- each rule at its boundary ---- */

static void
test_total_limit(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order at = mk_order("a", "u", 2, 2500, "US", "US");
	struct order over = mk_order("b", "u", 1, 5000.01, "US", "US");

	(void)state;
	only(&rs, TOTAL);
	assert_int_equal(eval(&rs, st, &at, 1, &d), ORDER_APPROVED);
	assert_int_equal(d.n_fired, 0);
	assert_true(d.total == 5000);
	assert_int_equal(eval(&rs, st, &over, 2, &d), ORDER_REFUSED);
	assert_int_equal(d.n_fired, 1);
	assert_string_equal(d.fired[0].id, "total_limit");
	assert_string_equal(d.fired[0].reason, "total 5000.01 > 5000.00");

	/* A parameter change changes the outcome. */
	set(&rs, TOTAL, "max_total", "20000");
	assert_int_equal(eval(&rs, st, &over, 3, NULL), ORDER_APPROVED);
	set(&rs, TOTAL, "max_total", "1e3");
	assert_int_equal(eval(&rs, st, &at, 4, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].reason, "total 5000.00 > 1000.00");

	/* Cents are rounded; totals too large for cents still print. */
	over = mk_order("c", "u", 3, 0.335, "US", "US");
	set(&rs, TOTAL, "max_total", "0.5");
	assert_int_equal(eval(&rs, st, &over, 4, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].reason, "total 1.01 > 0.50");
	over = mk_order("d", "u", 1000000, 1e12, "US", "US");
	assert_int_equal(eval(&rs, st, &over, 4, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].reason,
	                    "total 1000000000000000000.00 > 0.50");

	/* Toggled off: no longer fires. */
	rs.rules[TOTAL].enabled = false;
	assert_int_equal(eval(&rs, st, &at, 5, &d), ORDER_APPROVED);
	assert_int_equal(d.n_fired, 0);
	fraud_state_free(st);
}

static void
test_quantity_limit(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order at = mk_order("a", "u", 20, 1, "US", "US");
	struct order over = mk_order("b", "u", 21, 1, "US", "US");

	(void)state;
	only(&rs, QUANTITY);
	assert_int_equal(eval(&rs, st, &at, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &over, 2, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].id, "quantity_limit");
	assert_string_equal(d.fired[0].reason, "quantity 21 > 20");
	set(&rs, QUANTITY, "max_quantity", "21");
	assert_int_equal(eval(&rs, st, &over, 3, NULL), ORDER_APPROVED);
	rs.rules[QUANTITY].enabled = false;
	set(&rs, QUANTITY, "max_quantity", "1");
	assert_int_equal(eval(&rs, st, &over, 4, NULL), ORDER_APPROVED);
	fraud_state_free(st);
}

static void
test_velocity_boundary(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 64);
	struct ruleset rs;
	struct decision d;
	struct order o;

	(void)state;
	only(&rs, VELOCITY);             /* 5 orders per 60 s */
	for (int i = 0; i < 5; i++)
		assert_int_equal(user_order(&rs, st, "alice", i * 1000),
		                 ORDER_APPROVED);
	/* The 6th within 60 s of all five fires... */
	o = mk_order("sixth", "alice", 1, 1, "US", "US");
	assert_int_equal(eval(&rs, st, &o, 59999, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].id, "velocity");
	assert_string_equal(d.fired[0].reason, "more than 5 orders in 60 s");
	/* ...another user is not affected. */
	assert_int_equal(user_order(&rs, st, "bob", 59999), ORDER_APPROVED);

	/* Exactly window_s old no longer counts: five at t=0, one at 60 s. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(user_order(&rs, st, "carol", 0), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "carol", 60000), ORDER_APPROVED);
	/* Now carol has 1 (at 60 s) in the window plus the five are out. */
	assert_int_equal(fraud_state_recent_orders(st, "carol", 60000, 60000,
	                                           100), 1);
	fraud_state_free(st);
}

static void
test_velocity_window_slides(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 64);
	struct ruleset rs;

	(void)state;
	only(&rs, VELOCITY);
	set(&rs, VELOCITY, "max_orders", "3");
	set(&rs, VELOCITY, "window_s", "10");
	/* One order every 4 s never has more than 3 in any 10 s. */
	for (int i = 0; i < 50; i++)
		assert_int_equal(user_order(&rs, st, "dave", i * 4000),
		                 ORDER_APPROVED);
	/* A burst does. */
	assert_int_equal(user_order(&rs, st, "erin", 0), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "erin", 1000), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "erin", 2000), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "erin", 3000), ORDER_REFUSED);
	/* At 11.5 s only the orders at 2 s and 3 s are within 10 s... */
	assert_int_equal(user_order(&rs, st, "erin", 11500), ORDER_APPROVED);
	/* ...at 12 s the one at 2 s is exactly 10 s old and out... */
	assert_int_equal(user_order(&rs, st, "erin", 12000), ORDER_APPROVED);
	/* ...at 12.5 s 3, 11.5 and 12 are in: the 4th fires. */
	assert_int_equal(user_order(&rs, st, "erin", 12500), ORDER_REFUSED);
	assert_int_equal(user_order(&rs, st, "erin", 13000), ORDER_REFUSED);
	assert_int_equal(user_order(&rs, st, "erin", 30000), ORDER_APPROVED);

	/* Orders later in event time than "now" (out of order) don't count:
	 * kept are 12.5, 13 and 30 s. */
	assert_int_equal(fraud_state_recent_orders(st, "erin", 13000, 10000,
	                                           100), 2);
	/* A longer window changes the outcome of the same traffic. */
	set(&rs, VELOCITY, "window_s", "200");
	assert_int_equal(user_order(&rs, st, "dave", 200000), ORDER_REFUSED);
	fraud_state_free(st);
}

static void
test_velocity_large_and_lowered_max(void **state)
{
	struct fraud_state *st = fraud_state_new(4, 4);
	struct ruleset rs;

	(void)state;
	only(&rs, VELOCITY);
	set(&rs, VELOCITY, "max_orders", "100");   /* beyond the inline ring */
	for (int i = 0; i < 100; i++)
		assert_int_equal(user_order(&rs, st, "f", i), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "f", 100), ORDER_REFUSED);
	assert_int_equal(fraud_state_recent_orders(st, "f", 100, 60000, 1000),
	                 100);                  /* keeps only the newest 100 */
	set(&rs, VELOCITY, "max_orders", "2");
	assert_int_equal(user_order(&rs, st, "f", 200), ORDER_REFUSED);
	assert_int_equal(fraud_state_recent_orders(st, "f", 200, 60000, 1000),
	                 2);
	/* The grown slot is reused for another user after eviction. */
	set(&rs, VELOCITY, "max_orders", "100");
	for (int u = 0; u < 4; u++) {
		char name[8];

		snprintf(name, sizeof name, "g%d", u);
		assert_int_equal(user_order(&rs, st, name, 300), ORDER_APPROVED);
	}
	assert_int_equal(fraud_state_recent_orders(st, "f", 300, 60000, 10), 0);
	fraud_state_free(st);
}

static void
test_velocity_eviction(void **state)
{
	struct fraud_state *st = fraud_state_new(2, 64);
	struct ruleset rs;

	(void)state;
	only(&rs, VELOCITY);
	set(&rs, VELOCITY, "max_orders", "2");
	assert_int_equal(user_order(&rs, st, "a", 0), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "a", 1), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, st, "b", 2), ORDER_APPROVED);
	/* a is seen again: b is now the least recently seen. */
	assert_int_equal(user_order(&rs, st, "a", 3), ORDER_REFUSED);
	assert_int_equal(user_order(&rs, st, "c", 4), ORDER_APPROVED);
	assert_int_equal(fraud_state_user_count(st), 2);
	assert_int_equal(fraud_state_recent_orders(st, "b", 5, 60000, 10), 0);
	assert_int_equal(fraud_state_recent_orders(st, "a", 5, 60000, 10), 2);
	/* d evicts a (c is more recent); a's history is forgotten. */
	assert_int_equal(user_order(&rs, st, "d", 5), ORDER_APPROVED);
	assert_int_equal(fraud_state_recent_orders(st, "a", 6, 60000, 10), 0);
	assert_int_equal(user_order(&rs, st, "a", 6), ORDER_APPROVED);
	assert_int_equal(fraud_state_user_count(st), 2);
	fraud_state_free(st);
}

static void
test_disabled_rules_still_record(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct order o = mk_order("same", "h", 1, 1, "US", "US");

	(void)state;
	only(&rs, TOTAL);                /* velocity and replay off */
	for (int i = 0; i < 6; i++)
		assert_int_equal(user_order(&rs, st, "h", i), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &o, 7, NULL), ORDER_APPROVED);
	rs.rules[VELOCITY].enabled = true;
	assert_int_equal(user_order(&rs, st, "h", 8), ORDER_REFUSED);
	rs.rules[VELOCITY].enabled = false;
	rs.rules[REPLAY].enabled = true;
	assert_int_equal(eval(&rs, st, &o, 9, NULL), ORDER_REFUSED);
	fraud_state_free(st);
}

static void
test_country_blocklist(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order kp = mk_order("a", "u", 1, 1, "KP", "KP");
	struct order ru = mk_order("b", "u", 1, 1, "RU", "US");
	struct order us = mk_order("c", "u", 1, 1, "US", "US");
	struct order none = mk_order("d", "u", 1, 1, "", "KP");
	struct order lower = mk_order("e", "u", 1, 1, "ir", "");

	(void)state;
	only(&rs, BLOCKLIST);
	assert_int_equal(eval(&rs, st, &kp, 1, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].id, "country_blocklist");
	assert_string_equal(d.fired[0].reason, "shipping country KP is blocked");
	assert_int_equal(eval(&rs, st, &ru, 1, &d), ORDER_REFUSED);  /* last */
	assert_string_equal(d.fired[0].reason, "shipping country RU is blocked");
	assert_int_equal(eval(&rs, st, &lower, 1, NULL), ORDER_REFUSED);
	assert_int_equal(eval(&rs, st, &us, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &none, 1, NULL), ORDER_APPROVED);

	set(&rs, BLOCKLIST, "countries", " us , de,US");
	assert_string_equal(rs.rules[BLOCKLIST].params[0].text, "US,DE");
	assert_int_equal(eval(&rs, st, &us, 1, NULL), ORDER_REFUSED);
	assert_int_equal(eval(&rs, st, &kp, 1, NULL), ORDER_APPROVED);
	set(&rs, BLOCKLIST, "countries", "");
	assert_string_equal(rs.rules[BLOCKLIST].params[0].text, "");
	assert_int_equal(eval(&rs, st, &us, 1, NULL), ORDER_APPROVED);
	set(&rs, BLOCKLIST, "countries", "kp");
	assert_int_equal(eval(&rs, st, &kp, 1, NULL), ORDER_REFUSED);
	rs.rules[BLOCKLIST].enabled = false;
	assert_int_equal(eval(&rs, st, &kp, 1, NULL), ORDER_APPROVED);
	fraud_state_free(st);
}

static void
test_card_mismatch(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order at = mk_order("a", "u", 1, 1000, "FR", "US");
	struct order below = mk_order("b", "u", 1, 999.99, "FR", "US");
	struct order same = mk_order("c", "u", 1, 4000, "FR", "fr");
	struct order nocard = mk_order("d", "u", 1, 4000, "FR", "");
	struct order noship = mk_order("e", "u", 1, 4000, "", "US");

	(void)state;
	only(&rs, MISMATCH);
	assert_int_equal(eval(&rs, st, &at, 1, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].id, "card_mismatch");
	assert_string_equal(d.fired[0].reason,
	    "card country US != shipping country FR, total 1000.00");
	assert_int_equal(eval(&rs, st, &below, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &same, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &nocard, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &noship, 1, NULL), ORDER_APPROVED);
	set(&rs, MISMATCH, "min_total", "0");
	assert_int_equal(eval(&rs, st, &below, 1, NULL), ORDER_REFUSED);
	rs.rules[MISMATCH].enabled = false;
	assert_int_equal(eval(&rs, st, &at, 1, NULL), ORDER_APPROVED);
	fraud_state_free(st);
}

static void
test_replay(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order o = mk_order("ord-1", "u", 1, 1, "US", "US");
	struct order other = mk_order("ord-2", "u", 1, 1, "US", "US");
	struct order noid = mk_order("", "u", 1, 1, "US", "US");

	(void)state;
	only(&rs, REPLAY);
	assert_int_equal(eval(&rs, st, &o, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &other, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &o, 2, &d), ORDER_REFUSED);
	assert_string_equal(d.fired[0].id, "replay");
	assert_string_equal(d.fired[0].reason, "order id ord-1 already decided");
	/* The refused repeat is not stored twice. */
	assert_int_equal(fraud_state_order_count(st), 2);
	/* Empty ids are not remembered. */
	assert_int_equal(eval(&rs, st, &noid, 1, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, st, &noid, 1, NULL), ORDER_APPROVED);
	rs.rules[REPLAY].enabled = false;
	assert_int_equal(eval(&rs, st, &o, 3, NULL), ORDER_APPROVED);
	fraud_state_free(st);
}

static void
test_replay_bound(void **state)
{
	struct fraud_state *st = fraud_state_new(4, 3);
	struct ruleset rs;
	struct order o[4] = {
		mk_order("1", "u", 1, 1, "", ""), mk_order("2", "u", 1, 1, "", ""),
		mk_order("3", "u", 1, 1, "", ""), mk_order("4", "u", 1, 1, "", ""),
	};

	(void)state;
	only(&rs, REPLAY);
	for (int i = 0; i < 4; i++)
		assert_int_equal(eval(&rs, st, &o[i], i, NULL), ORDER_APPROVED);
	assert_int_equal(fraud_state_order_count(st), 3);
	assert_false(fraud_state_seen_order(st, "1"));   /* oldest forgotten */
	assert_true(fraud_state_seen_order(st, "2"));
	assert_int_equal(eval(&rs, st, &o[3], 5, NULL), ORDER_REFUSED);
	assert_int_equal(eval(&rs, st, &o[1], 5, NULL), ORDER_REFUSED);
	/* "1" comes back as new and pushes out "2". */
	assert_int_equal(eval(&rs, st, &o[0], 6, NULL), ORDER_APPROVED);
	assert_false(fraud_state_seen_order(st, "2"));
	assert_int_equal(fraud_state_order_count(st), 3);
	fraud_state_free(st);
}

/* The hash indexes under heavy eviction agree with a naive model. */
static void
test_state_matches_model(void **state)
{
	enum { USERS = 37, IDS = 29, KEYS = 200, OPS = 20000 };
	struct fraud_state *st = fraud_state_new(USERS, IDS);
	int lru[USERS], n_lru = 0;       /* most recent first */
	int fifo[IDS], n_fifo = 0, head = 0;
	unsigned rnd = 12345;

	(void)state;
	for (int op = 0; op < OPS; op++) {
		int u, id, k;
		char user[16], oid[16];
		bool in;

		rnd = rnd * 1103515245u + 12345u;
		u = (int)((rnd >> 8) % KEYS);
		rnd = rnd * 1103515245u + 12345u;
		id = (int)((rnd >> 8) % KEYS);
		snprintf(user, sizeof user, "user%d", u);
		snprintf(oid, sizeof oid, "id%d", id);

		/* Check every key of the model against the state now and then. */
		if (op % 997 == 0) {
			for (int x = 0; x < KEYS; x++) {
				char key[16];
				bool want = false;

				snprintf(key, sizeof key, "user%d", x);
				for (k = 0; k < n_lru; k++)
					want |= lru[k] == x;
				assert_int_equal(fraud_state_recent_orders(st,
				                 key, op, 1000000, 1) > 0, want);
				snprintf(key, sizeof key, "id%d", x);
				want = false;
				for (k = 0; k < n_fifo; k++)
					want |= fifo[(head + k) % IDS] == x;
				assert_int_equal(fraud_state_seen_order(st, key),
				                 want);
			}
		}
		fraud_state_record(st, user, oid, op, 3, 1000000);

		for (k = 0; k < n_lru && lru[k] != u; k++)
			;
		if (k == n_lru && n_lru < USERS)
			n_lru++;
		if (k == n_lru)
			k = n_lru - 1;       /* evict the last */
		memmove(&lru[1], &lru[0], (size_t)k * sizeof lru[0]);
		lru[0] = u;

		in = false;
		for (k = 0; k < n_fifo; k++)
			in |= fifo[(head + k) % IDS] == id;
		if (!in) {
			if (n_fifo == IDS) {
				fifo[head] = id;
				head = (head + 1) % IDS;
			} else {
				fifo[(head + n_fifo++) % IDS] = id;
			}
		}
		assert_int_equal(fraud_state_user_count(st), (size_t)n_lru);
		assert_int_equal(fraud_state_order_count(st), (size_t)n_fifo);
	}
	fraud_state_free(st);
}

/* The prefetch hints change nothing: the same orders evaluated with and
 * without them, whatever key the hint is given (the user's, another's, an
 * over-long one, none), decide the same and leave the same state. */
static void
test_prefetch_changes_nothing(void **state)
{
	struct ruleset rs;
	struct fraud_state *with = fraud_state_new(8, 16), *without = fraud_state_new(8, 16);
	char longkey[ORDER_ID_MAX * 2];

	(void)state;
	ruleset_defaults(&rs);
	memset(longkey, 'u', sizeof longkey);
	for (int i = 0; i < 3000; i++) {
		char user[16], id[16];
		snprintf(user, sizeof user, "user%d", i % 13);
		snprintf(id, sizeof id, "id%d", i % 40);
		struct order o = mk_order(id, user, 1 + i % 3, 10.0 * (i % 50), "US", i % 9 ? "US" : "FR");
		struct decision a, b;
		switch (i % 4) {
		case 0: fraud_evaluate_prefetch(with, user, strlen(user)); break;
		case 1: fraud_evaluate_prefetch(with, "user999", 7); break;
		case 2: fraud_evaluate_prefetch(with, longkey, sizeof longkey); break;
		default: fraud_evaluate_prefetch(with, NULL, 0); break;
		}
		fraud_evaluate(&rs, with, &o, 1700000000000LL + i * 7, &a);
		fraud_evaluate(&rs, without, &o, 1700000000000LL + i * 7, &b);
		assert_int_equal(a.status, b.status);
		assert_int_equal(a.n_fired, b.n_fired);
		for (int f = 0; f < a.n_fired; f++) {
			assert_string_equal(a.fired[f].id, b.fired[f].id);
			assert_string_equal(a.fired[f].reason, b.fired[f].reason);
		}
		assert_int_equal(fraud_state_user_count(with), fraud_state_user_count(without));
		assert_int_equal(fraud_state_order_count(with), fraud_state_order_count(without));
	}
	fraud_state_free(with);
	fraud_state_free(without);
}

static void
test_state_per_partition(void **state)
{
	struct fraud_state *p0 = fraud_state_new(16, 16);
	struct fraud_state *p1 = fraud_state_new(16, 16);
	struct ruleset rs;
	struct order o = mk_order("x", "u", 1, 1, "US", "US");

	(void)state;
	ruleset_defaults(&rs);
	set(&rs, VELOCITY, "max_orders", "1");
	assert_int_equal(eval(&rs, p0, &o, 0, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, p1, &o, 0, NULL), ORDER_APPROVED);
	assert_int_equal(eval(&rs, p0, &o, 1, NULL), ORDER_REFUSED);
	assert_int_equal(user_order(&rs, p1, "v", 0), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, p0, "v", 0), ORDER_APPROVED);
	assert_int_equal(user_order(&rs, p0, "v", 0), ORDER_REFUSED);
	assert_int_equal(fraud_state_recent_orders(p1, "v", 0, 1000, 10), 1);
	fraud_state_free(p0);
	fraud_state_free(p1);
	fraud_state_free(NULL);

	p0 = fraud_state_new(0, 0);      /* defaults */
	assert_non_null(p0);
	assert_int_equal(user_order(&rs, p0, "w", 0), ORDER_APPROVED);
	fraud_state_free(p0);
}

/* ---- the decision ---- */

static void
test_decision_fields(void **state)
{
	struct fraud_state *st = fraud_state_new(16, 16);
	struct ruleset rs;
	struct decision d;
	struct order o = mk_order("big", "u", 30, 500, "KP", "US");

	(void)state;
	ruleset_defaults(&rs);
	rs.version = 42;
	memset(&d, 0, sizeof d);
	d.decided_at_ms = 777;
	snprintf(d.decided_by, sizeof d.decided_by, "worker-1");
	d.n_fired = 9;
	fraud_evaluate(&rs, st, &o, 1000, &d);
	assert_int_equal(d.status, ORDER_REFUSED);
	assert_true(d.total == 15000);
	assert_int_equal(d.rules_version, 42);
	assert_int_equal(d.decided_at_ms, 777);
	assert_string_equal(d.decided_by, "worker-1");
	assert_int_equal(d.n_fired, 4);   /* in table order */
	assert_string_equal(d.fired[0].id, "total_limit");
	assert_string_equal(d.fired[0].reason, "total 15000.00 > 5000.00");
	assert_string_equal(d.fired[1].id, "quantity_limit");
	assert_string_equal(d.fired[2].id, "country_blocklist");
	assert_string_equal(d.fired[3].id, "card_mismatch");

	o = mk_order("small", "u2", 1, 9.5, "US", "US");
	fraud_evaluate(&rs, st, &o, 1000, &d);
	assert_int_equal(d.status, ORDER_APPROVED);
	assert_int_equal(d.n_fired, 0);
	assert_true(d.total == 9.5);

	/* Without a unit price the total is 0. */
	o = mk_order("noprice", "u3", 1, 0, "US", "US");
	o.has_unit_price = false;
	fraud_evaluate(&rs, st, &o, 1000, &d);
	assert_true(d.total == 0);
	assert_int_equal(d.status, ORDER_APPROVED);
	fraud_state_free(st);
}

/* ---- ruleset_set_param ---- */

static void
expect_set_error(int rule, const char *name, const char *text,
                 const char *want)
{
	struct ruleset rs, before;
	char err[256] = "";

	ruleset_defaults(&rs);
	before = rs;
	assert_int_equal(ruleset_set_param(&rs, rule, name, text, err,
	                                   sizeof err), -1);
	assert_string_equal(err, want);
	assert_true(rulesets_equal(&rs, &before));
}

static void
test_set_param(void **state)
{
	struct ruleset rs;
	char many[200];

	(void)state;
	ruleset_defaults(&rs);
	set(&rs, TOTAL, "max_total", "1e3");
	assert_true(rs.rules[TOTAL].params[0].num == 1000);
	set(&rs, TOTAL, "max_total", "  12.5 ");
	assert_true(rs.rules[TOTAL].params[0].num == 12.5);
	set(&rs, TOTAL, "max_total", "0");
	set(&rs, TOTAL, "max_total", "1000000000");
	set(&rs, QUANTITY, "max_quantity", "2e1");
	assert_true(rs.rules[QUANTITY].params[0].num == 20);
	set(&rs, VELOCITY, "window_s", "86400");
	set(&rs, VELOCITY, "max_orders", "10000");
	/* ruleset_set_param with a NULL err is fine. */
	assert_int_equal(ruleset_set_param(&rs, TOTAL, "max_total", "x",
	                                   NULL, 0), -1);

	expect_set_error(TOTAL, "max_total", "abc",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "12x",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "-1",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "1000000000.5",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "inf",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "nan",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "1e999",
	    "max_total must be a number between 0 and 1000000000");
	/* Decimal only: strtod's other forms are not numbers here. */
	expect_set_error(QUANTITY, "max_quantity", "0x10",
	    "max_quantity must be an integer between 1 and 1000000");
	expect_set_error(TOTAL, "max_total", "0X1p4",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "+5",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "infinity",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "1e",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "1.2.3",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "--1",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", ".",
	    "max_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_total", "1 2",
	    "max_total must be a number between 0 and 1000000000");
	set(&rs, QUANTITY, "max_quantity", "016");
	assert_true(rs.rules[QUANTITY].params[0].num == 16);
	set(&rs, TOTAL, "max_total", ".5");
	assert_true(rs.rules[TOTAL].params[0].num == 0.5);
	set(&rs, TOTAL, "max_total", "5.");
	assert_true(rs.rules[TOTAL].params[0].num == 5);
	set(&rs, TOTAL, "max_total", "\t25E-1 ");
	assert_true(rs.rules[TOTAL].params[0].num == 2.5);
	expect_set_error(QUANTITY, "max_quantity", "2.5",
	    "max_quantity must be an integer between 1 and 1000000");
	expect_set_error(QUANTITY, "max_quantity", "0",
	    "max_quantity must be an integer between 1 and 1000000");
	expect_set_error(VELOCITY, "window_s", "86401",
	    "window_s must be an integer between 1 and 86400");
	expect_set_error(VELOCITY, "max_orders", "10001",
	    "max_orders must be an integer between 1 and 10000");
	expect_set_error(MISMATCH, "min_total", "-0.01",
	    "min_total must be a number between 0 and 1000000000");
	expect_set_error(TOTAL, "max_quantity", "1",
	    "unknown parameter 'max_quantity'");
	expect_set_error(REPLAY, "anything", "1",
	    "unknown parameter 'anything'");
	expect_set_error(-1, "max_total", "1", "no rule number -1");
	expect_set_error(6, "max_total", "1", "no rule number 6");

	expect_set_error(BLOCKLIST, "countries", "KP,K1",
	    "countries: 'K1' is not a 2-letter country code");
	expect_set_error(BLOCKLIST, "countries", "KPX",
	    "countries: 'KPX' is not a 2-letter country code");
	expect_set_error(BLOCKLIST, "countries", "KP,,IR",
	    "countries: '' is not a 2-letter country code");
	expect_set_error(BLOCKLIST, "countries", "KP,",
	    "countries: '' is not a 2-letter country code");
	expect_set_error(BLOCKLIST, "countries", "K\xc3\xa9",
	    "countries: 'K\xc3\xa9' is not a 2-letter country code");
	/* 33 distinct codes are too many; duplicates don't count. */
	many[0] = '\0';
	for (int i = 0; i < 33; i++) {
		char code[4] = { (char)('A' + i / 26), (char)('A' + i % 26),
		                 ',', '\0' };
		strcat(many, code);
	}
	many[strlen(many) - 1] = '\0';
	expect_set_error(BLOCKLIST, "countries", many,
	    "countries: at most 32 country codes");
	many[strlen(many) - 3] = '\0';   /* 32 codes */
	set(&rs, BLOCKLIST, "countries", many);
	assert_int_equal(strlen(rs.rules[BLOCKLIST].params[0].text), 32 * 3 - 1);
	set(&rs, BLOCKLIST, "countries", "kp,KP,Kp,ir");
	assert_string_equal(rs.rules[BLOCKLIST].params[0].text, "KP,IR");
}

/* A dashboard under LANG=de_DE still reads and writes "0.5".  Skipped
 * where no comma-decimal locale is installed. */
static void
test_locale_independent(void **state)
{
	struct ruleset rs, back;
	char buf[RULE_TEXT_MAX], err[256];
	char *json;

	(void)state;
	if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
		skip();
		return;
	}
	ruleset_defaults(&rs);
	set(&rs, MISMATCH, "min_total", "0.5");
	assert_true(rs.rules[MISMATCH].params[0].num == 0.5);
	ruleset_param_text(&rs, MISMATCH, 0, buf, sizeof buf);
	assert_string_equal(buf, "0.5");
	set(&rs, TOTAL, "max_total", "0.125");
	json = ruleset_json(&rs);
	assert_non_null(strstr(json, "\"min_total\":0.5"));
	assert_non_null(strstr(json, "\"max_total\":0.125"));
	assert_int_equal(ruleset_from_json(json, strlen(json), &back, err,
	                                   sizeof err), 0);
	assert_true(rulesets_equal(&rs, &back));
	free(json);
	setlocale(LC_ALL, "C");
}

/* ---- JSON ---- */

static void
test_json_round_trip(void **state)
{
	struct ruleset rs, back;
	char err[256] = "";
	char *json;

	(void)state;
	ruleset_defaults(&rs);
	rs.version = 9;
	rs.rules[QUANTITY].enabled = false;
	rs.rules[REPLAY].enabled = false;
	set(&rs, TOTAL, "max_total", "1234.56");
	set(&rs, VELOCITY, "max_orders", "7");
	set(&rs, VELOCITY, "window_s", "30");
	set(&rs, BLOCKLIST, "countries", "us,de");
	set(&rs, MISMATCH, "min_total", "0.1");
	json = ruleset_json(&rs);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"version\":9"));
	assert_non_null(strstr(json, "{\"id\":\"total_limit\",\"name\":"
	    "\"Order total above limit\",\"enabled\":true,"
	    "\"params\":{\"max_total\":1234.56}}"));
	assert_non_null(strstr(json, "\"params\":{\"max_orders\":7,"
	                             "\"window_s\":30}"));
	assert_non_null(strstr(json, "\"countries\":\"US,DE\""));
	assert_non_null(strstr(json, "{\"id\":\"replay\",\"name\":\"Order id "
	    "already decided\",\"enabled\":false,\"params\":{}}"));

	ruleset_defaults(&back);
	assert_int_equal(ruleset_from_json(json, strlen(json), &back, err,
	                                   sizeof err), 0);
	assert_true(rulesets_equal(&rs, &back));
	free(json);

	/* Defaults round trip too, and {} means the defaults. */
	ruleset_defaults(&rs);
	json = ruleset_json(&rs);
	memset(&back, 0x5a, sizeof back);
	assert_int_equal(ruleset_from_json(json, strlen(json), &back, err,
	                                   sizeof err), 0);
	assert_true(rulesets_equal(&rs, &back));
	free(json);
	memset(&back, 0x5a, sizeof back);
	assert_int_equal(ruleset_from_json("{}", 2, &back, err, sizeof err), 0);
	assert_true(rulesets_equal(&rs, &back));
}

/* Versions are integers written and read digit for digit, to UINT64_MAX:
 * as doubles, 2^53 + 1 would read back as 2^53, and 2^64 - 1 as 2^64. */
static void
test_json_version_exact(void **state)
{
	static const uint64_t versions[] = {
		0, 1, 9007199254740991ULL, 9007199254740992ULL, 9007199254740993ULL,
		1000000000000000001ULL, UINT64_MAX - 1, UINT64_MAX,
	};
	struct ruleset rs, back;
	char err[256] = "", want[64];

	(void)state;
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		ruleset_defaults(&rs);
		rs.version = versions[i];
		char *json = ruleset_json(&rs);
		assert_non_null(json);
		snprintf(want, sizeof want, "{\"version\":%" PRIu64 ",", versions[i]);
		assert_int_equal(strncmp(json, want, strlen(want)), 0);
		memset(&back, 0x5a, sizeof back);
		if (ruleset_from_json(json, strlen(json), &back, err, sizeof err) != 0)
			fail_msg("%s: %s", json, err);
		assert_true(back.version == versions[i]);
		assert_true(rulesets_equal(&rs, &back));
		free(json);
	}
	/* read from the text as written: blanks, a byte order mark, a key
	 * with an escape, another member first */
	static const char *const texts[] = {
		"{ \"version\" :\n 9007199254740993 }",
		"\xef\xbb\xbf{\"version\":9007199254740993}",
		"{\"versio\\u006e\":9007199254740993}",
		"{\"rules\":[{\"id\":\"replay\",\"name\":\"a\\\"b\"}],\"version\":9007199254740993}",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (ruleset_from_json(texts[i], strlen(texts[i]), &back, err, sizeof err) != 0)
			fail_msg("%s: %s", texts[i], err);
		assert_true(back.version == 9007199254740993ULL);
	}
}

static void
test_json_partial_and_unterminated(void **state)
{
	static const char buf[] =
		"{\"version\":3,\"rules\":[{\"id\":\"velocity\","
		"\"params\":{\"window_s\":10}},{\"id\":\"replay\","
		"\"enabled\":false}]}GARBAGE";
	struct ruleset rs, want;
	char err[256] = "";

	(void)state;
	/* Only the first len bytes count: not NUL-terminated. */
	assert_int_equal(ruleset_from_json(buf, sizeof buf - 1 - 7, &rs, err,
	                                   sizeof err), 0);
	ruleset_defaults(&want);
	want.version = 3;
	want.rules[VELOCITY].params[1].num = 10;
	want.rules[REPLAY].enabled = false;
	assert_true(rulesets_equal(&rs, &want));
	/* With the garbage it is not JSON. */
	assert_int_equal(ruleset_from_json(buf, sizeof buf - 1, &rs, err,
	                                   sizeof err), -1);
	assert_true(rulesets_equal(&rs, &want));
}

#define VERSION_ERROR \
	"version must be an integer from 0 to 18446744073709551615 (digits only)"
#define VERSION_NOT_STRICT \
	"version cannot be read exactly: the JSON up to it is not strict (RFC 8259)"

static void
expect_json_error(const char *json, const char *want)
{
	struct ruleset rs, before;
	char err[256] = "";

	ruleset_defaults(&rs);
	rs.version = 77;
	rs.rules[TOTAL].enabled = false;
	before = rs;
	assert_int_equal(ruleset_from_json(json, strlen(json), &rs, err,
	                                   sizeof err), -1);
	if (strcmp(err, want) != 0)
		fail_msg("%s\n  got:  %s\n  want: %s", json, err, want);
	assert_true(rulesets_equal(&rs, &before));
}

static void
test_json_errors(void **state)
{
	(void)state;
	expect_json_error("", "invalid JSON at line 1, column 1");
	expect_json_error("{", "invalid JSON at line 1, column 1");
	expect_json_error("{\n  \"version\": 1,\n  \"rules\": [x]\n}",
	                  "invalid JSON at line 3, column 13");
	expect_json_error("{} x", "invalid JSON at line 1, column 4");
	expect_json_error("{}\n{}", "invalid JSON at line 2, column 1");
	expect_json_error("[]", "a rule set must be a JSON object");
	expect_json_error("{\"version\":-1}", VERSION_ERROR);
	expect_json_error("{\"version\":1.5}", VERSION_ERROR);
	expect_json_error("{\"version\":\"3\"}", VERSION_ERROR);
	expect_json_error("{\"version\":1e300}", VERSION_ERROR);
	expect_json_error("{\"version\":1e3}", VERSION_ERROR);
	expect_json_error("{\"version\":3.0}", VERSION_ERROR);
	expect_json_error("{\"version\":-0}", VERSION_ERROR);
	expect_json_error("{\"version\":null}", VERSION_ERROR);
	expect_json_error("{\"version\":18446744073709551616}", VERSION_ERROR);
	expect_json_error("{\"version\":99999999999999999999}", VERSION_ERROR);
	/* cJSON takes 01 (as 1); the digits are read from strict JSON only */
	expect_json_error("{\"version\":01}", VERSION_NOT_STRICT);
	expect_json_error("{\"rules\":[],\f\"version\":1}", VERSION_NOT_STRICT);
	expect_json_error("{\"version\":1,\"rule\":[]}",
	                  "unknown key 'rule' (expected version, rules)");
	expect_json_error("{\"rules\":{}}", "rules must be an array");
	expect_json_error("{\"rules\":[{\"id\":\"replay\"},3]}",
	                  "rules[1] must be an object");
	expect_json_error("{\"rules\":[{\"enabled\":true}]}",
	                  "rules[0]: missing id");
	expect_json_error("{\"rules\":[{\"id\":5}]}", "rules[0]: missing id");
	expect_json_error("{\"rules\":[{\"id\":\"nope\"}]}",
	                  "rules[0]: unknown rule 'nope'");
	expect_json_error("{\"rules\":[{\"id\":\"replay\"},{\"id\":\"replay\"}]}",
	                  "rule 'replay' appears twice");
	expect_json_error("{\"rules\":[{\"id\":\"replay\",\"enabled\":1}]}",
	                  "rule 'replay': enabled must be true or false");
	expect_json_error("{\"rules\":[{\"id\":\"replay\",\"name\":1}]}",
	                  "rule 'replay': name must be a string");
	expect_json_error("{\"rules\":[{\"id\":\"replay\",\"enable\":true}]}",
	                  "rule 'replay': unknown key 'enable'");
	expect_json_error("{\"rules\":[{\"id\":\"velocity\",\"params\":[]}]}",
	                  "rule 'velocity': params must be an object");
	expect_json_error("{\"rules\":[{\"id\":\"velocity\","
	                  "\"params\":{\"window\":5}}]}",
	                  "rule 'velocity': unknown parameter 'window'");
	expect_json_error("{\"rules\":[{\"id\":\"replay\","
	                  "\"params\":{\"max_total\":5}}]}",
	                  "rule 'replay': unknown parameter 'max_total'");
	expect_json_error("{\"rules\":[{\"id\":\"velocity\","
	                  "\"params\":{\"window_s\":0}}]}",
	                  "rule 'velocity': window_s must be an integer "
	                  "between 1 and 86400");
	expect_json_error("{\"rules\":[{\"id\":\"velocity\","
	                  "\"params\":{\"window_s\":1.5}}]}",
	                  "rule 'velocity': window_s must be an integer "
	                  "between 1 and 86400");
	expect_json_error("{\"rules\":[{\"id\":\"velocity\","
	                  "\"params\":{\"window_s\":\"60\"}}]}",
	                  "rule 'velocity': window_s must be an integer "
	                  "between 1 and 86400");
	expect_json_error("{\"rules\":[{\"id\":\"total_limit\","
	                  "\"params\":{\"max_total\":1e10}}]}",
	                  "rule 'total_limit': max_total must be a number "
	                  "between 0 and 1000000000");
	expect_json_error("{\"rules\":[{\"id\":\"total_limit\","
	                  "\"params\":{\"max_total\":null}}]}",
	                  "rule 'total_limit': max_total must be a number "
	                  "between 0 and 1000000000");
	expect_json_error("{\"rules\":[{\"id\":\"country_blocklist\","
	                  "\"params\":{\"countries\":[\"KP\"]}}]}",
	                  "rule 'country_blocklist': countries must be a "
	                  "string like \"KP,IR\"");
	expect_json_error("{\"rules\":[{\"id\":\"country_blocklist\","
	                  "\"params\":{\"countries\":\"KP,USA\"}}]}",
	                  "rule 'country_blocklist': countries: 'USA' is not "
	                  "a 2-letter country code");
	/* All or nothing: a good first rule is not applied. */
	expect_json_error("{\"version\":5,\"rules\":["
	                  "{\"id\":\"total_limit\",\"enabled\":true,"
	                  "\"params\":{\"max_total\":1}},"
	                  "{\"id\":\"quantity_limit\","
	                  "\"params\":{\"max_quantity\":0}}]}",
	                  "rule 'quantity_limit': max_quantity must be an "
	                  "integer between 1 and 1000000");
}

/* ---- --rules FILE ---- */

static void
data_path(char *buf, size_t len, const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash != NULL ? (int)(slash - __FILE__) : 0;

	/* __FILE__ is .../tests/unit/test_fraud_rules.c */
	if (dir > 0)
		snprintf(buf, len, "%.*s/../data/%s", dir, __FILE__, name);
	else
		snprintf(buf, len, "../data/%s", name);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	if (len == 0)
		len = strlen(text);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_load_file(void **state)
{
	struct ruleset rs, before;
	char path[512], err[512] = "", want[700];
	char dir[] = "/tmp/test_fraud_rules.XXXXXX";
	char *big;

	(void)state;
	data_path(path, sizeof path, "rules.json");
	ruleset_defaults(&rs);
	if (ruleset_load_file(path, &rs, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(rs.version, 1);
	assert_true(rs.rules[TOTAL].params[0].num == 10000);
	assert_true(rs.rules[VELOCITY].params[0].num == 10);
	assert_true(rs.rules[VELOCITY].params[1].num == 60);
	assert_string_equal(rs.rules[BLOCKLIST].params[0].text, "KP,IR,SY,CU");
	assert_false(rs.rules[MISMATCH].enabled);
	assert_true(rs.rules[REPLAY].enabled);

	assert_non_null(mkdtemp(dir));
	before = rs;

	snprintf(path, sizeof path, "%s/missing.json", dir);
	assert_int_equal(ruleset_load_file(path, &rs, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	assert_string_equal(err, want);

	assert_int_equal(ruleset_load_file(dir, &rs, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: Is a directory", dir);
	assert_string_equal(err, want);

	snprintf(path, sizeof path, "%s/bad.json", dir);
	write_file(path, "{\"rules\":[{\"id\":\"velocity\","
	           "\"params\":{\"window_s\":0}}]}", 0);
	assert_int_equal(ruleset_load_file(path, &rs, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: rule 'velocity': window_s must be an "
	         "integer between 1 and 86400", path);
	assert_string_equal(err, want);

	write_file(path, "{\n\"version\": 2,\n", 0);
	assert_int_equal(ruleset_load_file(path, &rs, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: invalid JSON at line 2, column 14",
	         path);
	assert_string_equal(err, want);

	/* Over 1 MiB (here: valid JSON padded with blanks) is refused. */
	big = malloc(1024 * 1024 + 1);
	assert_non_null(big);
	memset(big, ' ', 1024 * 1024 + 1);
	memcpy(big, "{}", 2);
	write_file(path, big, 1024 * 1024);
	assert_int_equal(ruleset_load_file(path, &rs, err, sizeof err), 0);
	write_file(path, big, 1024 * 1024 + 1);
	assert_int_equal(ruleset_load_file(path, &rs, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: larger than 1048576 bytes", path);
	assert_string_equal(err, want);
	free(big);
	ruleset_defaults(&before);      /* the 1 MiB "{}" loaded the defaults */
	assert_true(rulesets_equal(&rs, &before));

	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_and_defaults),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_quantity_limit),
		cmocka_unit_test(test_velocity_boundary),
		cmocka_unit_test(test_velocity_window_slides),
		cmocka_unit_test(test_velocity_large_and_lowered_max),
		cmocka_unit_test(test_velocity_eviction),
		cmocka_unit_test(test_disabled_rules_still_record),
		cmocka_unit_test(test_country_blocklist),
		cmocka_unit_test(test_card_mismatch),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_replay_bound),
		cmocka_unit_test(test_state_matches_model),
		cmocka_unit_test(test_prefetch_changes_nothing),
		cmocka_unit_test(test_state_per_partition),
		cmocka_unit_test(test_decision_fields),
		cmocka_unit_test(test_set_param),
		cmocka_unit_test(test_locale_independent),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_version_exact),
		cmocka_unit_test(test_json_partial_and_unterminated),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
