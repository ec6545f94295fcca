/*
 * json_writer.h — compact JSON text written straight into a buffer, for the
 * records ordertop writes once per order (an order, a decision's fields, a
 * notification).  The text is what cJSON_PrintUnformatted() prints for the
 * same members, byte for byte (string escapes, numbers), without the tree
 * of small allocations cJSON builds first.
 *
 *	struct json_writer w;
 *	json_writer_init(&w);
 *	json_object_begin(&w);
 *	json_key(&w, "order_id"); json_string(&w, id, sizeof id);
 *	json_object_end(&w);
 *	char *text = json_writer_finish(&w);      // malloc'd, or NULL
 */
#ifndef ORDERTOP_JSON_WRITER_H
#define ORDERTOP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_writer {
	char *buf; /* inline_buf until it outgrows it */
	size_t len, cap;
	bool failed;     /* out of memory: finish() returns NULL */
	bool need_comma; /* a member or element was written at this level */
	bool after_key;  /* a key was written: its value comes next */
	char inline_buf[768];
};

void json_writer_init(struct json_writer *w);
/* The text, malloc'd and NUL-terminated; NULL when memory ran out.  The
 * writer is spent either way. */
char *json_writer_finish(struct json_writer *w);
/* The text without that copy, for text used once and dropped (a record
 * librdkafka copies as it is produced): NUL-terminated, *len bytes, owned
 * by the writer until json_writer_discard(); NULL when memory ran out. */
const char *json_writer_text(struct json_writer *w, size_t *len);
void json_writer_discard(struct json_writer *w);
/* Where the text stands, to take back what was written after it (a copy
 * that turned out not to be possible). */
struct json_writer_mark {
	size_t len;
	bool need_comma, after_key;
};
void json_writer_mark(const struct json_writer *w, struct json_writer_mark *m);
void json_writer_rewind(struct json_writer *w, const struct json_writer_mark *m);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *name);
/* A key written as a string literal that needs no escaping (letters,
 * digits, '_'): copied in one go with its quotes and colon, neither
 * measured nor scanned.  Every key ordertop's records have. */
#define json_key_literal(w, name) json_key_quoted((w), "\"" name "\":", sizeof "\"" name "\":" - 1)
void json_key_quoted(struct json_writer *w, const char *quoted, size_t len);

/* At most max bytes of s (a fixed-size field need not be NUL-terminated);
 * NULL writes "". */
void json_string(struct json_writer *w, const char *s, size_t max);
void json_int(struct json_writer *w, long long v);
void json_uint(struct json_writer *w, unsigned long long v);
void json_bool(struct json_writer *w, bool v);
/* As cJSON prints a number: an int as %d, else %1.15g (or %1.17g when
 * that does not read back), null when not finite. */
void json_number(struct json_writer *w, double v);
/* An amount rounded to cents, as "%.2f" of it with trailing zeros (and
 * then the point) dropped: 2598, 12.35, 12.3; a number too large for
 * exact cents as json_number() writes it. */
void json_cents(struct json_writer *w, double v);
/* Text that is JSON already (a number formatted elsewhere). */
void json_raw(struct json_writer *w, const char *text);
/* Members that are JSON already ("a":1,"b":"x", len bytes), into the open
 * object: a comma before them when members precede. */
void json_members_raw(struct json_writer *w, const char *text, size_t len);
/* The same for strict JSON text with blanks between its tokens: written
 * without them. */
void json_members_compact(struct json_writer *w, const char *text, size_t len);

#endif
