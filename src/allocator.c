/*
 * allocator.c — turns glibc's fastbins off (see allocator.h for why),
 * unless the user set malloc.mxfast in GLIBC_TUNABLES themselves.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "allocator.h"

enum allocator_tuning
allocator_tune(void)
{
#if defined(__GLIBC__) && defined(M_MXFAST)
	const char *tunables = getenv("GLIBC_TUNABLES");
	if (tunables != NULL && strstr(tunables, "malloc.mxfast") != NULL)
		return ALLOCATOR_LEFT_TO_USER;
	return mallopt(M_MXFAST, 0) == 1 ? ALLOCATOR_TUNED : ALLOCATOR_UNTOUCHED;
#else
	return ALLOCATOR_UNTOUCHED;
#endif
}
