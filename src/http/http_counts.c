/*
 * http_counts.c — requests answered, by method and status, for /metrics'
 * ordertop_http_requests_total: a fixed table of relaxed atomic counters.
 */
#include <string.h>
#include "http.h"

/* Request counts by method and status, for /metrics. */
static const char *const count_methods[] = { "GET",    "POST", "PATCH",   "PUT",
					     "DELETE", "HEAD", "OPTIONS", "other" };
static const int count_statuses[] = {
	200, 202, 400, 401, 403, 404, 405, 410, 413, 415, 500, 503, 0
};
_Static_assert(sizeof count_methods / sizeof count_methods[0] == HTTP_COUNT_METHODS,
	       "HTTP_COUNT_METHODS");
_Static_assert(sizeof count_statuses / sizeof count_statuses[0] == HTTP_COUNT_STATUSES,
	       "HTTP_COUNT_STATUSES");

void
http_counts_add(struct http_counts *c, const char *method, int status)
{
	size_t m = HTTP_COUNT_METHODS - 1, k = HTTP_COUNT_STATUSES - 1;
	for (size_t i = 0; i + 1 < HTTP_COUNT_METHODS; i++)
		if (strcmp(method, count_methods[i]) == 0)
			m = i;
	for (size_t i = 0; i + 1 < HTTP_COUNT_STATUSES; i++)
		if (status == count_statuses[i])
			k = i;
	atomic_fetch_add_explicit(&c->n[m][k], 1, memory_order_relaxed);
}

size_t
http_counts_list(struct http_counts *c, struct http_count *out, size_t max)
{
	size_t n = 0;
	for (size_t m = 0; m < HTTP_COUNT_METHODS; m++)
		for (size_t k = 0; k < HTTP_COUNT_STATUSES; k++) {
			uint64_t v = atomic_load_explicit(&c->n[m][k], memory_order_relaxed);
			if (v != 0 && n < max)
				out[n++] = (struct http_count){ count_methods[m], count_statuses[k],
								v };
		}
	return n;
}
