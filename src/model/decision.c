/*
 * decision.c — reading the fraud stage's records back: the notification
 * and the notifier's notified record (notice_parse(), for the notifier
 * and the monitor), and the fields of a decided order the monitor keeps
 * (decided_parse()).  The writers are decided_json.c,
 * notification_json.c and notified_json.c.
 *
 * ordertop's own flat records are read with flat_json.c; anything else
 * with cJSON, over a copy NUL-terminated so that it never depends on the
 * bytes after len (see order.c).
 */
#include "decision.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "flat_json.h"
#include "fraud_rules.h"

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

	if (buf == NULL || len == 0 || len > ORDER_JSON_MAX || memchr(buf, '\0', len) != NULL)
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

/* The members notice_parse() reads; the first of a repeated one counts,
 * as with cJSON_GetObjectItemCaseSensitive(). */
enum notice_key {
	NOTICE_K_ORDER_ID,
	NOTICE_K_USER_ID,
	NOTICE_K_STATUS,
	NOTICE_K_DECISION,
	NOTICE_K_TOTAL,
	NOTICE_K_AT,
	NOTICE_K_NOTIFIED_AT,
	NOTICE_K_CREATED_AT,
	NOTICE_K_DECIDED_AT,
	NOTICE_K__COUNT
};

static const char *const notice_keys[NOTICE_K__COUNT] = {
	"order_id", "user_id",     "status",     "decision",   "total",
	"at",       "notified_at", "created_at", "decided_at",
};

/* A time in ms the monitor's latencies start from; anything but a whole
 * number in [0, 2^53) reads as absent (0): it times nothing. */
static int64_t
time_field_ms(const struct json_field *f)
{
	if (f->type != JF_NUMBER || !(f->num >= 0 && f->num <= ORDER_TIME_MAX))
		return 0;
	return (int64_t)f->num;
}

#define NOTICE_FLAT_MEMBERS_MAX 32

/* The members, by the flat reader when it can, else by cJSON (*root is
 * then the tree to delete).  -1 when the bytes are not a JSON object. */
static int
notice_fields(const void *buf, size_t len, struct json_field f[NOTICE_K__COUNT], cJSON **root,
	      char *err, size_t errlen)
{
	struct flat_member m[NOTICE_FLAT_MEMBERS_MAX];
	int n = -1;

	*root = NULL;
	/* the size limit is decision_parse_bytes()'s; NUL bytes the reader declines */
	if (len <= ORDER_JSON_MAX)
		n = flat_json_members(buf, len, m, NOTICE_FLAT_MEMBERS_MAX);
	if (n >= 0) {
		for (int k = 0; k < NOTICE_K__COUNT; k++)
			json_field_from_flat(&f[k], flat_find(m, n, notice_keys[k]));
		return 0;
	}
	*root = decision_parse_bytes(buf, len);
	if (*root == NULL)
		return decision_fail(err, errlen, "not JSON");
	if (!cJSON_IsObject(*root))
		return decision_fail(err, errlen, "not a JSON object");
	for (int k = 0; k < NOTICE_K__COUNT; k++)
		json_field_from_cjson(&f[k],
				      cJSON_GetObjectItemCaseSensitive(*root, notice_keys[k]));
	return 0;
}

/* An optional string field into out (outlen bytes); too long is an error. */
static int
notice_get_string(const struct json_field *v, const char *name, bool required, char *out,
		  size_t outlen, char *err, size_t errlen)
{
	out[0] = '\0';
	if (v->type == JF_ABSENT || v->type == JF_NULL) {
		if (required)
			return decision_fail(err, errlen, "missing %s", name);
		return 0;
	}
	if (v->type != JF_STRING)
		return decision_fail(err, errlen, "%s must be a string", name);
	if (required && v->len == 0)
		return decision_fail(err, errlen, "%s is empty", name);
	if (v->len >= outlen)
		return decision_fail(err, errlen, "%s too long", name);
	memcpy(out, v->s, v->len);
	out[v->len] = '\0';
	return 0;
}

int
notice_parse(const void *buf, size_t len, struct notice *out, char *err, size_t errlen)
{
	struct json_field f[NOTICE_K__COUNT];
	cJSON *root;
	struct notice n;
	const struct json_field *v;
	int rc = -1;

	if (notice_fields(buf, len, f, &root, err, errlen) < 0)
		goto out;
	memset(&n, 0, sizeof n);
	if (notice_get_string(&f[NOTICE_K_ORDER_ID], "order_id", true, n.order_id,
			      sizeof n.order_id, err, errlen) < 0 ||
	    notice_get_string(&f[NOTICE_K_USER_ID], "user_id", false, n.user_id, sizeof n.user_id,
			      err, errlen) < 0 ||
	    notice_get_string(&f[NOTICE_K_STATUS], "status", false, n.status, sizeof n.status, err,
			      errlen) < 0 ||
	    notice_get_string(&f[NOTICE_K_DECISION], "decision", false, n.decision,
			      sizeof n.decision, err, errlen) < 0)
		goto out;

	v = &f[NOTICE_K_TOTAL];
	if (v->type != JF_ABSENT && v->type != JF_NULL) {
		if (v->type != JF_NUMBER || !isfinite(v->num)) {
			decision_fail(err, errlen, "total must be a number");
			goto out;
		}
		n.total = v->num;
	}
	v = &f[NOTICE_K_AT];
	if (v->type == JF_ABSENT || v->type == JF_NULL)
		v = &f[NOTICE_K_NOTIFIED_AT];
	if (v->type != JF_ABSENT && v->type != JF_NULL) {
		if (v->type != JF_NUMBER || !isfinite(v->num) || fabs(v->num) > ORDER_TIME_MAX) {
			decision_fail(err, errlen, "at must be a number (ms)");
			goto out;
		}
		n.at_ms = (int64_t)v->num;
	}
	n.created_ms = time_field_ms(&f[NOTICE_K_CREATED_AT]);
	n.decided_ms = time_field_ms(&f[NOTICE_K_DECIDED_AT]);
	if (n.decided_ms == 0 && f[NOTICE_K_AT].type == JF_NUMBER)
		n.decided_ms = n.at_ms; /* a notification's "at" */
	*out = n;
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- reading a decision back (the monitor) ---- */

/* One id of rules_fired; false once the text is full (the rest are not
 * looked at, so a replay named after that is not seen either). */
static bool
decided_add_fired(struct decided *d, size_t *used, const char *id, size_t len)
{
	if (len == strlen(FRAUD_RULE_REPLAY_ID) && memcmp(id, FRAUD_RULE_REPLAY_ID, len) == 0)
		d->replay = true;
	size_t need = (*used ? 1 : 0) + len;
	if (*used + need >= sizeof d->fired) {
		/* as snprintf cuts it */
		size_t room = sizeof d->fired - 1 - *used;
		if (*used && room > 0) {
			d->fired[(*used)++] = ',';
			room--;
		}
		memcpy(d->fired + *used, id, room);
		d->fired[*used + room] = '\0';
		*used = sizeof d->fired - 1;
		return false;
	}
	if (*used)
		d->fired[(*used)++] = ',';
	memcpy(d->fired + *used, id, len);
	*used += len;
	d->fired[*used] = '\0';
	return true;
}

static void
decided_copy(char *dst, size_t size, const struct json_field *f)
{
	size_t n = f->len < size - 1 ? f->len : size - 1;
	memcpy(dst, f->s, n);
	dst[n] = '\0';
}

/* Up to here a double holds every integer; larger versions are read
 * from their digits (decided_parse_cjson()). */
#define DECIDED_VERSION_EXACT 9007199254740992.0

enum {
	DK_ORDER_ID,
	DK_USER_ID,
	DK_ITEM,
	DK_TOTAL,
	DK_RULES_VERSION,
	DK_CREATED_AT,
	DK_DECIDED_AT,
	DK__COUNT
};
static const char *const decided_keys[DK__COUNT] = {
	"order_id", "user_id", "item", "total", "rules_version", "created_at", "decided_at",
};

/* The members of a decision record the table wants, from either reader. */
static int
decided_fill(struct decided *d, const struct json_field f[DK__COUNT])
{
	if (f[DK_ORDER_ID].type != JF_STRING)
		return -1;
	decided_copy(d->order_id, sizeof d->order_id, &f[DK_ORDER_ID]);
	if (f[DK_USER_ID].type == JF_STRING)
		decided_copy(d->user_id, sizeof d->user_id, &f[DK_USER_ID]);
	if (f[DK_ITEM].type == JF_STRING)
		decided_copy(d->item, sizeof d->item, &f[DK_ITEM]);
	if (f[DK_TOTAL].type == JF_NUMBER)
		d->total = f[DK_TOTAL].num;
	double v = f[DK_RULES_VERSION].num;
	if (f[DK_RULES_VERSION].type == JF_NUMBER && v >= 0 && v <= DECIDED_VERSION_EXACT &&
	    (double)(uint64_t)v == v)
		d->rules_version = (uint64_t)v;
	d->created_ms = time_field_ms(&f[DK_CREATED_AT]);
	d->decided_ms = time_field_ms(&f[DK_DECIDED_AT]);
	return 0;
}

/* decided_parse() through cJSON, for what the flat reader declines.  A
 * rules_version is read from its digits when it has more than a double
 * holds exactly. */
static int
decided_parse_cjson(const void *buf, size_t len, struct decided *d)
{
	cJSON *j = cJSON_ParseWithLength(buf, len);
	struct json_field f[DK__COUNT];
	struct flat_member raw;

	memset(d, 0, sizeof *d);
	d->total = -1;
	for (int k = 0; k < DK__COUNT; k++)
		json_field_from_cjson(&f[k], cJSON_GetObjectItemCaseSensitive(j, decided_keys[k]));
	if (decided_fill(d, f) < 0) {
		cJSON_Delete(j);
		return -1;
	}
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(j, "rules_version");
	if (cJSON_IsNumber(version) && flat_member_of(buf, len, j, version, &raw))
		flat_uint64(raw.text, raw.len, &d->rules_version);
	const cJSON *fired = cJSON_GetObjectItemCaseSensitive(j, "rules_fired"), *r;
	size_t used = 0;
	cJSON_ArrayForEach(r, fired)
	{
		const cJSON *rid = cJSON_GetObjectItemCaseSensitive(r, "id");
		if (cJSON_IsString(rid) &&
		    !decided_add_fired(d, &used, rid->valuestring, strlen(rid->valuestring)))
			break;
	}
	cJSON_Delete(j);
	return 0;
}

#define DECIDED_FLAT_MAX 32

int
decided_parse(const void *buf, size_t len, struct decided *d)
{
	struct flat_member m[DECIDED_FLAT_MAX], el[DECIDED_FLAT_MAX], r[DECIDED_FLAT_MAX];
	struct json_field f[DK__COUNT];
	int n = flat_json_members(buf, len, m, DECIDED_FLAT_MAX), ne = 0;
	const struct flat_member *fired = flat_find(m, n, "rules_fired");

	memset(d, 0, sizeof *d);
	d->total = -1;
	/* cJSON walks the children of an object as it walks an array's */
	if (fired && fired->type == FLAT_NESTED)
		ne = fired->text[0] == '['
			? flat_json_elements(fired->text, fired->len, el, DECIDED_FLAT_MAX)
			: flat_json_members(fired->text, fired->len, el, DECIDED_FLAT_MAX);
	if (n < 0 || ne < 0)
		return decided_parse_cjson(buf, len, d);
	for (int k = 0; k < DK__COUNT; k++)
		json_field_from_flat(&f[k], flat_find(m, n, decided_keys[k]));
	if (decided_fill(d, f) < 0)
		return -1;
	size_t used = 0;
	for (int e = 0; e < ne; e++) {
		if (el[e].type != FLAT_NESTED || el[e].text[0] != '{')
			continue;
		int nr = flat_json_members(el[e].text, el[e].len, r, DECIDED_FLAT_MAX);
		if (nr < 0)
			return decided_parse_cjson(buf, len, d);
		const struct flat_member *id = flat_find(r, nr, "id");
		if (id && id->type == FLAT_STRING &&
		    !decided_add_fired(d, &used, id->text, id->len))
			break;
	}
	return 0;
}
