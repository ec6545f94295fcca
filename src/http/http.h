/*
 * http.h — what the HTTP API's files share: one request as the handlers
 * see it (no libmicrohttpd types), the reply they fill in, and the route
 * table's entry.  A handler either fills in the reply (HTTP_REPLY) or
 * parks the request (HTTP_PARKED, http_wait.h) and fills it in when its
 * resume function runs.
 */
#ifndef ORDERTOP_HTTP_H
#define ORDERTOP_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct engine;
struct http_server;
struct http_wait;
struct cJSON;

#define HTTP_BODY_MAX       (1024 * 1024) /* larger bodies: 413 */
#define HTTP_BATCH_MAX      10000         /* orders in one POST */
#define HTTP_ACK_WAIT_MS    5000          /* broker acknowledgement, then 503 */
#define HTTP_ORDER_WAIT_MAX 30            /* ?wait=SEC at most */

enum {
	HTTP_REPLY = 0,
	HTTP_PARKED = 1
};

struct http_reply {
	int status;
	const char *content_type; /* NULL: application/json */
	char *body;               /* malloc'd */
	size_t len;
	char location[128]; /* Location header, "" = none */
	int retry_after;    /* seconds, 0 = no header */
	char *allow;        /* Allow header (malloc'd), NULL = none */
};

struct http_order_slot; /* http_orders.c */

/* Requests answered by method and status (http_counts.c). */
#define HTTP_COUNT_METHODS  8
#define HTTP_COUNT_STATUSES 13
struct http_counts {
	_Atomic uint64_t n[HTTP_COUNT_METHODS][HTTP_COUNT_STATUSES];
};
struct http_count {
	const char *method;
	int status; /* 0: any other */
	uint64_t n;
};
void http_counts_add(struct http_counts *c, const char *method, int status);
size_t http_counts_list(struct http_counts *c, struct http_count *out, size_t max);

struct http_request {
	struct http_counts *counts; /* the server's */
	struct engine *engine;
	struct http_wait *wait; /* the server's parking lot */
	void *conn;             /* the libmicrohttpd connection */
	const struct http_route *route;
	const char *method;
	char path[256];
	char id[128]; /* the {id} of /orders/{id}, /rules/{id} */
	char content_type[64];
	char *query_wait, *query_status, *query_limit; /* malloc'd */
	char *body;                                    /* malloc'd, NUL-terminated */
	size_t len;
	bool body_too_large, body_is_batch;
	bool discarding;  /* the reply is set; the body is read and dropped */
	size_t discarded; /* bytes of it so far */
	struct http_reply reply;
	bool replied; /* a reply was queued */
	bool parked, resumed, timed_out;
	bool in_lot; /* in the parking lot's list (under its lock) */
	/* Parked: when to give up (mono ms), and whether it is ready. */
	int64_t deadline_ms;
	bool (*ready)(struct http_request *r);
	int (*resume)(struct http_request *r, bool timed_out);
	/* POST /orders: the orders of this request and their outcomes. */
	struct http_order_slot *slots;
	size_t n_slots;
	atomic_int pending; /* acknowledgements not in yet */
	atomic_int refs;    /* the connection's + one per pending ack */
	int64_t wait_started_ms;
	struct http_request *park_prev, *park_next;
};

struct http_route {
	const char *method;
	const char *path; /* "/orders", or "/orders/" + id when has_id */
	bool has_id;
	bool mutating;                    /* needs the token; takes a body */
	const char *const *content_types; /* accepted bodies (mutating only) */
	int (*handle)(struct http_request *r);
};

/* ---- replies (http_reply.c) ---- */
void http_reply_json(struct http_request *r, int status, struct cJSON *j); /* frees j */
void http_reply_text(struct http_request *r, int status, const char *type, char *text,
		     size_t len); /* takes text */
/* {"error": msg, "field": field or null}; retry_after > 0 adds Retry-After. */
void http_reply_error(struct http_request *r, int status, const char *field, int retry_after,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void http_reply_free(struct http_reply *rep);

/* ---- handlers ---- */
int http_orders_post(struct http_request *r);
int http_orders_get(struct http_request *r);
int http_orders_list(struct http_request *r);
int http_rules_get(struct http_request *r);
int http_rules_patch(struct http_request *r);
int http_metrics_get(struct http_request *r);
int http_healthz_get(struct http_request *r);
int http_readyz_get(struct http_request *r);
int http_openapi_get(struct http_request *r);

/* The route table (http_routes.c). */
extern const struct http_route http_routes[];
extern const size_t http_routes_count;

/* The request is done with its connection or its acknowledgement: the
 * last one frees it (http_request.c). */
void http_request_unref(struct http_request *r);

#endif
