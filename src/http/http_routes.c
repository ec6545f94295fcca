/*
 * http_routes.c — the HTTP API's routes, as tmux lists its commands: one
 * entry per method and path, with its handler.  Adding an endpoint is
 * adding an entry here (and to the OpenAPI document).
 */
#include <stddef.h>
#include "http.h"

static const char *const json_types[] = { "application/json", NULL };
static const char *const order_types[] = { "application/json", "application/x-ndjson", NULL };

const struct http_route http_routes[] = {
	{ "POST", "/orders", false, true, order_types, http_orders_post },
	{ "GET", "/orders", false, false, NULL, http_orders_list },
	{ "GET", "/orders/", true, false, NULL, http_orders_get },
	{ "GET", "/rules", false, false, NULL, http_rules_get },
	{ "PATCH", "/rules/", true, true, json_types, http_rules_patch },
	{ "GET", "/metrics", false, false, NULL, http_metrics_get },
	{ "GET", "/healthz", false, false, NULL, http_healthz_get },
	{ "GET", "/readyz", false, false, NULL, http_readyz_get },
	{ "GET", "/openapi.json", false, false, NULL, http_openapi_get },
};
const size_t http_routes_count = sizeof http_routes / sizeof http_routes[0];
