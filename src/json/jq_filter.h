/*
 * jq_filter.h — one jq program (libjq) run over records: a selection
 * ("does this record match?") or a transformation ("what does it become?").
 * The program sees the record's value as its input (parsed JSON; a value
 * that is not JSON is a string), and $key (a string or null), $headers
 * (an object: name → string, or null) and $partition, $offset.
 *
 * A filter holds its own jq_state, which libjq does not share between
 * threads: one filter per thread.
 */
#ifndef ORDERTOP_JQ_FILTER_H
#define ORDERTOP_JQ_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jq_filter;

/* The record a filter runs on. */
struct jq_filter_input {
	const void *value; /* NULL: null */
	size_t value_len;
	const void *key; /* NULL: null */
	size_t key_len;
	size_t n_headers;
	const char *const *header_names;
	const void *const *header_values; /* NULL entries: null */
	const size_t *header_lens;
	int32_t partition;
	int64_t offset;
};

/* Compiles program.  NULL with jq's own message in err ("jq: error: syntax
 * error, ..."). */
struct jq_filter *jq_filter_new(const char *program, char *err, size_t errlen);
void jq_filter_free(struct jq_filter *f);

/*
 * Runs the program on one record.  Returns the number of outputs (up to
 * the first two), and the first one as compact JSON in *out (malloc'd)
 * when out is not NULL and there is one; -1 with jq's runtime error.
 */
int jq_filter_run(struct jq_filter *f, const struct jq_filter_input *in, char **out, char *err,
		  size_t errlen);
/* True when the program's first output is neither false nor null (as
 * `select(...)` and a plain condition both mean); -1 with the error. */
int jq_filter_match(struct jq_filter *f, const struct jq_filter_input *in, char *err,
		    size_t errlen);

#endif
