/*
 * test_dead_letter.c — dead_letter_prepare(): a record that fits goes
 * unchanged with its reason and source in headers; one that does not is
 * cut to fit under message.max.bytes (value first, a huge key too) with
 * its original sizes in headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dead_letter.h"
#include "kafka_client.h"

static const char *
header(const struct dead_letter_headers *h, const char *name)
{
	for (size_t i = 0; h->list[i]; i += 2)
		if (strcmp(h->list[i], name) == 0)
			return h->list[i + 1];
	return NULL;
}

static struct dead_letter
letter(size_t key_len, size_t val_len)
{
	static char buf[2000000];
	return (struct dead_letter){
		.reason = "not JSON", .stage = "fraud", .src_topic = "orders",
		.partition = 2, .offset = 41, .key = buf, .key_len = key_len,
		.val = buf, .val_len = val_len,
	};
}

/* What librdkafka would count, with the record overhead. */
static size_t
wire_size(const struct dead_letter *dl, const struct dead_letter_headers *h)
{
	return dead_letter_record_size(dl->key_len, dl->val_len, h->list) +
	       DEAD_LETTER_RECORD_OVERHEAD;
}

static void
test_small_record_unchanged(void **state)
{
	(void)state;
	struct dead_letter dl = letter(5, 300);
	struct dead_letter_headers h;
	assert_false(dead_letter_prepare(&dl, 1000000, &h));
	assert_int_equal(dl.key_len, 5);
	assert_int_equal(dl.val_len, 300);
	assert_string_equal(header(&h, HDR_DLQ_REASON), "not JSON");
	assert_string_equal(header(&h, HDR_DLQ_TOPIC), "orders");
	assert_string_equal(header(&h, HDR_DLQ_PART), "2");
	assert_string_equal(header(&h, HDR_DLQ_OFFSET), "41");
	assert_string_equal(header(&h, HDR_STAGE), "fraud");
	assert_null(header(&h, HDR_DLQ_TRUNCATED));
	assert_null(header(&h, HDR_ORDER_ID));
}

static void
test_large_value_cut_to_fit(void **state)
{
	(void)state;
	struct dead_letter dl = letter(1, 999900);
	struct dead_letter_headers h;
	assert_true(dead_letter_prepare(&dl, 1000000, &h));
	assert_int_equal(dl.key_len, 1);
	assert_true(dl.val_len < 999900 && dl.val_len > 990000);
	assert_true(wire_size(&dl, &h) <= 1000000);
	assert_string_equal(header(&h, HDR_DLQ_TRUNCATED), "999900");
	assert_null(header(&h, HDR_DLQ_KEY_TRUNCATED));
	/* just under the limit with the headers: unchanged */
	struct dead_letter fits = letter(1, 999000);
	assert_false(dead_letter_prepare(&fits, 1000000, &h));
}

static void
test_large_key_cut_too(void **state)
{
	(void)state;
	struct dead_letter dl = letter(1500000, 10);
	struct dead_letter_headers h;
	assert_true(dead_letter_prepare(&dl, 1000000, &h));
	assert_int_equal(dl.val_len, 10);
	assert_true(wire_size(&dl, &h) <= 1000000);
	assert_string_equal(header(&h, HDR_DLQ_KEY_TRUNCATED), "1500000");
	assert_null(header(&h, HDR_DLQ_TRUNCATED));

	struct dead_letter both = letter(1500000, 1500000);
	assert_true(dead_letter_prepare(&both, 1000000, &h));
	assert_true(both.key_len > 0 && both.val_len > 0);
	assert_true(wire_size(&both, &h) <= 1000000);
	assert_string_equal(header(&h, HDR_DLQ_KEY_TRUNCATED), "1500000");
	assert_string_equal(header(&h, HDR_DLQ_TRUNCATED), "1500000");
}

static void
test_tiny_limit_keeps_headers_only(void **state)
{
	(void)state;
	struct dead_letter dl = letter(10, 5000);
	dl.order_id = "o-1";
	struct dead_letter_headers h;
	assert_true(dead_letter_prepare(&dl, 100, &h));
	assert_int_equal(dl.key_len, 0);
	assert_int_equal(dl.val_len, 0);
	assert_string_equal(header(&h, HDR_ORDER_ID), "o-1");
	assert_string_equal(header(&h, HDR_DLQ_TRUNCATED), "5000");
	/* 0: no limit */
	struct dead_letter big = letter(10, 1500000);
	assert_false(dead_letter_prepare(&big, 0, &h));
	assert_int_equal(big.val_len, 1500000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_record_unchanged),
		cmocka_unit_test(test_large_value_cut_to_fit),
		cmocka_unit_test(test_large_key_cut_too),
		cmocka_unit_test(test_tiny_limit_keeps_headers_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
