/*
 * http_server.h — ordertop's HTTP API (--http [ADDR:]PORT): orders in,
 * order status, the rules, Prometheus metrics, health and readiness, and
 * an OpenAPI document of it all (README: HTTP API).  Started after
 * engine_start() and stopped before engine_stop(); libmicrohttpd serves it
 * on threads of its own, so the dashboard and headless mode only start it.
 */
#ifndef ORDERTOP_HTTP_SERVER_H
#define ORDERTOP_HTTP_SERVER_H

#include <stddef.h>

struct engine;
struct http_server;

/* Binds cfg->http and serves it.  NULL with the reason in err (the address
 * taken, a token file readable by others, a non-loopback address without
 * a token, ...). */
struct http_server *http_server_start(struct engine *e, char *err, size_t errlen);
/* Answers what waits with 503, closes every connection, frees. */
void http_server_stop(struct http_server *s);

#endif
