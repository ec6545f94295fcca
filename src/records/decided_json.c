/*
 * decided_json.c — writing the decided order (see decided_json.h).
 *
 * Three ways, fastest first:
 * - an order as ordertop writes it (compact, flat, none of the decision
 *   fields) is its own bytes up to the closing brace, then the decision
 *   fields, found from the members the flat reader already read;
 * - other strict JSON is spliced: flat_json.c's cursor walks its members,
 *   each kept member is copied with the blanks between tokens dropped (a
 *   20-digit number in an unknown field stays exact: cJSON would print it
 *   as a double);
 * - what cJSON accepts but strict JSON does not (01, raw control
 *   characters in strings), and keys written with escapes (they would have
 *   to be decoded to be compared), are printed whole by cJSON.
 *
 * Bytes are copied and NUL-terminated before cJSON sees them, so it never
 * depends on the bytes after len (see order.c).
 */
#include "decided_json.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "decision.h"
#include "flat_json.h"
#include "json_writer.h"
#include "order.h"

/* Fields the decision writes; any already there are replaced (the last,
 * created_at, only when it is added: see struct decision). */
static const char *const decided_fields[] = {
	"status", "total", "rules_fired", "rules_version", "decided_at", "decided_by", "created_at",
};
#define DECIDED_FIELDS(d)                                                                          \
	(sizeof decided_fields / sizeof decided_fields[0] - ((d)->created_at_added ? 0 : 1))

static bool
decided_is_field(const struct decision *d, const char *key, size_t len)
{
	for (size_t i = 0; i < DECIDED_FIELDS(d); i++)
		if (flat_name_is(key, len, decided_fields[i]))
			return true;
	return false;
}

/* The decision fields, as members of the open object w. */
static void
decided_fields_write(struct json_writer *w, const struct decision *d)
{
	int n = d->n_fired < 0                    ? 0
		: d->n_fired > DECISION_MAX_FIRED ? DECISION_MAX_FIRED
						  : d->n_fired;

	json_key_literal(w, "status");
	json_string(w, order_status_name(d->status), SIZE_MAX);
	json_key_literal(w, "total");
	json_cents(w, d->total);
	json_key_literal(w, "rules_fired");
	json_array_begin(w);
	for (int i = 0; i < n; i++) {
		json_object_begin(w);
		json_key_literal(w, "id");
		json_string(w, d->fired[i].id, sizeof d->fired[i].id);
		json_key_literal(w, "reason");
		json_string(w, d->fired[i].reason, sizeof d->fired[i].reason);
		json_object_end(w);
	}
	json_array_end(w);
	json_key_literal(w, "rules_version");
	json_uint(w, d->rules_version);
	if (d->created_at_added) {
		json_key_literal(w, "created_at");
		json_int(w, d->created_at_ms);
	}
	json_key_literal(w, "decided_at");
	json_int(w, d->decided_at_ms);
	json_key_literal(w, "decided_by");
	json_string(w, d->decided_by, sizeof d->decided_by);
}

/* Where member m's value ends, when the member is written "key":value
 * with nothing between and is not nested (blanks may hide inside); else
 * NULL. */
static inline const char *
decided_compact_end(const struct flat_member *m)
{
	const char *colon = m->key + m->key_len + 1; /* past the closing quote */

	if (m->type == FLAT_NESTED || *colon != ':')
		return NULL;
	if (m->type == FLAT_STRING)
		return m->text == colon + 2 ? m->text + m->len + 1 : NULL;
	return m->text == colon + 1 ? m->text + m->len : NULL;
}

/* The order as its own bytes, when the flat reader's members m show it
 * written as ordertop writes orders. */
static bool
decided_copy_whole(struct json_writer *w, const char *p, size_t len, const struct flat_member *m,
		   int n, const struct decision *d)
{
	const char *at = p + 1; /* where a member's quote must be */

	if (n <= 0 || len < 2 || p[0] != '{')
		return false;
	for (int i = 0; i < n; i++) {
		const char *end = decided_compact_end(&m[i]);
		if (end == NULL || m[i].key != at + 1 || end >= p + len ||
		    *end != (i + 1 < n ? ',' : '}') || decided_is_field(d, m[i].key, m[i].key_len))
			return false;
		at = end + 1;
	}
	if (at != p + len)
		return false;
	json_object_begin(w);
	json_members_raw(w, p + 1, len - 2);
	decided_fields_write(w, d);
	json_object_end(w);
	return true;
}

/* Strict JSON, member by member; false (w as it was) for anything else. */
static bool
decided_splice(struct json_writer *w, const char *p, size_t len, const struct decision *d)
{
	struct json_writer_mark mark;
	struct flat_cursor c;
	struct flat_member m;
	int rc;

	if (flat_cursor_begin(&c, p, len) < 0)
		return false;
	json_writer_mark(w, &mark);
	json_object_begin(w);
	while ((rc = flat_cursor_next(&c, &m)) == 1) {
		if (memchr(m.key, '\\', m.key_len) != NULL)
			break; /* cJSON decodes it to compare */
		if (decided_is_field(d, m.key, m.key_len))
			continue;
		const char *from = m.key - 1, *end = decided_compact_end(&m);
		if (end != NULL)
			json_members_raw(w, from, (size_t)(end - from));
		else
			json_members_compact(w, from, (size_t)(flat_member_end(&m) - from));
	}
	if (rc != 0) {
		json_writer_rewind(w, &mark);
		return false;
	}
	decided_fields_write(w, d);
	json_object_end(w);
	return true;
}

/* cJSON prints the order, without the decision fields it had. */
static int
decided_print(struct json_writer *w, const char *p, size_t len, const struct decision *d)
{
	char *copy = malloc(len + 1), *s;
	cJSON *root;

	if (copy == NULL)
		return -1;
	memcpy(copy, p, len);
	copy[len] = '\0';
	/* len + 1 with require_null_terminated: no trailing garbage */
	root = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	for (size_t i = 0; i < DECIDED_FIELDS(d); i++)
		while (cJSON_GetObjectItemCaseSensitive(root, decided_fields[i]) != NULL)
			cJSON_DeleteItemFromObjectCaseSensitive(root, decided_fields[i]);
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (s == NULL)
		return -1;
	json_object_begin(w);
	json_members_raw(w, s + 1, strlen(s) - 2); /* inside its braces */
	decided_fields_write(w, d);
	json_object_end(w);
	free(s);
	return 0;
}

int
decided_json_write(struct json_writer *w, const void *order_json, size_t len,
		   const struct flat_member *m, int n, const struct decision *d)
{
	const char *p = order_json;

	/* members the flat reader found leave no room for a NUL byte */
	if (p != NULL && decided_copy_whole(w, p, len, m, n, d))
		return 0;
	if (p == NULL || len == 0 || len > ORDER_JSON_MAX || memchr(p, '\0', len) != NULL)
		return -1;
	if (decided_splice(w, p, len, d))
		return 0;
	return decided_print(w, p, len, d);
}
