/*
 * flat_json.c — the flat-object reader of flat_json.h.
 *
 * What "exactly as cJSON would" means here:
 * - a string without '\' and without bytes below 0x20 is, in cJSON, the
 *   same bytes (cJSON copies every other byte as it is);
 * - a number in strict JSON form with at most 15 digits and no exponent
 *   is m / 10^k with m < 10^15 and k <= 15: both are exact doubles and
 *   IEEE division rounds correctly, so the value is the one strtod(), and
 *   so cJSON, gives.  Other numbers are left to cJSON.
 * - whitespace is JSON's four characters; cJSON skips more, which only
 *   sends such text to cJSON.
 * - a nested array or object is checked to strict JSON (no escapes, at
 *   most FLAT_DEPTH_MAX levels counting the outer object), which cJSON
 *   accepts too; its members are not read, its text is handed over.
 *
 * The cursor (flat_cursor_next()) walks any strict JSON object with the
 * same scanner, escapes allowed and checked as cJSON checks them, so that
 * what it accepts cJSON accepts too.
 */
#include "flat_json.h"

#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json_plain.h"

#define FLAT_DIGITS_MAX 15
#define FLAT_DEPTH_MAX  16 /* as order.c's ORDER_DEPTH_MAX */

static const double pow10_exact[FLAT_DIGITS_MAX + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

static size_t
skip_space(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* At p[*i] == '"': the bytes up to the closing quote; false for an escape,
 * a control character or no closing quote.  Byte by byte, not with
 * json_plain_run(): the keys and values of ordertop's records are short,
 * and eight bytes at a time is slower for short runs. */
static bool
read_string(const char *p, size_t n, size_t *i, const char **text, size_t *len)
{
	size_t j = *i + 1;

	for (; j < n; j++) {
		unsigned char c = (unsigned char)p[j];
		if (c == '"')
			break;
		if (c == '\\' || c < 0x20)
			return false;
	}
	if (j >= n)
		return false;
	*text = p + *i + 1;
	*len = j - *i - 1;
	*i = j + 1;
	return true;
}

static bool
hex4(const char *p, unsigned *u)
{
	*u = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			: c >= 'a' && c <= 'f'    ? (unsigned)(c - 'a' + 10)
			: c >= 'A' && c <= 'F'    ? (unsigned)(c - 'A' + 10)
						  : 16;
		if (d == 16)
			return false;
		*u = *u << 4 | d;
	}
	return true;
}

/* The length of the escape at p[j] == '\\', or 0 when cJSON would refuse
 * it: an unknown letter, bad hex, a surrogate not in a high-low pair. */
static size_t
escape_len(const char *p, size_t n, size_t j)
{
	unsigned u;

	if (n - j < 2)
		return 0;
	switch (p[j + 1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't': return 2;
	case 'u':
		if (n - j < 6 || !hex4(p + j + 2, &u) || (u >= 0xDC00 && u <= 0xDFFF))
			return 0;
		if (u < 0xD800 || u > 0xDBFF)
			return 6;
		if (n - j < 12 || p[j + 6] != '\\' || p[j + 7] != 'u' || !hex4(p + j + 8, &u) ||
		    u < 0xDC00 || u > 0xDFFF)
			return 0;
		return 12;
	default: return 0;
	}
}

/* read_string() with escapes allowed (not decoded): the raw bytes. */
static bool
read_escaped_string(const char *p, size_t n, size_t *i, const char **text, size_t *len)
{
	size_t j = *i + 1, e;

	while (j < n) {
		j += json_plain_run(p + j, n - j);
		if (j >= n)
			return false;
		if (p[j] == '"') {
			*text = p + *i + 1;
			*len = j - *i - 1;
			*i = j + 1;
			return true;
		}
		if (p[j] != '\\' || (e = escape_len(p, n, j)) == 0)
			return false; /* a control character, a bad escape */
		j += e;
	}
	return false;
}

static bool
read_any_string(const char *p, size_t n, size_t *i, const char **text, size_t *len, bool escapes)
{
	return escapes ? read_escaped_string(p, n, i, text, len) : read_string(p, n, i, text, len);
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)? with at most FLAT_DIGITS_MAX digits. */
static bool
read_number(const char *p, size_t n, size_t *i, struct flat_member *m)
{
	size_t j = *i;
	bool neg = false;
	uint64_t mant = 0;
	int digits = 0, frac = 0;

	if (j < n && p[j] == '-') {
		neg = true;
		j++;
	}
	if (j >= n || p[j] < '0' || p[j] > '9')
		return false;
	if (p[j] == '0') {
		j++; /* a leading 0 adds nothing to mant */
	} else {
		for (; j < n && p[j] >= '0' && p[j] <= '9'; j++, digits++)
			mant = mant * 10 + (uint64_t)(p[j] - '0');
	}
	if (j < n && p[j] == '.') {
		j++;
		if (j >= n || p[j] < '0' || p[j] > '9')
			return false;
		for (; j < n && p[j] >= '0' && p[j] <= '9'; j++, digits++, frac++)
			mant = mant * 10 + (uint64_t)(p[j] - '0');
	}
	if (digits > FLAT_DIGITS_MAX || (j < n && (p[j] == 'e' || p[j] == 'E')))
		return false;
	double v = (double)mant / pow10_exact[frac];
	m->type = FLAT_NUMBER;
	m->number = neg ? -v : v;
	m->text = p + *i;
	m->len = j - *i;
	*i = j;
	return true;
}

static bool
read_literal(const char *p, size_t n, size_t *i, const char *word, enum flat_type t,
	     struct flat_member *m)
{
	size_t l = strlen(word);

	if (n - *i < l || memcmp(p + *i, word, l) != 0)
		return false;
	m->type = t;
	m->text = p + *i;
	m->len = l;
	*i += l;
	return true;
}

static bool skip_nested(const char *p, size_t n, size_t *i, int depth, bool escapes);

/* Strict JSON number text, any length: cJSON accepts all of these. */
static bool
skip_number(const char *p, size_t n, size_t *i)
{
	size_t j = *i;

	if (j < n && p[j] == '-')
		j++;
	if (j >= n || p[j] < '0' || p[j] > '9')
		return false;
	if (p[j] == '0')
		j++;
	else
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
	if (j < n && p[j] == '.') {
		if (++j >= n || p[j] < '0' || p[j] > '9')
			return false;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
	}
	if (j < n && (p[j] == 'e' || p[j] == 'E')) {
		j++;
		if (j < n && (p[j] == '+' || p[j] == '-'))
			j++;
		if (j >= n || p[j] < '0' || p[j] > '9')
			return false;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
	}
	*i = j;
	return true;
}

/* Any value inside a nested one, at nesting depth (the top object is 1). */
static bool
skip_value(const char *p, size_t n, size_t *i, int depth, bool escapes)
{
	const char *t;
	size_t l;

	switch (p[*i]) {
	case '"': return read_any_string(p, n, i, &t, &l, escapes);
	case '{':
	case '[': return skip_nested(p, n, i, depth + 1, escapes);
	case 't': l = 4, t = "true"; break;
	case 'f': l = 5, t = "false"; break;
	case 'n': l = 4, t = "null"; break;
	default: return skip_number(p, n, i);
	}
	if (n - *i < l || memcmp(p + *i, t, l) != 0)
		return false;
	*i += l;
	return true;
}

/* An array or object at p[*i], checked to strict JSON (without escapes
 * unless escapes). */
static bool
skip_nested(const char *p, size_t n, size_t *i, int depth, bool escapes)
{
	char close = p[*i] == '{' ? '}' : ']';
	bool object = close == '}';
	size_t j = skip_space(p, n, *i + 1);

	if (depth > FLAT_DEPTH_MAX)
		return false;
	if (j < n && p[j] == close) {
		*i = j + 1;
		return true;
	}
	for (;;) {
		if (j >= n)
			return false;
		if (object) {
			const char *k;
			size_t kl;
			if (p[j] != '"' || !read_any_string(p, n, &j, &k, &kl, escapes))
				return false;
			j = skip_space(p, n, j);
			if (j >= n || p[j] != ':')
				return false;
			j = skip_space(p, n, j + 1);
			if (j >= n)
				return false;
		}
		if (!skip_value(p, n, &j, depth, escapes))
			return false;
		j = skip_space(p, n, j);
		if (j < n && p[j] == ',') {
			j = skip_space(p, n, j + 1);
			continue;
		}
		if (j < n && p[j] == close) {
			*i = j + 1;
			return true;
		}
		return false;
	}
}

static bool
read_value(const char *p, size_t n, size_t *i, struct flat_member *m)
{
	size_t from = *i;

	switch (p[*i]) {
	case '{':
	case '[':
		if (!skip_nested(p, n, i, 2, false))
			return false;
		m->type = FLAT_NESTED;
		m->number = 0;
		m->text = p + from;
		m->len = *i - from;
		return true;
	case '"':
		m->type = FLAT_STRING;
		m->number = 0;
		return read_string(p, n, i, &m->text, &m->len);
	case 't': return read_literal(p, n, i, "true", FLAT_TRUE, m);
	case 'f': return read_literal(p, n, i, "false", FLAT_FALSE, m);
	case 'n': return read_literal(p, n, i, "null", FLAT_NULL, m);
	default: return read_number(p, n, i, m);
	}
}

/* The members of an object (keys) or the elements of an array (no keys)
 * starting at buf[start]; the text must end with it. */
static int
read_container(const char *buf, size_t len, size_t i, char open, struct flat_member *m, int max)
{
	char close = open == '{' ? '}' : ']';
	int count = 0;

	if (buf == NULL || i >= len || buf[i] != open)
		return -1;
	i = skip_space(buf, len, i + 1);
	if (i < len && buf[i] == close) {
		i++;
	} else {
		for (;;) {
			if (count == max || i >= len)
				return -1;
			struct flat_member *cur = &m[count];
			if (open == '{') {
				if (buf[i] != '"' ||
				    !read_string(buf, len, &i, &cur->key, &cur->key_len))
					return -1;
				i = skip_space(buf, len, i);
				if (i >= len || buf[i] != ':')
					return -1;
				i = skip_space(buf, len, i + 1);
			} else {
				cur->key = "";
				cur->key_len = 0;
			}
			if (i >= len || !read_value(buf, len, &i, cur))
				return -1;
			count++;
			i = skip_space(buf, len, i);
			if (i < len && buf[i] == ',') {
				i = skip_space(buf, len, i + 1);
				continue;
			}
			if (i < len && buf[i] == close) {
				i++;
				break;
			}
			return -1;
		}
	}
	return skip_space(buf, len, i) == len ? count : -1;
}

int
flat_json_members(const char *buf, size_t len, struct flat_member *m, int max)
{
	return read_container(buf, len, buf ? skip_space(buf, len, 0) : 0, '{', m, max);
}

int
flat_json_elements(const char *buf, size_t len, struct flat_member *m, int max)
{
	return read_container(buf, len, buf ? skip_space(buf, len, 0) : 0, '[', m, max);
}

static bool
key_equals(const struct flat_member *m, const char *key, size_t len)
{
	return m->key_len == len && memcmp(m->key, key, len) == 0;
}

bool
flat_key_is(const struct flat_member *m, const char *key)
{
	return flat_name_is(m->key, m->key_len, key);
}

/* Lengths first: most of an object's keys differ from the one sought in
 * length, and this runs for each key the readers of ordertop's records
 * look up (a per-byte compare of every member showed in the monitor's
 * profile). */
const struct flat_member *
flat_find(const struct flat_member *m, int n, const char *key)
{
	size_t len = strlen(key);
	for (int i = 0; i < n; i++)
		if (key_equals(&m[i], key, len))
			return &m[i];
	return NULL;
}

void
json_field_from_flat(struct json_field *f, const struct flat_member *m)
{
	if (m == NULL) {
		f->type = JF_ABSENT;
		return;
	}
	switch (m->type) {
	case FLAT_NULL: f->type = JF_NULL; break;
	case FLAT_STRING:
		f->type = JF_STRING;
		f->s = m->text;
		f->len = m->len;
		break;
	case FLAT_NUMBER:
		f->type = JF_NUMBER;
		f->num = m->number;
		break;
	default: /* true, false, an array or an object */ f->type = JF_OTHER; break;
	}
}

void
json_field_from_cjson(struct json_field *f, const cJSON *item)
{
	if (item == NULL) {
		f->type = JF_ABSENT;
	} else if (cJSON_IsNull(item)) {
		f->type = JF_NULL;
	} else if (cJSON_IsString(item) && item->valuestring != NULL) {
		f->type = JF_STRING;
		f->s = item->valuestring;
		f->len = strlen(item->valuestring);
	} else if (cJSON_IsNumber(item)) {
		f->type = JF_NUMBER;
		f->num = item->valuedouble;
	} else {
		f->type = JF_OTHER;
	}
}

/* ---- the cursor: any strict JSON object, one member at a time ---- */

int
flat_cursor_begin(struct flat_cursor *c, const char *buf, size_t len)
{
	c->buf = buf;
	c->len = len;
	c->pos = buf != NULL ? skip_space(buf, len, 0) : 0;
	c->first = true;
	c->ended = false;
	if (buf == NULL || c->pos >= len || buf[c->pos] != '{')
		return -1;
	c->pos = skip_space(buf, len, c->pos + 1);
	return 0;
}

/* At the closing brace p[i]: the end, when only blanks follow. */
static int
cursor_end(struct flat_cursor *c, size_t i)
{
	i = skip_space(c->buf, c->len, i + 1);
	if (i != c->len) {
		c->pos = i;
		return -1;
	}
	c->pos = i;
	c->ended = true;
	return 0;
}

int
flat_cursor_next(struct flat_cursor *c, struct flat_member *m)
{
	const char *p = c->buf;
	size_t n = c->len, i = c->pos, from;

	if (c->ended)
		return 0;
	if (i >= n)
		return -1;
	if (c->first) {
		if (p[i] == '}')
			return cursor_end(c, i);
	} else if (p[i] == '}') {
		return cursor_end(c, i);
	} else if (p[i] == ',') {
		i = skip_space(p, n, i + 1);
		c->pos = i;
	} else {
		return -1;
	}
	if (i >= n || p[i] != '"' || !read_escaped_string(p, n, &i, &m->key, &m->key_len))
		return -1;
	i = skip_space(p, n, i);
	if (i >= n || p[i] != ':')
		return -1;
	from = i = skip_space(p, n, i + 1);
	if (i >= n)
		return -1;
	m->number = 0;
	switch (p[i]) {
	case '"':
		m->type = FLAT_STRING;
		if (!read_escaped_string(p, n, &i, &m->text, &m->len))
			return -1;
		break;
	case '{':
	case '[':
		m->type = FLAT_NESTED;
		if (!skip_nested(p, n, &i, 2, true))
			return -1;
		break;
	case 't':
		if (!read_literal(p, n, &i, "true", FLAT_TRUE, m))
			return -1;
		break;
	case 'f':
		if (!read_literal(p, n, &i, "false", FLAT_FALSE, m))
			return -1;
		break;
	case 'n':
		if (!read_literal(p, n, &i, "null", FLAT_NULL, m))
			return -1;
		break;
	default:
		m->type = FLAT_NUMBER;
		if (!skip_number(p, n, &i))
			return -1;
		break;
	}
	if (m->type == FLAT_NESTED || m->type == FLAT_NUMBER) {
		m->text = p + from;
		m->len = i - from;
	}
	i = skip_space(p, n, i);
	if (i >= n || (p[i] != ',' && p[i] != '}'))
		return -1; /* 01, 1.2.3, a missing comma */
	c->pos = i;
	c->first = false;
	return 1;
}

const char *
flat_member_end(const struct flat_member *m)
{
	return m->type == FLAT_STRING ? m->text + m->len + 1 : m->text + m->len;
}

bool
flat_member_of(const char *buf, size_t len, const cJSON *root, const cJSON *item,
	       struct flat_member *out)
{
	struct flat_cursor c;

	if (buf != NULL && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3; /* cJSON skips a UTF-8 byte order mark */
		len -= 3;
	}
	if (root == NULL || flat_cursor_begin(&c, buf, len) < 0)
		return false;
	for (const cJSON *it = root->child; it != NULL; it = it->next) {
		if (flat_cursor_next(&c, out) != 1)
			return false;
		if (it == item)
			return true;
	}
	return false;
}

bool
flat_uint64(const char *text, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(text[i] - '0');
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}
