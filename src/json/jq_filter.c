/*
 * jq_filter.c — a jq program over records, on libjq.  The user's program
 * is compiled once inside a wrapper that binds the record's metadata:
 * the input is [value, {key, headers, partition, offset}].  See
 * jq_filter.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jq.h>
#include <jv.h>
#include "jq_filter.h"

struct jq_filter {
	jq_state *jq;
	char error[512]; /* the last message jq reported */
};

static void
on_error(void *data, jv msg)
{
	struct jq_filter *f = data;
	if (f->error[0] != '\0') /* the first says what; "jq: 1 compile error" follows */
		;
	else if (jv_get_kind(msg) == JV_KIND_STRING)
		snprintf(f->error, sizeof f->error, "%s", jv_string_value(msg));
	else
		snprintf(f->error, sizeof f->error, "jq: error");
	jv_free(msg);
}

struct jq_filter *
jq_filter_new(const char *program, char *err, size_t errlen)
{
	struct jq_filter *f = calloc(1, sizeof *f);
	if (f == NULL || (f->jq = jq_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(f);
		return NULL;
	}
	jq_set_error_cb(f->jq, on_error, f);
	size_t n = strlen(program) + 160;
	char *wrapped = malloc(n);
	if (wrapped == NULL) {
		snprintf(err, errlen, "out of memory");
		jq_filter_free(f);
		return NULL;
	}
	snprintf(wrapped, n,
		 ".[1] as $m | $m.key as $key | $m.headers as $headers | $m.partition as "
		 "$partition | $m.offset as $offset | .[0] | (%s\n)",
		 program);
	int ok = jq_compile(f->jq, wrapped);
	free(wrapped);
	if (!ok) {
		snprintf(err, errlen, "%s",
			 f->error[0] ? f->error : "jq: cannot compile the program");
		jq_filter_free(f);
		return NULL;
	}
	return f;
}

void
jq_filter_free(struct jq_filter *f)
{
	if (f == NULL)
		return;
	if (f->jq)
		jq_teardown(&f->jq);
	free(f);
}

static jv
bytes_string(const void *p, size_t n)
{
	return p ? jv_string_sized(p, (int)n) : jv_null();
}

static jv
make_input(const struct jq_filter_input *in)
{
	jv value = jv_null();
	if (in->value) {
		value = jv_parse_sized(in->value, (int)in->value_len);
		if (!jv_is_valid(value)) {
			jv_free(value);
			value = jv_string_sized(in->value, (int)in->value_len);
		}
	}
	jv headers = jv_object();
	for (size_t i = 0; i < in->n_headers; i++)
		headers = jv_object_set(headers, jv_string(in->header_names[i]),
					bytes_string(in->header_values[i], in->header_lens[i]));
	jv meta = jv_object();
	meta = jv_object_set(meta, jv_string("key"), bytes_string(in->key, in->key_len));
	meta = jv_object_set(meta, jv_string("headers"), headers);
	meta = jv_object_set(meta, jv_string("partition"), jv_number(in->partition));
	meta = jv_object_set(meta, jv_string("offset"), jv_number((double)in->offset));
	return jv_array_append(jv_array_append(jv_array(), value), meta);
}

int
jq_filter_run(struct jq_filter *f, const struct jq_filter_input *in, char **out, char *err,
	      size_t errlen)
{
	int n = 0;
	if (out)
		*out = NULL;
	f->error[0] = '\0';
	jq_start(f->jq, make_input(in), 0);
	for (;;) {
		jv v = jq_next(f->jq);
		if (!jv_is_valid(v)) {
			if (jv_invalid_has_msg(jv_copy(v))) {
				jv msg = jv_invalid_get_msg(v);
				if (jv_get_kind(msg) == JV_KIND_STRING)
					snprintf(err, errlen, "jq: error: %s",
						 jv_string_value(msg));
				else
					snprintf(err, errlen, "jq: error");
				jv_free(msg);
				if (out) {
					free(*out);
					*out = NULL;
				}
				return -1;
			}
			jv_free(v);
			break;
		}
		if (n == 0 && out) {
			jv s = jv_dump_string(v, 0);
			*out = strdup(jv_string_value(s));
			jv_free(s);
		} else {
			jv_free(v);
		}
		if (++n == 2)
			break; /* enough to tell one output from several */
	}
	return n;
}

int
jq_filter_match(struct jq_filter *f, const struct jq_filter_input *in, char *err, size_t errlen)
{
	char *first = NULL;
	int n = jq_filter_run(f, in, &first, err, errlen);
	if (n < 0)
		return -1;
	bool yes = n > 0 && first && strcmp(first, "false") != 0 && strcmp(first, "null") != 0;
	free(first);
	return yes;
}
