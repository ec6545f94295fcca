/*
 * jq_map.c — one compiled jq program and the last result it gave (see
 * jq_map.h).  jq_start/jq_next per record.
 *
 * libjq 1.6's own reader and printer cost more than running a map does
 * (about 5 and 6 µs for an order; the program itself about 6), so the
 * common case goes around them: a flat object (flat_json.h: members
 * without escapes, which is what order records are) is built member by
 * member, and the result is written by json_writer.c, the writer of
 * ordertop's own records.  Anything else takes jq's reader; a result the
 * writer cannot hold (a NUL inside a string, nesting past
 * JQ_MAP_WRITE_DEPTH) takes jq's printer.
 */
#include "jq_map.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "flat_json.h"
#include "json_writer.h"

#define JQ_MAP_FLAT_MAX    64 /* members of an input read the flat way */
#define JQ_MAP_KEYS        16 /* member names kept from one record to the next */
#define JQ_MAP_WRITE_DEPTH 64

struct jq_map {
	jq_state *jq;
	jv last;                       /* the last result's text by jq's printer, or jv_null() */
	struct json_writer out;        /* ... or by ours */
	struct json_writer_mark empty; /* out before anything was written */
	/* The names of the last flat input's first members, by position: the
	 * records of one topic name the same members in the same order, and
	 * a jv string kept is neither allocated, checked nor hashed again. */
	jv key[JQ_MAP_KEYS];
	char *err; /* compile messages go here */
	size_t errlen, errused;
};

/* jq reports compile errors (and messages it cannot return) here. */
static void
jq_map_error_cb(void *data, jv msg)
{
	struct jq_map *m = data;
	jv text = jv_get_kind(msg) == JV_KIND_STRING ? msg : jv_dump_string(msg, 0);

	if (m->err != NULL && m->errused + 1 < m->errlen) {
		int n = snprintf(m->err + m->errused, m->errlen - m->errused, "%s%s",
				 m->errused ? "; " : "", jv_string_value(text));
		if (n > 0)
			m->errused += (size_t)n < m->errlen - m->errused
				? (size_t)n
				: m->errlen - m->errused - 1;
	}
	jv_free(text);
}

struct jq_map *
jq_map_new(const char *program, char *err, size_t errlen)
{
	struct jq_map *m = calloc(1, sizeof *m);

	if (m == NULL || (m->jq = jq_init()) == NULL) {
		snprintf(err, errlen, "jq: out of memory");
		free(m);
		return NULL;
	}
	m->last = jv_null();
	for (int i = 0; i < JQ_MAP_KEYS; i++)
		m->key[i] = jv_null();
	json_writer_init(&m->out);
	json_writer_mark(&m->out, &m->empty);
	m->err = err;
	m->errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	jq_set_error_cb(m->jq, jq_map_error_cb, m);
	if (!jq_compile(m->jq, program)) {
		if (errlen > 0 && err[0] == '\0')
			snprintf(err, errlen, "jq: the program does not compile");
		jq_map_free(m);
		return NULL;
	}
	m->err = NULL; /* runtime errors come back from jq_next() */
	return m;
}

void
jq_map_free(struct jq_map *m)
{
	if (m == NULL)
		return;
	jv_free(m->last);
	for (int i = 0; i < JQ_MAP_KEYS; i++)
		jv_free(m->key[i]);
	json_writer_discard(&m->out);
	jq_teardown(&m->jq);
	free(m);
}

/* The name of member i, from the cache when it is the same. */
static jv
jq_map_key(struct jq_map *m, int i, const char *key, size_t len)
{
	if (i >= JQ_MAP_KEYS)
		return jv_string_sized(key, (int)len);
	jv k = m->key[i];
	if (jv_get_kind(k) == JV_KIND_STRING && (size_t)jv_string_length_bytes(jv_copy(k)) == len &&
	    memcmp(jv_string_value(k), key, len) == 0)
		return jv_copy(k);
	jv_free(k);
	m->key[i] = jv_string_sized(key, (int)len);
	return jv_copy(m->key[i]);
}

/* The record as a jv: a flat object member by member, else jq's reader. */
static jv
jq_map_input(struct jq_map *m, const char *in, size_t len)
{
	struct flat_member fm[JQ_MAP_FLAT_MAX];
	int n = flat_json_members(in, len, fm, JQ_MAP_FLAT_MAX);

	if (n < 0)
		return jv_parse_sized(in, (int)len);
	jv o = jv_object();
	for (int i = 0; i < n; i++) {
		jv v;
		switch (fm[i].type) {
		case FLAT_STRING: v = jv_string_sized(fm[i].text, (int)fm[i].len); break;
		case FLAT_NUMBER: v = jv_number(fm[i].number); break;
		case FLAT_TRUE: v = jv_true(); break;
		case FLAT_FALSE: v = jv_false(); break;
		case FLAT_NULL: v = jv_null(); break;
		default: v = jv_parse_sized(fm[i].text, (int)fm[i].len); break;
		}
		if (!jv_is_valid(v)) {
			jv_free(o);
			return v;
		}
		o = jv_object_set(o, jq_map_key(m, i, fm[i].key, fm[i].key_len), v);
	}
	return o;
}

/* v (borrowed) as compact JSON into w; false when w cannot hold it. */
static bool
jq_map_write(struct json_writer *w, jv v, int depth)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: json_raw(w, "null"); return true;
	case JV_KIND_TRUE:
	case JV_KIND_FALSE: json_bool(w, jv_get_kind(v) == JV_KIND_TRUE); return true;
	case JV_KIND_NUMBER: json_number(w, jv_number_value(v)); return true;
	case JV_KIND_STRING: {
		size_t len = (size_t)jv_string_length_bytes(jv_copy(v));
		const char *s = jv_string_value(v);
		if (memchr(s, '\0', len) != NULL)
			return false;
		json_string(w, s, len);
		return true;
	}
	case JV_KIND_ARRAY: {
		if (depth >= JQ_MAP_WRITE_DEPTH)
			return false;
		bool ok = true;
		json_array_begin(w);
		int n = jv_array_length(jv_copy(v));
		for (int i = 0; i < n && ok; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			ok = jq_map_write(w, e, depth + 1);
			jv_free(e);
		}
		json_array_end(w);
		return ok;
	}
	case JV_KIND_OBJECT: {
		if (depth >= JQ_MAP_WRITE_DEPTH)
			return false;
		bool ok = true;
		json_object_begin(w);
		for (int it = jv_object_iter(v); ok && jv_object_iter_valid(v, it);
		     it = jv_object_iter_next(v, it)) {
			jv k = jv_object_iter_key(v, it), e = jv_object_iter_value(v, it);
			const char *ks = jv_string_value(k);
			ok = strlen(ks) == (size_t)jv_string_length_bytes(jv_copy(k));
			if (ok) {
				json_key(w, ks);
				ok = jq_map_write(w, e, depth + 1);
			}
			jv_free(k);
			jv_free(e);
		}
		json_object_end(w);
		return ok;
	}
	default: return false;
	}
}

/* An invalid jv's message into err, consuming v. */
static void
jq_map_invalid_text(jv v, const char *prefix, char *err, size_t errlen)
{
	jv msg = jv_invalid_get_msg(v);
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		snprintf(err, errlen, "%s%s", prefix, jv_string_value(msg));
		jv_free(msg);
		return;
	}
	jv text = jv_dump_string(msg, 0);
	snprintf(err, errlen, "%s%s", prefix, jv_string_value(text));
	jv_free(text);
}

enum jq_map_result
jq_map_run(struct jq_map *m, const void *in, size_t len, const char **out, size_t *outlen,
	   char *err, size_t errlen)
{
	jv_free(m->last);
	m->last = jv_null();
	json_writer_rewind(&m->out, &m->empty); /* its buffer is kept */
	if (len > INT_MAX) {
		snprintf(err, errlen, "record too large for jq");
		return JQ_MAP_ERROR;
	}
	jv input = jq_map_input(m, in, len);
	if (!jv_is_valid(input)) {
		jq_map_invalid_text(input, "not JSON: ", err, errlen);
		return JQ_MAP_ERROR;
	}
	jq_start(m->jq, input, 0);
	jv result = jq_next(m->jq);
	if (!jv_is_valid(result)) {
		if (!jv_invalid_has_msg(jv_copy(result))) {
			jv_free(result);
			return JQ_MAP_EMPTY;
		}
		jq_map_invalid_text(result, "jq: error: ", err, errlen);
		return JQ_MAP_ERROR;
	}
	jv more = jq_next(m->jq);
	if (jv_is_valid(more) || jv_invalid_has_msg(jv_copy(more))) {
		jv_free(result);
		if (jv_is_valid(more)) {
			jv_free(more);
			snprintf(err, errlen, "the map gave more than one result");
		} else {
			jq_map_invalid_text(more, "jq: error: ", err, errlen);
		}
		return JQ_MAP_ERROR;
	}
	jv_free(more);
	if (jq_map_write(&m->out, result, 0) &&
	    (*out = json_writer_text(&m->out, outlen)) != NULL) {
		jv_free(result);
		return JQ_MAP_OK;
	}
	m->last = jv_dump_string(result, 0);
	*out = jv_string_value(m->last);
	*outlen = (size_t)jv_string_length_bytes(jv_copy(m->last));
	return JQ_MAP_OK;
}
