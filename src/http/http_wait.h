/*
 * http_wait.h — the HTTP API's parking lot: requests that wait (for the
 * broker's acknowledgement of their orders, or ?wait= for an order's final
 * state) without holding a server thread.  The server suspends such a
 * request's connection and parks it here.  What it waits for hands it back
 * at once when it comes (http_wait_release(): an acknowledgement, on the
 * thread that serves it); one thread looks at the parked requests every
 * 10 ms for those whose deadline passed or that poll (an order's final
 * state), and hands them back (resume_fn): every wait has an end.
 * Reference counted: a request holds a reference, so an acknowledgement
 * that comes after the server stopped can still find it.
 */
#ifndef ORDERTOP_HTTP_WAIT_H
#define ORDERTOP_HTTP_WAIT_H

#include <stdbool.h>

struct http_request;
struct http_wait;

/* resume(arg, r): give r's connection back to the server (r->timed_out
 * says why); called with the lot's lock held, never after
 * http_wait_stop().  tick(arg): called about every 100 ms on the
 * lot's thread. */
struct http_wait *http_wait_new(void (*resume)(void *arg, struct http_request *r),
				void (*tick)(void *arg), void *arg);
/* r's connection is suspended already; r->ready, r->deadline_ms are set.
 * A request ready already is resumed at once. */
void http_wait_park(struct http_wait *w, struct http_request *r);
/* What r waits for may have come: resumed now if r is parked and ready
 * (a request not parked yet is looked at when it is). */
void http_wait_release(struct http_wait *w, struct http_request *r);
/* Hands back every parked request (timed out) and stops the thread; the
 * object lives on until the last reference is dropped. */
void http_wait_stop(struct http_wait *w);
void http_wait_ref(struct http_wait *w);
void http_wait_unref(struct http_wait *w);

#endif
