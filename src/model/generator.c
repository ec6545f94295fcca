/*
 * generator.c — synthetic orders for the demo pipeline.
 *
 * 5000 users "user0001".."user5000", each with a home country (weighted
 * towards the big markets) and a card country (the home country for most;
 * a few hold a foreign card).  A catalogue of items priced in USD; every
 * order is in USD.  Normal orders ship to the user's home country, 1-3
 * items (1 for the expensive ones), total below 5000, and never come from
 * the user of the order just before.
 *
 * A suspicious order is one of:
 *   big      an item of 500 or more, quantity 5-20, total above 5000
 *   burst    an order, then the same user for the next 5-8 orders (each
 *            counts; the default velocity rule allows 5 a minute)
 *   risky    shipping to KP, IR, SY, CU or RU
 *   mismatch card country differs from the shipping country, total > 1000
 * Each kind makes about a quarter of the suspicious *orders*: a burst is
 * drawn 7.5 times less often than the others, being 7.5 orders long.  And
 * suspicious events are drawn with the probability that makes the share of
 * suspicious orders come out at suspicious_share.
 *
 * RNG: splitmix64 seeds xorshift64*; deterministic for a seed.
 */
#include "generator.h"
#include "int_text.h"
#include "text_join.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GENERATOR_USERS        5000
#define GENERATOR_PREFIX_MAX   40
#define GENERATOR_BIG_TOTAL    5000.0
#define GENERATOR_MISMATCH_MIN 1000.0
#define GENERATOR_BURST_MIN    5
#define GENERATOR_BURST_MAX    8

enum generator_kind {
	GENERATOR_BIG,
	GENERATOR_BURST,
	GENERATOR_RISKY,
	GENERATOR_MISMATCH,
	GENERATOR_KIND__COUNT
};

/* How often each kind of suspicious event is drawn (out of the sum). */
static const int generator_kind_weight[GENERATOR_KIND__COUNT] = {
	[GENERATOR_BIG] = 15,
	[GENERATOR_BURST] = 2,
	[GENERATOR_RISKY] = 15,
	[GENERATOR_MISMATCH] = 15,
};

struct generator_country {
	const char *code;
	int weight;
};

static const struct generator_country generator_countries[] = {
	{ "US", 30 }, { "GB", 10 }, { "DE", 10 }, { "FR", 8 }, { "ES", 5 },
	{ "IT", 5 },  { "NL", 4 },  { "BR", 5 },  { "MX", 4 }, { "JP", 6 },
	{ "IN", 6 },  { "CA", 5 },  { "AU", 4 },  { "SE", 2 }, { "PL", 2 },
	{ "KR", 3 },  { "CH", 2 },  { "BE", 2 },  { "IE", 1 }, { "SG", 1 },
};
#define GENERATOR_NCOUNTRIES (sizeof generator_countries / sizeof generator_countries[0])

/* Shipping countries the default blocklist is expected to hold. */
static const char *const generator_risky[] = { "KP", "IR", "SY", "CU", "RU" };
#define GENERATOR_NRISKY (sizeof generator_risky / sizeof generator_risky[0])

struct generator_item {
	const char *name;
	double price; /* USD */
};

static const struct generator_item generator_items[] = {
	{ "laptop", 1299.00 },          { "smartphone", 899.00 },     { "tablet", 549.00 },
	{ "camera", 749.00 },           { "television", 1099.00 },    { "game-console", 499.99 },
	{ "smartwatch", 349.00 },       { "headphones", 199.99 },     { "monitor", 329.00 },
	{ "espresso-machine", 599.00 }, { "vacuum-cleaner", 279.00 }, { "bicycle", 649.00 },
	{ "office-chair", 289.00 },     { "keyboard", 89.99 },        { "mouse", 39.99 },
	{ "usb-cable", 9.99 },          { "phone-case", 19.99 },      { "book", 18.50 },
	{ "board-game", 44.95 },        { "running-shoes", 129.00 },  { "backpack", 79.00 },
	{ "jacket", 159.00 },           { "t-shirt", 24.00 },         { "sunglasses", 149.00 },
	{ "perfume", 95.00 },           { "coffee-beans", 16.90 },    { "yoga-mat", 34.50 },
	{ "desk-lamp", 49.00 },         { "blender", 119.00 },        { "water-bottle", 22.00 },
	{ "drone", 1199.00 },           { "e-reader", 139.99 },
};
#define GENERATOR_NITEMS (sizeof generator_items / sizeof generator_items[0])

struct generator_user {
	char id[16];
	int home; /* index into generator_countries */
	int card;
};

struct generator {
	uint64_t rng;
	double share;   /* suspicious share of orders, 0..1 */
	double p_event; /* probability of a suspicious event */
	char prefix[GENERATOR_PREFIX_MAX + 1];
	uint64_t seq;
	int last_user; /* -1 before the first order */
	int burst_user;
	int burst_left;
	int country_weight_sum;
	struct generator_user users[GENERATOR_USERS];
};

static uint64_t
generator_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t
generator_rand(struct generator *g)
{
	uint64_t x = g->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, 1). */
static double
generator_uniform(struct generator *g)
{
	return (double)(generator_rand(g) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi]. */
static int
generator_range(struct generator *g, int lo, int hi)
{
	return lo + (int)(generator_rand(g) % (uint64_t)(hi - lo + 1));
}

static int
generator_pick_country(struct generator *g)
{
	int r = generator_range(g, 0, g->country_weight_sum - 1);

	for (size_t i = 0; i < GENERATOR_NCOUNTRIES; i++) {
		r -= generator_countries[i].weight;
		if (r < 0)
			return (int)i;
	}
	return 0;
}

/* A country other than `not`, uniformly. */
static int
generator_other_country(struct generator *g, int not )
{
	int c = generator_range(g, 0, (int)GENERATOR_NCOUNTRIES - 2);

	return c >= not ? c + 1 : c;
}

static enum generator_kind
generator_pick_kind(struct generator *g)
{
	int sum = 0, r;

	for (int k = 0; k < GENERATOR_KIND__COUNT; k++)
		sum += generator_kind_weight[k];
	r = generator_range(g, 0, sum - 1);
	for (int k = 0; k < GENERATOR_KIND__COUNT; k++) {
		r -= generator_kind_weight[k];
		if (r < 0)
			return (enum generator_kind)k;
	}
	return GENERATOR_BIG;
}

/* A user other than the previous order's. */
static int
generator_pick_user(struct generator *g)
{
	int u;

	do
		u = generator_range(g, 0, GENERATOR_USERS - 1);
	while (u == g->last_user);
	return u;
}

/* An item at least min_price; any item when min_price is 0. */
static int
generator_pick_item(struct generator *g, double min_price)
{
	int it;

	do
		it = generator_range(g, 0, (int)GENERATOR_NITEMS - 1);
	while (generator_items[it].price < min_price);
	return it;
}

/* A normal quantity: 1-3 (weighted to 1), 1 for items over 1000. */
static int64_t
generator_normal_quantity(struct generator *g, int item)
{
	double r = generator_uniform(g);

	if (generator_items[item].price > 1000.0)
		return 1;
	if (r < 0.70)
		return 1;
	if (r < 0.92)
		return 2;
	return 3;
}

static uint64_t
generator_time_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) ^
		((uint64_t)getpid() << 32);
}

static void
generator_set_prefix(struct generator *g, const char *prefix)
{
	size_t n = 0;

	if (prefix == NULL || prefix[0] == '\0')
		prefix = "gen";
	/* Only characters order_parse and shells are happy with. */
	for (; prefix[n] != '\0' && n < GENERATOR_PREFIX_MAX; n++) {
		char c = prefix[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		g->prefix[n] = ok ? c : '_';
	}
	g->prefix[n] = '\0';
}

struct generator *
generator_new(uint64_t seed, double suspicious_share, const char *id_prefix)
{
	struct generator *g = calloc(1, sizeof *g);
	uint64_t sm;
	double len = 0.0, wsum = 0.0;

	if (g == NULL)
		return NULL;
	sm = seed != 0 ? seed : generator_time_seed();
	g->rng = generator_splitmix(&sm);
	if (g->rng == 0)
		g->rng = 0x9E3779B97F4A7C15ULL; /* xorshift needs non-zero */

	if (!(suspicious_share > 0.0)) /* also NaN */
		suspicious_share = 0.0;
	if (suspicious_share > 1.0)
		suspicious_share = 1.0;
	g->share = suspicious_share;
	/* Mean orders per suspicious event: 1, or 7.5 for a burst.  With p
	 * the chance of an event, the share of suspicious orders is
	 * p*len / (p*len + 1 - p); solved for p. */
	for (int k = 0; k < GENERATOR_KIND__COUNT; k++) {
		double n = k == GENERATOR_BURST
			? 1.0 + (GENERATOR_BURST_MIN + GENERATOR_BURST_MAX) / 2.0
			: 1.0;
		len += generator_kind_weight[k] * n;
		wsum += generator_kind_weight[k];
	}
	len /= wsum;
	g->p_event = g->share / (len - (len - 1.0) * g->share);

	generator_set_prefix(g, id_prefix);
	g->last_user = -1;
	for (size_t i = 0; i < GENERATOR_NCOUNTRIES; i++)
		g->country_weight_sum += generator_countries[i].weight;
	for (int u = 0; u < GENERATOR_USERS; u++) {
		struct generator_user *usr = &g->users[u];

		snprintf(usr->id, sizeof usr->id, "user%04d", u + 1);
		usr->home = generator_pick_country(g);
		usr->card = generator_uniform(g) < 0.04 ? generator_other_country(g, usr->home)
							: usr->home;
	}
	return g;
}

void
generator_free(struct generator *g)
{
	free(g);
}

void
generator_order_id(struct generator *g, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return;
	char seq[INT_TEXT_MAX];
	uint_text(seq, ++g->seq);
	const char *piece[] = { g->prefix, "-", seq };
	text_join(buf, len, piece, sizeof piece / sizeof piece[0]);
}

static void
generator_fill(struct order *o, const struct generator_user *usr, int item, int64_t quantity,
	       int country, int card)
{
	const char *user_id = usr->id, *name = generator_items[item].name;
	text_join(o->user_id, sizeof o->user_id, &user_id, 1);
	text_join(o->item, sizeof o->item, &name, 1);
	o->quantity = quantity;
	o->unit_price = generator_items[item].price;
	o->has_unit_price = true;
	memcpy(o->currency, "USD", 4);
	memcpy(o->country, generator_countries[country].code, 3);
	memcpy(o->card_country, generator_countries[card].code, 3);
}

static void
generator_normal(struct generator *g, struct order *o, int user)
{
	const struct generator_user *usr = &g->users[user];
	int item = generator_pick_item(g, 0.0);

	generator_fill(o, usr, item, generator_normal_quantity(g, item), usr->home, usr->card);
}

static void
generator_suspicious(struct generator *g, struct order *o, enum generator_kind kind)
{
	int user = generator_pick_user(g);
	const struct generator_user *usr = &g->users[user];
	int item;
	int64_t q;

	switch (kind) {
	case GENERATOR_BIG:
		item = generator_pick_item(g, 500.0);
		q = generator_range(g, 5, 20);
		while ((double)q * generator_items[item].price <= GENERATOR_BIG_TOTAL)
			q++;
		generator_fill(o, usr, item, q, usr->home, usr->card);
		break;
	case GENERATOR_BURST:
		g->burst_user = user;
		g->burst_left = generator_range(g, GENERATOR_BURST_MIN, GENERATOR_BURST_MAX);
		generator_normal(g, o, user);
		break;
	case GENERATOR_RISKY:
		generator_normal(g, o, user);
		memcpy(o->country,
		       generator_risky[generator_range(g, 0, (int)GENERATOR_NRISKY - 1)], 3);
		break;
	case GENERATOR_MISMATCH:
	default:
		item = generator_pick_item(g, 300.0);
		q = 1;
		while ((double)q * generator_items[item].price <= GENERATOR_MISMATCH_MIN)
			q++;
		generator_fill(o, usr, item, q, usr->home, generator_other_country(g, usr->home));
		break;
	}
	g->last_user = user;
}

void
generator_next(struct generator *g, struct order *o, int64_t now_ms)
{
	memset(o, 0, sizeof *o);
	generator_order_id(g, o->order_id, sizeof o->order_id);
	o->created_at_ms = now_ms;

	if (g->burst_left > 0) {
		g->burst_left--;
		generator_normal(g, o, g->burst_user);
		g->last_user = g->burst_user;
		return;
	}
	if (g->p_event > 0.0 && generator_uniform(g) < g->p_event) {
		generator_suspicious(g, o, generator_pick_kind(g));
		return;
	}
	g->last_user = generator_pick_user(g);
	generator_normal(g, o, g->last_user);
}
