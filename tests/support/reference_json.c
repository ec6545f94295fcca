/*
 * reference_json.c — the readers' cJSON paths, for the tests (see
 * reference_json.h).
 */
#include "reference_json.h"

#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "flat_json.h"
#include "order.h"

#define REFERENCE_MEMBERS_MAX 64

/* A heap copy of buf with the escaped member put first when the flat
 * reader reads buf (more members than any reader takes: the readers
 * decline those too); else a plain copy, which goes to cJSON as it is.
 * Exactly *n bytes, so ASan sees a read past the end. */
static char *
reference_text(const char *buf, size_t len, size_t *n)
{
	static const char member[] = "\"zz\":\"\\t\"";
	struct flat_member m[REFERENCE_MEMBERS_MAX];
	int count = flat_json_members(buf, len, m, REFERENCE_MEMBERS_MAX);
	size_t brace = 0, ml = strlen(member);
	char *out;

	if (count < 0) {
		out = malloc(len > 0 ? len : 1);
		if (out != NULL && len > 0)
			memcpy(out, buf, len);
		*n = len;
		return out;
	}
	while (buf[brace] != '{')
		brace++;
	*n = len + ml + (count > 0);
	out = malloc(*n);
	if (out == NULL)
		return NULL;
	memcpy(out, buf, brace + 1);
	memcpy(out + brace + 1, member, ml);
	if (count > 0)
		out[brace + 1 + ml] = ',';
	memcpy(out + brace + 1 + ml + (count > 0), buf + brace + 1, len - brace - 1);
	return out;
}

int
reference_order_parse(const void *buf, size_t len, struct order *out, char *err,
                      size_t errlen)
{
	size_t n;
	char *text = reference_text(buf, len, &n);
	int rc = text != NULL ? order_parse(text, n, out, err, errlen) : -1;

	free(text);
	return rc;
}

int
reference_notice_parse(const void *buf, size_t len, struct notice *out, char *err,
                       size_t errlen)
{
	size_t n;
	char *text = reference_text(buf, len, &n);
	int rc = text != NULL ? notice_parse(text, n, out, err, errlen) : -1;

	free(text);
	return rc;
}

int
reference_decided_parse(const void *buf, size_t len, struct decided *d)
{
	size_t n;
	char *text = reference_text(buf, len, &n);
	int rc = text != NULL ? decided_parse(text, n, d) : -1;

	free(text);
	return rc;
}
