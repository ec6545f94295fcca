/*
 * jq_map.h — a jq program (libjq) applied to one JSON record at a time:
 * how ordertop reads other systems' order formats (--order-map) and
 * writes the shapes their consumers expect (--decision-map,
 * --notification-map).
 *
 * libjq's values are reference counted without locks, so a map belongs to
 * one thread: each thread that maps compiles its own from the program
 * text (jq_map_new()).  The first result of a run is the record; no result
 * (`empty`) skips it; a second result, a jq error or input that is not
 * JSON is an error with jq's message.
 */
#ifndef ORDERTOP_JQ_MAP_H
#define ORDERTOP_JQ_MAP_H

#include <stddef.h>

#define JQ_MAP_ERR_MAX 256

enum jq_map_result {
	JQ_MAP_ERROR = -1, /* err says why */
	JQ_MAP_EMPTY = 0,  /* the program gave no result: skip the record */
	JQ_MAP_OK = 1,     /* *out holds the result */
};

struct jq_map;

/* Compiles program; NULL with jq's compile messages in err. */
struct jq_map *jq_map_new(const char *program, char *err, size_t errlen);
void jq_map_free(struct jq_map *m);

/* Runs the program on len bytes of JSON (not NUL-terminated).  On
 * JQ_MAP_OK, *out and *outlen are the result as compact JSON, valid until
 * the next run or jq_map_free(). */
enum jq_map_result jq_map_run(struct jq_map *m, const void *in, size_t len, const char **out,
			      size_t *outlen, char *err, size_t errlen);

#endif
