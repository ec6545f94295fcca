/*
 * audit.c — the JSON-lines audit trail (see audit.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "audit.h"
#include "log.h"

struct audit {
	FILE *f;
	char *path;
	bool  failed;
};

struct audit *
audit_open(const char *path, char *err, size_t errlen)
{
	struct audit *a = calloc(1, sizeof *a);
	if (a == NULL || (a->f = fopen(path, "a")) == NULL) {
		snprintf(err, errlen, "--audit %s: %s", path, strerror(errno));
		free(a);
		return NULL;
	}
	a->path = strdup(path);
	return a;
}

/* A string field from bytes that may not be text: cJSON escapes controls;
 * invalid UTF-8 is replaced so the line stays valid JSON. */
static cJSON *
bytes_to_string(const void *buf, size_t len)
{
	const unsigned char *s = buf;
	char *copy = malloc(len * 3 + 1), *o = copy;
	if (copy == NULL)
		return cJSON_CreateNull();
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		bool ok = n > 0 && i + n <= len && !(c == 0);
		for (size_t k = 1; ok && k < n; k++)
			ok = (s[i + k] & 0xc0) == 0x80;
		if (ok) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);   /* U+FFFD */
			o += 3;
			i++;
		}
	}
	*o = '\0';
	cJSON *j = cJSON_CreateString(copy);
	free(copy);
	return j;
}

void
audit_write(struct audit *a, const rd_kafka_message_t *m, const char *order_id,
            const char *status)
{
	if (a == NULL || a->failed)
		return;
	rd_kafka_timestamp_type_t tstype;
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "ts", (double)rd_kafka_message_timestamp(m, &tstype));
	cJSON_AddStringToObject(j, "topic", rd_kafka_topic_name(m->rkt));
	cJSON_AddNumberToObject(j, "partition", m->partition);
	cJSON_AddNumberToObject(j, "offset", (double)m->offset);
	cJSON_AddItemToObject(j, "key", m->key ? bytes_to_string(m->key, m->key_len)
	                                       : cJSON_CreateNull());
	if (order_id && *order_id)
		cJSON_AddStringToObject(j, "order_id", order_id);
	if (status && *status)
		cJSON_AddStringToObject(j, "status", status);

	rd_kafka_headers_t *hdrs;
	if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		cJSON *h = cJSON_AddObjectToObject(j, "headers");
		const char *name;
		const void *val;
		size_t sz;
		for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &sz) ==
		                   RD_KAFKA_RESP_ERR_NO_ERROR; i++)
			cJSON_AddItemToObject(h, name, val ? bytes_to_string(val, sz) : cJSON_CreateNull());
	}
	cJSON *value = m->payload ? cJSON_ParseWithLength(m->payload, m->len) : NULL;
	if (value == NULL)
		value = m->payload ? bytes_to_string(m->payload, m->len) : cJSON_CreateNull();
	cJSON_AddItemToObject(j, "value", value);

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
