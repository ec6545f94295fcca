/*
 * audit.c — the JSON-lines audit trail (see audit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "audit.h"
#include "log.h"
#include "text_sanitize.h"

struct audit {
	FILE *f;
	char *path;
	bool failed;
};

struct audit *
audit_open(const char *path, char *err, size_t errlen)
{
	struct audit *a = calloc(1, sizeof *a);
	/* 0600: the trail holds order data. */
	int fd = a ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	if (a == NULL || fd < 0 || (a->f = fdopen(fd, "a")) == NULL) {
		snprintf(err, errlen, "--audit %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(a);
		return NULL;
	}
	a->path = strdup(path);
	return a;
}

/* A string member from bytes that may not be text: invalid UTF-8 and NUL
 * become U+FFFD (text_utf8_repair) so the line stays valid UTF-8 JSON;
 * cJSON escapes the controls. */
static cJSON *
bytes_to_string(const void *buf, size_t len)
{
	char *copy = malloc(len * 3 + 1);
	if (copy == NULL)
		return cJSON_CreateNull();
	text_utf8_repair(copy, buf, len);
	cJSON *j = cJSON_CreateString(copy);
	free(copy);
	return j;
}

static cJSON *
bytes_to_base64(const void *buf, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = buf;
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	if (out == NULL)
		return cJSON_CreateNull();
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		*o++ = digits[(v >> 18) & 63];
		*o++ = digits[(v >> 12) & 63];
		*o++ = i + 1 < len ? digits[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? digits[v & 63] : '=';
	}
	*o = '\0';
	cJSON *j = cJSON_CreateString(out);
	free(out);
	return j;
}

/* Adds NAME as a string; when the bytes are not valid UTF-8, also
 * NAME_b64 with them exactly. */
static void
add_bytes(cJSON *obj, const char *name, const void *buf, size_t len)
{
	if (buf == NULL) {
		cJSON_AddItemToObject(obj, name, cJSON_CreateNull());
		return;
	}
	cJSON_AddItemToObject(obj, name, bytes_to_string(buf, len));
	if (!text_utf8_valid(buf, len)) {
		char b64[32];
		snprintf(b64, sizeof b64, "%s_b64", name);
		cJSON_AddItemToObject(obj, b64, bytes_to_base64(buf, len));
	}
}

/* A text member from a C string that may hold invalid UTF-8. */
static void
add_text(cJSON *obj, const char *name, const char *s)
{
	cJSON_AddItemToObject(obj, name, bytes_to_string(s, strlen(s)));
}

void
audit_write(struct audit *a, const rd_kafka_message_t *m, const char *order_id, const char *status)
{
	if (a == NULL || a->failed)
		return;
	rd_kafka_timestamp_type_t tstype;
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "ts", (double)rd_kafka_message_timestamp(m, &tstype));
	cJSON_AddStringToObject(j, "topic", rd_kafka_topic_name(m->rkt));
	cJSON_AddNumberToObject(j, "partition", m->partition);
	cJSON_AddNumberToObject(j, "offset", (double)m->offset);
	add_bytes(j, "key", m->key, m->key_len);
	if (order_id && *order_id)
		add_text(j, "order_id", order_id);
	if (status && *status)
		add_text(j, "status", status);

	rd_kafka_headers_t *hdrs;
	if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		cJSON *h = cJSON_AddObjectToObject(j, "headers");
		const char *name;
		const void *val;
		size_t sz;
		for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &sz) ==
		     RD_KAFKA_RESP_ERR_NO_ERROR;
		     i++) {
			char *fixed = malloc(strlen(name) * 3 + 1);
			if (fixed == NULL)
				continue;
			text_utf8_repair(fixed, name, strlen(name));
			cJSON_AddItemToObject(h, fixed,
					      val ? bytes_to_string(val, sz) : cJSON_CreateNull());
			free(fixed);
		}
	}
	/* JSON is kept as JSON only when it is valid UTF-8: cJSON takes
	 * invalid bytes inside strings and would print them back. */
	cJSON *value = NULL;
	if (m->payload && text_utf8_valid(m->payload, m->len))
		value = cJSON_ParseWithLength(m->payload, m->len);
	if (value != NULL)
		cJSON_AddItemToObject(j, "value", value);
	else
		add_bytes(j, "value", m->payload, m->len);

	char *line = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (line == NULL)
		return;
	if (fputs(line, a->f) == EOF || fputc('\n', a->f) == EOF) {
		log_error("audit", "writing %s: %s; audit stopped", a->path, strerror(errno));
		a->failed = true;
	}
	free(line);
}

void
audit_flush(struct audit *a)
{
	if (a)
		fflush(a->f);
}

void
audit_close(struct audit *a)
{
	if (a == NULL)
		return;
	fclose(a->f);
	free(a->path);
	free(a);
}
