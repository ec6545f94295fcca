/*
 * decision.c — the JSON of the fraud stage's messages: the decided order
 * (the order as received plus the decision fields), the notification to
 * the customer, the notifier's "customer notified" record, and reading the
 * last two back (notice_parse).
 *
 * Input bytes are copied and NUL-terminated before cJSON sees them, so it
 * never depends on the bytes after len (see order.c).
 */
#include "decision.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Fields decision_order_json() writes; any already there are replaced. */
static const char *const decision_fields[] = {
	"status", "total", "rules_fired", "rules_version", "decided_at",
	"decided_by",
};

static int
decision_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Parses len bytes (not NUL-terminated); no trailing garbage allowed. */
static cJSON *
decision_parse_bytes(const void *buf, size_t len)
{
	char *copy;
	cJSON *root;

	if (buf == NULL || len == 0 || len > ORDER_JSON_MAX ||
	    memchr(buf, '\0', len) != NULL)
		return NULL;
	copy = malloc(len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	return root;
}

/* A copy of a fixed-size char array, NUL-terminated even if it was not. */
static void
decision_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = src != NULL ? strnlen(src, srclen) : 0;

	if (n >= dstlen)
		n = dstlen - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static double
decision_cents(double v)
{
	if (!isfinite(v))
		return 0.0;
	return round(v * 100.0) / 100.0;
}

static bool
decision_add_fired(cJSON *obj, const struct decision *d)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, "rules_fired");
	int n = d->n_fired;
	char id[sizeof d->fired[0].id + 1];
	char reason[sizeof d->fired[0].reason + 1];

	if (arr == NULL)
		return false;
	if (n < 0)
		n = 0;
	if (n > DECISION_MAX_FIRED)
		n = DECISION_MAX_FIRED;
	for (int i = 0; i < n; i++) {
		cJSON *r = cJSON_CreateObject();

		if (r == NULL)
			return false;
		cJSON_AddItemToArray(arr, r);
		decision_copy(id, sizeof id, d->fired[i].id,
		    sizeof d->fired[i].id);
		decision_copy(reason, sizeof reason, d->fired[i].reason,
		    sizeof d->fired[i].reason);
		if (cJSON_AddStringToObject(r, "id", id) == NULL ||
		    cJSON_AddStringToObject(r, "reason", reason) == NULL)
			return false;
	}
	return true;
}

char *
decision_order_json(const void *order_json, size_t len,
                    const struct decision *d)
{
	cJSON *root = decision_parse_bytes(order_json, len);
	char by[sizeof d->decided_by + 1];
	char *s = NULL;
	bool ok;

	if (root == NULL)
		return NULL;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return NULL;
	}
	for (size_t i = 0; i < sizeof decision_fields /
	    sizeof decision_fields[0]; i++) {
		while (cJSON_GetObjectItemCaseSensitive(root,
		    decision_fields[i]) != NULL)
			cJSON_DeleteItemFromObjectCaseSensitive(root,
			    decision_fields[i]);
	}
	decision_copy(by, sizeof by, d->decided_by, sizeof d->decided_by);
	ok = cJSON_AddStringToObject(root, "status",
	    order_status_name(d->status)) != NULL &&
	    cJSON_AddNumberToObject(root, "total",
	    decision_cents(d->total)) != NULL &&
	    decision_add_fired(root, d) &&
	    cJSON_AddNumberToObject(root, "rules_version",
	    (double)d->rules_version) != NULL &&
	    cJSON_AddNumberToObject(root, "decided_at",
	    (double)d->decided_at_ms) != NULL &&
	    cJSON_AddStringToObject(root, "decided_by", by) != NULL;
	if (ok)
		s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

/* "Your order 123 for 2 x laptop was approved." */
static void
decision_message(char *buf, size_t len, const char *order_id,
                 int64_t quantity, const char *item, enum order_status st)
{
	const char *what;

	switch (st) {
	case ORDER_APPROVED:
		what = "was approved.";
		break;
	case ORDER_REFUSED:
		what = "could not be accepted (refused).";
		break;
	default:
		what = "is being processed.";
		break;
	}
	snprintf(buf, len, "Your order %s for %lld x %s %s", order_id,
	    (long long)quantity, item, what);
}

char *
decision_notification_json(const struct order *o, const struct decision *d)
{
	char order_id[sizeof o->order_id + 1], user_id[sizeof o->user_id + 1];
	char item[sizeof o->item + 1];
	char msg[sizeof order_id + sizeof item + 96];
	cJSON *obj;
	char *s = NULL;

	decision_copy(order_id, sizeof order_id, o->order_id,
	    sizeof o->order_id);
	decision_copy(user_id, sizeof user_id, o->user_id, sizeof o->user_id);
	decision_copy(item, sizeof item, o->item, sizeof o->item);
	decision_message(msg, sizeof msg, order_id, o->quantity, item,
	    d->status);

	obj = cJSON_CreateObject();
	if (obj == NULL)
		return NULL;
	if (cJSON_AddStringToObject(obj, "order_id", order_id) != NULL &&
	    cJSON_AddStringToObject(obj, "user_id", user_id) != NULL &&
	    cJSON_AddStringToObject(obj, "status",
	    order_status_name(d->status)) != NULL &&
	    cJSON_AddNumberToObject(obj, "total",
	    decision_cents(d->total)) != NULL &&
	    cJSON_AddStringToObject(obj, "message", msg) != NULL &&
	    cJSON_AddNumberToObject(obj, "at",
	    (double)d->decided_at_ms) != NULL)
		s = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	return s;
}

char *
decision_notified_json(const char *order_id, const char *user_id,
                       const char *decision_status, int64_t at_ms,
                       const char *channel, int attempts)
{
	cJSON *obj = cJSON_CreateObject();
	char *s = NULL;

	if (obj == NULL)
		return NULL;
	if (cJSON_AddStringToObject(obj, "order_id",
	    order_id != NULL ? order_id : "") != NULL &&
	    cJSON_AddStringToObject(obj, "user_id",
	    user_id != NULL ? user_id : "") != NULL &&
	    cJSON_AddStringToObject(obj, "status",
	    order_status_name(ORDER_NOTIFIED)) != NULL &&
	    cJSON_AddStringToObject(obj, "decision",
	    decision_status != NULL ? decision_status : "") != NULL &&
	    cJSON_AddNumberToObject(obj, "notified_at", (double)at_ms) != NULL &&
	    cJSON_AddStringToObject(obj, "channel",
	    channel != NULL ? channel : "") != NULL &&
	    cJSON_AddNumberToObject(obj, "attempts", attempts) != NULL)
		s = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	return s;
}

/* An optional string field into out (outlen bytes); too long is an error. */
static int
notice_get_string(const cJSON *root, const char *name, bool required,
                  char *out, size_t outlen, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
	size_t n;

	out[0] = '\0';
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return decision_fail(err, errlen, "missing %s", name);
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return decision_fail(err, errlen, "%s must be a string", name);
	n = strlen(v->valuestring);
	if (required && n == 0)
		return decision_fail(err, errlen, "%s is empty", name);
	if (n >= outlen)
		return decision_fail(err, errlen, "%s too long", name);
	memcpy(out, v->valuestring, n + 1);
	return 0;
}

int
notice_parse(const void *buf, size_t len, struct notice *out, char *err,
             size_t errlen)
{
	cJSON *root = decision_parse_bytes(buf, len);
	struct notice n;
	const cJSON *v;
	int rc = -1;

	if (root == NULL)
		return decision_fail(err, errlen, "not JSON");
	if (!cJSON_IsObject(root)) {
		decision_fail(err, errlen, "not a JSON object");
		goto out;
	}
	memset(&n, 0, sizeof n);
	if (notice_get_string(root, "order_id", true, n.order_id,
	    sizeof n.order_id, err, errlen) < 0 ||
	    notice_get_string(root, "user_id", false, n.user_id,
	    sizeof n.user_id, err, errlen) < 0 ||
	    notice_get_string(root, "status", false, n.status,
	    sizeof n.status, err, errlen) < 0 ||
	    notice_get_string(root, "decision", false, n.decision,
	    sizeof n.decision, err, errlen) < 0)
		goto out;

	v = cJSON_GetObjectItemCaseSensitive(root, "total");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
			decision_fail(err, errlen, "total must be a number");
			goto out;
		}
		n.total = v->valuedouble;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "at");
	if (v == NULL || cJSON_IsNull(v))
		v = cJSON_GetObjectItemCaseSensitive(root, "notified_at");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
		    fabs(v->valuedouble) > 9007199254740991.0) {
			decision_fail(err, errlen, "at must be a number (ms)");
			goto out;
		}
		n.at_ms = (int64_t)v->valuedouble;
	}
	*out = n;
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}
