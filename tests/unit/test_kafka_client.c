/*
 * test_kafka_client.c — the source header's value: kafka_source_text() on
 * a message of a real topic handle, cut to the buffer it is given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kafka_client.h"

static void
test_source_text(void **state)
{
	(void)state;
	char why[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(rd_kafka_conf_set(conf, "log_level", "2", why, sizeof why), RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
	assert_non_null(rk);
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "orders.valid", NULL);
	assert_non_null(rkt);
	rd_kafka_message_t m = { .rkt = rkt, .partition = 2, .offset = 1234567890123 };
	char buf[64], small[12];

	assert_int_equal(kafka_source_text(buf, sizeof buf, &m), strlen("orders.valid/2/1234567890123"));
	assert_string_equal(buf, "orders.valid/2/1234567890123");
	assert_int_equal(kafka_source_text(small, sizeof small, &m), sizeof small - 1);
	assert_string_equal(small, "orders.vali");
	m.partition = 0;
	m.offset = 0;
	kafka_source_text(buf, sizeof buf, &m);
	assert_string_equal(buf, "orders.valid/0/0");
	rd_kafka_topic_destroy(rkt);
	rd_kafka_destroy(rk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
