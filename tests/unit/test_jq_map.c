/*
 * test_jq_map.c — the jq wrapper behind --order-map and the output maps:
 * the envelope intake's order inside a JSON string (fromjson, tostring),
 * defaults for what a format lacks, empty skips, a runtime error and
 * input that is not JSON come back with jq's message, a second result is
 * refused, a compile error carries jq's message, and one map runs on many
 * threads, each its own.  The flat reader and ordertop's writer, which
 * stand in for jq's own where they can, give what jq's would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "jq_map.h"

static const char envelope_map[] =
	".dados | fromjson | {order_id: (.id | tostring), user_id: .usuario, "
	"item: .produto, quantity: (.quantidade // 1)}";

static const char envelope[] =
	"{\"mensagem\": \"novo\", \"payload\": null, \"id\": 7, \"status\": \"Analise\", "
	"\"dados\": \"{\\\"id\\\": 7, \\\"usuario\\\": \\\"ana\\\", \\\"produto\\\": \\\"tv\\\", "
	"\\\"dataSolicitacao\\\": \\\"2024-05-01\\\"}\"}";

static enum jq_map_result
run(struct jq_map *m, const char *in, char *out, size_t outsize, char *err)
{
	const char *res = NULL;
	size_t len = 0;
	enum jq_map_result r = jq_map_run(m, in, strlen(in), &res, &len, err, JQ_MAP_ERR_MAX);
	out[0] = '\0';
	if (r == JQ_MAP_OK) {
		assert_true(len < outsize);
		memcpy(out, res, len);
		out[len] = '\0';
		assert_int_equal(strlen(res), len);     /* the text ends there */
	}
	return r;
}

static void
test_envelope(void **state)
{
	char err[JQ_MAP_ERR_MAX], out[256];
	struct jq_map *m = jq_map_new(envelope_map, err, sizeof err);

	(void)state;
	assert_non_null(m);
	assert_int_equal(run(m, envelope, out, sizeof out, err), JQ_MAP_OK);
	assert_string_equal(out, "{\"order_id\":\"7\",\"user_id\":\"ana\",\"item\":\"tv\",\"quantity\":1}");
	/* the input is read up to len only */
	const char *res;
	size_t len;
	const char *rec = "{\"dados\":\"{\\\"id\\\":1}\"}";
	char buf[64];
	snprintf(buf, sizeof buf, "%sgarbage", rec);
	assert_int_equal(jq_map_run(m, buf, strlen(rec), &res, &len, err, sizeof err), JQ_MAP_OK);
	assert_string_equal(res, "{\"order_id\":\"1\",\"user_id\":null,\"item\":null,\"quantity\":1}");
	jq_map_free(m);
}

static void
test_empty_error_and_more(void **state)
{
	char err[JQ_MAP_ERR_MAX], out[256];
	struct jq_map *m = jq_map_new("if .skip then empty elif .boom then error(\"boom \\(.boom)\") "
	                              "elif .two then (1, 2) else . end", err, sizeof err);

	(void)state;
	assert_non_null(m);
	assert_int_equal(run(m, "{\"skip\":true}", out, sizeof out, err), JQ_MAP_EMPTY);
	assert_int_equal(run(m, "{\"boom\":3}", out, sizeof out, err), JQ_MAP_ERROR);
	assert_non_null(strstr(err, "boom 3"));
	assert_int_equal(run(m, "{\"two\":true}", out, sizeof out, err), JQ_MAP_ERROR);
	assert_non_null(strstr(err, "more than one result"));
	assert_int_equal(run(m, "not json", out, sizeof out, err), JQ_MAP_ERROR);
	assert_true(strncmp(err, "not JSON: ", 10) == 0);
	/* after all that, it still maps */
	assert_int_equal(run(m, "{\"a\":[1,2.5,\"x\"]}", out, sizeof out, err), JQ_MAP_OK);
	assert_string_equal(out, "{\"a\":[1,2.5,\"x\"]}");
	/* a type error from jq itself */
	jq_map_free(m);
	m = jq_map_new(".id + 1", err, sizeof err);
	assert_non_null(m);
	assert_int_equal(run(m, "{\"id\":\"x\"}", out, sizeof out, err), JQ_MAP_ERROR);
	assert_non_null(strstr(err, "cannot be added"));
	jq_map_free(m);
}

static void
test_compile_error(void **state)
{
	char err[JQ_MAP_ERR_MAX];

	(void)state;
	assert_null(jq_map_new(".a | {", err, sizeof err));
	assert_non_null(strstr(err, "syntax error"));
	assert_null(jq_map_new("nosuchfunction(1)", err, sizeof err));
	assert_non_null(strstr(err, "nosuchfunction/1 is not defined"));
}

/* Identity: the flat reader (kept names, changed from one record to the
 * next), jq's reader for what is not flat, ordertop's writer, and jq's
 * printer for a string holding a NUL. */
static void
test_readers_and_writers(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "{\"a\":1,\"b\":\"x\",\"c\":[1,{\"d\":null}],\"e\":true,\"f\":2.5}",
		  "{\"a\":1,\"b\":\"x\",\"c\":[1,{\"d\":null}],\"e\":true,\"f\":2.5}" },
		{ "{\"a\":2,\"bb\":\"y\"}", "{\"a\":2,\"bb\":\"y\"}" },
		{ "{\"b\":3,\"a\":4}", "{\"b\":3,\"a\":4}" },
		{ " { \"a\" : \"tab\\there\", \"t\": 1700000000000 } ",
		  "{\"a\":\"tab\\there\",\"t\":1700000000000}" },
		{ "{\"a\":1,\"a\":2}", "{\"a\":2}" },
		{ "{\"q\":\"\\\"quoted\\\" \\u00e9\"}", "{\"q\":\"\\\"quoted\\\" \xc3\xa9\"}" },
		{ "{\"n\":\"a\\u0000b\"}", "{\"n\":\"a\\u0000b\"}" },
		{ "[1,\"two\"]", "[1,\"two\"]" },
	};
	char err[JQ_MAP_ERR_MAX], out[256];
	struct jq_map *m = jq_map_new(".", err, sizeof err);

	(void)state;
	assert_non_null(m);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(run(m, cases[i].in, out, sizeof out, err), JQ_MAP_OK);
		if (strlen(out) != strlen(cases[i].out) || strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: got %s, want %s", i, out, cases[i].out);
	}
	jq_map_free(m);
}

#define THREADS 4
#define RUNS    2000

static void *
map_many(void *arg)
{
	char err[JQ_MAP_ERR_MAX], out[256];
	struct jq_map *m = jq_map_new(envelope_map, err, sizeof err);
	long ok = 0;

	(void)arg;
	if (m == NULL)
		return NULL;
	for (int i = 0; i < RUNS; i++)
		ok += run(m, envelope, out, sizeof out, err) == JQ_MAP_OK &&
		      strstr(out, "\"order_id\":\"7\"") != NULL;
	jq_map_free(m);
	return (void *)ok;
}

static void
test_one_per_thread(void **state)
{
	pthread_t t[THREADS];
	void *ok;

	(void)state;
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, map_many, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &ok), 0);
		assert_int_equal((long)ok, RUNS);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_empty_error_and_more),
		cmocka_unit_test(test_compile_error),
		cmocka_unit_test(test_readers_and_writers),
		cmocka_unit_test(test_one_per_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
