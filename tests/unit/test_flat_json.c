/*
 * test_flat_json.c — the flat-object reader and the strict cursor, and the
 * promise that makes the reader safe: order_parse(), notice_parse() and
 * decided_parse() answer exactly as their cJSON paths do
 * (tests/support/reference_json.c), on ordertop's own records and on many
 * mutations of them
 * (every text the reader declines goes to cJSON, so only texts it accepts
 * can differ, and those are compared field by field and error by error).
 *
 * Texts are handed over in heap buffers of exactly their length, so ASan
 * catches a read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "decided_json.h"
#include "decision.h"
#include "flat_json.h"
#include "generator.h"
#include "json_writer.h"
#include "notification_json.h"
#include "notified_json.h"
#include "order.h"
#include "order_json.h"
#include "support/reference_json.h"

/* The writers into a writer of their own: malloc'd text. */
static char *
decided_text(const char *order, size_t len, const struct decision *d)
{
	struct json_writer w;

	json_writer_init(&w);
	assert_int_equal(decided_json_write(&w, order, len, NULL, 0, d), 0);
	return json_writer_finish(&w);
}

static char *
notification_text(const struct order *o, const struct decision *d)
{
	struct json_writer w;

	json_writer_init(&w);
	notification_json_write(&w, o, d);
	return json_writer_finish(&w);
}

static char *
notified_text(const struct notice *n, int64_t at_ms, const char *channel, int attempts)
{
	struct json_writer w;

	json_writer_init(&w);
	notified_json_write(&w, n, at_ms, channel, attempts);
	return json_writer_finish(&w);
}

/* The members point into the copy: it lives until the next call. */
static int
members_n(const char *s, size_t n, struct flat_member *m, int max)
{
	static char *buf;
	free(buf);
	buf = malloc(n > 0 ? n : 1);
	assert_non_null(buf);
	memcpy(buf, s, n);
	return flat_json_members(buf, n, m, max);
}

static int
members(const char *s, struct flat_member *m, int max)
{
	return members_n(s, strlen(s), m, max);
}

static void
test_reads_members(void **state)
{
	(void)state;
	struct flat_member m[8];
	const char *s = " {\"a\":\"x y\", \"b\" : -12.5,\"c\":true,\"d\":false,\"e\":null,"
	                "\"\":0,\"g\":\"\xc3\xa9\"}\r\n";

	assert_int_equal(members(s, m, 8), 7);
	assert_true(flat_key_is(&m[0], "a"));
	assert_int_equal(m[0].type, FLAT_STRING);
	assert_int_equal(m[0].len, 3);
	assert_memory_equal(m[0].text, "x y", 3);
	assert_true(flat_key_is(&m[1], "b"));
	assert_false(flat_key_is(&m[1], "bb"));
	assert_false(flat_key_is(&m[1], ""));
	assert_int_equal(m[1].type, FLAT_NUMBER);
	assert_true(m[1].number == -12.5);
	assert_int_equal(m[1].len, 5);
	assert_int_equal(m[2].type, FLAT_TRUE);
	assert_int_equal(m[3].type, FLAT_FALSE);
	assert_int_equal(m[4].type, FLAT_NULL);
	assert_int_equal(m[5].key_len, 0);
	assert_true(flat_key_is(&m[5], ""));
	assert_int_equal(m[6].len, 2);
	assert_int_equal(members("{}", m, 8), 0);
	s = "{\"a\":[1,{\"b\":[true,null,\"x\",-1.5e+3,0.12345678901234567]}],\"c\" : { } }";
	assert_int_equal(members(s, m, 8), 2);
	assert_int_equal(m[0].type, FLAT_NESTED);
	assert_int_equal(m[0].len, strlen("[1,{\"b\":[true,null,\"x\",-1.5e+3,0.12345678901234567]}]"));
	assert_memory_equal(m[0].text, "[1,{", 4);
	assert_int_equal(m[1].type, FLAT_NESTED);
	assert_int_equal(m[1].len, 3);

	/* Arrays: elements with empty keys; an object element read again. */
	struct flat_member el[4], inner[4];
	s = " [{\"id\":\"velocity\",\"reason\":\"more than 5\"}, 7, \"x\"] ";
	assert_int_equal(flat_json_elements(s, strlen(s), el, 4), 3);
	assert_int_equal(el[0].type, FLAT_NESTED);
	assert_int_equal(el[0].key_len, 0);
	assert_int_equal(flat_json_members(el[0].text, el[0].len, inner, 4), 2);
	assert_true(flat_key_is(&inner[0], "id"));
	assert_memory_equal(inner[0].text, "velocity", 8);
	assert_true(el[1].type == FLAT_NUMBER && el[1].number == 7);
	assert_int_equal(el[2].type, FLAT_STRING);
	assert_int_equal(flat_json_elements("[]", 2, el, 4), 0);
	assert_int_equal(flat_json_elements("{}", 2, el, 4), -1);
	assert_int_equal(flat_json_elements("[1,2,3,4,5]", 11, el, 4), -1);
	assert_int_equal(members("\t{ }\n", m, 8), 0);
	assert_true(members("{\"n\":-0}", m, 8) == 1 && m[0].number == 0 && signbit(m[0].number));
}

/* Everything it declines, so cJSON decides. */
static void
test_declines(void **state)
{
	(void)state;
	struct flat_member m[4];
	static const char *const no[] = {
		"", " ", "[]", "\"x\"", "1", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
		"{,\"a\":1}", "{\"a\":1 \"b\":2}", "{\"a\":1}x", "{\"a\":1}{}", "{a:1}",
		"{\"a\":[1,]}", "{\"a\":{1:2}}", "{\"a\":[\"\\n\"]}", "{\"a\":[01]}",
		"{\"a\":[1e]}", "{\"a\":[}", "{\"a\":{\"b\"}}", "{\"a\":[1 2]}", "{\"a\":\"x\\\"y\"}", "{\"a\\n\":1}",
		"{\"a\":\"x\ty\"}", "{\"a\":\"\x01\"}", "{\"a\":\"open}", "{\"a\":01}",
		"{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":-}", "{\"a\":1e3}",
		"{\"a\":1E-3}", "{\"a\":1234567890123456}", "{\"a\":0.1234567890123456}",
		"{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":Infinity}",
		"\f{\"a\":1}", "{\"a\":1}\v", "\xef\xbb\xbf{}", "{'a':1}",
		"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}",      /* more than max (4) */
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		if (members(no[i], m, 4) != -1)
			fail_msg("read as flat: %s", no[i]);
	}
	assert_int_equal(members_n("{\"a\":1}\0", 8, m, 4), -1);
	/* 16 levels counting the outer object are read, 17 are not. */
	char deep[64] = "{\"a\":";
	for (int d = 0; d < 15; d++)
		strcat(deep, "[");
	for (int d = 0; d < 15; d++)
		strcat(deep, "]");
	strcat(deep, "}");
	assert_int_equal(members(deep, m, 4), 1);
	deep[5] = '\0';
	for (int d = 0; d < 16; d++)
		strcat(deep, "[");
	for (int d = 0; d < 16; d++)
		strcat(deep, "]");
	strcat(deep, "}");
	assert_int_equal(members(deep, m, 4), -1);
	assert_int_equal(flat_json_members(NULL, 0, m, 4), -1);
}

/* xorshift64: the tests' reproducible randomness. */
static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The cursor's members of s (a heap copy of exactly its bytes), joined as
 * "key=type:text;" into out; its last answer (0 or -1). */
static int
cursor_walk(const char *s, size_t n, char *out, size_t outlen)
{
	char *buf = malloc(n > 0 ? n : 1);
	struct flat_cursor c;
	struct flat_member m;
	size_t used = 0;
	int rc;

	assert_non_null(buf);
	memcpy(buf, s, n);
	out[0] = '\0';
	rc = flat_cursor_begin(&c, buf, n);
	while (rc >= 0 && (rc = flat_cursor_next(&c, &m)) == 1) {
		int w = snprintf(out + used, outlen - used, "%.*s=%d:%.*s;", (int)m.key_len, m.key,
		                 (int)m.type, (int)m.len, m.text);
		assert_true(w > 0 && (size_t)w < outlen - used);
		used += (size_t)w;
		assert_ptr_equal(flat_member_end(&m),
		                 m.text + m.len + (m.type == FLAT_STRING ? 1 : 0));
	}
	free(buf);
	return rc;
}

static void
test_cursor(void **state)
{
	(void)state;
	char out[512];
	const char *s = " { \"a\\n\" : \"x\\\"y\\u00e9\\ud83d\\ude00\" ,\"n\":12345678901234567890123,"
	                "\"e\":-1.5E+300, \"t\":true,\"f\":false,\"z\":null,"
	                "\"o\":{ \"k\" : [1, \"\\t\"] },\"\":[]}\n";

	assert_int_equal(cursor_walk(s, strlen(s), out, sizeof out), 0);
	assert_string_equal(out, "a\\n=0:x\\\"y\\u00e9\\ud83d\\ude00;n=1:12345678901234567890123;"
	                    "e=1:-1.5E+300;t=2:true;f=3:false;z=4:null;o=5:{ \"k\" : [1, \"\\t\"] };=5:[];");
	assert_int_equal(cursor_walk("{}", 2, out, sizeof out), 0);
	assert_string_equal(out, "");

	/* Not strict JSON: cJSON takes some of these; the cursor none. */
	static const char *const no[] = {
		"", "[]", "{", "{\"a\":1", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
		"{\"a\":+1}", "{\"a\":1e}", "{\"a\":1 2}", "{\"a\":1}x", "{\"a\":\"\x01\"}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\u00\"}", "{\"a\":[1,]}", "{\"a\":tru}",
		"\f{\"a\":1}", "{\"a\":1}\v", "{a:1}", "{\"a\":1,,\"b\":2}", "{\"a\":[\"\\q\"]}",
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (cursor_walk(no[i], strlen(no[i]), out, sizeof out) != -1)
			fail_msg("walked: %s", no[i]);
}

/* What the cursor walks to the end cJSON reads too (the decided order is
 * spliced from such text without cJSON looking at it), over many
 * mutations of texts with escapes, long numbers and nesting. */
static void
test_cursor_within_cjson(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"{\"a\":\"x\\\"y\\u00e9\",\"n\":-12.5e-3,\"b\":[true,{\"c\":null}],\"k\":\"\\ud83d\\ude00\"}",
		"{ \"order_id\" : \"1\", \"ref\": 12345678901234567891, \"s\":\"\\/\\b\\f\\n\\r\\t\" }",
	};
	static const char alphabet[] = "{}[]\":,\\ 0123456789.eE+-tfnulux\t\n\x01" "dD";
	uint64_t x = 0x2545F4914F6CDD1DULL;
	int walked = 0;
	char out[1024];

	for (int iter = 0; iter < 60000; iter++) {
		char buf[256];
		const char *seed = seeds[iter % 2];
		size_t n = strlen(seed);

		memcpy(buf, seed, n);
		for (int e = 0; e < 1 + iter % 3; e++) {
			size_t pos = (size_t)(next_random(&x) % n);
			char c = alphabet[(x >> 32) % (sizeof alphabet - 1)];
			switch ((x >> 20) % 3) {
			case 0:
				buf[pos] = c;
				break;
			case 1:
				memmove(buf + pos + 1, buf + pos, n - pos);
				buf[pos] = c;
				n++;
				break;
			default:
				memmove(buf + pos, buf + pos + 1, n - pos - 1);
				n--;
				break;
			}
		}
		if (cursor_walk(buf, n, out, sizeof out) != 0)
			continue;
		walked++;
		buf[n] = '\0';
		cJSON *root = cJSON_ParseWithLengthOpts(buf, n + 1, NULL, 1);
		if (!cJSON_IsObject(root))
			fail_msg("walked, but cJSON refuses: %s", buf);
		cJSON_Delete(root);
	}
	assert_true(walked > 3000);
}

/* A member cJSON read, found in the text as written; integers exactly. */
static void
test_member_of_and_uint64(void **state)
{
	(void)state;
	const char *s = "\xef\xbb\xbf { \"a\":\"\\u0041\", \"a\":[1], \"v\" : 18446744073709551615 }";
	cJSON *root = cJSON_Parse(s);
	struct flat_member m;
	uint64_t v = 0;

	assert_non_null(root);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "v");
	assert_true(flat_member_of(s, strlen(s), root, item, &m));
	assert_true(flat_uint64(m.text, m.len, &v));
	assert_true(v == UINT64_MAX);
	assert_true(flat_member_of(s, strlen(s), root, root->child->next, &m));
	assert_int_equal(m.type, FLAT_NESTED);
	assert_false(flat_member_of(s, strlen(s), root, root, &m));   /* not a member */
	cJSON_Delete(root);
	/* cJSON reads 01; the text up to it is not strict JSON */
	s = "{\"v\":01}";
	root = cJSON_Parse(s);
	assert_non_null(root);
	assert_false(flat_member_of(s, strlen(s), root, root->child, &m));
	cJSON_Delete(root);

	static const struct { const char *text; bool ok; uint64_t v; } cases[] = {
		{ "0", true, 0 }, { "9007199254740993", true, 9007199254740993ULL },
		{ "18446744073709551615", true, UINT64_MAX }, { "18446744073709551616", false, 0 },
		{ "99999999999999999999", false, 0 }, { "", false, 0 }, { "-1", false, 0 },
		{ "1.0", false, 0 }, { "1e3", false, 0 }, { "+1", false, 0 }, { " 1", false, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = 7;
		bool ok = flat_uint64(cases[i].text, strlen(cases[i].text), &v);
		if (ok != cases[i].ok || (ok && v != cases[i].v))
			fail_msg("%s: %d %" PRIu64, cases[i].text, ok, v);
	}
}

/* Numbers it reads have strtod's value, bit for bit. */
static void
test_numbers_match_strtod(void **state)
{
	(void)state;
	struct flat_member m[1];
	char text[64], json[96];
	uint64_t x = 88172645463325252ull;

	for (int i = 0; i < 200000; i++) {
		next_random(&x);
		int digits = 1 + (int)(x % 15), frac = (int)((x >> 8) % (uint64_t)(digits + 1));
		int len = 0;
		if ((x >> 16) & 1)
			text[len++] = '-';
		int whole = digits - frac;
		uint64_t y = x >> 20;
		if (whole == 0)
			text[len++] = '0';
		for (int d = 0; d < whole; d++, y /= 10)
			text[len++] = (char)('0' + (d == 0 ? 1 + y % 9 : y % 10));
		if (frac > 0) {
			text[len++] = '.';
			for (int d = 0; d < frac; d++, y /= 10)
				text[len++] = (char)('0' + y % 10);
		}
		text[len] = '\0';
		snprintf(json, sizeof json, "{\"v\":%s}", text);
		if (members(json, m, 1) != 1)
			fail_msg("declined %s", text);
		double want = strtod(text, NULL);
		if (memcmp(&want, &m[0].number, sizeof want) != 0)
			fail_msg("%s: %.17g, strtod %.17g", text, m[0].number, want);
	}
}

/* ---- order_parse and notice_parse against their cJSON paths ---- */

static void
same_order(const char *text, size_t n)
{
	char *buf = malloc(n > 0 ? n : 1);
	struct order a, b;
	char ea[160] = "", eb[160] = "";

	assert_non_null(buf);
	memcpy(buf, text, n);
	memset(&a, 0x55, sizeof a);
	memset(&b, 0x55, sizeof b);
	int ra = order_parse(buf, n, &a, ea, sizeof ea);
	int rb = reference_order_parse(buf, n, &b, eb, sizeof eb);
	free(buf);
	if (ra != rb || strcmp(ea, eb) != 0)
		fail_msg("%.*s: %d '%s', cJSON %d '%s'", (int)n, text, ra, ea, rb, eb);
	if (ra == 0 && (strcmp(a.order_id, b.order_id) || strcmp(a.user_id, b.user_id) ||
	                strcmp(a.item, b.item) || a.quantity != b.quantity ||
	                memcmp(&a.unit_price, &b.unit_price, sizeof a.unit_price) ||
	                a.has_unit_price != b.has_unit_price || strcmp(a.currency, b.currency) ||
	                strcmp(a.country, b.country) || strcmp(a.card_country, b.card_country) ||
	                a.created_at_ms != b.created_at_ms))
		fail_msg("%.*s: fields differ", (int)n, text);
}

/* A mutation of text into out: a byte changed, removed or repeated, or a
 * token put in, at a place chosen by r. */
static size_t
mutate(const char *text, size_t n, uint64_t r, char *out)
{
	static const char *const tokens[] = {
		"\"", ",", ":", "{", "}", "[1]", " ", "\\n", "\\u00e9", "null", "-", ".", "e5", "0",
		"\"quantity\":3,", "\"order_id\":\"x\",", "\x01", "\xff", "\"\"", "1.25", "true",
	};
	size_t at = (size_t)(r % (n + 1)), len = 0;
	int how = (int)((r >> 32) % 4);
	const char *tok = tokens[(r >> 40) % (sizeof tokens / sizeof tokens[0])];

	memcpy(out, text, at);
	len = at;
	switch (how) {
	case 0:                     /* change one byte */
		if (at < n) {
			out[len++] = (char)(text[at] ^ (1 << ((r >> 48) % 7)));
			at++;
		}
		break;
	case 1:                     /* remove one byte */
		at += at < n;
		break;
	case 2:                     /* repeat one byte */
		if (at < n)
			out[len++] = text[at];
		break;
	default:                    /* put a token in */
		memcpy(out + len, tok, strlen(tok));
		len += strlen(tok);
		break;
	}
	memcpy(out + len, text + at, n - at);
	return len + n - at;
}

/* same() on text, then on `mutations` mutations of it. */
static void
check_with_mutations(void (*same)(const char *, size_t), const char *text, int mutations,
                     uint64_t *x)
{
	char mutated[2048];
	size_t n = strlen(text);

	assert_true(n + 16 < sizeof mutated);
	same(text, n);
	for (int k = 0; k < mutations; k++)
		same(mutated, mutate(text, n, next_random(x), mutated));
}

static void
test_order_parse_agrees_with_cjson(void **state)
{
	(void)state;
	struct generator *g = generator_new(7, 0.2, "t");
	uint64_t x = 0x9E3779B97F4A7C15ull;
	static const char *const fixed[] = {
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":2.0}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1,\"unit_price\":null,"
		"\"currency\":\"eur\",\"country\":null,\"extra\":[1,{\"a\":2}]}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1,\"order_id\":\"2\"}",
		"{\"order_id\":\"\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1}",
		"{\"order_id\":\"1\",\"user_id\":\"u\\u0001\",\"item\":\"i\",\"quantity\":1}",
		"{\"order_id\":\"1\",\"user_id\":\"\x7f\",\"item\":\"i\",\"quantity\":1}",
		"{\"order_id\":\"1\",\"user_id\":\"\xc2\x85\",\"item\":\"i\",\"quantity\":1}",
		"{\"order_id\":1,\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":-0.5}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1000000001}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1,\"created_at\":-1}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1,\"unit_price\":-0}",
		"{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"i\",\"quantity\":1,\"card_country\":\"d\"}",
	};

	assert_non_null(g);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same_order(fixed[i], strlen(fixed[i]));
	for (int i = 0; i < 20000; i++) {
		struct order o;
		generator_next(g, &o, 1700000000000 + i);
		char *json = order_json(&o);
		assert_non_null(json);
		check_with_mutations(same_order, json, 4, &x);
		free(json);
	}
	generator_free(g);
}

static void
same_notice(const char *text, size_t n)
{
	char *buf = malloc(n > 0 ? n : 1);
	struct notice a, b;
	char ea[160] = "", eb[160] = "";

	assert_non_null(buf);
	memcpy(buf, text, n);
	memset(&a, 0x55, sizeof a);
	memset(&b, 0x55, sizeof b);
	int ra = notice_parse(buf, n, &a, ea, sizeof ea);
	int rb = reference_notice_parse(buf, n, &b, eb, sizeof eb);
	free(buf);
	if (ra != rb || strcmp(ea, eb) != 0)
		fail_msg("%.*s: %d '%s', cJSON %d '%s'", (int)n, text, ra, ea, rb, eb);
	if (ra == 0 && (strcmp(a.order_id, b.order_id) || strcmp(a.user_id, b.user_id) ||
	                strcmp(a.status, b.status) || strcmp(a.decision, b.decision) ||
	                memcmp(&a.total, &b.total, sizeof a.total) || a.at_ms != b.at_ms ||
	                a.created_ms != b.created_ms || a.decided_ms != b.decided_ms))
		fail_msg("%.*s: fields differ", (int)n, text);
}

static void
test_notice_parse_agrees_with_cjson(void **state)
{
	(void)state;
	struct generator *g = generator_new(11, 0.2, "t");
	uint64_t x = 0xD1B54A32D192ED03ull;
	static const char *const fixed[] = {
		"{\"order_id\":\"1\",\"order_id\":\"2\",\"total\":1}",
		"{\"order_id\":\"1\",\"at\":null,\"notified_at\":12}",
		"{\"order_id\":\"1\",\"at\":9007199254740993}",
		"{\"order_id\":\"1\",\"status\":\"0123456789abcdef\"}",
		"{\"order_id\":\"\"}", "{\"user_id\":\"u\"}", "{\"order_id\":\"1\",\"total\":\"3\"}",
	};

	assert_non_null(g);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same_notice(fixed[i], strlen(fixed[i]));
	for (int i = 0; i < 20000; i++) {
		struct order o;
		struct decision d = { .status = i % 10 ? ORDER_APPROVED : ORDER_REFUSED,
		                      .total = 12.5 * (i % 7), .decided_at_ms = 1700000000000 + i,
		                      .created_at_ms = i % 5 ? 1699999999000 + i : 0 };
		generator_next(g, &o, d.decided_at_ms);
		char *notice = notification_text(&o, &d);
		struct notice read;
		assert_int_equal(notice_parse(notice, strlen(notice), &read, NULL, 0), 0);
		char *notified = notified_text(&read, d.decided_at_ms + 3, "log", 1);
		assert_non_null(notice);
		assert_non_null(notified);
		const char *texts[2] = { notice, notified };
		for (int t = 0; t < 2; t++)
			check_with_mutations(same_notice, texts[t], 1, &x);
		free(notice);
		free(notified);
	}
	generator_free(g);
}

static void
same_decided(const char *text, size_t n)
{
	char *buf = malloc(n > 0 ? n : 1);
	struct decided a, b;

	assert_non_null(buf);
	memcpy(buf, text, n);
	memset(&a, 0x55, sizeof a);
	memset(&b, 0x55, sizeof b);
	int ra = decided_parse(buf, n, &a);
	int rb = reference_decided_parse(buf, n, &b);
	free(buf);
	if (ra != rb)
		fail_msg("%.*s: %d, cJSON %d", (int)n, text, ra, rb);
	if (ra == 0 && (strcmp(a.order_id, b.order_id) || strcmp(a.user_id, b.user_id) ||
	                strcmp(a.item, b.item) || memcmp(&a.total, &b.total, sizeof a.total) ||
	                a.rules_version != b.rules_version || strcmp(a.fired, b.fired) ||
	                a.replay != b.replay || a.created_ms != b.created_ms ||
	                a.decided_ms != b.decided_ms))
		fail_msg("%.*s: fields differ ('%s' / '%s')", (int)n, text, a.fired, b.fired);
}

static void
test_decided_parse_agrees_with_cjson(void **state)
{
	(void)state;
	struct generator *g = generator_new(13, 0.3, "t");
	uint64_t x = 0xA0761D6478BD642Full;
	static const char *const ids[] = { "velocity", "replay", "total_limit", "card_mismatch" };
	static const char *const fixed[] = {
		"{\"order_id\":\"1\",\"rules_fired\":{\"a\":{\"id\":\"replay\"},\"b\":[1]}}",
		"{\"order_id\":\"1\",\"rules_fired\":[[{\"id\":\"x\"}],{\"id\":1,\"id\":\"y\"},{\"id\":\"z\"}]}",
		"{\"order_id\":\"1\",\"rules_fired\":\"velocity\",\"total\":\"3\"}",
		"{\"order_id\":\"1\",\"order_id\":\"2\",\"user_id\":7} trailing",
		"{\"user_id\":\"u\"}", "[1]", "{\"order_id\":\"1\",\"rules_fired\":[{\"id\":\"\\u0041\"}]}",
		"{\"order_id\":\"1\",\"rules_fired\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},"
		"{\"id\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"},{\"id\":\"replay\"}]}",
	};

	assert_non_null(g);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same_decided(fixed[i], strlen(fixed[i]));
	for (int i = 0; i < 20000; i++) {
		struct order o;
		struct decision d = { .status = i % 3 ? ORDER_APPROVED : ORDER_REFUSED,
		                      .total = 12.5 * (i % 7), .rules_version = (uint64_t)i,
		                      .decided_at_ms = 1700000000000 + i,
		                      .created_at_ms = 1699999999000 + i, .created_at_added = i % 2 };
		snprintf(d.decided_by, sizeof d.decided_by, "w-%d", i % 3);
		d.n_fired = i % 4;
		for (int f = 0; f < d.n_fired; f++) {
			snprintf(d.fired[f].id, sizeof d.fired[f].id, "%s", ids[(i + f) % 4]);
			snprintf(d.fired[f].reason, sizeof d.fired[f].reason, "reason \"%d\"", f);
		}
		generator_next(g, &o, d.decided_at_ms);
		char *order = order_json(&o);
		assert_non_null(order);
		char *decided = decided_text(order, strlen(order), &d);
		assert_non_null(decided);
		check_with_mutations(same_decided, decided, 3, &x);
		free(order);
		free(decided);
	}
	generator_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_members),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_numbers_match_strtod),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_cursor_within_cjson),
		cmocka_unit_test(test_member_of_and_uint64),
		cmocka_unit_test(test_order_parse_agrees_with_cjson),
		cmocka_unit_test(test_notice_parse_agrees_with_cjson),
		cmocka_unit_test(test_decided_parse_agrees_with_cjson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
