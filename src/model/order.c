/*
 * order.c — the order model: parsing and validating untrusted order JSON,
 * checking form fields, status names (order_json.c writes an order).
 *
 * order_parse() checks the raw bytes before cJSON sees them: size, NUL
 * bytes (and \u0000 escapes), UTF-8, and nesting depth (brackets counted
 * outside strings), so hostile nesting cannot exhaust the stack.  cJSON
 * then parses a NUL-terminated copy, so it never depends on the bytes after
 * len (over-reads on truncated input are reported for some cJSON versions,
 * DaveGamble/cJSON#775 and #804), and trailing garbage is refused.
 * Duplicate known keys are refused, since another reader of the same bytes
 * might pick the other value; unknown keys are allowed and left alone.
 * null for an optional field means absent.
 * Flat objects (ordertop's own orders) are read by flat_json.c instead of
 * cJSON, with the same checks after it; anything else goes to cJSON.
 */
#include "order.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "flat_json.h"

#define ORDER_QTY_MAX   1000000000.0
#define ORDER_PRICE_MAX 1000000000.0

static const char *const order_status_names[ORDER_STATUS__COUNT] = {
	[ORDER_NEW] = "NEW",
	[ORDER_APPROVED] = "APPROVED",
	[ORDER_REFUSED] = "REFUSED",
	[ORDER_NOTIFIED] = "NOTIFIED",
	[ORDER_DEAD_LETTERED] = "DEAD_LETTERED",
};

const char *
order_status_name(enum order_status s)
{
	if ((int)s < 0 || s >= ORDER_STATUS__COUNT)
		return "UNKNOWN";
	return order_status_names[s];
}

static const char *const order_source_names[ORDER_SOURCE__COUNT] = {
	[ORDER_SOURCE_OTHER] = "other client",
	[ORDER_SOURCE_GENERATOR] = "generator",
	[ORDER_SOURCE_FORM] = "form",
	[ORDER_SOURCE_HTTP] = "http",
};

const char *
order_source_name(enum order_source s)
{
	if ((int)s < 0 || s >= ORDER_SOURCE__COUNT)
		return "other client";
	return order_source_names[s];
}

int
order_status_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i < ORDER_STATUS__COUNT; i++) {
		if (strcmp(name, order_status_names[i]) == 0)
			return i;
	}
	return -1;
}

double
order_total(const struct order *o)
{
	if (!o->has_unit_price)
		return 0.0;
	return (double)o->quantity * o->unit_price;
}

static int
order_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it
 * is invalid, truncated, overlong, a surrogate or above U+10FFFF. */
static size_t
order_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else
		return 0; /* continuation, C0/C1 overlong, F5.. */
	if (n < need)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	}
	return need;
}

static bool
order_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t w, w2;

		if (n - i >= 16) { /* sixteen ASCII bytes at a time */
			memcpy(&w, p + i, 8);
			memcpy(&w2, p + i + 8, 8);
			if (((w | w2) & 0x8080808080808080ULL) == 0) {
				i += 16;
				continue;
			}
		}
		if (n - i >= 8) { /* eight */
			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = order_utf8_seq(p + i, n - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

/*
 * One pass over the raw bytes, outside strings: the deepest nesting of
 * [ and {.  Inside strings it notes a \u0000 escape, which cJSON would
 * silently turn into the end of the string.
 */
static int
order_scan(const unsigned char *p, size_t n, char *err, size_t errlen)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (in_str) {
			if (c == '\\') {
				if (i + 5 < n && p[i + 1] == 'u' &&
				    memcmp(p + i + 2, "0000", 4) == 0)
					return order_fail(err, errlen,
							  "payload contains a NUL byte");
				i++; /* skip the escaped character */
			} else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '[' || c == '{') {
			if (++depth > ORDER_DEPTH_MAX)
				return order_fail(err, errlen, "nested too deeply");
		} else if (c == ']' || c == '}')
			depth--;
	}
	return 0;
}

/* Checks text (n bytes) as the value of a string field: not empty, at
 * most max bytes, no control characters (C0, DEL, C1). */
static int
order_check_text(const char *name, const char *s, size_t n, size_t max, char *err, size_t errlen)
{
	if (n == 0)
		return order_fail(err, errlen, "%s is empty", name);
	if (n > max)
		return order_fail(err, errlen, "%s longer than %zu bytes", name, max);
	if (!order_utf8_valid((const unsigned char *)s, n))
		return order_fail(err, errlen, "invalid UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		     (unsigned char)s[i + 1] <= 0x9F))
			return order_fail(err, errlen, "%s contains a control character", name);
	}
	return 0;
}

/* Exactly n ASCII letters (s has len bytes), copied uppercased into out
 * (n + 1 bytes). */
static bool
order_letters(const char *s, size_t len, size_t n, char *out)
{
	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
		out[i] = (char)toupper(c);
	}
	out[n] = '\0';
	return true;
}

static bool
order_is_integer(double v)
{
	return isfinite(v) && floor(v) == v;
}

/* The known keys; each may appear at most once. */
enum order_key {
	ORDER_K_ORDER_ID,
	ORDER_K_USER_ID,
	ORDER_K_ITEM,
	ORDER_K_QUANTITY,
	ORDER_K_UNIT_PRICE,
	ORDER_K_CURRENCY,
	ORDER_K_COUNTRY,
	ORDER_K_CARD_COUNTRY,
	ORDER_K_CREATED_AT,
	ORDER_K__COUNT
};

static const char *const order_keys[ORDER_K__COUNT] = {
	[ORDER_K_ORDER_ID] = "order_id",
	[ORDER_K_USER_ID] = "user_id",
	[ORDER_K_ITEM] = "item",
	[ORDER_K_QUANTITY] = "quantity",
	[ORDER_K_UNIT_PRICE] = "unit_price",
	[ORDER_K_CURRENCY] = "currency",
	[ORDER_K_COUNTRY] = "country",
	[ORDER_K_CARD_COUNTRY] = "card_country",
	[ORDER_K_CREATED_AT] = "created_at",
};

/* Which known key name (len bytes) is, or -1.  This runs for every
 * member of every order read (a call to strncmp() for each showed in the
 * fraud stage's profile).  Key `guess` is tried first: orders written as
 * ordertop writes them have their keys in order_keys[] order. */
static int
order_key_index(const char *name, size_t len, int guess)
{
	if (guess >= 0 && guess < ORDER_K__COUNT && flat_name_is(name, len, order_keys[guess]))
		return guess;
	for (int k = 0; k < ORDER_K__COUNT; k++)
		if (flat_name_is(name, len, order_keys[k]))
			return k;
	return -1;
}

/* One pass over cJSON's members: the known ones into v[], and a refusal
 * if one appears twice. */
static int
order_collect_cjson(const cJSON *root, struct json_field v[ORDER_K__COUNT], char *err,
		    size_t errlen)
{
	for (int k = 0; k < ORDER_K__COUNT; k++)
		v[k].type = JF_ABSENT;
	for (const cJSON *it = root->child; it != NULL; it = it->next) {
		if (it->string == NULL)
			continue;
		int k = order_key_index(it->string, strlen(it->string), -1);
		if (k < 0)
			continue;
		if (v[k].type != JF_ABSENT)
			return order_fail(err, errlen, "duplicate key %s", order_keys[k]);
		json_field_from_cjson(&v[k], it);
	}
	return 0;
}

/* The same from the flat reader's members. */
static int
order_collect_flat(const struct flat_member *m, int n, struct json_field v[ORDER_K__COUNT],
		   char *err, size_t errlen)
{
	int next = 0;
	for (int k = 0; k < ORDER_K__COUNT; k++)
		v[k].type = JF_ABSENT;
	for (int i = 0; i < n; i++) {
		int k = m[i].key_len ? order_key_index(m[i].key, m[i].key_len, next) : -1;
		if (k < 0)
			continue;
		next = k + 1;
		if (v[k].type != JF_ABSENT)
			return order_fail(err, errlen, "duplicate key %s", order_keys[k]);
		json_field_from_flat(&v[k], &m[i]);
	}
	return 0;
}

static int
order_get_string(const struct json_field *v, const char *name, size_t max, char *out, char *err,
		 size_t errlen)
{
	if (v->type == JF_ABSENT)
		return order_fail(err, errlen, "missing %s", name);
	if (v->type != JF_STRING)
		return order_fail(err, errlen, "%s must be a string", name);
	if (order_check_text(name, v->s, v->len, max, err, errlen) < 0)
		return -1;
	memcpy(out, v->s, v->len);
	out[v->len] = '\0';
	return 0;
}

/* Optional code of n letters (currency, countries). */
static int
order_get_code(const struct json_field *v, const char *name, size_t n, char *out, char *err,
	       size_t errlen)
{
	out[0] = '\0';
	if (v->type == JF_ABSENT || v->type == JF_NULL)
		return 0;
	if (v->type != JF_STRING || !order_letters(v->s, v->len, n, out)) {
		out[0] = '\0';
		return order_fail(err, errlen, "%s must be %zu letters", name, n);
	}
	return 0;
}

static int
order_from_values(const struct json_field f[ORDER_K__COUNT], struct order *o, char *err,
		  size_t errlen)
{
	const struct json_field *v;

	if (order_get_string(&f[ORDER_K_ORDER_ID], "order_id", ORDER_ID_MAX, o->order_id, err,
			     errlen) < 0 ||
	    order_get_string(&f[ORDER_K_USER_ID], "user_id", ORDER_ID_MAX, o->user_id, err,
			     errlen) < 0 ||
	    order_get_string(&f[ORDER_K_ITEM], "item", ORDER_ITEM_MAX, o->item, err, errlen) < 0)
		return -1;

	v = &f[ORDER_K_QUANTITY];
	if (v->type == JF_ABSENT)
		return order_fail(err, errlen, "missing quantity");
	if (v->type == JF_NUMBER && v->num > ORDER_QTY_MAX)
		return order_fail(err, errlen, "quantity must be <= 1000000000");
	if (v->type != JF_NUMBER || !order_is_integer(v->num) || v->num <= 0)
		return order_fail(err, errlen, "quantity must be an integer > 0");
	o->quantity = (int64_t)v->num;

	v = &f[ORDER_K_UNIT_PRICE];
	if (v->type != JF_ABSENT && v->type != JF_NULL) {
		if (v->type == JF_NUMBER && v->num > ORDER_PRICE_MAX)
			return order_fail(err, errlen, "unit_price must be <= 1000000000");
		if (v->type != JF_NUMBER || !isfinite(v->num) || v->num < 0)
			return order_fail(err, errlen, "unit_price must be a number >= 0");
		o->unit_price = v->num + 0.0; /* no -0 */
		o->has_unit_price = true;
	}

	if (order_get_code(&f[ORDER_K_CURRENCY], "currency", 3, o->currency, err, errlen) < 0 ||
	    order_get_code(&f[ORDER_K_COUNTRY], "country", 2, o->country, err, errlen) < 0 ||
	    order_get_code(&f[ORDER_K_CARD_COUNTRY], "card_country", 2, o->card_country, err,
			   errlen) < 0)
		return -1;

	v = &f[ORDER_K_CREATED_AT];
	if (v->type != JF_ABSENT && v->type != JF_NULL) {
		if (v->type != JF_NUMBER || !order_is_integer(v->num) || v->num < 0 ||
		    v->num > ORDER_TIME_MAX)
			return order_fail(err, errlen, "created_at must be an integer >= 0 (ms)");
		o->created_at_ms = (int64_t)v->num;
	}
	return 0;
}

/* The raw-byte checks both readers rely on. */
static int
order_check_bytes(const unsigned char *p, size_t len, char *err, size_t errlen)
{
	if (len > ORDER_JSON_MAX)
		return order_fail(err, errlen, "payload larger than %d bytes", ORDER_JSON_MAX);
	if (p == NULL || len == 0)
		return order_fail(err, errlen, "not JSON");
	if (memchr(p, '\0', len) != NULL)
		return order_fail(err, errlen, "payload contains a NUL byte");
	if (!order_utf8_valid(p, len))
		return order_fail(err, errlen, "invalid UTF-8");
	return 0;
}

/* The cJSON path, for bytes order_check_bytes() passed. */
static int
order_parse_cjson(const unsigned char *p, size_t len, struct order *out, char *err, size_t errlen)
{
	struct json_field v[ORDER_K__COUNT];
	struct order o;
	char *copy;
	cJSON *root;
	int rc;

	if (order_scan(p, len, err, errlen) < 0)
		return -1;

	copy = malloc(len + 1);
	if (copy == NULL)
		return order_fail(err, errlen, "out of memory");
	memcpy(copy, p, len);
	copy[len] = '\0';
	/* len + 1 with require_null_terminated: no trailing garbage. */
	root = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	if (root == NULL)
		return order_fail(err, errlen, "not JSON");
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return order_fail(err, errlen, "not a JSON object");
	}

	memset(&o, 0, sizeof o);
	rc = order_collect_cjson(root, v, err, errlen);
	if (rc == 0)
		rc = order_from_values(v, &o, err, errlen);
	cJSON_Delete(root);
	if (rc < 0)
		return -1;
	*out = o;
	return 0;
}

int
order_parse_members(const void *buf, size_t len, struct order *out, struct flat_member *m, int *n,
		    char *err, size_t errlen)
{
	struct json_field v[ORDER_K__COUNT];
	struct order o;

	*n = -1;
	if (order_check_bytes(buf, len, err, errlen) < 0)
		return -1;
	*n = flat_json_members(buf, len, m, ORDER_FLAT_MEMBERS_MAX);
	if (*n < 0)
		return order_parse_cjson(buf, len, out, err, errlen);
	memset(&o, 0, sizeof o);
	if (order_collect_flat(m, *n, v, err, errlen) < 0 ||
	    order_from_values(v, &o, err, errlen) < 0)
		return -1;
	*out = o;
	return 0;
}

int
order_parse(const void *buf, size_t len, struct order *out, char *err, size_t errlen)
{
	struct flat_member m[ORDER_FLAT_MEMBERS_MAX];
	int n;

	return order_parse_members(buf, len, out, m, &n, err, errlen);
}

/* The text without surrounding blanks (form fields are blank-padded). */
static void
order_trim(const char *text, char *out, size_t outlen)
{
	const char *b = text, *e;
	size_t n;

	while (*b == ' ' || *b == '\t')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - b);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

/* A decimal number typed in the form: digits, at most one '.', no sign,
 * exponent, hex, inf or nan. */
static bool
order_form_number(const char *s, bool allow_dot, double *out)
{
	int dots = 0, digits = 0;
	char *end;

	for (const char *c = s; *c != '\0'; c++) {
		if (*c >= '0' && *c <= '9')
			digits++;
		else if (*c == '.' && allow_dot && ++dots == 1)
			continue;
		else
			return false;
	}
	if (digits == 0)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && *end == '\0' && isfinite(*out);
}

int
order_validate_field(const char *field, const char *text, char *err, size_t errlen)
{
	char t[256], code[4];
	double v;

	if (field == NULL)
		return order_fail(err, errlen, "unknown field");
	order_trim(text != NULL ? text : "", t, sizeof t);

	if (strcmp(field, "order_id") == 0)
		return t[0] == '\0'
			? 0
			: order_check_text(field, t, strlen(t), ORDER_ID_MAX, err, errlen);
	if (strcmp(field, "user_id") == 0)
		return order_check_text(field, t, strlen(t), ORDER_ID_MAX, err, errlen);
	if (strcmp(field, "item") == 0)
		return order_check_text(field, t, strlen(t), ORDER_ITEM_MAX, err, errlen);
	if (strcmp(field, "quantity") == 0) {
		if (!order_form_number(t, false, &v) || v <= 0)
			return order_fail(err, errlen, "quantity must be an integer > 0");
		if (v > ORDER_QTY_MAX)
			return order_fail(err, errlen, "quantity must be <= 1000000000");
		return 0;
	}
	if (strcmp(field, "unit_price") == 0) {
		if (t[0] == '\0')
			return 0;
		if (!order_form_number(t, true, &v))
			return order_fail(err, errlen, "unit_price must be a number >= 0");
		if (v > ORDER_PRICE_MAX)
			return order_fail(err, errlen, "unit_price must be <= 1000000000");
		return 0;
	}
	if (strcmp(field, "currency") == 0) {
		if (t[0] == '\0' || order_letters(t, strlen(t), 3, code))
			return 0;
		return order_fail(err, errlen, "currency must be 3 letters");
	}
	if (strcmp(field, "country") == 0) {
		if (order_letters(t, strlen(t), 2, code))
			return 0;
		return order_fail(err, errlen, "country must be 2 letters");
	}
	if (strcmp(field, "card_country") == 0) {
		if (t[0] == '\0' || order_letters(t, strlen(t), 2, code))
			return 0;
		return order_fail(err, errlen, "card_country must be 2 letters");
	}
	return order_fail(err, errlen, "unknown field %s", field);
}
