/*
 * test_rules_topic.c — the records of fraud.rules told apart by key, and
 * the versions in them read and written digit for digit (a double holds
 * integers exactly only up to 2^53: versions past it went backwards).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rules_topic.h"
#include "ruleset_json.h"

static int
parse(const char *key, const char *payload, struct rules_record *r, char *err, size_t errlen)
{
	rd_kafka_message_t m;

	memset(&m, 0, sizeof m);
	m.key = (void *)key;
	m.key_len = key != NULL ? strlen(key) : 0;
	m.payload = (void *)payload;
	m.len = payload != NULL ? strlen(payload) : 0;
	return rules_record_parse(&m, r, err, errlen);
}

static void
test_worker_record_round_trip(void **state)
{
	static const uint64_t versions[] = {
		0, 7, 9007199254740993ULL, UINT64_MAX,
	};
	struct rules_record r;
	char err[160] = "";

	(void)state;
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		char *json = rules_worker_json("fraud-1", versions[i], 1700000000123LL);
		assert_non_null(json);
		assert_int_equal(parse(RULES_KEY_WORKER_PREFIX "fraud-1", json, &r, err, sizeof err), 0);
		assert_int_equal(r.kind, RULES_RECORD_WORKER);
		assert_string_equal(r.worker, "fraud-1");
		assert_true(r.applied_version == versions[i]);
		assert_int_equal(r.at_ms, 1700000000123LL);
		free(json);
	}
	char *json = rules_worker_json("w", UINT64_MAX, 5);
	assert_string_equal(json, "{\"worker\":\"w\",\"applied_version\":18446744073709551615,\"at\":5}");
	free(json);
}

static void
test_worker_record_errors(void **state)
{
	static const char *const bad[] = {
		"{\"worker\":\"w\",\"applied_version\":-1,\"at\":1}",
		"{\"worker\":\"w\",\"applied_version\":1.5,\"at\":1}",
		"{\"worker\":\"w\",\"applied_version\":1e3,\"at\":1}",
		"{\"worker\":\"w\",\"applied_version\":18446744073709551616,\"at\":1}",
		"{\"worker\":\"w\",\"applied_version\":01,\"at\":1}",
	};
	struct rules_record r;
	char err[160];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (parse("worker/w", bad[i], &r, err, sizeof err) != -1)
			fail_msg("read: %s", bad[i]);
		assert_string_equal(err, "worker record: applied_version must be an integer "
		                         "from 0 to 18446744073709551615 in strict JSON");
	}
	assert_int_equal(parse("worker/w", "{\"worker\":1,\"applied_version\":1}", &r, err,
	                       sizeof err), -1);
	assert_string_equal(err, "unreadable worker record");
	assert_int_equal(parse("worker/w", "not json", &r, err, sizeof err), -1);
	assert_string_equal(err, "unreadable worker record");
}

static void
test_ruleset_record(void **state)
{
	struct ruleset rs;
	struct rules_record r;
	char err[160] = "";

	(void)state;
	ruleset_defaults(&rs);
	rs.version = 9007199254740993ULL;
	char *json = ruleset_json(&rs);
	assert_non_null(json);
	assert_int_equal(parse(RULES_KEY_RULESET, json, &r, err, sizeof err), 0);
	assert_int_equal(r.kind, RULES_RECORD_RULESET);
	assert_true(r.ruleset.version == 9007199254740993ULL);
	free(json);

	/* other keys, tombstones and unkeyed records are nothing to apply */
	assert_int_equal(parse("rulesets", "{}", &r, err, sizeof err), 0);
	assert_int_equal(r.kind, RULES_RECORD_NONE);
	assert_int_equal(parse(RULES_KEY_WORKER_PREFIX, "{}", &r, err, sizeof err), 0);
	assert_int_equal(r.kind, RULES_RECORD_NONE);
	assert_int_equal(parse(RULES_KEY_RULESET, NULL, &r, err, sizeof err), 0);
	assert_int_equal(r.kind, RULES_RECORD_NONE);
	assert_int_equal(parse(NULL, "{}", &r, err, sizeof err), 0);
	assert_int_equal(r.kind, RULES_RECORD_NONE);
	assert_int_equal(parse(RULES_KEY_RULESET, "{\"version\":1.5}", &r, err, sizeof err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worker_record_round_trip),
		cmocka_unit_test(test_worker_record_errors),
		cmocka_unit_test(test_ruleset_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
