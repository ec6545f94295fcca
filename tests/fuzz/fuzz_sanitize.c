/*
 * fuzz_sanitize.c — libFuzzer target for the text sanitiser
 * (src/text_sanitize.c) in a UTF-8 locale.  The first two bytes choose the
 * buffer size and the column limit; the rest is the text.  The output must
 * fit both, be valid UTF-8 with no control byte and no bidi or zero-width
 * character, and measure what text_sanitize says; text_utf8_repair's
 * output must be valid UTF-8.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text_sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const banned[] = {
	"\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e", "\xe2\x80\x8f",
	"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
	"\xe2\x81\xa0", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",
	"\xd8\x9c", "\xef\xbb\xbf",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size < 2)
		return 0;
	size_t dstlen = 1 + data[0];
	int max_cols = data[1] == 255 ? -1 : data[1] % 64;
	const uint8_t *src = data + 2;
	size_t n = size - 2;
	char *dst = malloc(dstlen);
	uint8_t *copy = malloc(n ? n : 1);

	memcpy(copy, src, n);
	int cols = text_sanitize(dst, dstlen, copy, n, max_cols);
	size_t len = strlen(dst);
	if (len >= dstlen || (max_cols >= 0 && cols > max_cols) || cols != text_width(dst))
		abort();
	if (!text_utf8_valid(dst, len))
		abort();
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			abort();
	for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
		if (strstr(dst, banned[i]) != NULL)
			abort();
	/* cutting what is already safe keeps a prefix */
	if (max_cols >= 0) {
		char *again = strdup(dst);
		int kept = text_truncate(again, max_cols / 2);
		if (kept > max_cols / 2 || strncmp(again, dst, strlen(again)) != 0)
			abort();
		free(again);
	}

	char *fixed = malloc(n * 3 + 1);
	size_t fl = text_utf8_repair(fixed, copy, n);
	if (fl != strlen(fixed) || !text_utf8_valid(fixed, fl))
		abort();
	if (text_utf8_valid(copy, n) && (fl != n || memcmp(fixed, copy, n) != 0))
		abort();
	free(fixed);
	free(copy);
	free(dst);
	return 0;
}
