/*
 * test_redact.c — the redactor (src/redact.c): which keys are secret,
 * KEY=VALUE in its quoted and unquoted forms, literal configured values
 * and the words of a space-separated one, a message cut inside a secret,
 * short values left alone, and the buffer limit respected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "redact.h"

static int
teardown(void **state)
{
	(void)state;
	redact_reset();
	return 0;
}

static void
expect(const char *in, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s", in);
	redact_text(buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void
test_secret_keys(void **state)
{
	static const char *const secret[] = {
		"sasl.password", "sasl.oauthbearer.config", "sasl.oauthbearer.client.secret",
		"sasl.jaas.config", "ssl.key.password", "ssl.keystore.password",
		"ssl.truststore.password", "ssl.key.pem", "ssl_key", "SASL.PASSWORD",
	};
	(void)state;
	for (size_t i = 0; i < sizeof secret / sizeof *secret; i++)
		assert_true(redact_is_secret_key(secret[i]));
	assert_false(redact_is_secret_key("sasl.username"));
	assert_false(redact_is_secret_key("bootstrap.servers"));
	assert_false(redact_is_secret_key(NULL));
}

static void
test_pairs(void **state)
{
	(void)state;
	expect("sasl.password=hunter2 next", "sasl.password=*** next");
	expect("ssl.key.password=\"two words\" x", "ssl.key.password=\"***\" x");
	expect("\"sasl.password\"=abc,more", "\"sasl.password\"=***,more");
	expect("sasl.username=alice", "sasl.username=alice");
	expect("sasl.password=", "sasl.password=");
	expect("a=b c=d", "a=b c=d");
}

static void
test_literals(void **state)
{
	(void)state;
	redact_add_property("sasl.oauthbearer.config", "principal=admin  scope=Sup3rSecret");
	redact_add_property("sasl.username", "alice-in-clear");    /* not secret */
	redact_add_property("sasl.password", "abc");               /* too short */
	expect("beginning at: scope=Sup3rSecret", "beginning at: ***");
	expect("got Sup3rSecret and Sup3rSecret", "got *** and ***");
	expect("cfg principal=admin  scope=Sup3rSecret!", "cfg ***!");
	expect("user alice-in-clear abc", "user alice-in-clear abc");
}

/* A message that fills its buffer may end inside a secret. */
static void
test_cut_message(void **state)
{
	char buf[16];
	(void)state;
	redact_add_property("sasl.password", "LongSecretValue");
	snprintf(buf, sizeof buf, "pw: %s", "LongSecretValue");  /* cut: "pw: LongSecretV" */
	redact_text(buf, sizeof buf);
	assert_string_equal(buf, "pw: ***");
	/* the mask never overflows */
	char tiny[6] = "x=ab";
	redact_text(tiny, sizeof tiny);
	char pw[18] = "sasl.password=a b";
	redact_text(pw, sizeof pw);
	assert_string_equal(pw, "sasl.password=***");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_secret_keys, teardown),
		cmocka_unit_test_teardown(test_pairs, teardown),
		cmocka_unit_test_teardown(test_literals, teardown),
		cmocka_unit_test_teardown(test_cut_message, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
