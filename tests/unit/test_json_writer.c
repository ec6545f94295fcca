/*
 * test_json_writer.c — json_writer prints what cJSON_PrintUnformatted
 * prints for the same members: every byte in strings, integers, cents,
 * awkward doubles, nesting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json_writer.h"

static void
assert_same(cJSON *tree, char *ours)
{
	char *theirs = cJSON_PrintUnformatted(tree);

	assert_non_null(theirs);
	assert_non_null(ours);
	if (strcmp(theirs, ours) != 0)
		print_error("cJSON: %s\nours:  %s\n", theirs, ours);
	assert_string_equal(ours, theirs);
	free(theirs);
	free(ours);
	cJSON_Delete(tree);
}

static void
test_numbers(void **state)
{
	static const double values[] = {
		0, -0.0, 1, -1, 2, 12.99, 12.5, 0.1, 0.01, -0.05, 1e-5, 123456.78,
		2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0,
		1700000000500.0, 999999999999.99, 1e12, 1e15, 1e16, 999999999999999.0,
		-999999999999999.0, 1e15 - 0.5, 9007199254740991.0, 1e300, 5e-324,
		3.14159265358979, 1.0 / 3.0, 2.0 / 3.0, 0.30000000000000004,
		DBL_MAX, -DBL_MAX, DBL_MIN, 4503599627370496.5, 123.456, 99999.995,
	};

	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct json_writer w;
		cJSON *arr = cJSON_CreateArray();

		cJSON_AddItemToArray(arr, cJSON_CreateNumber(values[i]));
		json_writer_init(&w);
		json_array_begin(&w);
		json_number(&w, values[i]);
		json_array_end(&w);
		assert_same(arr, json_writer_finish(&w));
	}
	/* random prices and random bit patterns */
	srand(7);
	for (int i = 0; i < 20000; i++) {
		double v;
		if (i % 3 == 0) {
			v = (double)(rand() % 10000000) / 100.0;
		} else if (i % 3 == 1) {      /* whole numbers up to 2^53: times in ms */
			v = (double)((((uint64_t)rand() << 31) ^ (uint64_t)rand()) >> (rand() % 40));
			v = i % 2 ? v : -v;
		} else {
			uint64_t bits = ((uint64_t)rand() << 40) ^ ((uint64_t)rand() << 20) ^ (uint64_t)rand();
			memcpy(&v, &bits, sizeof v);
			if (!isfinite(v))
				continue;
		}
		struct json_writer w;
		cJSON *arr = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(v));
		json_writer_init(&w);
		json_array_begin(&w);
		json_number(&w, v);
		json_array_end(&w);
		assert_same(arr, json_writer_finish(&w));
	}
}

static void
test_integers(void **state)
{
	struct json_writer w;
	char *s;

	(void)state;
	json_writer_init(&w);
	json_array_begin(&w);
	json_int(&w, 0);
	json_int(&w, -7);
	json_int(&w, LLONG_MIN);
	json_int(&w, LLONG_MAX);
	json_uint(&w, ULLONG_MAX);
	json_array_end(&w);
	s = json_writer_finish(&w);
	assert_string_equal(s, "[0,-7,-9223372036854775808,9223372036854775807,18446744073709551615]");
	free(s);
}

static void
test_strings(void **state)
{
	char all[256];
	struct json_writer w;
	cJSON *obj = cJSON_CreateObject();

	(void)state;
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	cJSON_AddStringToObject(obj, "every byte", all);
	cJSON_AddStringToObject(obj, "k\"e\\y\n", "");
	cJSON_AddStringToObject(obj, "cut", "abc");
	cJSON_AddStringToObject(obj, "null", "");
	json_writer_init(&w);
	json_object_begin(&w);
	json_key(&w, "every byte");
	json_string(&w, all, SIZE_MAX);
	json_key(&w, "k\"e\\y\n");
	json_string(&w, "", SIZE_MAX);
	json_key(&w, "cut");
	json_string(&w, "abcdef", 3);       /* a fixed-size field: no NUL */
	json_key(&w, "null");
	json_string(&w, NULL, 10);
	json_object_end(&w);
	assert_same(obj, json_writer_finish(&w));
}

/* json_key_literal() writes what json_key() writes: as the first member,
 * after another, in a nested object and array, and past the inline buffer
 * (the copy grows the buffer as any other write does). */
static void
test_literal_keys(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		struct json_writer a, b;
		json_writer_init(&a);
		json_writer_init(&b);
		for (int i = 0; i < (round == 0 ? 1 : 60); i++) {
			json_object_begin(&a);
			json_key(&a, "order_id");
			json_string(&a, "x1", SIZE_MAX);
			json_key(&a, "rules_fired");
			json_array_begin(&a);
			json_object_begin(&a);
			json_key(&a, "id");
			json_int(&a, i);
			json_object_end(&a);
			json_array_end(&a);
			json_key(&a, "created_at");
			json_int(&a, 1700000000000LL);
			json_object_end(&a);

			json_object_begin(&b);
			json_key_literal(&b, "order_id");
			json_string(&b, "x1", SIZE_MAX);
			json_key_literal(&b, "rules_fired");
			json_array_begin(&b);
			json_object_begin(&b);
			json_key_literal(&b, "id");
			json_int(&b, i);
			json_object_end(&b);
			json_array_end(&b);
			json_key_literal(&b, "created_at");
			json_int(&b, 1700000000000LL);
			json_object_end(&b);
		}
		char *sa = json_writer_finish(&a), *sb = json_writer_finish(&b);
		assert_non_null(sa);
		assert_string_equal(sa, sb);
		assert_true(round == 0 || strlen(sb) > sizeof a.inline_buf);
		free(sa);
		free(sb);
	}
}

/* Texts of 0 to 40 bytes with escapes anywhere (the writer copies the
 * bytes between them eight at a time), as cJSON prints them. */
static void
test_random_strings(void **state)
{
	uint64_t x = 0x2545F4914F6CDD1DULL;

	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		char text[48];
		size_t n = (size_t)(iter % 41);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned r = (unsigned)(x >> 40) % 100;
			text[i] = r < 3 ? '"' : r < 6 ? '\\' : r < 9 ? (char)(1 + x % 0x1F) :
			          (char)(0x20 + x % 0x5F);
		}
		text[n] = '\0';
		cJSON *obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "t", text);
		struct json_writer w;
		json_writer_init(&w);
		json_object_begin(&w);
		json_key(&w, "t");
		json_string(&w, text, SIZE_MAX);
		json_object_end(&w);
		assert_same(obj, json_writer_finish(&w));
	}
}

/* json_writer_text() is what json_writer_finish() returns, without the
 * copy: short (the inline buffer) and long (grown) text alike. */
static void
test_text_without_copy(void **state)
{
	(void)state;
	static char long_text[3000];
	memset(long_text, 'x', sizeof long_text - 1);
	for (size_t n = 0; n < 2; n++) {
		struct json_writer a, b;
		const char *s = n ? long_text : "short \"text\"";
		json_writer_init(&a);
		json_writer_init(&b);
		for (int k = 0; k < 2; k++) {
			struct json_writer *w = k ? &b : &a;
			json_array_begin(w);
			json_string(w, s, SIZE_MAX);
			json_int(w, 42);
			json_array_end(w);
		}
		char *finished = json_writer_finish(&a);
		size_t len = 0;
		const char *text = json_writer_text(&b, &len);
		assert_non_null(finished);
		assert_non_null(text);
		assert_int_equal(len, strlen(finished));
		assert_string_equal(text, finished);
		assert_int_equal(strlen(text), len);
		json_writer_discard(&b);
		/* spent: the writer starts again empty */
		json_array_begin(&b);
		json_array_end(&b);
		assert_string_equal(json_writer_text(&b, &len), "[]");
		json_writer_discard(&b);
		free(finished);
	}
}

/* Nesting, and a text long enough to leave the inline buffer. */
static void
test_nesting_and_growth(void **state)
{
	struct json_writer w;
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	char big[5000];

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	json_writer_init(&w);
	json_object_begin(&w);
	json_key(&w, "a");
	json_array_begin(&w);
	arr = cJSON_AddArrayToObject(root, "a");
	for (int i = 0; i < 3; i++) {
		json_object_begin(&w);
		json_key(&w, "i");
		json_int(&w, i);
		json_key(&w, "e");
		json_array_begin(&w);
		json_array_end(&w);
		json_object_end(&w);
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "i", i);
		cJSON_AddArrayToObject(o, "e");
		cJSON_AddItemToArray(arr, o);
	}
	json_array_end(&w);
	json_key(&w, "empty");
	json_object_begin(&w);
	json_object_end(&w);
	cJSON_AddObjectToObject(root, "empty");
	json_key(&w, "big");
	json_string(&w, big, SIZE_MAX);
	cJSON_AddStringToObject(root, "big", big);
	json_key(&w, "raw");
	json_raw(&w, "12.5");
	cJSON_AddRawToObject(root, "raw", "12.5");
	json_object_end(&w);
	assert_same(root, json_writer_finish(&w));
}

/* Booleans; members copied with their blanks dropped (strings kept
 * whole); a rewind takes back what followed the mark. */
static void
test_bool_compact_rewind(void **state)
{
	struct json_writer w;
	struct json_writer_mark mark;
	const char *members = "\"a\" : [ 1 , \"x y\\\" z\" ],\n\t\"b\":{ \"c\" : null }";

	(void)state;
	json_writer_init(&w);
	json_object_begin(&w);
	json_key_literal(&w, "t");
	json_bool(&w, true);
	json_writer_mark(&w, &mark);
	json_key_literal(&w, "gone");
	json_members_raw(&w, "\"x\":1", 5);
	json_writer_rewind(&w, &mark);
	json_key_literal(&w, "f");
	json_bool(&w, false);
	json_members_compact(&w, members, strlen(members));
	json_key_literal(&w, "e");
	json_cents(&w, 12.345);
	json_object_end(&w);
	char *s = json_writer_finish(&w);
	assert_non_null(s);
	assert_string_equal(s, "{\"t\":true,\"f\":false,\"a\":[1,\"x y\\\" z\"],\"b\":{\"c\":null},"
	                    "\"e\":12.35}");
	free(s);

	/* a rewind to the very start leaves an empty text */
	json_writer_init(&w);
	json_writer_mark(&w, &mark);
	json_object_begin(&w);
	json_object_end(&w);
	json_writer_rewind(&w, &mark);
	json_array_begin(&w);
	json_array_end(&w);
	s = json_writer_finish(&w);
	assert_string_equal(s, "[]");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bool_compact_rewind),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_literal_keys),
		cmocka_unit_test(test_text_without_copy),
		cmocka_unit_test(test_nesting_and_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
