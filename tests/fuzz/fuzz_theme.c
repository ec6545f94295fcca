/*
 * fuzz_theme.c — libFuzzer target for the theme parser (theme_parse in
 * ui/kit/theme.c, no curses calls): any text parses or is refused with a
 * "FILE:LINE: why" message, all-or-nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t, before;
	char err[512];
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	theme_builtin(&t);
	before = t;
	err[0] = '\0';
	if (theme_parse(&t, text, "fuzz.theme", err, sizeof err) < 0) {
		if (strncmp(err, "fuzz.theme", 10) != 0 || memcmp(&t, &before, sizeof t) != 0)
			abort();
	}
	free(text);
	return 0;
}
