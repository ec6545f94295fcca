/*
 * http_wait.h — the HTTP API's parking lot: requests that wait (for the
 * broker's acknowledgement of their orders, or ?wait= for an order's final
 * state) without holding a server thread.  The server suspends such a
 * request's connection and parks it here; one thread looks at the parked
 * requests when woken (an acknowledgement came) and every 10 ms, and hands
 * each back (resume_fn) once it is ready or its deadline passed: every
 * wait has an end.  Reference counted: a request holds a reference, so an
 * acknowledgement that comes after the server stopped can still wake it.
 */
#ifndef ORDERTOP_HTTP_WAIT_H
#define ORDERTOP_HTTP_WAIT_H

#include <stdbool.h>

struct http_request;
struct http_wait;

/* resume(arg, r): give r's connection back to the server (r->timed_out
 * says why).  tick(arg): called about every 100 ms on the same thread. */
struct http_wait *http_wait_new(void (*resume)(void *arg, struct http_request *r),
				void (*tick)(void *arg), void *arg);
/* r's connection is suspended already; r->ready, r->deadline_ms are set. */
void http_wait_park(struct http_wait *w, struct http_request *r);
/* Something a parked request waits for may have happened. */
void http_wait_wake(struct http_wait *w);
/* Hands back every parked request (timed out) and stops the thread; the
 * object lives on until the last reference is dropped. */
void http_wait_stop(struct http_wait *w);
void http_wait_ref(struct http_wait *w);
void http_wait_unref(struct http_wait *w);

#endif
