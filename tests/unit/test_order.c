/*
 * test_order.c — order_parse on valid, malformed and hostile JSON, the
 * canonical JSON round trip, form field checks and status names.
 *
 * Payloads are handed to order_parse in heap buffers of exactly their
 * length (no NUL after them), so ASan catches any read past the end.
 *
 * Decisions pinned here: duplicate known keys are refused ("duplicate key
 * order_id"), duplicate unknown keys are kept; an integral number written
 * as 2.0 is a valid quantity; null for an optional field means absent;
 * a \u0000 escape counts as a NUL byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "order_json.h"

#define BASE "\"order_id\":\"12345\",\"user_id\":\"user789\",\"item\":\"laptop\""
#define MINIMAL "{" BASE ",\"quantity\":2}"

/* order_parse on an exact-size heap copy of n bytes of s. */
static int
parse_n(const char *s, size_t n, struct order *o, char *err, size_t errlen)
{
	char *buf = malloc(n > 0 ? n : 1);
	int rc;

	assert_non_null(buf);
	memcpy(buf, s, n);
	rc = order_parse(buf, n, o, err, errlen);
	free(buf);
	return rc;
}

static int
parse(const char *s, struct order *o, char *err, size_t errlen)
{
	return parse_n(s, strlen(s), o, err, errlen);
}

/* Asserts that s is refused with exactly this reason. */
static void
expect_refused_n(const char *s, size_t n, const char *reason)
{
	struct order o;
	char err[256] = "";
	int rc = parse_n(s, n, &o, err, sizeof err);

	if (rc != -1 || strcmp(err, reason) != 0)
		print_error("input: %.*s\nwant: %s\ngot:  rc=%d %s\n",
		    (int)(n > 200 ? 200 : n), s, reason, rc, err);
	assert_int_equal(rc, -1);
	assert_string_equal(err, reason);
}

static void
expect_refused(const char *s, const char *reason)
{
	expect_refused_n(s, strlen(s), reason);
}

static void
expect_ok(const char *s, struct order *o)
{
	char err[256] = "";
	int rc = parse(s, o, err, sizeof err);

	if (rc != 0)
		print_error("input: %.200s\nrefused: %s\n", s, err);
	assert_int_equal(rc, 0);
}

static void
test_valid_full(void **state)
{
	struct order o;

	(void)state;
	expect_ok("{\"order_id\":\"A-1\",\"user_id\":\"user0001\","
	    "\"item\":\"headphones\",\"quantity\":3,\"unit_price\":199.99,"
	    "\"currency\":\"usd\",\"country\":\"gb\",\"card_country\":\"Us\","
	    "\"created_at\":1700000000123,\"extra\":{\"a\":[1,2,3]}}", &o);
	assert_string_equal(o.order_id, "A-1");
	assert_string_equal(o.user_id, "user0001");
	assert_string_equal(o.item, "headphones");
	assert_int_equal(o.quantity, 3);
	assert_true(o.has_unit_price);
	assert_true(fabs(o.unit_price - 199.99) < 1e-9);
	assert_string_equal(o.currency, "USD");
	assert_string_equal(o.country, "GB");
	assert_string_equal(o.card_country, "US");
	assert_int_equal(o.created_at_ms, 1700000000123LL);
	assert_true(fabs(order_total(&o) - 599.97) < 1e-9);
}

static void
test_valid_minimal(void **state)
{
	struct order o;

	(void)state;
	memset(&o, 0x55, sizeof o);
	expect_ok(MINIMAL, &o);
	assert_string_equal(o.order_id, "12345");
	assert_string_equal(o.user_id, "user789");
	assert_string_equal(o.item, "laptop");
	assert_int_equal(o.quantity, 2);
	assert_false(o.has_unit_price);
	assert_true(o.unit_price == 0.0);
	assert_string_equal(o.currency, "");
	assert_string_equal(o.country, "");
	assert_string_equal(o.card_country, "");
	assert_int_equal(o.created_at_ms, 0);
	assert_true(order_total(&o) == 0.0);
}

static void
test_valid_edges(void **state)
{
	struct order o;
	char id[ORDER_ID_MAX + 1], buf[512];

	(void)state;
	/* whitespace around, null optionals, UTF-8 text, 2.0 as an integer */
	expect_ok(" \n\t{" BASE ",\"quantity\":2.0,\"unit_price\":null,"
	    "\"country\":null} \r\n", &o);
	assert_int_equal(o.quantity, 2);
	assert_false(o.has_unit_price);
	expect_ok("{\"order_id\":\"1\",\"user_id\":\"u\","
	    "\"item\":\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80\","
	    "\"quantity\":1000000000,\"unit_price\":0,\"created_at\":0}", &o);
	assert_string_equal(o.item,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80");
	assert_int_equal(o.quantity, 1000000000);
	assert_true(o.has_unit_price);
	/* longest id allowed */
	memset(id, 'x', ORDER_ID_MAX);
	id[ORDER_ID_MAX] = '\0';
	snprintf(buf, sizeof buf, "{\"order_id\":\"%s\",\"user_id\":\"%s\","
	    "\"item\":\"i\",\"quantity\":1}", id, id);
	expect_ok(buf, &o);
	assert_int_equal(strlen(o.order_id), ORDER_ID_MAX);
	/* escapes decode */
	expect_ok("{\"order_id\":\"a\\\"b\\\\c\\u00e9\",\"user_id\":\"u\","
	    "\"item\":\"i\",\"quantity\":1}", &o);
	assert_string_equal(o.order_id, "a\"b\\c\xc3\xa9");
	/* -0 price is 0 */
	expect_ok("{" BASE ",\"quantity\":1,\"unit_price\":-0}", &o);
	assert_false(signbit(o.unit_price));
}

static void
test_not_json(void **state)
{
	(void)state;
	expect_refused("", "not JSON");
	expect_refused("   ", "not JSON");
	expect_refused("{", "not JSON");
	expect_refused("{\"order_id\":\"1\",", "not JSON");
	expect_refused("{\"order_id\":\"1", "not JSON");
	expect_refused("{\"order_id\":\"1\\", "not JSON");
	expect_refused("{\"order_id\":\"\\u12", "not JSON");
	expect_refused("hello", "not JSON");
	expect_refused(MINIMAL " x", "not JSON");
	expect_refused(MINIMAL MINIMAL, "not JSON");
	expect_refused("{" BASE ",\"quantity\":1,}", "not JSON");
	expect_refused("{'order_id':'1'}", "not JSON");
	expect_refused("{" BASE ",\"quantity\":NaN}", "not JSON");
	expect_refused("{" BASE ",\"quantity\":0x10}", "not JSON");
	expect_refused("{" BASE ",\"quantity\":+1}", "not JSON");
	/* a lone surrogate escape cannot become UTF-8 */
	expect_refused("{\"order_id\":\"\\ud800\",\"user_id\":\"u\","
	    "\"item\":\"i\",\"quantity\":1}", "not JSON");
	expect_refused("{\"order_id\":\"\\udc00\",\"user_id\":\"u\","
	    "\"item\":\"i\",\"quantity\":1}", "not JSON");
}

static void
test_not_object(void **state)
{
	(void)state;
	expect_refused("[]", "not a JSON object");
	expect_refused("[" MINIMAL "]", "not a JSON object");
	expect_refused("42", "not a JSON object");
	expect_refused("\"order\"", "not a JSON object");
	expect_refused("null", "not a JSON object");
	expect_refused("true", "not a JSON object");
}

static void
test_missing_and_types(void **state)
{
	(void)state;
	expect_refused("{}", "missing order_id");
	expect_refused("{\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1}",
	    "missing order_id");
	expect_refused("{\"order_id\":\"1\",\"item\":\"i\",\"quantity\":1}",
	    "missing user_id");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"quantity\":1}",
	    "missing item");
	expect_refused("{" BASE "}", "missing quantity");
	/* keys are case-sensitive */
	expect_refused("{\"ORDER_ID\":\"1\",\"user_id\":\"u\",\"item\":\"i\","
	    "\"quantity\":1}", "missing order_id");
	expect_refused("{\"order_id\":12345,\"user_id\":\"u\",\"item\":\"i\","
	    "\"quantity\":1}", "order_id must be a string");
	expect_refused("{\"order_id\":\"1\",\"user_id\":null,\"item\":\"i\","
	    "\"quantity\":1}", "user_id must be a string");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":[\"i\"],"
	    "\"quantity\":1}", "item must be a string");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":{},"
	    "\"quantity\":1}", "item must be a string");
}

static void
test_text_fields(void **state)
{
	char buf[512], id[ORDER_ID_MAX + 2];

	(void)state;
	expect_refused("{\"order_id\":\"\",\"user_id\":\"u\",\"item\":\"i\","
	    "\"quantity\":1}", "order_id is empty");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"\",\"item\":\"i\","
	    "\"quantity\":1}", "user_id is empty");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"\","
	    "\"quantity\":1}", "item is empty");
	memset(id, 'x', ORDER_ID_MAX + 1);
	id[ORDER_ID_MAX + 1] = '\0';
	snprintf(buf, sizeof buf, "{\"order_id\":\"%s\",\"user_id\":\"u\","
	    "\"item\":\"i\",\"quantity\":1}", id);
	expect_refused(buf, "order_id longer than 64 bytes");
	snprintf(buf, sizeof buf, "{\"order_id\":\"1\",\"user_id\":\"u\","
	    "\"item\":\"%s\",\"quantity\":1}", id);
	expect_refused(buf, "item longer than 64 bytes");
	expect_refused("{\"order_id\":\"a\\nb\",\"user_id\":\"u\",\"item\":\"i\","
	    "\"quantity\":1}", "order_id contains a control character");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\tv\",\"item\":\"i\","
	    "\"quantity\":1}", "user_id contains a control character");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":"
	    "\"\\u001b[31mred\",\"quantity\":1}",
	    "item contains a control character");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":"
	    "\"a\x7f\",\"quantity\":1}", "item contains a control character");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":"
	    "\"a\\u009b\",\"quantity\":1}", "item contains a control character");
	expect_refused("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":"
	    "\"a\xc2\x85\",\"quantity\":1}", "item contains a control character");
}

static void
test_quantity(void **state)
{
	static const char *const bad[] = {
		"2.5", "\"2\"", "true", "false", "0", "-1", "-0", "0.5",
		"null", "[]", "{}", "-1e999", "1e-5",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":%s}", bad[i]);
		expect_refused(buf, "quantity must be an integer > 0");
	}
	expect_refused("{" BASE ",\"quantity\":1000000001}",
	    "quantity must be <= 1000000000");
	expect_refused("{" BASE ",\"quantity\":1e308}",
	    "quantity must be <= 1000000000");
	expect_refused("{" BASE ",\"quantity\":1e999}",
	    "quantity must be <= 1000000000");
	expect_refused("{" BASE ",\"quantity\":"
	    "99999999999999999999999999999999999999999999999999}",
	    "quantity must be <= 1000000000");
}

static void
test_unit_price(void **state)
{
	struct order o;

	(void)state;
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":-0.01}",
	    "unit_price must be a number >= 0");
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":\"10\"}",
	    "unit_price must be a number >= 0");
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":true}",
	    "unit_price must be a number >= 0");
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":-1e999}",
	    "unit_price must be a number >= 0");
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":1e999}",
	    "unit_price must be <= 1000000000");
	expect_refused("{" BASE ",\"quantity\":1,\"unit_price\":1000000000.01}",
	    "unit_price must be <= 1000000000");
	expect_ok("{" BASE ",\"quantity\":1,\"unit_price\":1000000000}", &o);
	assert_true(o.unit_price == 1e9);
	expect_ok("{" BASE ",\"quantity\":1,\"unit_price\":1e-400}", &o);
	assert_true(o.has_unit_price && o.unit_price == 0.0);
}

static void
test_codes(void **state)
{
	static const char *const bad_currency[] = {
		"\"US\"", "\"USDD\"", "\"U$D\"", "\"\"", "123", "\"U D\"",
		"\"\xc3\x9cSD\"", "true",
	};
	static const char *const bad_country[] = {
		"\"USA\"", "\"u\"", "\"1A\"", "\"\"", "1", "\"U \"", "[\"US\"]",
	};
	struct order o;
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad_currency / sizeof bad_currency[0];
	    i++) {
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,"
		    "\"currency\":%s}", bad_currency[i]);
		expect_refused(buf, "currency must be 3 letters");
	}
	for (size_t i = 0; i < sizeof bad_country / sizeof bad_country[0];
	    i++) {
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,"
		    "\"country\":%s}", bad_country[i]);
		expect_refused(buf, "country must be 2 letters");
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,"
		    "\"card_country\":%s}", bad_country[i]);
		expect_refused(buf, "card_country must be 2 letters");
	}
	expect_ok("{" BASE ",\"quantity\":1,\"currency\":\"eUr\","
	    "\"country\":\"de\",\"card_country\":\"fR\"}", &o);
	assert_string_equal(o.currency, "EUR");
	assert_string_equal(o.country, "DE");
	assert_string_equal(o.card_country, "FR");
}

static void
test_created_at(void **state)
{
	struct order o;

	(void)state;
	expect_refused("{" BASE ",\"quantity\":1,\"created_at\":-1}",
	    "created_at must be an integer >= 0 (ms)");
	expect_refused("{" BASE ",\"quantity\":1,\"created_at\":1.5}",
	    "created_at must be an integer >= 0 (ms)");
	expect_refused("{" BASE ",\"quantity\":1,\"created_at\":\"17\"}",
	    "created_at must be an integer >= 0 (ms)");
	expect_refused("{" BASE ",\"quantity\":1,\"created_at\":1e300}",
	    "created_at must be an integer >= 0 (ms)");
	expect_ok("{" BASE ",\"quantity\":1,\"created_at\":9007199254740991}",
	    &o);
	assert_int_equal(o.created_at_ms, 9007199254740991LL);
}

static void
test_duplicate_keys(void **state)
{
	struct order o;

	(void)state;
	expect_refused("{" BASE ",\"quantity\":1,\"order_id\":\"other\"}",
	    "duplicate key order_id");
	expect_refused("{" BASE ",\"quantity\":1,\"quantity\":1000}",
	    "duplicate key quantity");
	expect_refused("{" BASE ",\"quantity\":1,\"country\":\"US\","
	    "\"country\":\"KP\"}", "duplicate key country");
	/* unknown keys are not ours to judge */
	expect_ok("{" BASE ",\"quantity\":1,\"note\":1,\"note\":2}", &o);
	/* a nested order_id is just data */
	expect_ok("{" BASE ",\"quantity\":1,\"x\":{\"order_id\":\"9\"}}", &o);
	assert_string_equal(o.order_id, "12345");
}

static void
test_hostile_size(void **state)
{
	size_t n = ORDER_JSON_MAX + 1;
	char *big = malloc(n);
	const char *head = "{" BASE ",\"quantity\":1,\"pad\":\"";
	size_t hl = strlen(head);
	struct order o;
	char err[128];

	(void)state;
	if (big == NULL) {      /* (not assert_non_null: GCC's -O1 bounds check can't see through it) */
		fail();
		return;
	}
	/* exactly ORDER_JSON_MAX bytes is fine */
	memcpy(big, head, hl);
	memset(big + hl, 'a', ORDER_JSON_MAX - hl - 2);
	memcpy(big + ORDER_JSON_MAX - 2, "\"}", 2);
	assert_int_equal(parse_n(big, ORDER_JSON_MAX, &o, err, sizeof err), 0);
	/* one more byte is refused, before anything else is looked at */
	memcpy(big + ORDER_JSON_MAX - 2, "a\"}", 3);
	expect_refused_n(big, n, "payload larger than 1048576 bytes");
	memset(big, '[', n);
	expect_refused_n(big, n, "payload larger than 1048576 bytes");
	free(big);
}

static void
test_hostile_nesting(void **state)
{
	size_t n = 100000;
	char *deep = malloc(2 * n + 256);
	char buf[256];
	size_t k;
	struct order o;

	(void)state;
	assert_non_null(deep);
	memset(deep, '[', n);
	expect_refused_n(deep, n, "nested too deeply");
	memset(deep, '{', n);
	expect_refused_n(deep, n, "nested too deeply");
	/* deeply nested inside an unknown field of a valid order, closed */
	k = (size_t)snprintf(deep, 256, "{" BASE ",\"quantity\":1,\"x\":");
	memset(deep + k, '[', n);
	memset(deep + k + n, ']', n);
	deep[k + 2 * n] = '}';
	expect_refused_n(deep, k + 2 * n + 1, "nested too deeply");
	free(deep);

	/* ORDER_DEPTH_MAX levels are fine (the object is level 1) ... */
	k = (size_t)snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,\"x\":");
	memset(buf + k, '[', ORDER_DEPTH_MAX - 1);
	memset(buf + k + ORDER_DEPTH_MAX - 1, ']', ORDER_DEPTH_MAX - 1);
	buf[k + 2 * (ORDER_DEPTH_MAX - 1)] = '}';
	buf[k + 2 * (ORDER_DEPTH_MAX - 1) + 1] = '\0';
	expect_ok(buf, &o);
	/* ... one more is not */
	k = (size_t)snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,\"x\":");
	memset(buf + k, '[', ORDER_DEPTH_MAX);
	memset(buf + k + ORDER_DEPTH_MAX, ']', ORDER_DEPTH_MAX);
	buf[k + 2 * ORDER_DEPTH_MAX] = '}';
	buf[k + 2 * ORDER_DEPTH_MAX + 1] = '\0';
	expect_refused(buf, "nested too deeply");
	/* brackets inside strings do not count, nor do escaped quotes */
	expect_ok("{" BASE ",\"quantity\":1,\"x\":\"[[[[[[[[[[[[[[[[[[[[[[[[\","
	    "\"y\":\"\\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\"}", &o);
}

static void
test_hostile_nul(void **state)
{
	static const char with_nul[] =
	    "{\"order_id\":\"12\0" "345\",\"user_id\":\"u\",\"item\":\"i\","
	    "\"quantity\":1}";

	(void)state;
	/* a raw NUL inside a string value (sizeof - 1: the literal's NUL) */
	expect_refused_n(with_nul, sizeof with_nul - 1,
	    "payload contains a NUL byte");
	/* a NUL after a complete object */
	expect_refused_n(MINIMAL "\0", sizeof MINIMAL,
	    "payload contains a NUL byte");
	/* the \u0000 escape, which cJSON would turn into an early end */
	expect_refused("{\"order_id\":\"12\\u00003\",\"user_id\":\"u\","
	    "\"item\":\"i\",\"quantity\":1}", "payload contains a NUL byte");
	expect_refused("{" BASE ",\"quantity\":1,\"x\":\"\\u0000\"}",
	    "payload contains a NUL byte");
}

static void
test_hostile_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "\xfe", "\x80", "\xbf",           /* not a lead byte */
		"\xe6\x97", "\xc3",                        /* truncated */
		"\xc0\xaf", "\xc1\xbf",                    /* overlong 2-byte */
		"\xe0\x80\xaf", "\xe0\x9f\xbf",            /* overlong 3-byte */
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf",    /* overlong 4-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",            /* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",    /* > U+10FFFF */
		"\xe6\x97\xa5\x41\x97",                    /* stray continuation */
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(buf, sizeof buf, "{\"order_id\":\"1%s\",\"user_id\":"
		    "\"u\",\"item\":\"i\",\"quantity\":1}", bad[i]);
		expect_refused(buf, "invalid UTF-8");
		/* also in a field nobody reads */
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,\"x\":\"%s\"}",
		    bad[i]);
		expect_refused(buf, "invalid UTF-8");
	}
	/* and outside any string */
	expect_refused("{" BASE ",\"quantity\":1}\xff", "invalid UTF-8");
	/* a bad byte at every offset of the blocks the check skips at once */
	for (int k = 0; k < 40; k++) {
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,\"pad\":\"%*s\xff%*s\"}",
		         k, "", 40 - k, "");
		expect_refused(buf, "invalid UTF-8");
		snprintf(buf, sizeof buf, "{" BASE ",\"quantity\":1,\"pad\":\"%*s\xc3\xa9%*s\"}",
		         k, "", 40 - k, "");
		struct order ok;
		char why[160];
		assert_int_equal(order_parse(buf, strlen(buf), &ok, why, sizeof why), 0);
	}
	/* the edges of the valid ranges are accepted */
	struct order o;
	expect_ok("{\"order_id\":\"\xc2\xa0\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
	    "\xee\x80\x80\xef\xbf\xbd\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\","
	    "\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1}", &o);
}

static void
test_error_buffer(void **state)
{
	struct order o;
	char err[8];

	(void)state;
	memset(err, 'Z', sizeof err);
	assert_int_equal(parse("{}", &o, err, sizeof err), -1);
	assert_string_equal(err, "missing");     /* truncated, terminated */
	assert_int_equal(parse("{}", &o, NULL, 0), -1);
	assert_int_equal(parse("[]", &o, err, 0), -1);
	assert_int_equal(order_parse(NULL, 0, &o, err, sizeof err), -1);
}

static void
test_out_untouched_on_error(void **state)
{
	struct order o, before;
	char err[64];

	(void)state;
	memset(&o, 0x5a, sizeof o);
	before = o;
	assert_int_equal(parse("{" BASE ",\"quantity\":2.5}", &o, err,
	    sizeof err), -1);
	assert_memory_equal(&o, &before, sizeof o);
}

static void
assert_orders_equal(const struct order *a, const struct order *b)
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

static void
test_round_trip(void **state)
{
	struct order o, back;
	char err[128], *js;

	(void)state;
	memset(&o, 0, sizeof o);
	strcpy(o.order_id, "host-1a2b-42");
	strcpy(o.user_id, "user0042");
	strcpy(o.item, "b\xc3\xbc" "cher \"quoted\" \\ slash");
	o.quantity = 7;
	o.unit_price = 18.5;
	o.has_unit_price = true;
	strcpy(o.currency, "USD");
	strcpy(o.country, "DE");
	strcpy(o.card_country, "FR");
	o.created_at_ms = 1712345678901LL;
	js = order_json(&o);
	assert_non_null(js);
	assert_int_equal(parse(js, &back, err, sizeof err), 0);
	assert_orders_equal(&o, &back);
	free(js);

	/* odd prices survive to the last-but-one bit: cJSON 1.7.15 prints
	 * 0.1 + 0.2 as 0.3 (its %.15g round-trip check has a tolerance) */
	o.unit_price = 0.1 + 0.2;
	js = order_json(&o);
	assert_int_equal(parse(js, &back, err, sizeof err), 0);
	assert_true(fabs(back.unit_price - o.unit_price) <= 1e-15 * o.unit_price);
	o.unit_price = 1234567.891;
	free(js);
	js = order_json(&o);
	assert_int_equal(parse(js, &back, err, sizeof err), 0);
	assert_true(back.unit_price == o.unit_price);
	free(js);

	/* absent optionals are omitted, and come back absent */
	memset(&o, 0, sizeof o);
	strcpy(o.order_id, "12345");
	strcpy(o.user_id, "user789");
	strcpy(o.item, "laptop");
	o.quantity = 2;
	js = order_json(&o);
	assert_string_equal(js, "{\"order_id\":\"12345\",\"user_id\":\"user789\","
	    "\"item\":\"laptop\",\"quantity\":2}");
	assert_int_equal(parse(js, &back, err, sizeof err), 0);
	assert_orders_equal(&o, &back);
	free(js);
}

static void
expect_field(const char *field, const char *text, const char *reason)
{
	char err[128] = "";
	int rc = order_validate_field(field, text, err, sizeof err);

	if (reason == NULL) {
		if (rc != 0)
			print_error("%s=\"%s\" refused: %s\n", field, text, err);
		assert_int_equal(rc, 0);
	} else {
		if (rc != -1 || strcmp(err, reason) != 0)
			print_error("%s=\"%s\": want %s, got rc=%d %s\n", field,
			    text, reason, rc, err);
		assert_int_equal(rc, -1);
		assert_string_equal(err, reason);
	}
}

static void
test_validate_field(void **state)
{
	(void)state;
	expect_field("order_id", "", NULL);
	expect_field("order_id", "   ", NULL);
	expect_field("order_id", "A-1", NULL);
	expect_field("order_id", "a\x1b" "b", "order_id contains a control character");
	expect_field("user_id", "user0001", NULL);
	expect_field("user_id", "  user0001   ", NULL);  /* form padding */
	expect_field("user_id", "", "user_id is empty");
	expect_field("user_id",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "user_id longer than 64 bytes");
	expect_field("user_id", "\xff", "invalid UTF-8");
	expect_field("item", "laptop", NULL);
	expect_field("item", "", "item is empty");
	expect_field("quantity", "2", NULL);
	expect_field("quantity", "1000000000", NULL);
	expect_field("quantity", "", "quantity must be an integer > 0");
	expect_field("quantity", "0", "quantity must be an integer > 0");
	expect_field("quantity", "2.5", "quantity must be an integer > 0");
	expect_field("quantity", "-1", "quantity must be an integer > 0");
	expect_field("quantity", "1e3", "quantity must be an integer > 0");
	expect_field("quantity", "two", "quantity must be an integer > 0");
	expect_field("quantity", "1000000001", "quantity must be <= 1000000000");
	expect_field("unit_price", "", NULL);
	expect_field("unit_price", "199.99", NULL);
	expect_field("unit_price", "0", NULL);
	expect_field("unit_price", "5.", NULL);
	expect_field("unit_price", "-5", "unit_price must be a number >= 0");
	expect_field("unit_price", "1.2.3", "unit_price must be a number >= 0");
	expect_field("unit_price", ".", "unit_price must be a number >= 0");
	expect_field("unit_price", "inf", "unit_price must be a number >= 0");
	expect_field("unit_price", "nan", "unit_price must be a number >= 0");
	expect_field("unit_price", "0x10", "unit_price must be a number >= 0");
	expect_field("unit_price", "2000000000", "unit_price must be <= 1000000000");
	expect_field("currency", "", NULL);
	expect_field("currency", "usd", NULL);
	expect_field("currency", "US", "currency must be 3 letters");
	expect_field("currency", "EURO", "currency must be 3 letters");
	expect_field("country", "de", NULL);
	expect_field("country", "", "country must be 2 letters");
	expect_field("country", "DEU", "country must be 2 letters");
	expect_field("card_country", "", NULL);
	expect_field("card_country", "FR", NULL);
	expect_field("card_country", "F1", "card_country must be 2 letters");
	expect_field("colour", "red", "unknown field colour");
	expect_field("user_id", NULL, "user_id is empty");
}

static void
test_status_names(void **state)
{
	static const char *const names[] = {
		"NEW", "APPROVED", "REFUSED", "NOTIFIED", "DEAD_LETTERED",
	};

	(void)state;
	assert_int_equal(sizeof names / sizeof names[0], ORDER_STATUS__COUNT);
	for (int i = 0; i < ORDER_STATUS__COUNT; i++) {
		assert_string_equal(order_status_name((enum order_status)i),
		    names[i]);
		assert_int_equal(order_status_parse(names[i]), i);
	}
	assert_int_equal(order_status_parse("approved"), -1);
	assert_int_equal(order_status_parse(""), -1);
	assert_int_equal(order_status_parse(NULL), -1);
	assert_string_equal(order_status_name(ORDER_STATUS__COUNT), "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_full),
		cmocka_unit_test(test_valid_minimal),
		cmocka_unit_test(test_valid_edges),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_not_object),
		cmocka_unit_test(test_missing_and_types),
		cmocka_unit_test(test_text_fields),
		cmocka_unit_test(test_quantity),
		cmocka_unit_test(test_unit_price),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_created_at),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_hostile_size),
		cmocka_unit_test(test_hostile_nesting),
		cmocka_unit_test(test_hostile_nul),
		cmocka_unit_test(test_hostile_utf8),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_out_untouched_on_error),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_validate_field),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
