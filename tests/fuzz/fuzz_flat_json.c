/*
 * fuzz_flat_json.c — libFuzzer target for the flat JSON reader
 * (src/flat_json.c): whatever it answers for must read exactly as cJSON
 * reads it (same members, in order, same types, same string bytes and
 * numbers), and nested values read again must not crash.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "flat_json.h"

#define MAX_MEMBERS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
compare(const struct flat_member *m, int n, const cJSON *obj, int depth)
{
	const cJSON *it = obj->child;

	for (int i = 0; i < n; i++, it = it->next) {
		if (it == NULL)
			abort();
		if (m[i].key_len > 0 && (strlen(it->string) != m[i].key_len ||
		    memcmp(it->string, m[i].key, m[i].key_len) != 0))
			abort();
		switch (m[i].type) {
		case FLAT_STRING:
			if (!cJSON_IsString(it) || strlen(it->valuestring) != m[i].len ||
			    memcmp(it->valuestring, m[i].text, m[i].len) != 0)
				abort();
			break;
		case FLAT_NUMBER:
			if (!cJSON_IsNumber(it) ||
			    (it->valuedouble != m[i].number &&
			     !(isnan(it->valuedouble) && isnan(m[i].number))))
				abort();
			break;
		case FLAT_TRUE:
			if (!cJSON_IsTrue(it))
				abort();
			break;
		case FLAT_FALSE:
			if (!cJSON_IsFalse(it))
				abort();
			break;
		case FLAT_NULL:
			if (!cJSON_IsNull(it))
				abort();
			break;
		case FLAT_NESTED: {
			struct flat_member sub[MAX_MEMBERS];
			int k;

			if (!cJSON_IsObject(it) && !cJSON_IsArray(it))
				abort();
			k = cJSON_IsObject(it) ?
			    flat_json_members(m[i].text, m[i].len, sub, MAX_MEMBERS) :
			    flat_json_elements(m[i].text, m[i].len, sub, MAX_MEMBERS);
			if (k >= 0 && depth < 20)
				compare(sub, k, it, depth + 1);
			break;
		}
		}
	}
	if (it != NULL)
		abort();                /* cJSON saw more members */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flat_member m[MAX_MEMBERS];
	char *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	int n = flat_json_members(buf, size, m, MAX_MEMBERS);
	if (n >= 0) {
		cJSON *j = cJSON_ParseWithLength(buf, size);
		if (j == NULL || !cJSON_IsObject(j))
			abort();
		compare(m, n, j, 0);
		cJSON_Delete(j);
	}
	n = flat_json_elements(buf, size, m, MAX_MEMBERS);
	if (n >= 0) {
		cJSON *j = cJSON_ParseWithLength(buf, size);
		if (j == NULL || !cJSON_IsArray(j))
			abort();
		compare(m, n, j, 0);
		cJSON_Delete(j);
	}
	free(buf);
	return 0;
}
