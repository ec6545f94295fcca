/*
 * text_join.c — the pieces of a line copied one after the other (see
 * text_join.h).
 */
#include "text_join.h"

#include <string.h>

size_t
text_join(char *buf, size_t len, const char *const *pieces, size_t n)
{
	size_t used = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < n && used + 1 < len; i++) {
		size_t l = strlen(pieces[i]);
		if (l > len - 1 - used)
			l = len - 1 - used; /* cut, as snprintf would */
		memcpy(buf + used, pieces[i], l);
		used += l;
	}
	buf[used] = '\0';
	return used;
}
