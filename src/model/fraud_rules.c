/*
 * fraud_rules.c — the fraud rule table, rule sets (which rules are on, with
 * what parameters) with their validation and reading their JSON form
 * (ruleset_json.c writes it), and fraud_evaluate().
 *
 * Rules are pure functions of the order, their parameters and, for velocity
 * and replay, the partition's fraud_state (fraud_state.c).  fraud_evaluate()
 * runs the enabled rules and then records the order in the state whatever
 * the outcome and whichever rules are enabled: a disabled velocity or replay
 * rule still sees the traffic, so turning it on later judges against real
 * history rather than starting empty.
 *
 * Parameters are parsed and printed in the "C" locale: the dashboard calls
 * setlocale() for wide characters, and "0.5" must not turn into "0,5".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "flat_json.h"
#include "fraud_rules.h"
#include "fraud_state_internal.h"
#include "int_text.h"
#include "text_join.h"

#define RULES_FILE_MAX (1024 * 1024)
#define COUNTRIES_MAX  32

/* Indexes into fraud_rule_defs[]; the order is fixed (rule sets index by it). */
enum {
	RULE_TOTAL_LIMIT,
	RULE_QUANTITY_LIMIT,
	RULE_VELOCITY,
	RULE_COUNTRY_BLOCKLIST,
	RULE_CARD_MISMATCH,
	RULE_REPLAY,
	RULE__COUNT
};

/* ---- "C" locale number text ---- */

static locale_t c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void
c_loc_init(void)
{
	c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t
c_locale(void)
{
	pthread_once(&c_loc_once, c_loc_init);
	return c_loc;
}

static void c_snprintf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
c_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	locale_t loc = c_locale(), old = (locale_t)0;
	va_list ap;

	if (loc != (locale_t)0)
		old = uselocale(loc);
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (loc != (locale_t)0)
		uselocale(old);
}

static double
c_strtod(const char *s, char **end)
{
	locale_t loc = c_locale();

	return loc != (locale_t)0 ? strtod_l(s, end, loc) : strtod(s, end);
}

/* Shortest of %.15g / %.17g that reads back as v. */
static void
format_double(char *buf, size_t len, double v)
{
	c_snprintf(buf, len, "%.15g", v);
	if (c_strtod(buf, NULL) != v)
		c_snprintf(buf, len, "%.17g", v);
}

/* "12000.00": integer cents, so no locale and no slow %f on the hot path. */
static void
format_money(char *buf, size_t len, double v)
{
	long long cents;

	if (!(v > -1e15 && v < 1e15)) {
		c_snprintf(buf, len, "%.2f", v);
		return;
	}
	cents = llround(v * 100);
	snprintf(buf, len, "%s%lld.%02lld", cents < 0 ? "-" : "", llabs(cents) / 100,
		 llabs(cents) % 100);
}

/* ---- small helpers ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_ascii_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static char
ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool
same_country(const char *a, const char *b)
{
	return ascii_upper(a[0]) == ascii_upper(b[0]) && ascii_upper(a[1]) == ascii_upper(b[1]);
}

/* ---- the rules ---- */

static bool
rule_total_limit(const struct rule_ctx *ctx, const struct order *o,
		 const struct rule_param_value *p, char *reason, size_t reasonlen)
{
	double total = order_total(o);
	char t[32], max[32];

	(void)ctx;
	if (!(total > p[0].num))
		return false;
	format_money(t, sizeof t, total);
	format_money(max, sizeof max, p[0].num);
	snprintf(reason, reasonlen, "total %s > %s", t, max);
	return true;
}

static bool
rule_quantity_limit(const struct rule_ctx *ctx, const struct order *o,
		    const struct rule_param_value *p, char *reason, size_t reasonlen)
{
	(void)ctx;
	if (!((double)o->quantity > p[0].num))
		return false;
	snprintf(reason, reasonlen, "quantity %lld > %lld", (long long)o->quantity,
		 (long long)p[0].num);
	return true;
}

/* Fires when this order makes more than max_orders orders of the user in
 * the window_s seconds up to its event time (earlier orders exactly
 * window_s old no longer count). */
static bool
rule_velocity(const struct rule_ctx *ctx, const struct order *o, const struct rule_param_value *p,
	      char *reason, size_t reasonlen)
{
	int max_orders = (int)p[0].num;
	int64_t window_ms = (int64_t)p[1].num * 1000;
	int earlier = fraud_state_recent_orders(ctx->state, o->user_id, ctx->now_ms, window_ms,
						max_orders);

	if (earlier < max_orders)
		return false;
	/* It fires for most orders of a busy user: written without printf. */
	char count[INT_TEXT_MAX], seconds[INT_TEXT_MAX];
	int_text(count, max_orders);
	int_text(seconds, (int64_t)p[1].num);
	const char *piece[] = { "more than ", count, " orders in ", seconds, " s" };
	text_join(reason, reasonlen, piece, sizeof piece / sizeof piece[0]);
	return true;
}

static bool
rule_country_blocklist(const struct rule_ctx *ctx, const struct order *o,
		       const struct rule_param_value *p, char *reason, size_t reasonlen)
{
	const char *list = p[0].text; /* canonical: "KP,IR,SY" */

	(void)ctx;
	if (strlen(o->country) != 2)
		return false;
	for (size_t i = 0; list[i] != '\0' && list[i + 1] != '\0'; i += 3) {
		if (same_country(&list[i], o->country)) {
			snprintf(reason, reasonlen, "shipping country %.2s is blocked", &list[i]);
			return true;
		}
		if (list[i + 2] == '\0')
			break;
	}
	return false;
}

static bool
rule_card_mismatch(const struct rule_ctx *ctx, const struct order *o,
		   const struct rule_param_value *p, char *reason, size_t reasonlen)
{
	double total;
	char t[32];

	(void)ctx;
	if (strlen(o->country) != 2 || strlen(o->card_country) != 2 ||
	    same_country(o->country, o->card_country))
		return false;
	total = order_total(o);
	if (!(total >= p[0].num))
		return false;
	format_money(t, sizeof t, total);
	snprintf(reason, reasonlen, "card country %s != shipping country %s, total %s",
		 o->card_country, o->country, t);
	return true;
}

static bool
rule_replay(const struct rule_ctx *ctx, const struct order *o, const struct rule_param_value *p,
	    char *reason, size_t reasonlen)
{
	(void)p;
	if (!fraud_state_seen_order(ctx->state, o->order_id))
		return false;
	snprintf(reason, reasonlen, "order id %.64s already decided", o->order_id);
	return true;
}

const struct fraud_rule_def fraud_rule_defs[] = {
	[RULE_TOTAL_LIMIT] = {
		.id = "total_limit",
		.name = "Order total above limit",
		.default_enabled = true,
		.n_params = 1,
		.params = {
			{ "max_total", "maximum order total",
			  PARAM_NUMBER, 0, 1e9, "5000" },
		},
		.evaluate = rule_total_limit,
	},
	[RULE_QUANTITY_LIMIT] = {
		.id = "quantity_limit",
		.name = "Quantity above limit",
		.default_enabled = true,
		.n_params = 1,
		.params = {
			{ "max_quantity", "maximum quantity",
			  PARAM_INTEGER, 1, 1e6, "20" },
		},
		.evaluate = rule_quantity_limit,
	},
	[RULE_VELOCITY] = {
		.id = "velocity",
		.name = "Too many orders from one user",
		.default_enabled = true,
		.n_params = 2,
		.params = {
			{ "max_orders", "orders allowed in the window",
			  PARAM_INTEGER, 1, FRAUD_STATE_KEEP_MAX, "5" },
			{ "window_s", "window in seconds",
			  PARAM_INTEGER, 1, 86400, "60" },
		},
		.evaluate = rule_velocity,
	},
	[RULE_COUNTRY_BLOCKLIST] = {
		.id = "country_blocklist",
		.name = "Shipping country on blocklist",
		.default_enabled = true,
		.n_params = 1,
		.params = {
			{ "countries", "blocked shipping countries",
			  PARAM_COUNTRIES, 0, COUNTRIES_MAX, "KP,IR,SY,CU,RU" },
		},
		.evaluate = rule_country_blocklist,
	},
	[RULE_CARD_MISMATCH] = {
		.id = "card_mismatch",
		.name = "Card country differs from shipping country",
		.default_enabled = true,
		.n_params = 1,
		.params = {
			{ "min_total", "smallest total checked",
			  PARAM_NUMBER, 0, 1e9, "1000" },
		},
		.evaluate = rule_card_mismatch,
	},
	[RULE_REPLAY] = {
		.id = FRAUD_RULE_REPLAY_ID,
		.name = "Order id already decided",
		.default_enabled = true,
		.n_params = 0,
		.evaluate = rule_replay,
	},
};

const int fraud_rule_count = RULE__COUNT;

_Static_assert(sizeof fraud_rule_defs / sizeof fraud_rule_defs[0] == RULE__COUNT,
	       "fraud_rule_defs and the RULE_ enum differ");
_Static_assert(RULE__COUNT <= FRAUD_RULES_MAX, "raise FRAUD_RULES_MAX");
_Static_assert(COUNTRIES_MAX * 3 <= RULE_TEXT_MAX, "country list too long");

/* ---- parameter validation: one path for text and JSON ---- */

/* Checks a number against the parameter's type and range. */
static int
param_check_number(const struct rule_param_def *pd, double v, struct rule_param_value *out,
		   char *err, size_t errlen)
{
	bool ok = isfinite(v) && v >= pd->min && v <= pd->max;
	char lo[32], hi[32];

	if (ok && pd->type == PARAM_INTEGER)
		ok = floor(v) == v;
	if (!ok) {
		format_double(lo, sizeof lo, pd->min);
		format_double(hi, sizeof hi, pd->max);
		return fail(err, errlen, "%s must be %s between %s and %s", pd->name,
			    pd->type == PARAM_INTEGER ? "an integer" : "a number", lo, hi);
	}
	out->num = v == 0 ? 0 : v; /* no -0 */
	out->text[0] = '\0';
	return 0;
}

/* "kp, ir,KP" -> "KP,IR"; an empty (or blank) list is allowed. */
static int
param_check_countries(const struct rule_param_def *pd, const char *text,
		      struct rule_param_value *out, char *err, size_t errlen)
{
	char canon[RULE_TEXT_MAX] = "";
	size_t n = 0, pos = 0;
	const char *p = text;

	while (is_ascii_space(*p))
		p++;
	if (*p == '\0')
		goto done;
	for (;;) {
		const char *tok, *end;
		char code[3];
		bool dup = false;

		while (is_ascii_space(*p))
			p++;
		tok = p;
		while (*p != '\0' && *p != ',')
			p++;
		end = p;
		while (end > tok && is_ascii_space(end[-1]))
			end--;
		if (end - tok != 2 || !is_ascii_alpha(tok[0]) || !is_ascii_alpha(tok[1]))
			return fail(err, errlen,
				    "%s: '%.*s' is not a 2-letter "
				    "country code",
				    pd->name, (int)(end - tok > 16 ? 16 : end - tok), tok);
		code[0] = ascii_upper(tok[0]);
		code[1] = ascii_upper(tok[1]);
		code[2] = '\0';
		for (size_t i = 0; i < pos && !dup; i += 3)
			dup = canon[i] == code[0] && canon[i + 1] == code[1];
		if (!dup) {
			if (n == COUNTRIES_MAX)
				return fail(err, errlen,
					    "%s: at most %d "
					    "country codes",
					    pd->name, COUNTRIES_MAX);
			if (n > 0)
				canon[pos++] = ',';
			memcpy(&canon[pos], code, 3);
			pos += 2;
			n++;
		}
		if (*p == '\0')
			break;
		p++; /* the comma */
	}
done:
	out->num = (double)n;
	memcpy(out->text, canon, sizeof out->text);
	return 0;
}

/* Digits from *p on; how many. */
static int
skip_digits(const char **p)
{
	int n = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		n++;
	return n;
}

/* Parses text as a decimal number: an optional '-', digits with at most
 * one '.' among them, an optional exponent (1e3, as JSON writes one),
 * surrounding blanks; no '+', hex (strtod's 0x10), inf or nan. */
static int
parse_number_text(const char *text, double *v)
{
	const char *p, *end;
	int digits;
	char *stop;

	while (is_ascii_space(*text))
		text++;
	p = text + (*text == '-');
	digits = skip_digits(&p);
	if (*p == '.') {
		p++;
		digits += skip_digits(&p);
	}
	if (digits == 0)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (skip_digits(&p) == 0)
			return -1;
	}
	end = p;
	while (is_ascii_space(*p))
		p++;
	if (*p != '\0')
		return -1;
	*v = c_strtod(text, &stop);
	return stop == end ? 0 : -1;
}

static int
param_find(int rule, const char *name)
{
	const struct fraud_rule_def *def = &fraud_rule_defs[rule];

	for (int i = 0; i < def->n_params; i++) {
		if (strcmp(def->params[i].name, name) == 0)
			return i;
	}
	return -1;
}

static int
param_set_text(const struct rule_param_def *pd, const char *text, struct rule_param_value *out,
	       char *err, size_t errlen)
{
	double v;

	if (pd->type == PARAM_COUNTRIES)
		return param_check_countries(pd, text, out, err, errlen);
	if (parse_number_text(text, &v) != 0)
		v = NAN; /* reported as out of range */
	return param_check_number(pd, v, out, err, errlen);
}

/* ---- rule sets ---- */

void
ruleset_defaults(struct ruleset *rs)
{
	memset(rs, 0, sizeof *rs);
	for (int r = 0; r < fraud_rule_count; r++) {
		const struct fraud_rule_def *def = &fraud_rule_defs[r];

		rs->rules[r].enabled = def->default_enabled;
		for (int i = 0; i < def->n_params; i++) {
			/* The defaults are valid: the table is ours. */
			param_set_text(&def->params[i], def->params[i].default_text,
				       &rs->rules[r].params[i], NULL, 0);
		}
	}
}

int
ruleset_find(const char *id)
{
	if (id == NULL)
		return -1;
	for (int r = 0; r < fraud_rule_count; r++) {
		if (strcmp(fraud_rule_defs[r].id, id) == 0)
			return r;
	}
	return -1;
}

int
ruleset_set_param(struct ruleset *rs, int rule, const char *name, const char *text, char *err,
		  size_t errlen)
{
	struct rule_param_value v;
	int i;

	if (rule < 0 || rule >= fraud_rule_count)
		return fail(err, errlen, "no rule number %d", rule);
	if (name == NULL || (i = param_find(rule, name)) < 0)
		return fail(err, errlen, "unknown parameter '%s'", name != NULL ? name : "");
	if (text == NULL)
		text = "";
	if (param_set_text(&fraud_rule_defs[rule].params[i], text, &v, err, errlen) != 0)
		return -1;
	rs->rules[rule].params[i] = v;
	return 0;
}

void
ruleset_param_text(const struct ruleset *rs, int rule, int param, char *buf, size_t len)
{
	const struct rule_param_value *v;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (rule < 0 || rule >= fraud_rule_count || param < 0 ||
	    param >= fraud_rule_defs[rule].n_params)
		return;
	v = &rs->rules[rule].params[param];
	switch (fraud_rule_defs[rule].params[param].type) {
	case PARAM_COUNTRIES: snprintf(buf, len, "%s", v->text); break;
	case PARAM_INTEGER: c_snprintf(buf, len, "%.0f", v->num); break;
	case PARAM_NUMBER: format_double(buf, len, v->num); break;
	}
}

/* ---- JSON ---- */

/* Line and column (1-based) of byte offset pos in buf. */
static void
text_position(const char *buf, size_t len, size_t pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Moves *end past JSON blanks; true when anything else follows. */
static bool
trailing_junk(const char *buf, size_t len, const char **end)
{
	size_t pos = (size_t)(*end - buf);

	while (pos < len &&
	       (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' || buf[pos] == '\r'))
		pos++;
	*end = buf + pos;
	return pos < len;
}

static int
rule_from_json(const cJSON *entry, int idx, struct ruleset *rs, bool *seen, char *err,
	       size_t errlen)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
	const cJSON *item;
	const char *rid;
	char why[192];
	int r;

	if (!cJSON_IsObject(entry))
		return fail(err, errlen, "rules[%d] must be an object", idx);
	if (!cJSON_IsString(id))
		return fail(err, errlen, "rules[%d]: missing id", idx);
	rid = id->valuestring;
	if ((r = ruleset_find(rid)) < 0)
		return fail(err, errlen, "rules[%d]: unknown rule '%.64s'", idx, rid);
	if (seen[r])
		return fail(err, errlen, "rule '%s' appears twice", rid);
	seen[r] = true;

	cJSON_ArrayForEach(item, entry)
	{
		const char *key = item->string;

		if (strcmp(key, "id") == 0) {
			continue;
		} else if (strcmp(key, "name") == 0) {
			if (!cJSON_IsString(item))
				return fail(err, errlen,
					    "rule '%s': name "
					    "must be a string",
					    rid);
		} else if (strcmp(key, "enabled") == 0) {
			if (!cJSON_IsBool(item))
				return fail(err, errlen,
					    "rule '%s': enabled "
					    "must be true or false",
					    rid);
			rs->rules[r].enabled = cJSON_IsTrue(item);
		} else if (strcmp(key, "params") == 0) {
			const cJSON *p;

			if (!cJSON_IsObject(item))
				return fail(err, errlen,
					    "rule '%s': params "
					    "must be an object",
					    rid);
			cJSON_ArrayForEach(p, item)
			{
				int i = param_find(r, p->string);
				const struct rule_param_def *pd;
				int rc;

				if (i < 0)
					return fail(err, errlen,
						    "rule '%s': "
						    "unknown parameter '%.64s'",
						    rid, p->string);
				pd = &fraud_rule_defs[r].params[i];
				if (pd->type == PARAM_COUNTRIES)
					rc = cJSON_IsString(p)
						? param_check_countries(pd, p->valuestring,
									&rs->rules[r].params[i],
									why, sizeof why)
						: fail(why, sizeof why,
						       "%s must be "
						       "a string like \"KP,IR\"",
						       pd->name);
				else
					rc = param_check_number(
						pd, cJSON_IsNumber(p) ? p->valuedouble : NAN,
						&rs->rules[r].params[i], why, sizeof why);
				if (rc != 0)
					return fail(err, errlen, "rule '%s': %s", rid, why);
			}
		} else {
			return fail(err, errlen,
				    "rule '%s': unknown key "
				    "'%.64s'",
				    rid, key);
		}
	}
	return 0;
}

int
ruleset_from_json(const void *buf, size_t len, struct ruleset *out, char *err, size_t errlen)
{
	struct ruleset rs;
	bool seen[FRAUD_RULES_MAX] = { false };
	const char *end = NULL;
	cJSON *root;
	const cJSON *item;
	int rc = -1;

	/* Not "require NUL-terminated": cJSON then refuses any buffer whose
	 * NUL lies beyond len.  Trailing bytes are checked here instead. */
	root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (root == NULL || trailing_junk(buf, len, &end)) {
		int line, col;
		size_t pos = end != NULL ? (size_t)(end - (const char *)buf) : 0;

		cJSON_Delete(root);
		text_position(buf, len, pos, &line, &col);
		return fail(err, errlen, "invalid JSON at line %d, column %d", line, col);
	}
	ruleset_defaults(&rs);
	if (!cJSON_IsObject(root)) {
		fail(err, errlen, "a rule set must be a JSON object");
		goto done;
	}
	cJSON_ArrayForEach(item, root)
	{
		const char *key = item->string;

		if (strcmp(key, "version") == 0) {
			struct flat_member raw;

			/* from its digits: a double holds integers only to 2^53 */
			if (cJSON_IsNumber(item) && !flat_member_of(buf, len, root, item, &raw)) {
				fail(err, errlen,
				     "version cannot be read exactly: the "
				     "JSON up to it is not strict (RFC 8259)");
				goto done;
			}
			if (!cJSON_IsNumber(item) || !flat_uint64(raw.text, raw.len, &rs.version)) {
				fail(err, errlen,
				     "version must be an integer from 0 to "
				     "%" PRIu64 " (digits only)",
				     UINT64_MAX);
				goto done;
			}
		} else if (strcmp(key, "rules") == 0) {
			const cJSON *entry;
			int idx = 0;

			if (!cJSON_IsArray(item)) {
				fail(err, errlen, "rules must be an array");
				goto done;
			}
			cJSON_ArrayForEach(entry, item)
			{
				if (rule_from_json(entry, idx++, &rs, seen, err, errlen) != 0)
					goto done;
			}
		} else {
			fail(err, errlen,
			     "unknown key '%.64s' (expected "
			     "version, rules)",
			     key);
			goto done;
		}
	}
	*out = rs;
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}

int
ruleset_load_file(const char *path, struct ruleset *out, char *err, size_t errlen)
{
	char *buf = NULL, why[256];
	size_t len = 0;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if ((buf = malloc(RULES_FILE_MAX + 1)) == NULL) {
		fail(err, errlen, "%s: out of memory", path);
		goto done;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, RULES_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fail(err, errlen, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > RULES_FILE_MAX) {
			fail(err, errlen, "%s: larger than %d bytes", path, RULES_FILE_MAX);
			goto done;
		}
	}
	if (ruleset_from_json(buf, len, out, why, sizeof why) != 0) {
		fail(err, errlen, "%s: %s", path, why);
		goto done;
	}
	rc = 0;
done:
	free(buf);
	close(fd);
	return rc;
}

/* ---- evaluation ---- */

void
fraud_evaluate_prefetch(const struct fraud_state *st, const void *user_id, size_t len)
{
	if (st != NULL && user_id != NULL)
		fraud_state_prefetch_user(st, user_id, len);
}

void
fraud_evaluate(const struct ruleset *rs, struct fraud_state *st, const struct order *o,
	       int64_t now_ms, struct decision *d)
{
	struct rule_ctx ctx = { .state = st, .now_ms = now_ms };
	char spill[DECISION_REASON_MAX];
	bool refused = false;

	fraud_state_prefetch(st, o->user_id, o->order_id);
	d->total = order_total(o);
	d->rules_version = rs->version;
	d->n_fired = 0;
	for (int r = 0; r < fraud_rule_count; r++) {
		const struct fraud_rule_def *def = &fraud_rule_defs[r];
		bool room = d->n_fired < DECISION_MAX_FIRED;
		struct fired_rule *f = room ? &d->fired[d->n_fired] : NULL;
		char *reason = room ? f->reason : spill;

		if (!rs->rules[r].enabled)
			continue;
		reason[0] = '\0';
		if (!def->evaluate(&ctx, o, rs->rules[r].params, reason, DECISION_REASON_MAX))
			continue;
		refused = true;
		if (room) {
			text_join(f->id, sizeof f->id, &def->id, 1);
			d->n_fired++;
		}
	}
	d->status = refused ? ORDER_REFUSED : ORDER_APPROVED;
	/* Recorded whatever the outcome, and even when velocity is off. */
	fraud_state_record(st, o->user_id, o->order_id, now_ms,
			   (int)rs->rules[RULE_VELOCITY].params[0].num,
			   (int64_t)rs->rules[RULE_VELOCITY].params[1].num * 1000);
}
