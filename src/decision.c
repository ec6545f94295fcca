/*
 * decision.c — the JSON of the fraud stage's messages: the decided order
 * (the order as received plus the decision fields), the notification to
 * the customer, the notifier's "customer notified" record, and reading the
 * last two back (notice_parse), and the fields of a decision the monitor
 * keeps (decided_parse).
 *
 * The decided order keeps the received members byte for byte (only blanks
 * between tokens dropped), so downstream readers see exactly what came in,
 * even numbers a double cannot hold; cJSON checks the bytes and prints the
 * decision fields.  Input that cJSON accepts but strict JSON does not
 * (01, raw control characters in strings) is printed whole by cJSON.
 *
 * Input bytes are copied and NUL-terminated before cJSON sees them, so it
 * never depends on the bytes after len (see order.c).  notice_parse()
 * reads ordertop's own flat notifications with flat_json.c, and falls back
 * to cJSON for anything else.
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
#include "int_text.h"
#include "json_plain.h"
#include "json_writer.h"
#include "text_join.h"

/* Fields decision_order_json() writes; any already there are replaced
 * (the last, created_at, only when it is added: see struct decision). */
static const char *const decision_fields[] = {
	"status", "total", "rules_fired", "rules_version", "decided_at",
	"decided_by", "created_at",
};
#define DECISION_FIELDS(d) (sizeof decision_fields / sizeof decision_fields[0] - \
                            ((d)->created_at_added ? 0 : 1))

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
	return round(v * 100.0) / 100.0 + 0.0;     /* + 0.0: no -0 */
}

/* Cents, without trailing zeros: 2598, 12.35, 12.3.  false when the
 * value is too large for exact cents (then printed as a plain number). */
static bool
decision_cents_text(double v, char *buf, size_t len)
{
	v = decision_cents(v);
	if (fabs(v) >= 1e15)            /* no exact cents left anyway */
		return false;
	if (fabs(v) < 1e13) {           /* the digits of round(v * 100) */
		if (len < CENTS_TEXT_MAX)
			return false;
		cents_text(buf, llround(v * 100.0));
		return true;
	}
	size_t n;
	snprintf(buf, len, "%.2f", v);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return true;
}

static void
decision_write_cents(struct json_writer *w, double v)
{
	char buf[64];

	if (decision_cents_text(v, buf, sizeof buf))
		json_raw(w, buf);
	else
		json_number(w, decision_cents(v));
}

/* The decision fields, as members of the open object w. */
static void
decision_fields_write(struct json_writer *w, const struct decision *d)
{
	int n = d->n_fired < 0 ? 0 : d->n_fired > DECISION_MAX_FIRED ? DECISION_MAX_FIRED : d->n_fired;

	json_key_literal(w, "status");
	json_string(w, order_status_name(d->status), SIZE_MAX);
	json_key_literal(w, "total");
	decision_write_cents(w, d->total);
	json_key_literal(w, "rules_fired");
	json_array_begin(w);
	for (int i = 0; i < n; i++) {
		json_object_begin(w);
		json_key_literal(w, "id");
		json_string(w, d->fired[i].id, sizeof d->fired[i].id);
		json_key_literal(w, "reason");
		json_string(w, d->fired[i].reason, sizeof d->fired[i].reason);
		json_object_end(w);
	}
	json_array_end(w);
	json_key_literal(w, "rules_version");
	json_uint(w, d->rules_version);
	if (d->created_at_added) {
		json_key_literal(w, "created_at");
		json_int(w, d->created_at_ms);
	}
	json_key_literal(w, "decided_at");
	json_int(w, d->decided_at_ms);
	json_key_literal(w, "decided_by");
	json_string(w, d->decided_by, sizeof d->decided_by);
}

/* The decision fields, as the JSON object the decided order ends with. */
static char *
decision_fields_json(const struct decision *d)
{
	struct json_writer w;

	json_writer_init(&w);
	json_object_begin(&w);
	decision_fields_write(&w, d);
	json_object_end(&w);
	return json_writer_finish(&w);
}

/*
 * A scanner for the splice below.  cJSON has already accepted the bytes;
 * these only find where tokens end, and say no (false) to anything that
 * strict JSON would not copy as is: raw control characters in strings,
 * other bytes than the four JSON blanks between tokens, numbers such as
 * 01 or 1. that cJSON lets through.
 */
static bool
decision_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
decision_skip_blanks(const char *p, size_t n, size_t i)
{
	while (i < n && decision_is_blank(p[i]))
		i++;
	return i;
}

static bool
decision_scan_string(const char *p, size_t n, size_t *i)
{
	size_t k = *i + 1;                       /* p[*i] is the quote */

	while (k < n) {
		k += json_plain_run(p + k, n - k);
		if (k >= n)
			break;
		unsigned char c = (unsigned char)p[k];

		if (c == '"') {
			*i = k + 1;
			return true;
		}
		if (c < 0x20)
			return false;
		k += 2;                              /* '\\' and what it escapes */
	}
	return false;
}

static size_t
decision_digits(const char *p, size_t n, size_t k)
{
	while (k < n && p[k] >= '0' && p[k] <= '9')
		k++;
	return k;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
decision_scan_number(const char *p, size_t n, size_t *i)
{
	size_t k = *i, e;

	if (k < n && p[k] == '-')
		k++;
	if (k < n && p[k] == '0')
		k++;
	else if (k < n && p[k] >= '1' && p[k] <= '9')
		k = decision_digits(p, n, k);
	else
		return false;
	if (k < n && p[k] == '.') {
		e = decision_digits(p, n, k + 1);
		if (e == k + 1)
			return false;
		k = e;
	}
	if (k < n && (p[k] == 'e' || p[k] == 'E')) {
		k++;
		if (k < n && (p[k] == '+' || p[k] == '-'))
			k++;
		e = decision_digits(p, n, k);
		if (e == k)
			return false;
		k = e;
	}
	if (k < n && (p[k] == '.' || (p[k] >= '0' && p[k] <= '9')))
		return false;                    /* 01, 1.2.3 */
	*i = k;
	return true;
}

/* Moves *i past one value (iteratively: no recursion on nesting). */
static bool
decision_scan_value(const char *p, size_t n, size_t *i)
{
	long depth = 0;
	size_t k = *i;

	do {
		k = decision_skip_blanks(p, n, k);
		if (k >= n)
			return false;
		switch (p[k]) {
		case '"':
			if (!decision_scan_string(p, n, &k))
				return false;
			break;
		case '{':
		case '[':
			depth++;
			k++;
			break;
		case '}':
		case ']':
			if (--depth < 0)
				return false;
			k++;
			break;
		case ',':
		case ':':
			if (depth == 0)
				return false;
			k++;
			break;
		case 't':
			if (n - k < 4 || memcmp(p + k, "true", 4) != 0)
				return false;
			k += 4;
			break;
		case 'f':
			if (n - k < 5 || memcmp(p + k, "false", 5) != 0)
				return false;
			k += 5;
			break;
		case 'n':
			if (n - k < 4 || memcmp(p + k, "null", 4) != 0)
				return false;
			k += 4;
			break;
		default:
			if (!decision_scan_number(p, n, &k))
				return false;
			break;
		}
	} while (depth > 0);
	*i = k;
	return true;
}

/* Copies p[from, to) leaving out blanks outside strings. */
static size_t
decision_copy_compact(char *out, const char *p, size_t from, size_t to)
{
	bool in_str = false;
	size_t o = 0;

	for (size_t k = from; k < to; k++) {
		char c = p[k];

		if (in_str) {
			out[o++] = c;
			if (c == '\\' && k + 1 < to)
				out[o++] = p[++k];
			else if (c == '"')
				in_str = false;
		} else if (!decision_is_blank(c)) {
			out[o++] = c;
			in_str = c == '"';
		}
	}
	return o;
}

/*
 * The decided order by splicing: the received members, byte for byte
 * (blanks between tokens dropped), except those named like a decision
 * field, then the decision fields.  A key with an escape in it is left
 * to cJSON (it would have to be decoded to be compared).
 * Returns 0 (*out is the result, NULL when out of memory), or -1 when the
 * bytes are not strict enough to copy and cJSON must print them.
 */
static bool
decision_is_field_bytes(const struct decision *d, const char *key, size_t len)
{
	for (size_t i = 0; i < DECISION_FIELDS(d); i++)
		if (flat_name_is(key, len, decision_fields[i]))
			return true;
	return false;
}

static int
decision_splice(const char *p, size_t n, const struct decision *d, const char *fields_js,
                char **out)
{
	size_t flen = strlen(fields_js), i, ks, vs, o = 0;
	bool first = true;
	char *s;

	*out = NULL;
	i = decision_skip_blanks(p, n, 0);
	if (i >= n || p[i] != '{' || flen < 2 || fields_js[0] != '{')
		return -1;
	s = malloc(n + flen + 2);
	if (s == NULL)
		return 0;
	s[o++] = '{';
	i = decision_skip_blanks(p, n, i + 1);
	if (i < n && p[i] == '}')
		i++;
	else {
		for (;;) {
			if (i >= n || p[i] != '"')
				goto strict;
			ks = i;
			if (!decision_scan_string(p, n, &i) ||
			    memchr(p + ks + 1, '\\', i - ks - 2) != NULL)
				goto strict;
			bool is_field = decision_is_field_bytes(d, p + ks + 1, i - ks - 2);
			size_t key_end = i;
			i = decision_skip_blanks(p, n, i);
			if (i >= n || p[i] != ':')
				goto strict;
			vs = decision_skip_blanks(p, n, i + 1);
			/* "key":value with no blanks: copied in one go */
			bool compact = vs == key_end + 1 && vs < n && p[vs] != '{' && p[vs] != '[';
			i = vs;
			if (!decision_scan_value(p, n, &i))
				goto strict;
			if (!is_field) {
				if (!first)
					s[o++] = ',';
				first = false;
				if (compact) {
					memcpy(s + o, p + ks, i - ks);
					o += i - ks;
				} else {
					o += decision_copy_compact(s + o, p, ks, i);
				}
			}
			i = decision_skip_blanks(p, n, i);
			if (i < n && p[i] == ',') {
				i = decision_skip_blanks(p, n, i + 1);
				continue;
			}
			if (i < n && p[i] == '}') {
				i++;
				break;
			}
			goto strict;
		}
	}
	if (decision_skip_blanks(p, n, i) != n)
		goto strict;
	if (!first)
		s[o++] = ',';
	memcpy(s + o, fields_js + 1, flen);      /* with its '}' and NUL */
	*out = s;
	return 0;
strict:
	free(s);
	return -1;
}

/* The members of object (printed, malloc'd; freed here) followed by those
 * of fields_js, as one object; NULL when out of memory. */
static char *
decision_join(char *object, const char *fields_js)
{
	size_t olen, flen = strlen(fields_js);
	char *s;

	if (object == NULL)
		return NULL;
	olen = strlen(object);                   /* ends with '}' */
	s = realloc(object, olen + flen + 1);
	if (s == NULL) {
		free(object);
		return NULL;
	}
	if (olen == 2)                           /* "{}" */
		memcpy(s + 1, fields_js + 1, flen);  /* with its '}' and NUL */
	else {
		s[olen - 1] = ',';
		memcpy(s + olen, fields_js + 1, flen);
	}
	return s;
}

/*
 * The decided order.  Normally the received bytes are kept as they are
 * (a 20-digit number in an unknown field stays exact; cJSON would print
 * it as a double) and only the decision fields are printed, by
 * decision_fields_json().  Input cJSON accepts but strict JSON does not
 * is printed by cJSON instead, the same fields joined on.
 */
static char *
decision_order_json_from(const void *order_json, size_t len,
                         const struct decision *d, bool validated)
{
	cJSON *root = NULL;
	char *fields_js = NULL, *s = NULL;

	if (order_json == NULL || len == 0 || len > ORDER_JSON_MAX ||
	    memchr(order_json, '\0', len) != NULL)
		return NULL;
	/* The splice's scanner finds where tokens end; cJSON checks the rest. */
	if (!validated) {
		root = decision_parse_bytes(order_json, len);
		if (root == NULL || !cJSON_IsObject(root))
			goto out;
	}
	fields_js = decision_fields_json(d);
	if (fields_js == NULL)
		goto out;
	if (decision_splice(order_json, len, d, fields_js, &s) == 0)
		goto out;

	/* cJSON prints it all: replace any decision fields already there */
	if (root == NULL)
		root = decision_parse_bytes(order_json, len);
	if (root == NULL || !cJSON_IsObject(root))
		goto out;
	for (size_t i = 0; i < DECISION_FIELDS(d); i++) {
		while (cJSON_GetObjectItemCaseSensitive(root,
		    decision_fields[i]) != NULL)
			cJSON_DeleteItemFromObjectCaseSensitive(root,
			    decision_fields[i]);
	}
	s = decision_join(cJSON_PrintUnformatted(root), fields_js);
out:
	free(fields_js);
	cJSON_Delete(root);
	return s;
}

char *
decision_order_json(const void *order_json, size_t len,
                    const struct decision *d)
{
	return decision_order_json_from(order_json, len, d, false);
}

/* Where member m's value ends in the text it was read from, or NULL when
 * the member is not written as "key":value with nothing between (or is
 * nested: blanks may hide inside). */
static const char *
decision_compact_member_end(const struct flat_member *m)
{
	const char *colon = m->key + m->key_len + 1;    /* past the closing quote */

	if (m->type == FLAT_NESTED || *colon != ':')
		return NULL;
	if (m->type == FLAT_STRING)
		return m->text == colon + 2 ? m->text + m->len + 1 : NULL;
	return m->text == colon + 1 ? m->text + m->len : NULL;
}

/*
 * An order as ordertop writes it (compact, flat, none of the decision
 * fields) is its own bytes up to the closing brace, then the decision
 * fields: what decision_splice() makes of it, found from the members
 * order_parse_members() read instead of scanning the text again.
 */
int
decision_order_write(struct json_writer *w, const void *order_json, size_t len,
                     const struct flat_member *m, int n, const struct decision *d)
{
	const char *p = order_json, *at = p + 1;       /* where a member's quote must be */
	bool compact = n > 0 && len >= 2 && p[0] == '{';

	for (int i = 0; compact && i < n; i++) {
		const char *end = decision_compact_member_end(&m[i]);
		compact = end != NULL && m[i].key == at + 1 && end < p + len &&
		          *end == (i + 1 < n ? ',' : '}') &&
		          !decision_is_field_bytes(d, m[i].key, m[i].key_len);
		if (compact)
			at = end + 1;
	}
	if (compact && at == p + len) {
		json_object_begin(w);
		json_members_raw(w, p + 1, len - 2);
		decision_fields_write(w, d);
		json_object_end(w);
		return 0;
	}
	char *s = decision_order_json_from(order_json, len, d, true);
	if (s == NULL)
		return -1;
	json_raw(w, s);
	free(s);
	return 0;
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
	char qty[INT_TEXT_MAX];
	int_text(qty, quantity);
	const char *piece[] = { "Your order ", order_id, " for ", qty, " x ", item, " ", what };
	text_join(buf, len, piece, sizeof piece / sizeof piece[0]);
}

void
decision_notification_write(struct json_writer *w, const struct order *o,
                            const struct decision *d)
{
	char order_id[sizeof o->order_id + 1], item[sizeof o->item + 1];
	char msg[sizeof order_id + sizeof item + 96];

	decision_copy(order_id, sizeof order_id, o->order_id,
	    sizeof o->order_id);
	decision_copy(item, sizeof item, o->item, sizeof o->item);
	decision_message(msg, sizeof msg, order_id, o->quantity, item,
	    d->status);

	json_object_begin(w);
	json_key_literal(w, "order_id");
	json_string(w, o->order_id, sizeof o->order_id);
	json_key_literal(w, "user_id");
	json_string(w, o->user_id, sizeof o->user_id);
	json_key_literal(w, "status");
	json_string(w, order_status_name(d->status), SIZE_MAX);
	json_key_literal(w, "total");
	decision_write_cents(w, d->total);
	json_key_literal(w, "message");
	json_string(w, msg, sizeof msg);
	json_key_literal(w, "at");
	json_int(w, d->decided_at_ms);
	if (d->created_at_ms > 0) {
		json_key_literal(w, "created_at");
		json_int(w, d->created_at_ms);
	}
	json_object_end(w);
}

char *
decision_notification_json(const struct order *o, const struct decision *d)
{
	struct json_writer w;

	json_writer_init(&w);
	decision_notification_write(&w, o, d);
	return json_writer_finish(&w);
}

void
decision_notified_write(struct json_writer *w, const struct notice *n,
                        int64_t notified_at_ms, const char *channel, int attempts)
{
	json_object_begin(w);
	json_key_literal(w, "order_id");
	json_string(w, n->order_id, sizeof n->order_id);
	json_key_literal(w, "user_id");
	json_string(w, n->user_id, sizeof n->user_id);
	json_key_literal(w, "status");
	json_string(w, order_status_name(ORDER_NOTIFIED), SIZE_MAX);
	json_key_literal(w, "decision");
	json_string(w, n->status[0] ? n->status : "UNKNOWN", sizeof n->status);
	if (n->created_ms > 0) {
		json_key_literal(w, "created_at");
		json_int(w, n->created_ms);
	}
	if (n->decided_ms > 0) {
		json_key_literal(w, "decided_at");
		json_int(w, n->decided_ms);
	}
	json_key_literal(w, "notified_at");
	json_int(w, notified_at_ms);
	json_key_literal(w, "channel");
	json_string(w, channel, SIZE_MAX);
	json_key_literal(w, "attempts");
	json_int(w, attempts);
	json_object_end(w);
}

char *
decision_notified_json(const struct notice *n, int64_t notified_at_ms,
                       const char *channel, int attempts)
{
	struct json_writer w;

	json_writer_init(&w);
	decision_notified_write(&w, n, notified_at_ms, channel, attempts);
	return json_writer_finish(&w);
}

/* The members notice_parse() reads; the first of a repeated one counts,
 * as with cJSON_GetObjectItemCaseSensitive(). */
enum notice_key {
	NOTICE_K_ORDER_ID, NOTICE_K_USER_ID, NOTICE_K_STATUS, NOTICE_K_DECISION,
	NOTICE_K_TOTAL, NOTICE_K_AT, NOTICE_K_NOTIFIED_AT, NOTICE_K_CREATED_AT,
	NOTICE_K_DECIDED_AT, NOTICE_K__COUNT
};

static const char *const notice_keys[NOTICE_K__COUNT] = {
	"order_id", "user_id", "status", "decision", "total", "at", "notified_at",
	"created_at", "decided_at",
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
notice_fields(const void *buf, size_t len, struct json_field f[NOTICE_K__COUNT],
              cJSON **root, char *err, size_t errlen)
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
		json_field_from_cjson(&f[k], cJSON_GetObjectItemCaseSensitive(*root, notice_keys[k]));
	return 0;
}

/* An optional string field into out (outlen bytes); too long is an error. */
static int
notice_get_string(const struct json_field *v, const char *name, bool required,
                  char *out, size_t outlen, char *err, size_t errlen)
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
notice_parse(const void *buf, size_t len, struct notice *out, char *err,
             size_t errlen)
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
	    notice_get_string(&f[NOTICE_K_USER_ID], "user_id", false, n.user_id,
	    sizeof n.user_id, err, errlen) < 0 ||
	    notice_get_string(&f[NOTICE_K_STATUS], "status", false, n.status,
	    sizeof n.status, err, errlen) < 0 ||
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
		if (v->type != JF_NUMBER || !isfinite(v->num) ||
		    fabs(v->num) > ORDER_TIME_MAX) {
			decision_fail(err, errlen, "at must be a number (ms)");
			goto out;
		}
		n.at_ms = (int64_t)v->num;
	}
	n.created_ms = time_field_ms(&f[NOTICE_K_CREATED_AT]);
	n.decided_ms = time_field_ms(&f[NOTICE_K_DECIDED_AT]);
	if (n.decided_ms == 0 && f[NOTICE_K_AT].type == JF_NUMBER)
		n.decided_ms = n.at_ms;         /* a notification's "at" */
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

enum {
	DK_ORDER_ID, DK_USER_ID, DK_ITEM, DK_TOTAL, DK_RULES_VERSION, DK_CREATED_AT,
	DK_DECIDED_AT, DK__COUNT
};
static const char *const decided_keys[DK__COUNT] = {
	"order_id", "user_id", "item", "total", "rules_version", "created_at", "decided_at",
};

/* The members of a decision record the table wants, read as
 * decided_parse_reference() does, without cJSON for flat records. */
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
	if (f[DK_RULES_VERSION].type == JF_NUMBER)
		d->rules_version = (uint64_t)f[DK_RULES_VERSION].num;
	d->created_ms = time_field_ms(&f[DK_CREATED_AT]);
	d->decided_ms = time_field_ms(&f[DK_DECIDED_AT]);
	return 0;
}

int
decided_parse_reference(const void *buf, size_t len, struct decided *d)
{
	cJSON *j = cJSON_ParseWithLength(buf, len);
	memset(d, 0, sizeof *d);
	d->total = -1;
	struct json_field f[DK__COUNT];
	for (int k = 0; k < DK__COUNT; k++)
		json_field_from_cjson(&f[k], cJSON_GetObjectItemCaseSensitive(j, decided_keys[k]));
	if (decided_fill(d, f) < 0) {
		cJSON_Delete(j);
		return -1;
	}
	const cJSON *fired = cJSON_GetObjectItemCaseSensitive(j, "rules_fired"), *r;
	size_t used = 0;
	cJSON_ArrayForEach(r, fired) {
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
		return decided_parse_reference(buf, len, d);
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
			return decided_parse_reference(buf, len, d);
		const struct flat_member *id = flat_find(r, nr, "id");
		if (id && id->type == FLAT_STRING && !decided_add_fired(d, &used, id->text, id->len))
			break;
	}
	return 0;
}
