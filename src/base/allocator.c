/*
 * allocator.c — tunes glibc's malloc for the pipeline (see allocator.h for
 * why): fastbins off, large blocks from the heap, free heap tops kept;
 * each unless the user set it in GLIBC_TUNABLES themselves.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "allocator.h"

#if defined(__GLIBC__) && defined(M_MXFAST)
/* Whether GLIBC_TUNABLES sets glibc.malloc.NAME. */
static bool
user_set(const char *tunables, const char *name)
{
	char key[64] = "malloc.";
	strncat(key, name, sizeof key - sizeof "malloc.");
	strncat(key, "=", sizeof key - strlen(key) - 1);
	return tunables != NULL && strstr(tunables, key) != NULL;
}
#endif

enum allocator_tuning
allocator_tune(void)
{
#if defined(__GLIBC__) && defined(M_MXFAST)
	static const struct {
		const char *tunable;
		int param, value;
	} settings[] = {
		{ "mxfast", M_MXFAST, 0 },
		/* the threshold first: setting it fixes glibc's moving one */
		{ "mmap_threshold", M_MMAP_THRESHOLD, ALLOCATOR_MMAP_THRESHOLD },
		{ "trim_threshold", M_TRIM_THRESHOLD, ALLOCATOR_TRIM_THRESHOLD },
	};
	const char *tunables = getenv("GLIBC_TUNABLES");
	bool left = false;

	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		if (user_set(tunables, settings[i].tunable)) {
			left = true;
			continue;
		}
		if (mallopt(settings[i].param, settings[i].value) != 1)
			return ALLOCATOR_UNTOUCHED;
	}
	return left ? ALLOCATOR_LEFT_TO_USER : ALLOCATOR_TUNED;
#else
	return ALLOCATOR_UNTOUCHED;
#endif
}
