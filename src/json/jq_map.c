/*
 * jq_map.c — one compiled jq program and the last result it gave (see
 * jq_map.h).  jq_start/jq_next per record; the result is dumped to compact
 * JSON and kept as a jv string until the next run, so the caller reads it
 * without a copy.
 */
#include "jq_map.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

struct jq_map {
	jq_state *jq;
	jv        last;             /* the last result's text, or jv_null() */
	char     *err;              /* compile messages go here */
	size_t    errlen, errused;
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
			m->errused += (size_t)n < m->errlen - m->errused ? (size_t)n
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
	m->err = NULL;              /* runtime errors come back from jq_next() */
	return m;
}

void
jq_map_free(struct jq_map *m)
{
	if (m == NULL)
		return;
	jv_free(m->last);
	jq_teardown(&m->jq);
	free(m);
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
	if (len > INT_MAX) {
		snprintf(err, errlen, "record too large for jq");
		return JQ_MAP_ERROR;
	}
	jv input = jv_parse_sized(in, (int)len);
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
	m->last = jv_dump_string(result, 0);
	*out = jv_string_value(m->last);
	*outlen = (size_t)jv_string_length_bytes(jv_copy(m->last));
	return JQ_MAP_OK;
}
