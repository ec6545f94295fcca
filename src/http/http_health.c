/*
 * http_health.c — GET /healthz (the process serves) and GET /readyz (it
 * can take orders: engine_ready()), for load balancers and probes.
 */
#include <cjson/cJSON.h>
#include "engine.h"
#include "http.h"

int
http_healthz_get(struct http_request *r)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "status", "ok");
	http_reply_json(r, 200, j);
	return HTTP_REPLY;
}

int
http_readyz_get(struct http_request *r)
{
	char why[512];

	if (!engine_ready(r->engine, why, sizeof why)) {
		http_reply_error(r, 503, NULL, 1, "not ready: %s", why);
		return HTTP_REPLY;
	}
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "status", "ready");
	http_reply_json(r, 200, j);
	return HTTP_REPLY;
}
