/*
 * flat_json.h — a reader, without allocations, for the JSON objects ordertop
 * itself writes: one object whose members are strings without escapes,
 * numbers, true, false, null, or arrays and objects of those (handed over
 * as text, FLAT_NESTED, to read again with flat_json_members() or
 * flat_json_elements()).  It answers only when it can read the text
 * exactly as cJSON would; for anything else (an escape, a control
 * character, a number in a form strict JSON does not allow, nesting deeper
 * than 16, text after the value) it says "not flat" and the caller parses
 * with cJSON, which then accepts the text or says why not.  So the reader
 * never refuses input.
 *
 *	struct flat_member m[16];
 *	int n = flat_json_members(buf, len, m, 16);   // -1: use cJSON
 *	for (int i = 0; i < n; i++) if (flat_key_is(&m[i], "order_id")) ...
 *
 * struct json_field carries one member's value from either reader (this
 * one or cJSON), so the checks that follow are written once.
 *
 * The cursor reads text as it is written rather than as cJSON decodes
 * it, for the two places that need that: the decided order keeps the
 * received members byte for byte, and versions are read digit for digit
 * (a double holds integers exactly only up to 2^53).
 */
#ifndef ORDERTOP_FLAT_JSON_H
#define ORDERTOP_FLAT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum flat_type {
	FLAT_STRING,
	FLAT_NUMBER,
	FLAT_TRUE,
	FLAT_FALSE,
	FLAT_NULL,
	FLAT_NESTED
};

struct flat_member {
	const char *key;
	size_t key_len;
	enum flat_type type;
	const char *text; /* a string's bytes (no quotes), else the value's text */
	size_t len;
	double number; /* FLAT_NUMBER: the value strtod() gives for text */
};

/* One member's value as the checks after either reader see it. */
struct json_field {
	enum {
		JF_ABSENT,
		JF_NULL,
		JF_STRING,
		JF_NUMBER,
		JF_OTHER
	} type;
	const char *s; /* JF_STRING: its bytes (no NUL inside) */
	size_t len;
	double num; /* JF_NUMBER */
};

struct cJSON;
void json_field_from_flat(struct json_field *f, const struct flat_member *m); /* NULL: absent */
void json_field_from_cjson(struct json_field *f, const struct cJSON *item);   /* NULL: absent */

/* The members of the object in buf, in order, into m (at most max); their
 * count, or -1 when the text is not such a flat object or has more than
 * max members. */
int flat_json_members(const char *buf, size_t len, struct flat_member *m, int max);
/* The same for the elements of an array (their keys are empty). */
int flat_json_elements(const char *buf, size_t len, struct flat_member *m, int max);
bool flat_key_is(const struct flat_member *m, const char *key);
/* Whether the len bytes of a key (no NUL among them) are the name: byte by
 * byte, so that most names differ at the first byte; for the readers that
 * look each member's key up in a short list of names. */
static inline bool
flat_name_is(const char *bytes, size_t len, const char *name)
{
	size_t i = 0;
	while (i < len && name[i] == bytes[i]) /* stops at name's NUL */
		i++;
	return i == len && name[i] == '\0';
}
/* The first of the n members named key, or NULL: what
 * cJSON_GetObjectItemCaseSensitive() finds in the same object. */
const struct flat_member *flat_find(const struct flat_member *m, int n, const char *key);

/*
 * Any strict JSON object (RFC 8259), one member at a time: keys and
 * strings as their raw bytes (escapes checked as cJSON checks them, not
 * decoded), numbers of any length (number is not set), nesting as deep
 * as above.  What the cursor accepts cJSON accepts too.
 *
 *	struct flat_cursor c;
 *	struct flat_member m;
 *	int rc = flat_cursor_begin(&c, buf, len);
 *	while (rc >= 0 && (rc = flat_cursor_next(&c, &m)) == 1) ...
 *	// rc 0: the object ended (only blanks after it); -1: not strict JSON
 */
struct flat_cursor {
	const char *buf;
	size_t len;
	size_t pos; /* the next member; where the text went wrong */
	bool first, ended;
};
/* -1 when the text does not begin (after blanks) with '{'. */
int flat_cursor_begin(struct flat_cursor *c, const char *buf, size_t len);
/* 1 with the next member in *m, 0 at the end of the object, -1 when the
 * text is not strict JSON from c->pos on. */
int flat_cursor_next(struct flat_cursor *c, struct flat_member *m);
/* Where member m's value ends in the text (past a string's quote). */
const char *flat_member_end(const struct flat_member *m);
/* The member cJSON read as item, a member of root, in the text buf it was
 * read from (cJSON keeps members in text order): its value as written.
 * false when the text up to it is not strict JSON. */
bool flat_member_of(const char *buf, size_t len, const struct cJSON *root, const struct cJSON *item,
		    struct flat_member *out);
/* A number's text as an unsigned 64-bit integer, exactly: digits only (no
 * sign, fraction or exponent), at most UINT64_MAX; else false. */
bool flat_uint64(const char *text, size_t len, uint64_t *out);

#endif
