/*
 * http_reply.c — filling in a request's reply: JSON documents, plain
 * text, and the API's error shape {"error": "...", "field": ...}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "http.h"

void
http_reply_free(struct http_reply *rep)
{
	free(rep->body);
	free(rep->allow);
	rep->body = NULL;
	rep->allow = NULL;
}

void
http_reply_text(struct http_request *r, int status, const char *type, char *text, size_t len)
{
	free(r->reply.body);
	r->reply.status = status;
	r->reply.content_type = type;
	r->reply.body = text;
	r->reply.len = text ? len : 0;
}

void
http_reply_json(struct http_request *r, int status, cJSON *j)
{
	char *text = j ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	if (text == NULL) {
		http_reply_text(r, 500, "application/json", strdup("{\"error\":\"out of memory\"}"),
				25);
		return;
	}
	size_t n = strlen(text);
	char *nl = realloc(text, n + 2); /* a newline for curl's user */
	if (nl) {
		text = nl;
		text[n++] = '\n';
		text[n] = '\0';
	}
	http_reply_text(r, status, "application/json", text, n);
}

void
http_reply_error(struct http_request *r, int status, const char *field, int retry_after,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "error", msg);
	if (field)
		cJSON_AddStringToObject(j, "field", field);
	else
		cJSON_AddNullToObject(j, "field");
	r->reply.retry_after = retry_after;
	http_reply_json(r, status, j);
}
