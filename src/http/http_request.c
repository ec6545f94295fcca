/*
 * http_request.c — a request's lifetime: its connection holds one
 * reference and every acknowledgement it waits for another, so an
 * acknowledgement that comes after the client was answered (503, late)
 * still finds it.  The last reference frees it.
 */
#include <stdlib.h>
#include "http.h"
#include "http_wait.h"

static void
request_free(struct http_request *r)
{
	http_reply_free(&r->reply);
	free(r->body);
	free(r->slots);
	free(r->query_wait);
	free(r->query_status);
	free(r->query_limit);
	http_wait_unref(r->wait);
	free(r);
}

void
http_request_unref(struct http_request *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1)
		request_free(r);
}
