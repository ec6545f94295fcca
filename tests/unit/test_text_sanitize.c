/*
 * test_text_sanitize.c — escaping of controls and escape sequences, U+FFFD
 * for invalid UTF-8, column counting with wide and combining characters,
 * cutting with an ellipsis, and the byte limit checked exhaustively over
 * small buffers.  Runs in C.UTF-8, and in C for the non-UTF-8 fallback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_sanitize.h"

#define ELL "\xe2\x80\xa6"          /* … */
#define NIHONGO "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"   /* 日本語 */
#define NI "\xe6\x97\xa5"
#define HON "\xe6\x9c\xac"
#define FFFD "\xef\xbf\xbd"

static int
setup_utf8(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") != NULL ? 0 : -1;
}

/* Sanitizes n bytes of s (an exact heap copy) into out. */
static int
san_n(char *out, size_t outlen, const char *s, size_t n, int max_cols)
{
	char *src = malloc(n > 0 ? n : 1);
	int cols;

	assert_non_null(src);
	memcpy(src, s, n);
	cols = text_sanitize(out, outlen, src, n, max_cols);
	free(src);
	return cols;
}

static void
expect_san(const char *s, int max_cols, const char *want, int want_cols)
{
	char out[512];
	int cols = san_n(out, sizeof out, s, strlen(s), max_cols);

	if (strcmp(out, want) != 0 || cols != want_cols)
		print_error("in: \"%s\" max %d\nwant: \"%s\" (%d)\ngot:  \"%s\" "
		    "(%d)\n", s, max_cols, want, want_cols, out, cols);
	assert_string_equal(out, want);
	assert_int_equal(cols, want_cols);
}

static void
test_plain(void **state)
{
	(void)state;
	expect_san("", -1, "", 0);
	expect_san("hello world", -1, "hello world", 11);
	expect_san("a\\b", -1, "a\\b", 3);         /* backslash stays */
	expect_san("~!@#$%^&*()", -1, "~!@#$%^&*()", 11);
}

static void
test_escape_sequences(void **state)
{
	(void)state;
	expect_san("\x1b[31mred", -1, "\\x1b[31mred", 11);
	expect_san("\x1b]0;title\x07", -1, "\\x1b]0;title\\x07", 16);
	expect_san("a\nb\tc\rd", -1, "a\\nb\\tc\\rd", 10);
	expect_san("\x7f", -1, "\\x7f", 4);
	expect_san("\x01\x1f", -1, "\\x01\\x1f", 8);
	/* C1 controls, including CSI (U+009B) and NEL (U+0085) */
	expect_san("\xc2\x9b" "31m", -1, "\\x9b" "31m", 7);
	expect_san("\xc2\x80\xc2\x85\xc2\x9f", -1, "\\x80\\x85\\x9f", 12);
	/* U+00A0 is the first printable one */
	expect_san("\xc2\xa0", -1, "\xc2\xa0", 1);
}

static void
test_nul_byte(void **state)
{
	char out[32];
	int cols;

	(void)state;
	cols = san_n(out, sizeof out, "a\0b", 3, -1);
	assert_string_equal(out, "a\\x00b");
	assert_int_equal(cols, 6);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	expect_san("a\xff" "b", -1, "a" FFFD "b", 3);
	expect_san("\x80\xbf", -1, FFFD FFFD, 2);                 /* stray */
	expect_san("\xe6\x97", -1, FFFD FFFD, 2);                 /* truncated */
	expect_san("\xe6\x97" "x", -1, FFFD FFFD "x", 3);
	expect_san("\xc0\xaf", -1, FFFD FFFD, 2);                 /* overlong / */
	expect_san("\xe0\x80\xaf", -1, FFFD FFFD FFFD, 3);
	expect_san("\xf0\x80\x80\xaf", -1, FFFD FFFD FFFD FFFD, 4);
	expect_san("\xed\xa0\x80", -1, FFFD FFFD FFFD, 3);        /* surrogate */
	expect_san("\xf4\x90\x80\x80", -1, FFFD FFFD FFFD FFFD, 4);
	expect_san("\xf8\x88\x80\x80\x80", -1,
	    FFFD FFFD FFFD FFFD FFFD, 5);
	/* an overlong ESC must not become an ESC */
	expect_san("\xc0\x9b", -1, FFFD FFFD, 2);
}

static void
test_wide_and_combining(void **state)
{
	(void)state;
	expect_san(NIHONGO, -1, NIHONGO, 6);
	expect_san(NIHONGO, 6, NIHONGO, 6);            /* fits exactly */
	expect_san(NIHONGO, 5, NI HON ELL, 5);
	expect_san(NIHONGO, 4, NI ELL, 3);
	expect_san(NIHONGO, 3, NI ELL, 3);
	expect_san(NIHONGO, 2, ELL, 1);
	expect_san(NIHONGO, 1, ELL, 1);
	expect_san(NIHONGO, 0, "", 0);
	expect_san("\xf0\x9f\x98\x80!", -1, "\xf0\x9f\x98\x80!", 3);   /* 😀 */
	/* e + COMBINING ACUTE: one column, kept together */
	expect_san("e\xcc\x81", -1, "e\xcc\x81", 1);
	expect_san("ae\xcc\x81" "b", 3, "ae\xcc\x81" "b", 3);
	expect_san("ae\xcc\x81" "bc", 3, "ae\xcc\x81" ELL, 3);
}

/* A cut forced by the byte limit never separates a letter from its
 * combining marks: it drops them together. */
static void
test_combining_not_split(void **state)
{
	char out[16];
	int cols;

	(void)state;
	/* room for "ae" and U+0301 but not U+0308: not "ae…", but "a…" */
	cols = san_n(out, 6, "ae\xcc\x81\xcc\x88", 6, -1);
	assert_string_equal(out, "a" ELL);
	assert_int_equal(cols, 2);
	/* no room for the ellipsis: "a", not "ae" without its accent */
	cols = san_n(out, 3, "ae\xcc\x81", 4, -1);
	assert_string_equal(out, "a");
	assert_int_equal(cols, 1);
	/* all of it fits */
	cols = san_n(out, 5, "ae\xcc\x81", 4, -1);
	assert_string_equal(out, "ae\xcc\x81");
	assert_int_equal(cols, 2);
}

static void
test_unprintable_and_invisible(void **state)
{
	(void)state;
	expect_san("\xcd\xb8", -1, "\\u{0378}", 8);          /* unassigned */
	expect_san("\xf4\x8f\xbf\xbf", -1, "\\u{10FFFF}", 10);
	expect_san("\xe2\x80\xa8", -1, "\\u{2028}", 8);      /* line sep */
	/* RIGHT-TO-LEFT OVERRIDE has width 0 but is no combining mark */
	expect_san("abc\xe2\x80\xae" "def", -1, "abc\\u{202E}def", 14);
	expect_san("\xef\xbb\xbfx", -1, "\\u{FEFF}x", 9);
	/* an escape is never split: it goes whole or not at all */
	expect_san("ab\x1b", 5, "ab" ELL, 3);
	expect_san("ab\xe2\x80\xae", 9, "ab" ELL, 3);
	expect_san("ab\xe2\x80\xae", 10, "ab\\u{202E}", 10);
}

/* Every bidi control and zero-width character is escaped, each one. */
static void
test_bidi_and_zero_width(void **state)
{
	static const unsigned int cps[] = {
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
		0x2069, 0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060,
		0xFEFF,
	};
	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		unsigned int c = cps[i];
		char in[8], want[32];

		if (c < 0x800)
			snprintf(in, sizeof in, "u%c%c", 0xC0 | (c >> 6), 0x80 | (c & 0x3F));
		else
			snprintf(in, sizeof in, "u%c%c%c", 0xE0 | (c >> 12),
			         0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F));
		snprintf(want, sizeof want, "u\\u{%04X}", c);
		expect_san(in, -1, want, (int)strlen(want));
	}
}

static void
test_utf8_valid_and_repair(void **state)
{
	char out[64];
	(void)state;
	assert_true(text_utf8_valid("caf\xc3\xa9 " NIHONGO, 15));
	assert_true(text_utf8_valid("", 0));
	assert_false(text_utf8_valid("a\0b", 3));                 /* NUL */
	assert_false(text_utf8_valid("\xc0\xaf", 2));            /* overlong */
	assert_false(text_utf8_valid("\xed\xa0\x80", 3));        /* surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4));    /* > U+10FFFF */
	assert_false(text_utf8_valid("\xe6\x97", 2));            /* cut short */
	assert_int_equal(text_utf8_repair(out, "a\xff" "b\0c\xe6\x97", 7), 1 + 3 + 1 + 3 + 1 + 6);
	assert_string_equal(out, "a" FFFD "b" FFFD "c" FFFD FFFD);
	assert_true(text_utf8_valid(out, strlen(out)));
}

static void
test_cut_ascii(void **state)
{
	(void)state;
	expect_san("abcdefgh", 8, "abcdefgh", 8);
	expect_san("abcdefgh", 7, "abcdef" ELL, 7);
	expect_san("abcdefgh", 1, ELL, 1);
	expect_san("a\nb", 3, "a" ELL, 2);              /* \n is 2 columns */
	expect_san("a\nb", 4, "a\\nb", 4);
}

static void
test_dst_small(void **state)
{
	char out[8];
	int cols;

	(void)state;
	/* dstlen 0: nothing written at all */
	memset(out, 'Z', sizeof out);
	assert_int_equal(text_sanitize(out, 0, "abc", 3, -1), 0);
	assert_int_equal(out[0], 'Z');
	assert_int_equal(text_sanitize(NULL, 0, "abc", 3, -1), 0);
	/* dstlen 1: just the NUL */
	cols = text_sanitize(out, 1, "abc", 3, -1);
	assert_int_equal(cols, 0);
	assert_string_equal(out, "");
	/* dstlen 4 fits the ellipsis alone */
	cols = text_sanitize(out, 4, "abcdef", 6, -1);
	assert_string_equal(out, ELL);
	assert_int_equal(cols, 1);
	/* dstlen 3: no room for "…", so a plain cut */
	cols = text_sanitize(out, 3, "abcdef", 6, -1);
	assert_string_equal(out, "ab");
	assert_int_equal(cols, 2);
	/* the whole of a 3-byte character or none of it */
	cols = text_sanitize(out, 3, NIHONGO, 9, -1);
	assert_string_equal(out, "");
	assert_int_equal(cols, 0);
	/* NULL source */
	cols = text_sanitize(out, sizeof out, NULL, 0, -1);
	assert_string_equal(out, "");
	assert_int_equal(cols, 0);
}

/* Index of the source prefix whose full sanitization equals kept, or -1. */
static int
matching_prefix(const char *src, size_t n, const char *kept)
{
	char full[1024];

	for (size_t k = 0; k <= n; k++) {
		text_sanitize(full, sizeof full, src, k, -1);
		if (strcmp(full, kept) == 0)
			return (int)k;
	}
	return -1;
}

static bool
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		int need = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 :
		    *p >= 0xC2 ? 1 : -1;
		if (need < 0)
			return false;
		p++;
		for (int i = 0; i < need; i++, p++) {
			if ((*p & 0xC0) != 0x80)
				return false;
		}
	}
	return true;
}

/*
 * Every dstlen from 0 to 40 and max_cols from -1 to 30, on inputs mixing
 * ASCII, escapes, wide, combining, invalid and invisible characters: the
 * output stays in dst (canary intact), is valid UTF-8, is within max_cols,
 * the returned columns are its width, and it is the sanitization of a
 * source prefix, plus "…" when something was dropped and "…" fits.
 */
static void
test_exhaustive_limits(void **state)
{
	static const char *const inputs[] = {
		"plain ascii text",
		"\x1b[31mred\x1b[0m\n",
		NIHONGO "abc" NIHONGO,
		"ae\xcc\x81\xcc\x88" "b\xe6\x97\xa5" "c",
		"\xff\xe6\x97" "x\xc2\x9b\xed\xa0\x80" "y",
		"ab\xe2\x80\xae" "cd\xcd\xb8" "e",
		"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\t\\",
	};
	char full[1024];

	(void)state;
	for (size_t t = 0; t < sizeof inputs / sizeof inputs[0]; t++) {
		const char *src = inputs[t];
		size_t n = strlen(src);

		text_sanitize(full, sizeof full, src, n, -1);
		for (size_t dstlen = 0; dstlen <= 40; dstlen++) {
			for (int max = -1; max <= 30; max++) {
				char buf[64], kept[64];
				size_t len;
				int cols;

				memset(buf, 'Z', sizeof buf);
				cols = san_n(buf, dstlen, src, n, max);
				for (size_t i = dstlen; i < sizeof buf; i++)
					assert_int_equal(buf[i], 'Z');
				if (dstlen == 0) {
					assert_int_equal(cols, 0);
					continue;
				}
				len = strnlen(buf, dstlen);
				assert_true(len < dstlen);
				assert_true(valid_utf8(buf));
				assert_int_equal(text_width(buf), cols);
				if (max >= 0)
					assert_true(cols <= max);
				if (strcmp(buf, full) == 0)
					continue;
				/* cut: a whole-unit prefix, then "…" */
				memcpy(kept, buf, len + 1);
				if (len >= 3 && strcmp(kept + len - 3, ELL) == 0)
					kept[len - 3] = '\0';
				else
					assert_false(dstlen >= 4 && max != 0);
				if (matching_prefix(src, n, kept) < 0)
					print_error("input %zu dstlen %zu max %d: "
					    "\"%s\" cuts inside a unit\n", t,
					    dstlen, max, buf);
				assert_true(matching_prefix(src, n, kept) >= 0);
			}
		}
	}
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width(NIHONGO), 6);
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("\xf0\x9f\x98\x80" ELL), 3);
	assert_int_equal(text_width("\\x1b[31m"), 8);
}

static void
test_truncate(void **state)
{
	char s[64];

	(void)state;
	strcpy(s, NIHONGO);
	assert_int_equal(text_truncate(s, 5), 4);
	assert_string_equal(s, NI HON);
	strcpy(s, NIHONGO);
	assert_int_equal(text_truncate(s, 6), 6);
	assert_string_equal(s, NIHONGO);
	strcpy(s, NIHONGO);
	assert_int_equal(text_truncate(s, -1), 6);
	assert_string_equal(s, NIHONGO);
	strcpy(s, NIHONGO);
	assert_int_equal(text_truncate(s, 1), 0);
	assert_string_equal(s, "");
	strcpy(s, "abc");
	assert_int_equal(text_truncate(s, 0), 0);
	assert_string_equal(s, "");
	/* the combining mark stays with its letter */
	strcpy(s, "e\xcc\x81x");
	assert_int_equal(text_truncate(s, 1), 1);
	assert_string_equal(s, "e\xcc\x81");
	strcpy(s, "hello");
	assert_int_equal(text_truncate(s, 10), 5);
	assert_string_equal(s, "hello");
}

static void
test_non_utf8_locale(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C"));
	expect_san("caf\xc3\xa9", -1, "caf\\xc3\\xa9", 11);
	expect_san(NIHONGO, -1,
	    "\\xe6\\x97\\xa5\\xe6\\x9c\\xac\\xe8\\xaa\\x9e", 36);
	expect_san("\x1b[1m", -1, "\\x1b[1m", 7);
	expect_san("\xc2\x9b", -1, "\\xc2\\x9b", 8);
	expect_san("abcdefgh", 5, "ab...", 5);
	expect_san("caf\xc3\xa9", 8, "caf...", 6);      /* \xc3 is not split */
	expect_san("abcdefgh", 2, "ab", 2);             /* no room for ... */
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	expect_san("caf\xc3\xa9", -1, "caf\xc3\xa9", 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_wide_and_combining),
		cmocka_unit_test(test_combining_not_split),
		cmocka_unit_test(test_unprintable_and_invisible),
		cmocka_unit_test(test_bidi_and_zero_width),
		cmocka_unit_test(test_utf8_valid_and_repair),
		cmocka_unit_test(test_cut_ascii),
		cmocka_unit_test(test_dst_small),
		cmocka_unit_test(test_exhaustive_limits),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_non_utf8_locale),
	};

	return cmocka_run_group_tests(tests, setup_utf8, NULL);
}
