/*
 * test_generator.c — the synthetic order generator: deterministic for a
 * seed, every order valid (parses back through order_parse), ids unique,
 * and the share of suspicious orders close to what was asked for.
 *
 * A generated order is classified as suspicious from what it looks like:
 * total above 5000, shipping to KP/IR/SY/CU/RU, card country differing
 * from shipping with total above 1000, or the same user as the order just
 * before or after (a burst of 6-9).  Normal orders from the few users with a
 * foreign card can look like a mismatch, hence the tolerances.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generator.h"
#include "order.h"
#include "order_json.h"

#define NOW 1700000000000LL
#define N   10000

static void
assert_same_order(const struct order *a, const struct order *b)
{
	assert_string_equal(a->order_id, b->order_id);
	assert_string_equal(a->user_id, b->user_id);
	assert_string_equal(a->item, b->item);
	assert_int_equal(a->quantity, b->quantity);
	assert_int_equal(a->has_unit_price, b->has_unit_price);
	assert_true(a->unit_price == b->unit_price);
	assert_string_equal(a->currency, b->currency);
	assert_string_equal(a->country, b->country);
	assert_string_equal(a->card_country, b->card_country);
	assert_int_equal(a->created_at_ms, b->created_at_ms);
}

static struct order *
generate(uint64_t seed, double share, const char *prefix, int n)
{
	struct generator *g = generator_new(seed, share, prefix);
	struct order *v = calloc((size_t)n, sizeof *v);

	assert_non_null(g);
	assert_non_null(v);
	for (int i = 0; i < n; i++)
		generator_next(g, &v[i], NOW + i);
	generator_free(g);
	return v;
}

static void
test_deterministic(void **state)
{
	struct order *a, *b, *c;
	int differ = 0;

	(void)state;
	a = generate(42, 0.2, "t", 2000);
	b = generate(42, 0.2, "t", 2000);
	c = generate(43, 0.2, "t", 2000);
	for (int i = 0; i < 2000; i++) {
		assert_same_order(&a[i], &b[i]);
		if (strcmp(a[i].user_id, c[i].user_id) != 0 ||
		    strcmp(a[i].item, c[i].item) != 0)
			differ++;
	}
	assert_true(differ > 1000);         /* another seed, other orders */
	free(a);
	free(b);
	free(c);
}

static void
test_orders_parse_back(void **state)
{
	const double shares[] = { 0.0, 0.3, 1.0 };

	(void)state;
	for (size_t s = 0; s < sizeof shares / sizeof shares[0]; s++) {
		struct order *v = generate(7 + s, shares[s], "host-1a2b", N);

		for (int i = 0; i < N; i++) {
			struct order back;
			char err[128] = "";
			char *js = order_json(&v[i]);

			assert_non_null(js);
			if (order_parse(js, strlen(js), &back, err,
			    sizeof err) != 0)
				print_error("%s: %s\n", js, err);
			assert_int_equal(order_parse(js, strlen(js), &back, err,
			    sizeof err), 0);
			assert_same_order(&v[i], &back);
			free(js);
		}
		free(v);
	}
}

static void
test_fields_realistic(void **state)
{
	struct order *v = generate(99, 0.0, "p", N);
	int qty_hist[4] = { 0 };

	(void)state;
	for (int i = 0; i < N; i++) {
		const struct order *o = &v[i];
		int u;

		assert_int_equal(strlen(o->user_id), 8);
		assert_int_equal(sscanf(o->user_id, "user%4d", &u), 1);
		assert_true(u >= 1 && u <= 5000);
		assert_true(o->quantity >= 1 && o->quantity <= 3);
		qty_hist[o->quantity]++;
		assert_true(o->has_unit_price);
		assert_true(o->unit_price > 0 && o->unit_price < 2000);
		assert_true(order_total(o) < 5000);
		assert_string_equal(o->currency, "USD");
		assert_int_equal(strlen(o->country), 2);
		assert_int_equal(strlen(o->card_country), 2);
		assert_int_equal(o->created_at_ms, NOW + i);
		assert_true(i == 0 || strcmp(o->user_id, v[i - 1].user_id) != 0);
	}
	/* mostly one item */
	assert_true(qty_hist[1] > qty_hist[2] && qty_hist[2] > qty_hist[3]);
	assert_true(qty_hist[3] > 0);
	free(v);
}

static void
test_countries_weighted(void **state)
{
	struct order *v = generate(5, 0.0, "p", N);
	int us = 0, gb = 0, foreign_card = 0;

	(void)state;
	for (int i = 0; i < N; i++) {
		us += strcmp(v[i].country, "US") == 0;
		gb += strcmp(v[i].country, "GB") == 0;
		foreign_card += strcmp(v[i].country, v[i].card_country) != 0;
	}
	/* US weighs 30 of 115, GB 10 of 115 (users drawn once: loose) */
	assert_true(us > N / 6 && us < N / 2);
	assert_true(gb > N / 30 && gb < N / 5);
	assert_true(us > gb);
	/* the card is usually from home */
	assert_true(foreign_card > 0 && foreign_card < N / 10);
	free(v);
}

static bool
is_risky(const char *c)
{
	return strcmp(c, "KP") == 0 || strcmp(c, "IR") == 0 ||
	    strcmp(c, "SY") == 0 || strcmp(c, "CU") == 0 ||
	    strcmp(c, "RU") == 0;
}

struct tally {
	int suspicious, big, burst, risky, mismatch;
};

static struct tally
classify(const struct order *v, int n)
{
	struct tally t = { 0 };

	for (int i = 0; i < n; i++) {
		const struct order *o = &v[i];
		double total = order_total(o);
		bool big = total > 5000.0;
		bool risky = is_risky(o->country);
		bool mismatch = strcmp(o->country, o->card_country) != 0 &&
		    total > 1000.0;
		bool burst = (i > 0 && strcmp(o->user_id, v[i - 1].user_id) == 0) ||
		    (i + 1 < n && strcmp(o->user_id, v[i + 1].user_id) == 0);

		t.big += big;
		t.risky += risky;
		t.mismatch += mismatch;
		t.burst += burst;
		t.suspicious += big || risky || mismatch || burst;
	}
	return t;
}

/* Normal orders from users with a foreign card that cost over 1000 look
 * like a mismatch: about 0.6% of normal orders. */
#define LOOKALIKE 0.006

static void
check_share(uint64_t seed, double share, double tol)
{
	struct order *v = generate(seed, share, "s", N);
	struct tally t = classify(v, N);
	double got = (double)t.suspicious / N;
	double want = share + (1.0 - share) * LOOKALIKE;

	if (fabs(got - want) > tol)
		print_error("share %.2f: got %.4f, want %.4f +- %.3f (big %d "
		    "burst %d risky %d mismatch %d)\n", share, got, want, tol,
		    t.big, t.burst, t.risky, t.mismatch);
	assert_true(fabs(got - want) <= tol);
	if (share >= 0.1) {
		/* each kind makes about a quarter of the suspicious orders */
		int lo = (int)(share * N / 8), hi = (int)(share * N / 2);

		assert_in_range(t.big, lo, hi);
		assert_in_range(t.burst, lo, hi);
		assert_in_range(t.risky, lo, hi);
		assert_in_range(t.mismatch, lo, hi);
	} else if (share == 0.0) {
		assert_int_equal(t.big, 0);
		assert_int_equal(t.risky, 0);
		assert_int_equal(t.burst, 0);
	}
	free(v);
}

/* Tolerances are about 4 standard deviations, measured over 200 seeds. */
static void
test_suspicious_share(void **state)
{
	(void)state;
	check_share(1, 0.0, 0.008);
	check_share(2, 0.05, 0.015);
	check_share(3, 0.1, 0.02);
	check_share(4, 0.3, 0.03);
	check_share(5, 0.5, 0.03);
	check_share(6, 1.0, 0.001);
}

/* A burst is an order and the same user's next 5-8: runs of 6 to 9. */
static void
test_burst_length(void **state)
{
	struct order *v = generate(21, 0.5, "b", N);
	int run = 1, bursts = 0, hist[10] = { 0 };

	(void)state;
	for (int i = 1; i <= N; i++) {
		if (i < N && strcmp(v[i].user_id, v[i - 1].user_id) == 0) {
			run++;
			continue;
		}
		if (run > 1) {
			assert_in_range(run, 6, 9);
			hist[run]++;
			bursts++;
		}
		run = 1;
	}
	assert_true(bursts > 50);
	for (int k = 6; k <= 9; k++)
		assert_true(hist[k] > bursts / 8);
	free(v);
}

static void
test_share_clamped(void **state)
{
	struct order *v;
	struct tally t;

	(void)state;
	v = generate(8, -1.0, "c", 2000);
	t = classify(v, 2000);
	assert_int_equal(t.big + t.risky + t.burst, 0);
	free(v);
	v = generate(8, NAN, "c", 2000);
	t = classify(v, 2000);
	assert_int_equal(t.big + t.risky + t.burst, 0);
	free(v);
	v = generate(8, 7.0, "c", 2000);
	t = classify(v, 2000);
	assert_true(t.suspicious > 1980);
	free(v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
test_ids_unique(void **state)
{
	struct generator *g = generator_new(11, 0.3, "host-1a2b");
	char (*ids)[ORDER_ID_MAX + 1] = calloc(N + 100, sizeof *ids);
	struct order o;
	int k = 0;

	(void)state;
	assert_non_null(ids);
	for (int i = 0; i < N; i++) {
		generator_next(g, &o, NOW);
		strcpy(ids[k++], o.order_id);
		if (i % 100 == 0)        /* the form takes ids from the same run */
			generator_order_id(g, ids[k++], sizeof ids[0]);
	}
	assert_string_equal(ids[0], "host-1a2b-1");
	assert_string_equal(ids[1], "host-1a2b-2");
	assert_string_equal(ids[2], "host-1a2b-3");
	qsort(ids, (size_t)k, sizeof ids[0], cmp_str);
	for (int i = 1; i < k; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
	generator_free(g);
}

static void
test_prefix(void **state)
{
	struct generator *g;
	struct order o;
	char buf[ORDER_ID_MAX + 1], small[6], err[128];
	char *js;

	(void)state;
	g = generator_new(1, 0.0, NULL);
	generator_next(g, &o, NOW);
	assert_string_equal(o.order_id, "gen-1");
	generator_free(g);

	/* odd characters are replaced; the ids still parse */
	g = generator_new(1, 0.0, "my host/\x1b\xc3\xa4");
	generator_next(g, &o, NOW);
	assert_string_equal(o.order_id, "my_host____-1");
	generator_free(g);

	/* a long prefix is cut so the id fits ORDER_ID_MAX */
	g = generator_new(1, 0.0,
	    "0123456789012345678901234567890123456789012345678901234567890123456789");
	generator_order_id(g, buf, sizeof buf);
	assert_true(strlen(buf) <= ORDER_ID_MAX);
	assert_string_equal(buf, "0123456789012345678901234567890123456789-1");
	generator_order_id(g, small, sizeof small);   /* truncated, terminated */
	assert_string_equal(small, "01234");
	generator_next(g, &o, NOW);
	js = order_json(&o);
	assert_int_equal(order_parse(js, strlen(js), &o, err, sizeof err), 0);
	free(js);
	generator_free(g);
}

static void
test_seed_zero(void **state)
{
	struct generator *g = generator_new(0, 0.5, "z");
	struct order o;
	char err[128];

	(void)state;
	assert_non_null(g);
	for (int i = 0; i < 100; i++) {
		char *js;

		generator_next(g, &o, NOW);
		js = order_json(&o);
		assert_int_equal(order_parse(js, strlen(js), &o, err,
		    sizeof err), 0);
		free(js);
	}
	generator_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_orders_parse_back),
		cmocka_unit_test(test_fields_realistic),
		cmocka_unit_test(test_countries_weighted),
		cmocka_unit_test(test_suspicious_share),
		cmocka_unit_test(test_burst_length),
		cmocka_unit_test(test_share_clamped),
		cmocka_unit_test(test_ids_unique),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_seed_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
