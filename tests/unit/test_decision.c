/*
 * test_decision.c — the decided order JSON (input kept, decision fields
 * added or replaced), the notification and notified records, and
 * notice_parse and decided_parse reading them back, with the creation and
 * decision times every record after fraud carries.
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

#define RAW_ORDER "{\"order_id\":\"123\",\"user_id\":\"user0007\"," \
	"\"item\":\"laptop\",\"quantity\":2,\"unit_price\":1299," \
	"\"currency\":\"USD\",\"country\":\"US\",\"card_country\":\"US\"," \
	"\"created_at\":1700000000000,\"coupon\":\"SPRING\"," \
	"\"meta\":{\"source\":\"web\",\"tags\":[1,\"two\",null]}}"

/* A heap copy of s without its NUL, so ASan sees reads past the end. */
static char *
exact_copy(const char *s, size_t *len)
{
	char *b;

	*len = strlen(s);
	b = malloc(*len > 0 ? *len : 1);
	assert_non_null(b);
	memcpy(b, s, *len);
	return b;
}

/* decided_json_write() into a writer of its own: malloc'd, or NULL. */
static char *
decided_text(const char *b, size_t n, const struct flat_member *m, int nm,
             const struct decision *d)
{
	struct json_writer w;

	json_writer_init(&w);
	if (decided_json_write(&w, b, n, m, nm, d) < 0) {
		json_writer_discard(&w);
		return NULL;
	}
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

static char *
order_json_of(const char *raw, const struct decision *d)
{
	size_t n;
	char *b = exact_copy(raw, &n), *out;

	out = decided_text(b, n, NULL, 0, d);
	free(b);
	return out;
}

/* decided_json_write() of the bytes, with the members the flat reader
 * finds in them (none when it cannot read them); malloc'd, or NULL. */
static char *
order_write_of(const char *b, size_t n, const struct decision *d)
{
	struct flat_member m[ORDER_FLAT_MEMBERS_MAX];
	struct json_writer w;
	int nm = flat_json_members(b, n, m, ORDER_FLAT_MEMBERS_MAX);

	json_writer_init(&w);
	if (decided_json_write(&w, b, n, m, nm, d) < 0) {
		json_writer_discard(&w);
		return NULL;
	}
	return json_writer_finish(&w);
}

static void
sample_decision(struct decision *d, enum order_status st)
{
	memset(d, 0, sizeof *d);
	d->status = st;
	d->total = 2598.004;
	d->rules_version = 7;
	d->decided_at_ms = 1700000000500LL;
	strcpy(d->decided_by, "fraud-host-1");
	if (st == ORDER_REFUSED) {
		d->n_fired = 2;
		strcpy(d->fired[0].id, "total_limit");
		strcpy(d->fired[0].reason, "total 2598.00 > 2000");
		strcpy(d->fired[1].id, "country_blocklist");
		strcpy(d->fired[1].reason, "ships to KP");
	}
}

static int
count_substr(const char *s, const char *sub)
{
	int n = 0;

	for (const char *p = strstr(s, sub); p != NULL; p = strstr(p + 1, sub))
		n++;
	return n;
}

static void
test_order_json_keeps_input(void **state)
{
	struct decision d;
	char *js;
	cJSON *root, *meta, *tags;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	js = order_json_of(RAW_ORDER, &d);
	assert_non_null(js);
	assert_null(strchr(js, '\n'));          /* unformatted */
	assert_null(strchr(js, '\t'));
	root = cJSON_Parse(js);
	assert_non_null(root);
	/* everything that came in */
	assert_string_equal(cJSON_GetObjectItem(root, "order_id")->valuestring,
	    "123");
	assert_string_equal(cJSON_GetObjectItem(root, "coupon")->valuestring,
	    "SPRING");
	meta = cJSON_GetObjectItem(root, "meta");
	assert_true(cJSON_IsObject(meta));
	assert_string_equal(cJSON_GetObjectItem(meta, "source")->valuestring,
	    "web");
	tags = cJSON_GetObjectItem(meta, "tags");
	assert_int_equal(cJSON_GetArraySize(tags), 3);
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(tags, 2)));
	assert_true(cJSON_GetObjectItem(root, "created_at")->valuedouble ==
	    1700000000000.0);
	cJSON_Delete(root);
	free(js);
}

static void
test_order_json_decision_fields(void **state)
{
	struct decision d;
	char *js;
	cJSON *root, *fired, *r;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	js = order_json_of(RAW_ORDER, &d);
	assert_non_null(js);
	root = cJSON_Parse(js);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring,
	    "REFUSED");
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(root, "total")));
	assert_true(cJSON_GetObjectItem(root, "total")->valuedouble == 2598.0);
	assert_non_null(strstr(js, "\"total\":2598,"));
	assert_true(cJSON_GetObjectItem(root, "rules_version")->valuedouble ==
	    7.0);
	assert_true(cJSON_GetObjectItem(root, "decided_at")->valuedouble ==
	    1700000000500.0);
	assert_string_equal(cJSON_GetObjectItem(root, "decided_by")->valuestring,
	    "fraud-host-1");
	fired = cJSON_GetObjectItem(root, "rules_fired");
	assert_true(cJSON_IsArray(fired));
	assert_int_equal(cJSON_GetArraySize(fired), 2);
	r = cJSON_GetArrayItem(fired, 1);
	assert_string_equal(cJSON_GetObjectItem(r, "id")->valuestring,
	    "country_blocklist");
	assert_string_equal(cJSON_GetObjectItem(r, "reason")->valuestring,
	    "ships to KP");
	cJSON_Delete(root);
	free(js);

	/* approved, no rules fired: an empty array, cents rounding */
	sample_decision(&d, ORDER_APPROVED);
	d.total = 12.345678;
	js = order_json_of(RAW_ORDER, &d);
	assert_non_null(strstr(js, "\"status\":\"APPROVED\""));
	assert_non_null(strstr(js, "\"total\":12.35,"));
	assert_non_null(strstr(js, "\"rules_fired\":[]"));
	free(js);
}

static void
test_order_json_parses_as_order(void **state)
{
	struct decision d;
	struct order o;
	char err[128], *js;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	js = order_json_of(RAW_ORDER, &d);
	assert_int_equal(order_parse(js, strlen(js), &o, err, sizeof err), 0);
	assert_string_equal(o.order_id, "123");
	assert_int_equal(o.quantity, 2);
	assert_true(o.unit_price == 1299.0);
	free(js);
}

static void
test_order_json_replaces_existing(void **state)
{
	struct decision d;
	char *js;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	/* a producer trying to pre-approve its own order, twice */
	js = order_json_of("{\"order_id\":\"1\",\"status\":\"APPROVED\","
	    "\"total\":0,\"status\":\"APPROVED\",\"rules_fired\":\"none\","
	    "\"decided_by\":\"me\",\"decided_at\":1,\"rules_version\":99}", &d);
	assert_non_null(js);
	assert_int_equal(count_substr(js, "\"status\""), 1);
	assert_int_equal(count_substr(js, "\"total\""), 1);
	assert_int_equal(count_substr(js, "\"decided_by\""), 1);
	assert_int_equal(count_substr(js, "\"rules_version\""), 1);
	assert_null(strstr(js, "APPROVED"));
	assert_null(strstr(js, "\"me\""));
	assert_non_null(strstr(js, "\"status\":\"REFUSED\""));
	free(js);

	/* a key spelled with an escape is the same key once decoded */
	js = order_json_of("{\"order_id\":\"1\",\"st\\u0061tus\":\"APPROVED\","
	    "\"x\":1}", &d);
	assert_non_null(js);
	assert_null(strstr(js, "APPROVED"));
	assert_non_null(strstr(js, "{\"order_id\":\"1\",\"x\":1,\"status\":"));
	free(js);
}

/* An order without created_at gains one (its record's time); one that has
 * it keeps its own; a null or 0 one is replaced, never doubled. */
static void
test_order_json_created_at(void **state)
{
	struct decision d;
	struct decided back;
	char *js;

	(void)state;
	sample_decision(&d, ORDER_APPROVED);
	d.created_at_ms = 1700000000042LL;
	d.created_at_added = true;
	js = order_json_of("{\"order_id\":\"1\",\"user_id\":\"u\",\"item\":\"x\","
	    "\"quantity\":1}", &d);
	assert_non_null(js);
	assert_int_equal(count_substr(js, "\"created_at\""), 1);
	assert_int_equal(decided_parse(js, strlen(js), &back), 0);
	assert_int_equal(back.created_ms, 1700000000042LL);
	assert_int_equal(back.decided_ms, 1700000000500LL);
	free(js);

	const char *given[] = {
		"{\"order_id\":\"1\",\"created_at\":null}",
		"{\"order_id\":\"1\",\"created_at\":0,\"x\":[1]}",
		"{\"order_id\":\"1\",\n \"created_at\" : null}",
		"{\"order_id\":\"1\",\"created_at\":null,\"n\":01}",   /* cJSON prints it */
	};
	for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
		js = order_json_of(given[i], &d);
		assert_non_null(js);
		assert_int_equal(count_substr(js, "\"created_at\""), 1);
		assert_int_equal(decided_parse(js, strlen(js), &back), 0);
		assert_int_equal(back.created_ms, 1700000000042LL);
		free(js);
	}

	/* not added: the order's own stands, whatever d says */
	d.created_at_added = false;
	js = order_json_of(RAW_ORDER, &d);
	assert_int_equal(count_substr(js, "\"created_at\""), 1);
	assert_int_equal(decided_parse(js, strlen(js), &back), 0);
	assert_int_equal(back.created_ms, 1700000000000LL);
	free(js);
	js = order_json_of("{\"order_id\":\"1\"}", &d);
	assert_int_equal(count_substr(js, "\"created_at\""), 0);
	assert_int_equal(decided_parse(js, strlen(js), &back), 0);
	assert_int_equal(back.created_ms, 0);
	free(js);
}

/* The received members are kept byte for byte, blanks dropped. */
static void
test_order_json_verbatim(void **state)
{
	struct decision d;
	char *js;
	cJSON *root;

	(void)state;
	sample_decision(&d, ORDER_APPROVED);
	js = order_json_of("{\n  \"order_id\" : \"1\",\n  \"ref\": "
	    "12345678901234567891,\t\"p\": 1.50, \"e\": 1E+2,\r\n"
	    "  \"s\": \"a b\\u00e9\\/\\\"\", \"n\": [ 1 , { \"x\" : null } ,"
	    "true,false ] }\n", &d);
	assert_non_null(js);
	assert_string_equal(js, "{\"order_id\":\"1\","
	    "\"ref\":12345678901234567891,\"p\":1.50,\"e\":1E+2,"
	    "\"s\":\"a b\\u00e9\\/\\\"\",\"n\":[1,{\"x\":null},true,false],"
	    "\"status\":\"APPROVED\",\"total\":2598,\"rules_fired\":[],"
	    "\"rules_version\":7,\"decided_at\":1700000000500,"
	    "\"decided_by\":\"fraud-host-1\"}");
	root = cJSON_Parse(js);
	assert_non_null(root);
	cJSON_Delete(root);
	free(js);

	/* an empty object gets just the decision fields */
	js = order_json_of(" {  } ", &d);
	assert_non_null(js);
	assert_int_equal(strncmp(js, "{\"status\":\"APPROVED\",",
	    strlen("{\"status\":\"APPROVED\",")), 0);
	free(js);
}

/* What cJSON accepts but strict JSON does not is printed by cJSON. */
static void
test_order_json_lenient_input(void **state)
{
	static const char *const inputs[] = {
		"{\"order_id\":\"1\",\"q\":01}",
		"{\"order_id\":\"1\",\"q\":1.}",
		"{\"order_id\":\"1\",\"s\":\"a\tb\"}",
		"{\"order_id\":\"1\",\x01\"q\":1}",
		"\xef\xbb\xbf{\"order_id\":\"1\"}",
	};
	struct decision d;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char *js = order_json_of(inputs[i], &d);
		cJSON *root;

		if (js == NULL)
			print_error("input %zu refused\n", i);
		assert_non_null(js);
		assert_non_null(strstr(js, "\"order_id\":\"1\""));
		assert_non_null(strstr(js, "\"status\":\"REFUSED\""));
		for (const char *c = js; *c != '\0'; c++)
			assert_true((unsigned char)*c >= 0x20 &&
			    (unsigned char)*c < 0x80);
		root = cJSON_Parse(js);
		assert_non_null(root);
		cJSON_Delete(root);
		free(js);
	}
}

/* The fraud stage's variant (bytes order_parse() took, not parsed again)
 * writes exactly what the checking one writes. */
static void
test_order_json_parsed_same(void **state)
{
	static const char *const inputs[] = {
		RAW_ORDER,
		"{\n  \"order_id\" : \"1\",  \"ref\": 12345678901234567891, \"n\": [ 1 , { \"x\" : null } ] }",
		"{\"order_id\":\"1\",\"st\\u0061tus\":\"APPROVED\",\"x\":1}",
		"{\"order_id\":\"1\",\"status\":\"APPROVED\",\"total\":0}",
		"{\"order_id\":\"1\",\"q\":01}",
		"{}",
	};
	struct decision d;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		size_t n;
		char *b = exact_copy(inputs[i], &n);
		char *checked = decided_text(b, n, NULL, 0, &d);
		char *parsed = order_write_of(b, n, &d);

		assert_non_null(checked);
		assert_non_null(parsed);
		assert_string_equal(parsed, checked);
		free(checked);
		free(parsed);
		free(b);
	}
}

static bool
is_decision_key(const char *k)
{
	static const char *const keys[] = {
		"status", "total", "rules_fired", "rules_version",
		"decided_at", "decided_by",
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(k, keys[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Random byte edits of a few objects: whenever cJSON takes the result as
 * an object, the decided order must be an object again with every member
 * that is not a decision field, in order, plus the six decision fields.
 */
static void
test_order_json_mutations(void **state)
{
	static const char *const seeds[] = {
		RAW_ORDER,
		"{\"a\":[1,-2.5e3,{\"b\":\"x\\\"y\"}],\"status\":\"NEW\",\"c\":null}",
		"{ \"k\" : \"\\u00e9\\n\" , \"t\" : true , \"f\" : false }",
	};
	static const char alphabet[] = "{}[]\":,\\ 0123456789.eE+-tfnul\t\n\x01";
	struct decision d;
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	int accepted = 0;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	for (int iter = 0; iter < 30000; iter++) {
		char buf[512];
		size_t n;
		const char *seed = seeds[iter % 3];
		cJSON *in, *out, *a, *b;
		char *js;

		n = strlen(seed);
		memcpy(buf, seed, n);
		for (int e = 0; e < 1 + iter % 3; e++) {
			size_t pos;
			char c;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			pos = (size_t)(x % n);
			c = alphabet[(x >> 32) % (sizeof alphabet - 1)];
			switch ((x >> 20) % 3) {
			case 0:
				buf[pos] = c;
				break;
			case 1:
				if (n < sizeof buf - 1) {
					memmove(buf + pos + 1, buf + pos, n - pos);
					buf[pos] = c;
					n++;
				}
				break;
			default:
				if (n > 2) {
					memmove(buf + pos, buf + pos + 1, n - pos - 1);
					n--;
				}
				break;
			}
		}
		buf[n] = '\0';
		/* trailing bytes refused, as decision_order_json does */
		in = cJSON_ParseWithLengthOpts(buf, n + 1, NULL, 1);
		if (!cJSON_IsObject(in)) {
			cJSON_Delete(in);
			continue;
		}
		accepted++;
		js = order_json_of(buf, &d);
		if (js == NULL)
			print_error("refused: %s\n", buf);
		assert_non_null(js);
		char *written = order_write_of(buf, n, &d);
		assert_non_null(written);
		assert_string_equal(written, js);
		free(written);
		out = cJSON_Parse(js);
		if (!cJSON_IsObject(out))
			print_error("in: %s\nout: %s\n", buf, js);
		assert_true(cJSON_IsObject(out));
		b = out->child;
		for (a = in->child; a != NULL; a = a->next) {
			if (is_decision_key(a->string))
				continue;
			assert_non_null(b);
			assert_string_equal(a->string, b->string);
			assert_int_equal(a->type & 0xFF, b->type & 0xFF);
			b = b->next;
		}
		for (int k = 0; k < 6; k++, b = b->next) {
			assert_non_null(b);
			assert_true(is_decision_key(b->string));
		}
		assert_null(b);
		cJSON_Delete(in);
		cJSON_Delete(out);
		free(js);
	}
	assert_true(accepted > 1000);
}

/* The generator's orders, as ordertop writes and reads them, then the same
 * orders with a blank, an escape, a nested member, a decision field or a
 * member too many: decided_json_write() with the members gives the text
 * it gives without them
 * text every time, copying the order when it can. */
static void
test_order_write_generated(void **state)
{
	struct generator *g = generator_new(11, 0.3, "test");
	static const char *const tails[] = {
		"", ", \"x\":1", ",\"n\":{\"a\": 1}", ",\"total\":5", ",\"decided_by\":\"x\"",
		",\"note\":\"a\\\"b\"", ",\"rules_version\":3", ",\"k\" :2", ",\"l\":[]",
	};
	int copied = 0;

	(void)state;
	assert_non_null(g);
	for (int i = 0; i < 4000; i++) {
		struct order o, back;
		struct decision d;
		struct flat_member m[ORDER_FLAT_MEMBERS_MAX];
		struct json_writer w;
		char err[160], buf[1024];
		int nm;

		generator_next(g, &o, 1700000000000LL + i);
		if (i % 7 == 0)
			o.created_at_ms = 0;         /* the decision adds created_at */
		char *js = order_json(&o);
		size_t n = strlen(js) - 1;       /* without its '}' */
		const char *tail = tails[i % (sizeof tails / sizeof tails[0])];
		assert_true(n + strlen(tail) + 2 < sizeof buf);
		memcpy(buf, js, n);
		strcpy(buf + n, tail);
		strcat(buf, "}");
		free(js);
		n = strlen(buf);

		sample_decision(&d, i % 2 ? ORDER_REFUSED : ORDER_APPROVED);
		d.created_at_added = o.created_at_ms == 0;
		d.created_at_ms = 1700000000000LL;
		if (order_parse_members(buf, n, &back, m, &nm, err, sizeof err) < 0)
			fail_msg("%s: %s", err, buf);
		json_writer_init(&w);
		assert_int_equal(decided_json_write(&w, buf, n, m, nm, &d), 0);
		size_t len;
		const char *written = json_writer_text(&w, &len);
		char *want = decided_text(buf, n, NULL, 0, &d);
		assert_non_null(written);
		assert_non_null(want);
		assert_string_equal(written, want);
		assert_int_equal(len, strlen(want));
		/* a compact order without decision fields is copied whole */
		if (tail[0] == '\0' && !d.created_at_added) {
			assert_memory_equal(written, buf, n - 1);
			copied++;
		}
		free(want);
		json_writer_discard(&w);
	}
	assert_true(copied > 100);
	generator_free(g);
}

/* The monitor reads the rules_version a decided order carries exactly,
 * past 2^53 too (the flat reader leaves numbers that long to cJSON, and
 * the digits are read from the text); anything but digits reads as 0. */
static void
test_decided_rules_version_exact(void **state)
{
	static const uint64_t versions[] = {
		3, 999999999999999ULL, 9007199254740993ULL, UINT64_MAX,
	};
	struct decision d;
	struct decided back;

	(void)state;
	sample_decision(&d, ORDER_APPROVED);
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		d.rules_version = versions[i];
		char *js = order_json_of(RAW_ORDER, &d);
		assert_non_null(js);
		assert_int_equal(decided_parse(js, strlen(js), &back), 0);
		assert_true(back.rules_version == versions[i]);
		free(js);
	}
	static const char *const odd[] = {
		"{\"order_id\":\"1\",\"rules_version\":-3}",
		"{\"order_id\":\"1\",\"rules_version\":2.5}",
		"{\"order_id\":\"1\",\"rules_version\":1e300}",
		"{\"order_id\":\"1\",\"rules_version\":-1e300}",
		"{\"order_id\":\"1\",\"rules_version\":\"7\"}",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		assert_int_equal(decided_parse(odd[i], strlen(odd[i]), &back), 0);
		assert_true(back.rules_version == 0);
	}
}

static void
test_order_json_limits(void **state)
{
	struct decision d;
	char *js;
	cJSON *root, *fired, *r;

	(void)state;
	sample_decision(&d, ORDER_REFUSED);
	/* ids and reasons that fill their arrays without a NUL */
	d.n_fired = DECISION_MAX_FIRED + 5;
	for (int i = 0; i < DECISION_MAX_FIRED; i++) {
		memset(d.fired[i].id, 'i', sizeof d.fired[i].id);
		memset(d.fired[i].reason, 'r', sizeof d.fired[i].reason);
	}
	memset(d.decided_by, 'w', sizeof d.decided_by);
	js = order_json_of(RAW_ORDER, &d);
	assert_non_null(js);
	root = cJSON_Parse(js);
	fired = cJSON_GetObjectItem(root, "rules_fired");
	assert_int_equal(cJSON_GetArraySize(fired), DECISION_MAX_FIRED);
	r = cJSON_GetArrayItem(fired, 0);
	assert_int_equal(strlen(cJSON_GetObjectItem(r, "id")->valuestring),
	    sizeof d.fired[0].id);
	assert_int_equal(strlen(cJSON_GetObjectItem(r, "reason")->valuestring),
	    DECISION_REASON_MAX);
	assert_int_equal(strlen(cJSON_GetObjectItem(root,
	    "decided_by")->valuestring), sizeof d.decided_by);
	cJSON_Delete(root);
	free(js);

	d.n_fired = -3;
	js = order_json_of(RAW_ORDER, &d);
	assert_non_null(strstr(js, "\"rules_fired\":[]"));
	free(js);
}

static void
test_order_json_bad_input(void **state)
{
	struct decision d;

	(void)state;
	sample_decision(&d, ORDER_APPROVED);
	assert_null(order_json_of("not json", &d));
	assert_null(order_json_of("[1,2]", &d));
	assert_null(order_json_of("{\"a\":1", &d));
	assert_null(order_json_of("{\"a\":1} junk", &d));
	/* refused by cJSON, so by the splice's cursor too */
	assert_null(order_json_of("{\"a\":\"\\udc00\"}", &d));
	assert_null(order_json_of("{\"a\":\"\\ud800x\"}", &d));
	assert_null(order_json_of("{\"a\":\"\\x\"}", &d));
	assert_null(order_json_of("{\"a\":[1,]}", &d));
	assert_null(order_json_of("{\"a\":1,}", &d));
	assert_null(decided_text(NULL, 0, NULL, 0, &d));
}

static void
sample_order(struct order *o)
{
	memset(o, 0, sizeof *o);
	strcpy(o->order_id, "123");
	strcpy(o->user_id, "user0007");
	strcpy(o->item, "laptop");
	o->quantity = 2;
	o->unit_price = 1299.0;
	o->has_unit_price = true;
}

/* Totals are written as "%.2f" of the rounded cents would be, trailing
 * zeros dropped: checked over many values against that spelling. */
static void
test_total_spelling(void **state)
{
	struct order o;
	struct decision d;

	(void)state;
	sample_order(&o);
	sample_decision(&d, ORDER_APPROVED);
	srand(11);
	for (int i = 0; i < 20000; i++) {
		double v = i < 10000 ? (double)(rand() % 100000000) / 1000.0 - 5000
		                     : ldexp((double)rand() / RAND_MAX, rand() % 50) * (i % 3 ? 1 : -1);
		char want[64], got[64], *js, *p;
		size_t n;

		snprintf(want, sizeof want, "%.2f", round(v * 100.0) / 100.0 + 0.0);
		n = strlen(want);
		while (want[n - 1] == '0')
			want[--n] = '\0';
		if (want[n - 1] == '.')
			want[--n] = '\0';
		if (strcmp(want, "-0") == 0)
			strcpy(want, "0");
		d.total = v;
		js = notification_text(&o, &d);
		assert_non_null(js);
		p = strstr(js, "\"total\":");
		assert_non_null(p);
		p += strlen("\"total\":");
		n = strcspn(p, ",}");
		assert_true(n < sizeof got);
		memcpy(got, p, n);
		got[n] = '\0';
		if (strcmp(got, want) != 0)
			print_error("total %.17g: got %s, want %s\n", v, got, want);
		assert_string_equal(got, want);
		free(js);
	}
}

static void
test_notification(void **state)
{
	struct order o;
	struct decision d;
	char *js;
	cJSON *root;

	(void)state;
	sample_order(&o);
	sample_decision(&d, ORDER_APPROVED);
	js = notification_text(&o, &d);
	assert_non_null(js);
	root = cJSON_Parse(js);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "order_id")->valuestring,
	    "123");
	assert_string_equal(cJSON_GetObjectItem(root, "user_id")->valuestring,
	    "user0007");
	assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring,
	    "APPROVED");
	assert_true(cJSON_GetObjectItem(root, "total")->valuedouble == 2598.0);
	assert_true(cJSON_GetObjectItem(root, "at")->valuedouble ==
	    1700000000500.0);
	assert_string_equal(cJSON_GetObjectItem(root, "message")->valuestring,
	    "Your order 123 for 2 x laptop was approved.");
	assert_int_equal(cJSON_GetArraySize(root), 6);   /* no created_at: unknown */
	cJSON_Delete(root);
	free(js);

	d.created_at_ms = 1700000000000LL;
	js = notification_text(&o, &d);
	root = cJSON_Parse(js);
	assert_int_equal(cJSON_GetArraySize(root), 7);
	assert_true(cJSON_GetObjectItem(root, "created_at")->valuedouble == 1700000000000.0);
	cJSON_Delete(root);
	free(js);

	sample_decision(&d, ORDER_REFUSED);
	js = notification_text(&o, &d);
	root = cJSON_Parse(js);
	assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring,
	    "REFUSED");
	assert_string_equal(cJSON_GetObjectItem(root, "message")->valuestring,
	    "Your order 123 for 2 x laptop could not be accepted (refused).");
	cJSON_Delete(root);
	free(js);
}

static void
test_notified(void **state)
{
	char *js;
	cJSON *root;

	(void)state;
	struct notice n = { .order_id = "123", .user_id = "user0007", .status = "REFUSED",
	                    .created_ms = 1700000000000LL, .decided_ms = 1700000000500LL };
	js = notified_text(&n, 1700000000900LL, "exec", 2);
	assert_non_null(js);
	root = cJSON_Parse(js);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "order_id")->valuestring,
	    "123");
	assert_string_equal(cJSON_GetObjectItem(root, "user_id")->valuestring,
	    "user0007");
	assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring,
	    "NOTIFIED");
	assert_string_equal(cJSON_GetObjectItem(root, "decision")->valuestring,
	    "REFUSED");
	assert_true(cJSON_GetObjectItem(root, "notified_at")->valuedouble ==
	    1700000000900.0);
	assert_string_equal(cJSON_GetObjectItem(root, "channel")->valuestring,
	    "exec");
	assert_true(cJSON_GetObjectItem(root, "attempts")->valuedouble == 2.0);
	assert_true(cJSON_GetObjectItem(root, "created_at")->valuedouble == 1700000000000.0);
	assert_true(cJSON_GetObjectItem(root, "decided_at")->valuedouble == 1700000000500.0);
	assert_int_equal(cJSON_GetArraySize(root), 9);
	cJSON_Delete(root);
	free(js);

	/* unknown times are left out, an unknown decision is named so */
	struct notice bare = { .order_id = "1" };
	js = notified_text(&bare, 5, "log", 1);
	assert_non_null(js);
	assert_string_equal(js, "{\"order_id\":\"1\",\"user_id\":\"\",\"status\":\"NOTIFIED\","
	    "\"decision\":\"UNKNOWN\",\"notified_at\":5,\"channel\":\"log\",\"attempts\":1}");
	free(js);
}

static int
notice_of(const char *s, struct notice *n, char *err, size_t errlen)
{
	size_t len;
	char *b = exact_copy(s, &len);
	int rc = notice_parse(b, len, n, err, errlen);

	free(b);
	return rc;
}

static void
test_notice_round_trip(void **state)
{
	struct order o;
	struct decision d;
	struct notice n;
	char err[128], *js;

	(void)state;
	sample_order(&o);
	sample_decision(&d, ORDER_REFUSED);
	d.created_at_ms = 1700000000000LL;
	js = notification_text(&o, &d);
	assert_int_equal(notice_of(js, &n, err, sizeof err), 0);
	assert_string_equal(n.order_id, "123");
	assert_string_equal(n.user_id, "user0007");
	assert_string_equal(n.status, "REFUSED");
	assert_string_equal(n.decision, "");
	assert_true(n.total == 2598.0);
	assert_int_equal(n.at_ms, 1700000000500LL);
	assert_int_equal(n.created_ms, 1700000000000LL);
	assert_int_equal(n.decided_ms, 1700000000500LL);   /* a notification's "at" */
	free(js);

	/* the notifier passes both times on */
	js = notified_text(&n, 1700000000900LL, "exec", 1);
	assert_int_equal(notice_of(js, &n, err, sizeof err), 0);
	assert_string_equal(n.status, "NOTIFIED");
	assert_string_equal(n.decision, "REFUSED");
	assert_int_equal(n.at_ms, 1700000000900LL);
	assert_int_equal(n.created_ms, 1700000000000LL);
	assert_int_equal(n.decided_ms, 1700000000500LL);
	assert_true(n.total == 0.0);
	free(js);

	/* times that are not whole ms since the epoch time nothing */
	const char *odd[] = {
		"{\"order_id\":\"1\",\"created_at\":\"yesterday\",\"decided_at\":-5}",
		"{\"order_id\":\"1\",\"created_at\":1e300,\"decided_at\":null}",
		"{\"order_id\":\"1\",\"created_at\":[1],\"decided_at\":{}}",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		assert_int_equal(notice_of(odd[i], &n, err, sizeof err), 0);
		assert_int_equal(n.created_ms, 0);
		assert_int_equal(n.decided_ms, 0);
	}
}

static void
expect_notice_refused(const char *s, const char *reason)
{
	struct notice n;
	char err[128] = "";

	assert_int_equal(notice_of(s, &n, err, sizeof err), -1);
	assert_string_equal(err, reason);
}

static void
test_notice_errors(void **state)
{
	(void)state;
	expect_notice_refused("", "not JSON");
	expect_notice_refused("{\"order_id\":", "not JSON");
	expect_notice_refused("[]", "not a JSON object");
	expect_notice_refused("{\"status\":\"APPROVED\"}", "missing order_id");
	expect_notice_refused("{\"order_id\":\"\"}", "order_id is empty");
	expect_notice_refused("{\"order_id\":5}", "order_id must be a string");
	expect_notice_refused("{\"order_id\":\"1\",\"status\":"
	    "\"APPROVED_BUT_MUCH_TOO_LONG\"}", "status too long");
	expect_notice_refused("{\"order_id\":\"1\",\"total\":\"5\"}",
	    "total must be a number");
	expect_notice_refused("{\"order_id\":\"1\",\"at\":\"now\"}",
	    "at must be a number (ms)");
	expect_notice_refused("{\"order_id\":\"1\",\"at\":1e300}",
	    "at must be a number (ms)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_json_keeps_input),
		cmocka_unit_test(test_order_json_decision_fields),
		cmocka_unit_test(test_order_json_parses_as_order),
		cmocka_unit_test(test_order_json_replaces_existing),
		cmocka_unit_test(test_order_json_created_at),
		cmocka_unit_test(test_order_json_verbatim),
		cmocka_unit_test(test_order_json_lenient_input),
		cmocka_unit_test(test_order_json_parsed_same),
		cmocka_unit_test(test_order_json_mutations),
		cmocka_unit_test(test_order_write_generated),
		cmocka_unit_test(test_decided_rules_version_exact),
		cmocka_unit_test(test_order_json_limits),
		cmocka_unit_test(test_order_json_bad_input),
		cmocka_unit_test(test_total_spelling),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_notified),
		cmocka_unit_test(test_notice_round_trip),
		cmocka_unit_test(test_notice_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
