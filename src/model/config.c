/*
 * config.c — turning the command line, the environment and librdkafka
 * property files into a struct config.
 *
 * Each option is one entry of config_options[] (as tmux's options-table.c):
 * the getopt tables, config_init's defaults, the range checks and their
 * messages, and --help are all made from it; options with a syntax of
 * their own (--topic, --roles, --rate, -F, -X...) name a parser there.
 *
 * Like kcat, -F FILE and -X key=value feed one ordered property list that
 * is handed to librdkafka as it is; both apply in command-line order, so a
 * later one wins (config_get_property returns the last occurrence), and
 * librdkafka checks each while parsing.  Parsing prints only --help and
 * --version: errors come back in err, naming the flag and the value, or
 * the file and line.  Secret values never appear in a message.
 */
#include "config.h"
#include "jq_map.h"
#include "log.h"
#include "redact.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ORDERTOP_VERSION
#define ORDERTOP_VERSION "0.1.0"
#endif

static const char *const topic_role_names[TOPIC__COUNT] = {
	[TOPIC_ORDERS] = "orders",     [TOPIC_VALID] = "valid",
	[TOPIC_REFUSED] = "refused",   [TOPIC_NOTIFICATIONS] = "notifications",
	[TOPIC_NOTIFIED] = "notified", [TOPIC_DLQ] = "dlq",
	[TOPIC_RULES] = "rules",       [TOPIC_STATE] = "state",
};

static const char *const topic_default_names[TOPIC__COUNT] = {
	[TOPIC_ORDERS] = "orders",
	[TOPIC_VALID] = "orders.valid",
	[TOPIC_REFUSED] = "orders.refused",
	[TOPIC_NOTIFICATIONS] = "notifications",
	[TOPIC_NOTIFIED] = "orders.notified",
	[TOPIC_DLQ] = "orders.dlq",
	[TOPIC_RULES] = "fraud.rules",
	[TOPIC_STATE] = "fraud.state",
};

static const struct {
	const char *name;
	unsigned bit;
} role_names[] = {
	{ "producer", ROLE_PRODUCER },
	{ "fraud", ROLE_FRAUD },
	{ "notifier", ROLE_NOTIFIER },
	{ "monitor", ROLE_MONITOR },
};

/* ---- small helpers ---- */

static void
config_oom(void)
{
	fputs("ordertop: out of memory\n", stderr);
	abort();
}

static char *
config_strdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		config_oom();
	return d;
}

static void
config_set_str(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? config_strdup(value) : NULL;
}

static void __attribute__((format(printf, 3, 4)))
config_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Trims leading and trailing whitespace in place; returns the new start. */
static char *
config_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool
config_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* ---- kv_list ---- */

void
kv_list_add(struct kv_list *l, const char *key, const char *value, const char *origin)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct kv *items = realloc(l->items, cap * sizeof *items);
		if (items == NULL)
			config_oom();
		l->items = items;
		l->cap = cap;
	}
	struct kv *p = &l->items[l->n++];
	p->key = config_strdup(key);
	p->value = config_strdup(value != NULL ? value : "");
	p->origin = config_strdup(origin != NULL ? origin : "");
}

void
kv_list_free(struct kv_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
		free(l->items[i].origin);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

/* Moves every item of src to the end of dst; src ends up empty. */
static void
kv_list_append_move(struct kv_list *dst, struct kv_list *src)
{
	if (dst->n + src->n > dst->cap) {
		size_t cap = dst->n + src->n;
		struct kv *items = realloc(dst->items, cap * sizeof *items);
		if (items == NULL)
			config_oom();
		dst->items = items;
		dst->cap = cap;
	}
	if (src->n > 0)
		memcpy(dst->items + dst->n, src->items, src->n * sizeof *src->items);
	dst->n += src->n;
	free(src->items);
	src->items = NULL;
	src->n = src->cap = 0;
}

/* ---- secrets and properties ---- */

bool
config_is_secret_key(const char *key)
{
	return redact_is_secret_key(key);
}

const char *
config_display_value(const struct kv *p)
{
	if (config_is_secret_key(p->key))
		return "******";
	return p->value;
}

const char *
config_get_property(const struct config *c, const char *key)
{
	for (size_t i = c->props.n; i > 0; i--)
		if (strcmp(c->props.items[i - 1].key, key) == 0)
			return c->props.items[i - 1].value;
	return NULL;
}

/*
 * Splits "key=value" (modified in place) into trimmed key and value.
 * False when there is no '=' or the key is empty.
 */
static bool
config_split_kv(char *line, char **key, char **value)
{
	char *eq = strchr(line, '=');

	if (eq == NULL)
		return false;
	*eq = '\0';
	*key = config_trim(line);
	*value = config_trim(eq + 1);
	return **key != '\0';
}

int
config_set_property(struct config *c, const char *kv, const char *origin, char *err, size_t errlen)
{
	char *copy = config_strdup(kv);
	char *key, *value;
	const char *who = origin != NULL && *origin != '\0' ? origin : "-X";

	if (!config_split_kv(copy, &key, &value)) {
		/* Don't echo what may be a mistyped secret ("sasl.password:x"). */
		if (config_is_secret_key(kv))
			config_err(err, errlen, "%s: expected key=value", who);
		else
			config_err(err, errlen, "%s: expected key=value, got '%s'", who, kv);
		free(copy);
		return -1;
	}
	kv_list_add(&c->props, key, value, who);
	free(copy);
	return 0;
}

static int config_apply(struct config *c, const struct config_option *o, const char *arg, char *err,
			size_t errlen);
static const struct config_option *config_option_by_name(const char *name);

#define CONFIG_FIELD(c, o, type) ((type *)(void *)((char *)(c) + (o)->offset))

/* ordertop's own options a -F file may set, as ordertop.NAME=VALUE (NAME
 * with '_' for '-'); every other ordertop.* key is refused with a pointer
 * to its flag (config_check_properties). */
static const char *const config_file_options[] = { "http", "http-token-file", "read-only" };

/* 1 and applied when key is one of config_file_options[], 0 when not,
 * -1 with err naming origin when its value is bad. */
static int
config_apply_file_option(struct config *c, const char *key, const char *value, const char *origin,
			 char *err, size_t errlen)
{
	char name[64], why[512];

	if (strncmp(key, "ordertop.", 9) != 0 || strlen(key + 9) >= sizeof name)
		return 0;
	snprintf(name, sizeof name, "%s", key + 9);
	for (char *u = name; *u; u++)
		if (*u == '_')
			*u = '-';
	for (size_t i = 0; i < sizeof config_file_options / sizeof *config_file_options; i++) {
		if (strcmp(name, config_file_options[i]) != 0)
			continue;
		const struct config_option *o = config_option_by_name(name);
		if (o->type == CONFIG_SET) { /* a switch: true or false */
			bool on = strcmp(value, "true") == 0;
			if (!on && strcmp(value, "false") != 0) {
				config_err(err, errlen, "%s: %s: expected true or false, not '%s'",
					   origin, key, value);
				return -1;
			}
			*CONFIG_FIELD(c, o, bool) = on;
			return 1;
		}
		if (config_apply(c, o, value, why, sizeof why) != 0) {
			config_err(err, errlen, "%s: %s: %s", origin, key, why);
			return -1;
		}
		return 1;
	}
	return 0;
}

/*
 * config_load_properties; open_prefix goes before the message when the
 * file can't be read (a bad line names the file and line, which is enough).
 */
static int
config_load_props(struct config *c, const char *path, const char *open_prefix, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		config_err(err, errlen, "%s%s: %s", open_prefix, path, strerror(errno));
		return -1;
	}

	struct kv_list found = { 0 };
	const char *secret = NULL; /* first secret key, in found */
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	while (getline(&line, &cap, f) != -1) {
		char *s = config_trim(line);
		char *key, *value;
		char origin[PATH_MAX + 32];

		lineno++;
		if (*s == '\0' || *s == '#' || *s == '!')
			continue;
		if (!config_split_kv(s, &key, &value)) {
			config_err(err, errlen, "%s:%u: expected key=value", path, lineno);
			rc = -1;
			break;
		}
		snprintf(origin, sizeof origin, "%s:%u", path, lineno);
		int own = config_apply_file_option(c, key, value, origin, err, errlen);
		if (own < 0) {
			rc = -1;
			break;
		}
		if (own == 0)
			kv_list_add(&found, key, value, origin);
	}
	if (rc == 0 && ferror(f)) {
		config_err(err, errlen, "%s%s: %s", open_prefix, path, strerror(errno));
		rc = -1;
	}

	if (rc == 0) {
		struct stat st;
		for (size_t i = 0; i < found.n && secret == NULL; i++)
			if (config_is_secret_key(found.items[i].key))
				secret = found.items[i].key;
		if (secret != NULL && fstat(fileno(f), &st) == 0 &&
		    (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
			log_warn("config",
				 "%s is readable by other users and "
				 "holds a %s (%s); chmod 600 %s",
				 path, strcasestr(secret, "password") ? "password" : "secret",
				 secret, path);
		kv_list_append_move(&c->props, &found);
	}

	kv_list_free(&found);
	free(line);
	fclose(f);
	return rc;
}

void
config_read_only_text(const char *what, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%s: refused, ordertop runs read-only (--read-only, or "
		 "ordertop.read_only=true in a -F file)",
		 what);
}

int
config_load_properties(struct config *c, const char *path, char *err, size_t errlen)
{
	return config_load_props(c, path, "", err, errlen);
}

/* ---- names ---- */

const char *
config_topic_role_name(enum topic_id t)
{
	if ((int)t < 0 || t >= TOPIC__COUNT)
		return "?";
	return topic_role_names[t];
}

/* Kafka's rule: 1..249 characters of [a-zA-Z0-9._-], not "." or "..". */
static bool
config_topic_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CONFIG_TOPIC_MAX)
		return false;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

/* ---- values ---- */

static bool
config_parse_ll(const char *s, long long *out)
{
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool
config_parse_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* "-b/--brokers", "--partitions" or "-X": how messages name an option. */
static void
config_opt_name(const struct config_option *o, char *buf, size_t len)
{
	if (o->short_flag != 0 && o->name != NULL)
		snprintf(buf, len, "-%c/--%s", o->short_flag, o->name);
	else if (o->short_flag != 0)
		snprintf(buf, len, "-%c", o->short_flag);
	else
		snprintf(buf, len, "--%s", o->name);
}

/* The accepted range for a message: "between 1 and 16", ">= 1", "> 0". */
static void
config_range_text(const struct config_option *o, char *buf, size_t len)
{
	if (!isinf(o->maximum))
		snprintf(buf, len, "between %g and %g", o->minimum, o->maximum);
	else
		snprintf(buf, len, "%s %g", o->above_minimum ? ">" : ">=", o->minimum);
}

static int
config_parse_integer(struct config *c, const struct config_option *o, const char *arg, char *err,
		     size_t errlen)
{
	long long lo = (long long)o->minimum, hi = (long long)o->maximum, v;
	char name[64], range[64];

	if (isinf(o->maximum))
		hi = o->type == CONFIG_INT ? INT_MAX : LLONG_MAX;
	if (!config_parse_ll(arg, &v) || v < lo || v > hi) {
		config_opt_name(o, name, sizeof name);
		config_range_text(o, range, sizeof range);
		config_err(err, errlen, "%s: expected an integer %s, got '%s'", name, range, arg);
		return -1;
	}
	if (o->type == CONFIG_INT)
		*CONFIG_FIELD(c, o, int) = (int)v;
	else
		*CONFIG_FIELD(c, o, int64_t) = v;
	return 0;
}

static int
config_parse_uint64(struct config *c, const struct config_option *o, const char *arg, char *err,
		    size_t errlen)
{
	char name[64], *end;
	unsigned long long v = 0;

	errno = 0;
	if (isdigit((unsigned char)arg[0]))
		v = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || errno != 0 || *end != '\0') {
		config_opt_name(o, name, sizeof name);
		config_err(err, errlen,
			   "%s: expected a non-negative integer, "
			   "got '%s'",
			   name, arg);
		return -1;
	}
	*CONFIG_FIELD(c, o, uint64_t) = v;
	return 0;
}

static bool
config_double_in_range(const struct config_option *o, double d)
{
	if (d < o->minimum || (o->above_minimum && d == o->minimum))
		return false;
	return isinf(o->maximum) || d <= o->maximum;
}

static int
config_parse_real(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	char name[64], range[64], zero[64] = "";
	double d;

	if (!config_parse_double(arg, &d) || !config_double_in_range(o, d)) {
		config_opt_name(o, name, sizeof name);
		config_range_text(o, range, sizeof range);
		if (o->zero != NULL)
			snprintf(zero, sizeof zero, " (0 = %s)", o->zero);
		config_err(err, errlen, "%s: expected %s %s%s, got '%s'", name, o->unit, range,
			   zero, arg);
		return -1;
	}
	*CONFIG_FIELD(c, o, double) = d;
	return 0;
}

static int
config_parse_path(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	char name[64];

	if (*arg == '\0') {
		config_opt_name(o, name, sizeof name);
		config_err(err, errlen, "%s: expected a file name, got ''", name);
		return -1;
	}
	config_set_str(CONFIG_FIELD(c, o, char *), arg);
	return 0;
}

/* A name that ends up in group or transactional ids and on screen. */
static int
config_parse_name(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	char name[64];

	if (*arg == '\0' || config_has_control(arg)) {
		config_opt_name(o, name, sizeof name);
		config_err(err, errlen,
			   "%s: expected a non-empty name without "
			   "control characters, got '%s'",
			   name, arg);
		return -1;
	}
	config_set_str(CONFIG_FIELD(c, o, char *), arg);
	return 0;
}

/* ---- options with their own syntax ---- */

static int
config_parse_brokers(struct config *c, const struct config_option *o, const char *arg, char *err,
		     size_t errlen)
{
	if (*arg == '\0') {
		config_err(err, errlen,
			   "-b/--brokers: expected "
			   "host:port[,host:port...], got ''");
		return -1;
	}
	config_set_str(CONFIG_FIELD(c, o, char *), arg);
	return 0;
}

/* --http [ADDR:]PORT: ADDR an IPv4 address, a host name or [IPv6]. */
static int
config_parse_http(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	const char *colon = strrchr(arg, ':');
	const char *port = colon ? colon + 1 : arg;
	long long v;

	if (!config_parse_ll(port, &v) || v < 0 || v > 65535 || (colon && colon == arg)) {
		config_err(err, errlen, "--%s: expected [ADDR:]PORT (PORT 0-65535), got '%s'",
			   o->name, arg);
		return -1;
	}
	config_set_str(CONFIG_FIELD(c, o, char *), arg);
	return 0;
}

/* -1 (the broker's default) or minimum..maximum. */
static int
config_parse_replication(struct config *c, const struct config_option *o, const char *arg,
			 char *err, size_t errlen)
{
	long long v;

	if (!config_parse_ll(arg, &v) || !(v == -1 || (v >= o->minimum && v <= o->maximum))) {
		config_err(err, errlen,
			   "--%s: expected -1 or an integer between "
			   "%g and %g, got '%s'",
			   o->name, o->minimum, o->maximum, arg);
		return -1;
	}
	*CONFIG_FIELD(c, o, int) = (int)v;
	return 0;
}

static int
config_parse_file_option(struct config *c, const struct config_option *o, const char *arg,
			 char *err, size_t errlen)
{
	return config_load_props(c, arg, "-F/--config: ", err, errlen);
}

static int
config_parse_x(struct config *c, const struct config_option *o, const char *arg, char *err,
	       size_t errlen)
{
	return config_set_property(c, arg, "-X", err, errlen);
}

/* --topic ROLE=NAME */
static int
config_parse_topic(struct config *c, const struct config_option *o, const char *arg, char *err,
		   size_t errlen)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		config_err(err, errlen, "--topic: expected ROLE=NAME, got '%s'", arg);
		return -1;
	}

	size_t rlen = (size_t)(eq - arg);
	const char *name = eq + 1;
	int role = -1;

	for (int t = 0; t < TOPIC__COUNT; t++)
		if (strlen(topic_role_names[t]) == rlen &&
		    strncmp(arg, topic_role_names[t], rlen) == 0)
			role = t;
	if (role < 0) {
		config_err(err, errlen,
			   "--topic: unknown role '%.*s' in '%s' "
			   "(roles: orders, valid, refused, notifications, "
			   "notified, dlq, rules, state)",
			   (int)rlen, arg, arg);
		return -1;
	}
	if (!config_topic_name_ok(name)) {
		config_err(err, errlen,
			   "--topic: invalid topic name in '%s' "
			   "(use 1 to %d of a-z A-Z 0-9 . _ -, not '.' or '..')",
			   arg, CONFIG_TOPIC_MAX);
		return -1;
	}
	memcpy(c->topics[role], name, strlen(name) + 1);
	c->state_topic_named |= role == TOPIC_STATE;
	return 0;
}

/* The fraud state belongs to one fraud group, as a Kafka Streams changelog
 * to its application: another --group-prefix gets a topic of its own,
 * PREFIX.fraud.state, unless --topic state= names one. */
static void
config_name_state_topic(struct config *c)
{
	char name[CONFIG_TOPIC_MAX + 2];

	if (c->state_topic_named || c->group_prefix == NULL ||
	    strcmp(c->group_prefix, "ordertop") == 0)
		return;
	int n = snprintf(name, sizeof name, "%s.%s", c->group_prefix,
			 topic_default_names[TOPIC_STATE]);
	if (n > 0 && n <= CONFIG_TOPIC_MAX && config_topic_name_ok(name))
		memcpy(c->topics[TOPIC_STATE], name, (size_t)n + 1);
}

/* --roles: "all", "none" or a comma list of role names. */
static int
config_parse_roles(struct config *c, const struct config_option *o, const char *arg, char *err,
		   size_t errlen)
{
	static const char hint[] = "use producer, fraud, notifier, monitor, "
				   "all or none";
	char *copy = config_strdup(arg);
	char *rest = copy, *tok;
	unsigned roles = 0;
	int rc = 0;

	if (*config_trim(copy) == '\0') {
		config_err(err, errlen,
			   "--roles: expected a list of roles, "
			   "got '%s' (%s)",
			   arg, hint);
		free(copy);
		return -1;
	}
	while ((tok = strsep(&rest, ",")) != NULL) {
		char *name = config_trim(tok);
		bool known = false;

		if (strcmp(name, "all") == 0) {
			roles |= ROLE_ALL;
			continue;
		}
		if (strcmp(name, "none") == 0)
			continue;
		for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++) {
			if (strcmp(name, role_names[i].name) == 0) {
				roles |= role_names[i].bit;
				known = true;
			}
		}
		if (!known) {
			config_err(err, errlen,
				   "--roles: unknown role '%s' in "
				   "'%s' (%s)",
				   name, arg, hint);
			rc = -1;
			break;
		}
	}
	free(copy);
	if (rc == 0)
		*CONFIG_FIELD(c, o, unsigned) = roles;
	return rc;
}

/* --rate N|max: max is 0, as fast as the pipeline goes. */
static int
config_parse_rate(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	double d;

	if (strcmp(arg, "max") == 0) {
		*CONFIG_FIELD(c, o, double) = 0;
		return 0;
	}
	if (!config_parse_double(arg, &d) || !config_double_in_range(o, d)) {
		config_err(err, errlen,
			   "--rate: expected %s > %g, or 'max', "
			   "got '%s'",
			   o->unit, o->minimum, arg);
		return -1;
	}
	*CONFIG_FIELD(c, o, double) = d;
	return 0;
}

/* --fraud-state kafka|memory */
static int
config_parse_fraud_state(struct config *c, const struct config_option *o, const char *arg,
			 char *err, size_t errlen)
{
	(void)o;
	if (strcmp(arg, "kafka") != 0 && strcmp(arg, "memory") != 0) {
		config_err(err, errlen, "--fraud-state: expected kafka or memory, got '%s'", arg);
		return -1;
	}
	c->fraud_state_memory = strcmp(arg, "memory") == 0;
	return 0;
}

static int
config_parse_notify_exec(struct config *c, const struct config_option *o, const char *arg,
			 char *err, size_t errlen)
{
	if (strspn(arg, " \t") == strlen(arg)) {
		config_err(err, errlen,
			   "--notify-exec: expected a program, "
			   "got '%s'",
			   arg);
		return -1;
	}
	config_set_str(CONFIG_FIELD(c, o, char *), arg);
	return 0;
}

/* --order-map, --decision-map, --notification-map: a jq program, or
 * @FILE holding one; compiled here so that a mistake stops the start with
 * jq's own message. */
static int
config_parse_jq_map(struct config *c, const struct config_option *o, const char *arg, char *err,
		    size_t errlen)
{
	char *program = NULL, why[JQ_MAP_ERR_MAX];

	if (arg[0] == '@') {
		FILE *f = fopen(arg + 1, "re");
		size_t cap = 0;
		ssize_t n = f != NULL ? getdelim(&program, &cap, '\0', f) : -1;
		if (f == NULL || n < 0 || ferror(f)) {
			config_err(err, errlen, "--%s: %s: %s", o->name, arg + 1,
				   f == NULL || ferror(f) ? strerror(errno) : "empty file");
			free(program);
			if (f != NULL)
				fclose(f);
			return -1;
		}
		fclose(f);
	} else {
		program = config_strdup(arg);
	}
	if (strspn(program, " \t\r\n") == strlen(program)) {
		config_err(err, errlen,
			   "--%s: expected a jq program or @FILE, "
			   "got '%s'",
			   o->name, arg);
		free(program);
		return -1;
	}
	struct jq_map *m = jq_map_new(program, why, sizeof why);
	if (m == NULL) {
		config_err(err, errlen, "--%s: %s", o->name, why);
		free(program);
		return -1;
	}
	jq_map_free(m);
	free(*CONFIG_FIELD(c, o, char *));
	*CONFIG_FIELD(c, o, char *) = program;
	return 0;
}

static int
config_parse_verbose(struct config *c, const struct config_option *o, const char *arg, char *err,
		     size_t errlen)
{
	if (c->log_level < LOG_DEBUG)
		c->log_level++;
	return 0;
}

static int
config_parse_quiet(struct config *c, const struct config_option *o, const char *arg, char *err,
		   size_t errlen)
{
	if (c->log_level > LOG_ERROR)
		c->log_level--;
	return 0;
}

static int
config_parse_help(struct config *c, const struct config_option *o, const char *arg, char *err,
		  size_t errlen)
{
	config_usage(stdout);
	return 1;
}

static int
config_parse_version(struct config *c, const struct config_option *o, const char *arg, char *err,
		     size_t errlen)
{
	printf("ordertop %s\n", ORDERTOP_VERSION);
	return 1;
}

/* ---- the options ---- */

#define OFF(field) offsetof(struct config, field)
#define UNBOUNDED  INFINITY

const struct config_option config_options[] = {
	{ .section = "Broker",
	  .name = "brokers",
	  .short_flag = 'b',
	  .arg = "LIST",
	  .type = CONFIG_STRING,
	  .offset = OFF(brokers),
	  .parse = config_parse_brokers,
	  .def_text = "default: bootstrap.servers from -F/-X, then "
		      "$KAFKA_BOOTSTRAP_SERVERS, else embedded",
	  .help = "bootstrap servers, host:port[,host:port...]" },
	{ .name = "embedded-brokers",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(embedded_brokers),
	  .def = 3,
	  .minimum = 1,
	  .maximum = 16,
	  .help = "brokers in the embedded cluster" },
	{ .name = "partitions",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(partitions),
	  .def = 3,
	  .minimum = 1,
	  .maximum = 1000,
	  .help = "partitions of the topics it creates" },
	{ .name = "replication-factor",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(replication_factor),
	  .def = -1,
	  .minimum = 1,
	  .maximum = 32,
	  .parse = config_parse_replication,
	  .help = "replicas of the topics it creates, 1-32, or -1 for the "
		  "broker's default" },
	{ .name = "bootstrap-file",
	  .arg = "FILE",
	  .type = CONFIG_PATH,
	  .offset = OFF(bootstrap_file),
	  .help = "write the embedded cluster's bootstrap servers to FILE, "
		  "for other ordertop processes (-b)" },
	{ .name = "config",
	  .short_flag = 'F',
	  .arg = "FILE",
	  .type = CONFIG_ACTION,
	  .parse = config_parse_file_option,
	  .help = "read librdkafka properties from FILE (key=value lines, "
		  "# comments); may be repeated" },
	{ .short_flag = 'X',
	  .arg = "KEY=VALUE",
	  .type = CONFIG_ACTION,
	  .parse = config_parse_x,
	  .help = "set a librdkafka property (e.g. "
		  "security.protocol=SASL_SSL); -F and -X apply in "
		  "command-line order, the last one wins" },
	{ .name = "topic",
	  .arg = "ROLE=NAME",
	  .type = CONFIG_ACTION,
	  .parse = config_parse_topic,
	  .def_text = "defaults: orders, orders.valid, orders.refused, "
		      "notifications, orders.notified, orders.dlq, fraud.rules",
	  .help = "rename a topic; ROLE is orders, valid, refused, "
		  "notifications, notified, dlq, rules or state" },
	{ .name = "group-prefix",
	  .arg = "NAME",
	  .type = CONFIG_NAME,
	  .offset = OFF(group_prefix),
	  .def_str = "ordertop",
	  .help = "consumer group name prefix" },
	{ .name = "instance",
	  .arg = "NAME",
	  .type = CONFIG_NAME,
	  .offset = OFF(instance),
	  .def_text = "default: the host name",
	  .help = "this process's name, used in transactional ids" },

	{ .section = "Pipeline",
	  .name = "roles",
	  .arg = "LIST",
	  .type = CONFIG_UNSIGNED,
	  .offset = OFF(roles),
	  .def = ROLE_ALL,
	  .def_text = "all",
	  .parse = config_parse_roles,
	  .help = "roles this process runs: comma-separated producer, fraud, "
		  "notifier, monitor; or all, none" },
	{ .name = "rate",
	  .arg = "N|max",
	  .type = CONFIG_DOUBLE,
	  .offset = OFF(rate),
	  .def = 50,
	  .minimum = 0,
	  .above_minimum = true,
	  .maximum = UNBOUNDED,
	  .unit = "orders per second",
	  .parse = config_parse_rate,
	  .help = "orders generated per second, or max" },
	{ .name = "no-generate",
	  .type = CONFIG_CLEAR,
	  .offset = OFF(generator_on),
	  .help = "start with the order generator off" },
	{ .name = "count",
	  .arg = "N",
	  .type = CONFIG_INT64,
	  .offset = OFF(count),
	  .def = 0,
	  .minimum = 0,
	  .maximum = UNBOUNDED,
	  .zero = "no limit",
	  .help = "stop generating after N orders" },
	{ .name = "suspicious",
	  .arg = "FRACTION",
	  .type = CONFIG_DOUBLE,
	  .offset = OFF(suspicious_share),
	  .def = 0.1,
	  .minimum = 0,
	  .maximum = 1,
	  .unit = "a fraction",
	  .help = "share of suspicious generated orders" },
	{ .name = "seed",
	  .arg = "N",
	  .type = CONFIG_UINT64,
	  .offset = OFF(seed),
	  .def = 0,
	  .minimum = 0,
	  .maximum = UNBOUNDED,
	  .zero = "from the clock",
	  .help = "generator seed" },
	{ .name = "max-in-flight",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(max_in_flight),
	  .def = 10000,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "hold the generator back while N orders are unfinished" },
	{ .name = "rules",
	  .arg = "FILE",
	  .type = CONFIG_PATH,
	  .offset = OFF(rules_file),
	  .help = "initial fraud rules (JSON)" },
	{ .name = "notify-exec",
	  .arg = "PROG",
	  .type = CONFIG_STRING,
	  .offset = OFF(notify_exec),
	  .parse = config_parse_notify_exec,
	  .help = "deliver each notification by running PROG with the JSON "
		  "on its stdin (no shell)" },
	{ .name = "notify-concurrency",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(notify_concurrency),
	  .def = 4,
	  .minimum = 1,
	  .maximum = 64,
	  .help = "PROG runs at a time" },
	{ .name = "notify-timeout",
	  .arg = "MS",
	  .type = CONFIG_INT,
	  .offset = OFF(notify_timeout_ms),
	  .def = 5000,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "kill PROG after MS milliseconds" },
	{ .name = "notify-retries",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(notify_retries),
	  .def = 3,
	  .minimum = 0,
	  .maximum = 10,
	  .help = "retries of a failed delivery" },
	{ .name = "audit",
	  .arg = "FILE",
	  .type = CONFIG_PATH,
	  .offset = OFF(audit_file),
	  .help = "write an audit trail to FILE" },
	{ .name = "table-size",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(table_size),
	  .def = 100000,
	  .minimum = 100,
	  .maximum = UNBOUNDED,
	  .help = "orders the monitor keeps" },
	{ .name = "from-beginning",
	  .type = CONFIG_SET,
	  .offset = OFF(from_beginning),
	  .help = "monitor reads topics from the start, not the end" },
	/* A transaction costs several round trips whatever its size
	 * (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn):
	 * 100 ms is Kafka Streams' commit interval under exactly-once. */
	{ .name = "txn-max-msgs",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(txn_max_msgs),
	  .def = 5000,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "commit a transaction after N inputs" },
	{ .name = "txn-max-ms",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(txn_max_ms),
	  .def = 100,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "... or after N milliseconds" },
	{ .name = "fraud-state",
	  .arg = "WHERE",
	  .type = CONFIG_ACTION,
	  .parse = config_parse_fraud_state,
	  .help = "where the velocity and replay rules keep their memory: "
		  "kafka (the fraud.state changelog, restored on assignment; "
		  "the default) or memory (this process only)" },
	{ .name = "replay-horizon",
	  .arg = "SEC",
	  .type = CONFIG_INT,
	  .offset = OFF(replay_horizon_s),
	  .def = 86400,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "the replay rule remembers an order id this long (behind "
		  "the newest order)" },
	{ .name = "velocity-users",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(velocity_users),
	  .def = 20000,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "users the velocity rule remembers per partition (allocated "
		  "up front)" },
	{ .name = "replay-ids",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(replay_ids),
	  .def = 50000,
	  .minimum = 1,
	  .maximum = UNBOUNDED,
	  .help = "order ids the replay rule remembers per partition" },
	{ .name = "trace-headers",
	  .type = CONFIG_SET,
	  .offset = OFF(trace_headers),
	  .help = "write ordertop.* headers on every record: order id, "
		  "created and decided times, source (input "
		  "topic/partition/offset), stage (costs throughput; see "
		  "README)" },

	{ .name = "order-map",
	  .arg = "JQ",
	  .type = CONFIG_STRING,
	  .offset = OFF(order_map),
	  .parse = config_parse_jq_map,
	  .help = "turn each record of the orders topic into an order with "
		  "this jq program (or @FILE); empty skips the record" },
	{ .name = "decision-map",
	  .arg = "JQ",
	  .type = CONFIG_STRING,
	  .offset = OFF(decision_map),
	  .parse = config_parse_jq_map,
	  .help = "shape the decided orders written to the valid and refused "
		  "topics with this jq program (or @FILE)" },
	{ .name = "notification-map",
	  .arg = "JQ",
	  .type = CONFIG_STRING,
	  .offset = OFF(notification_map),
	  .parse = config_parse_jq_map,
	  .help = "shape the notifications and notified records with this jq "
		  "program (or @FILE)" },
	{ .section = "HTTP API",
	  .name = "http",
	  .arg = "[ADDR:]PORT",
	  .type = CONFIG_STRING,
	  .offset = OFF(http),
	  .parse = config_parse_http,
	  .def_text = "ADDR default: 127.0.0.1; also ordertop.http= in -F files",
	  .help = "serve the HTTP API (orders, rules, metrics, health) on PORT" },
	{ .name = "http-token-file",
	  .arg = "FILE",
	  .type = CONFIG_PATH,
	  .offset = OFF(http_token_file),
	  .help = "POST and PATCH need 'Authorization: Bearer TOKEN', TOKEN the "
		  "first line of FILE (not readable by others); also "
		  "ordertop.http_token_file= in -F files" },

	{ .section = "Safety",
	  .name = "read-only",
	  .type = CONFIG_SET,
	  .offset = OFF(read_only),
	  .help = "turn every mutating action off: producing, re-driving, offset "
		  "resets, the order form, rule changes (the HTTP API answers 403); "
		  "also ordertop.read_only=true in -F files" },

	{ .section = "Run mode",
	  .name = "headless",
	  .type = CONFIG_SET,
	  .offset = OFF(headless),
	  .help = "no dashboard; log to stderr" },
	{ .name = "duration",
	  .arg = "SEC",
	  .type = CONFIG_DOUBLE,
	  .offset = OFF(duration),
	  .def = 0,
	  .minimum = 0,
	  .maximum = UNBOUNDED,
	  .unit = "seconds",
	  .zero = "until stopped",
	  .help = "stop after SEC seconds" },
	{ .name = "drain",
	  .type = CONFIG_SET,
	  .offset = OFF(drain),
	  .help = "when stopping, wait until every order this process "
		  "generated is final" },
	{ .name = "drain-timeout",
	  .arg = "SEC",
	  .type = CONFIG_DOUBLE,
	  .offset = OFF(drain_timeout),
	  .def = 120,
	  .minimum = 0,
	  .above_minimum = true,
	  .maximum = UNBOUNDED,
	  .unit = "seconds",
	  .help = "give up draining after SEC seconds" },
	{ .name = "timeout",
	  .arg = "SEC",
	  .type = CONFIG_DOUBLE,
	  .offset = OFF(timeout),
	  .def = -1,
	  .minimum = 0,
	  .above_minimum = true,
	  .maximum = UNBOUNDED,
	  .unit = "seconds",
	  .def_text = "ordertop rules: 30; otherwise --duration, plus "
		      "--drain-timeout with --drain; else no limit",
	  .help = "give up when no broker answers within SEC seconds" },
	{ .name = "summary",
	  .arg = "FILE|-",
	  .type = CONFIG_PATH,
	  .offset = OFF(summary_file),
	  .help = "write a summary at exit to FILE, - for stdout" },
	{ .name = "log-file",
	  .arg = "FILE",
	  .type = CONFIG_PATH,
	  .offset = OFF(log_file),
	  .help = "also append the log to FILE" },
	{ .name = "verbose",
	  .short_flag = 'v',
	  .type = CONFIG_INT,
	  .offset = OFF(log_level),
	  .def = LOG_INFO,
	  .parse = config_parse_verbose,
	  .help = "log debug detail too" },
	{ .name = "quiet",
	  .short_flag = 'q',
	  .type = CONFIG_INT,
	  .offset = OFF(log_level),
	  .def = LOG_INFO,
	  .parse = config_parse_quiet,
	  .help = "log only warnings and errors (-qq: errors only)" },

	{ .section = "Dashboard",
	  .name = "theme",
	  .arg = "NAME",
	  .type = CONFIG_NAME,
	  .offset = OFF(theme),
	  .def_text = "default: $ORDERTOP_THEME",
	  .help = "colour theme" },
	{ .name = "theme-dir",
	  .arg = "DIR",
	  .type = CONFIG_PATH,
	  .offset = OFF(theme_dir),
	  .help = "look for themes in DIR first" },
	{ .name = "no-mouse",
	  .type = CONFIG_CLEAR,
	  .offset = OFF(mouse),
	  .help = "don't capture the mouse" },
	{ .name = "fps",
	  .arg = "N",
	  .type = CONFIG_INT,
	  .offset = OFF(fps),
	  .def = 20,
	  .minimum = 1,
	  .maximum = 120,
	  .help = "redraws per second at most" },
	{ .name = "help",
	  .short_flag = 'h',
	  .type = CONFIG_ACTION,
	  .parse = config_parse_help,
	  .help = "show this help and exit" },
	{ .name = "version",
	  .short_flag = 'V',
	  .type = CONFIG_ACTION,
	  .parse = config_parse_version,
	  .help = "show the version and exit" },
};

#undef OFF

const size_t config_options_count = sizeof config_options / sizeof *config_options;

/* getopt_long's val for a long-only option is this plus its index. */
#define CONFIG_LONG_VAL    256
#define CONFIG_OPTIONS_MAX 64

_Static_assert(sizeof config_options / sizeof *config_options < CONFIG_OPTIONS_MAX,
	       "raise CONFIG_OPTIONS_MAX");

static const struct config_option *
config_option_by_val(int val)
{
	if (val >= CONFIG_LONG_VAL && (size_t)(val - CONFIG_LONG_VAL) < config_options_count)
		return &config_options[val - CONFIG_LONG_VAL];
	for (size_t i = 0; i < config_options_count; i++)
		if (config_options[i].short_flag != 0 && config_options[i].short_flag == val)
			return &config_options[i];
	return NULL;
}

static const struct config_option *
config_option_by_name(const char *name)
{
	for (size_t i = 0; i < config_options_count; i++)
		if (config_options[i].name != NULL && strcmp(config_options[i].name, name) == 0)
			return &config_options[i];
	return NULL;
}

/* getopt_long's tables from config_options[]. */
static void
config_getopt_tables(char *shorts, struct option *longs)
{
	size_t ns = 0, nl = 0;

	shorts[ns++] = '+'; /* stop at the first non-option */
	shorts[ns++] = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];
		int val = o->short_flag != 0 ? o->short_flag : CONFIG_LONG_VAL + (int)i;

		if (o->short_flag != 0) {
			shorts[ns++] = o->short_flag;
			if (o->arg != NULL)
				shorts[ns++] = ':';
		}
		if (o->name != NULL)
			longs[nl++] = (struct option){
				o->name, o->arg != NULL ? required_argument : no_argument, NULL, val
			};
	}
	shorts[ns] = '\0';
	longs[nl] = (struct option){ NULL, 0, NULL, 0 };
}

/* ---- defaults ---- */

void
config_init(struct config *c)
{
	char host[256];

	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];

		switch (o->type) {
		case CONFIG_INT: *CONFIG_FIELD(c, o, int) = (int)o->def; break;
		case CONFIG_INT64: *CONFIG_FIELD(c, o, int64_t) = (int64_t)o->def; break;
		case CONFIG_UINT64: *CONFIG_FIELD(c, o, uint64_t) = (uint64_t)o->def; break;
		case CONFIG_UNSIGNED: *CONFIG_FIELD(c, o, unsigned) = (unsigned)o->def; break;
		case CONFIG_DOUBLE: *CONFIG_FIELD(c, o, double) = o->def; break;
		case CONFIG_STRING:
		case CONFIG_PATH:
		case CONFIG_NAME:
			if (o->def_str != NULL)
				config_set_str(CONFIG_FIELD(c, o, char *), o->def_str);
			break;
		case CONFIG_SET: *CONFIG_FIELD(c, o, bool) = false; break;
		case CONFIG_CLEAR: *CONFIG_FIELD(c, o, bool) = true; break;
		case CONFIG_ACTION: break;
		}
	}
	/* What the table cannot hold: per-role topic names, the host name. */
	for (int t = 0; t < TOPIC__COUNT; t++)
		snprintf(c->topics[t], sizeof c->topics[t], "%s", topic_default_names[t]);
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "ordertop");
	host[sizeof host - 1] = '\0';
	c->instance = config_strdup(host);
}

void
config_free(struct config *c)
{
	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];
		if (o->type == CONFIG_STRING || o->type == CONFIG_PATH || o->type == CONFIG_NAME)
			free(*CONFIG_FIELD(c, o, char *));
	}
	kv_list_free(&c->props);
	memset(c, 0, sizeof *c);
}

/* ---- command line ---- */

/* One option; 0, 1 (help/version printed) or -1. */
static int
config_apply(struct config *c, const struct config_option *o, const char *arg, char *err,
	     size_t errlen)
{
	if (o->parse != NULL)
		return o->parse(c, o, arg, err, errlen);
	switch (o->type) {
	case CONFIG_INT:
	case CONFIG_INT64: return config_parse_integer(c, o, arg, err, errlen);
	case CONFIG_UINT64: return config_parse_uint64(c, o, arg, err, errlen);
	case CONFIG_DOUBLE: return config_parse_real(c, o, arg, err, errlen);
	case CONFIG_PATH: return config_parse_path(c, o, arg, err, errlen);
	case CONFIG_NAME: return config_parse_name(c, o, arg, err, errlen);
	case CONFIG_STRING: config_set_str(CONFIG_FIELD(c, o, char *), arg); return 0;
	case CONFIG_SET:
	case CONFIG_CLEAR: *CONFIG_FIELD(c, o, bool) = o->type == CONFIG_SET; return 0;
	case CONFIG_UNSIGNED:
	case CONFIG_ACTION: break;
	}
	config_err(err, errlen, "--%s: no parser", o->name);
	return -1;
}

/* The message for getopt's '?': unknown, ambiguous or given a value. */
static void
config_bad_option(int optchar, const char *arg, char *err, size_t errlen)
{
	char name[64];

	if (optchar != 0) {
		const struct config_option *o = config_option_by_val(optchar);
		if (o != NULL && arg != NULL && arg[0] == '-' && arg[1] == '-') {
			config_opt_name(o, name, sizeof name);
			config_err(err, errlen,
				   "%s takes no value, got '%s' "
				   "(see --help)",
				   name, arg);
		} else {
			config_err(err, errlen, "unknown option '-%c' (see --help)", optchar);
		}
		return;
	}

	/* A long option: unknown, or an ambiguous abbreviation. */
	const char *s = arg != NULL ? arg : "";
	const char *body = s[0] == '-' && s[1] == '-' ? s + 2 : s;
	size_t n = strcspn(body, "=");
	char list[256] = "";
	size_t used = 0;
	int matches = 0;

	for (size_t i = 0; i < config_options_count; i++) {
		const char *lname = config_options[i].name;
		if (lname == NULL || n == 0 || strncmp(lname, body, n) != 0)
			continue;
		if (++matches <= 4 && used < sizeof list) {
			int w = snprintf(list + used, sizeof list - used, "%s--%s",
					 matches > 1 ? ", " : "", lname);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	if (matches > 1)
		config_err(err, errlen,
			   "ambiguous option '--%.*s' (could be "
			   "%s%s; see --help)",
			   (int)n, body, list, matches > 4 ? ", ..." : "");
	else
		config_err(err, errlen, "unknown option '--%.*s' (see --help)", (int)n, body);
}

/* Topics used by two roles would loop orders back into the pipeline. */
static int
config_check_topics(const struct config *c, char *err, size_t errlen)
{
	for (int a = 0; a < TOPIC__COUNT; a++)
		for (int b = a + 1; b < TOPIC__COUNT; b++)
			if (strcmp(c->topics[a], c->topics[b]) == 0) {
				config_err(err, errlen,
					   "--topic: roles %s and %s "
					   "both use topic '%s'",
					   topic_role_names[a], topic_role_names[b], c->topics[a]);
				return -1;
			}
	return 0;
}

/* The last bootstrap.servers / metadata.broker.list from -F/-X, or NULL. */
static const struct kv *
config_props_brokers(const struct config *c)
{
	for (size_t i = c->props.n; i > 0; i--) {
		const struct kv *p = &c->props.items[i - 1];
		if (strcmp(p->key, "bootstrap.servers") == 0 ||
		    strcmp(p->key, "metadata.broker.list") == 0)
			return *p->value != '\0' ? p : NULL;
	}
	return NULL;
}

/*
 * Hands every -F/-X property to librdkafka's own checker, so an unknown
 * key or a bad value is refused before anything starts.  Secret values
 * stay out of the message.
 */
static int
config_check_properties(const struct config *c, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf;
	char why[512];
	int rc = 0;

	if (c->props.n == 0)
		return 0;
	conf = rd_kafka_conf_new();
	for (size_t i = 0; i < c->props.n && rc == 0; i++) {
		const struct kv *p = &c->props.items[i];
		const struct config_option *own = NULL;

		if (rd_kafka_conf_set(conf, p->key, p->value, why, sizeof why) == RD_KAFKA_CONF_OK)
			continue;
		rc = -1;
		why[strcspn(why, "\n")] = '\0';
		if (strncmp(p->key, "ordertop.", 9) == 0)
			own = config_option_by_name(p->key + 9);
		if (own != NULL)
			config_err(err, errlen,
				   "%s: %s is not a librdkafka "
				   "property; ordertop's own options are flags "
				   "(--%s)",
				   p->origin, p->key, own->name);
		else if (config_is_secret_key(p->key) && *p->value != '\0' &&
			 strstr(why, p->value) != NULL)
			config_err(err, errlen, "%s: invalid value for \"%s\"", p->origin, p->key);
		else
			config_err(err, errlen, "%s: %s", p->origin, why);
	}
	rd_kafka_conf_destroy(conf);
	return rc;
}

/* Where the brokers came from, for messages. */
static void
config_brokers_source(const struct config *c, bool flag, char *buf, size_t len)
{
	const struct kv *p = config_props_brokers(c);

	if (flag)
		snprintf(buf, len, "-b/--brokers");
	else if (p != NULL)
		snprintf(buf, len, "%s from %s", p->key, p->origin);
	else
		snprintf(buf, len, "$KAFKA_BOOTSTRAP_SERVERS");
}

/* Options that only make sense for the embedded cluster, with brokers. */
static int
config_check_embedded(const struct config *c, bool brokers_flag, bool embedded_given, char *err,
		      size_t errlen)
{
	char source[PATH_MAX + 64];
	const char *what;

	if (c->brokers == NULL)
		return 0;
	if (embedded_given)
		what = "--embedded-brokers";
	else if (c->bootstrap_file != NULL)
		what = "--bootstrap-file";
	else
		return 0;
	config_brokers_source(c, brokers_flag, source, sizeof source);
	config_err(err, errlen,
		   "%s applies only to the embedded cluster, "
		   "which is not started when %s names the brokers",
		   what, source);
	return -1;
}

int
config_parse_args(struct config *c, int argc, char **argv, char *err, size_t errlen)
{
	char short_opts[2 * CONFIG_OPTIONS_MAX + 3];
	struct option long_opts[CONFIG_OPTIONS_MAX + 1];
	const struct config_option *brokers = config_option_by_name("brokers");
	const struct config_option *theme = config_option_by_name("theme");
	const struct config_option *embedded = config_option_by_name("embedded-brokers");
	bool brokers_given = false, theme_given = false;
	bool embedded_given = false;
	int opt;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	config_getopt_tables(short_opts, long_opts);
	optind = 0; /* glibc: a full reset, so this can run again */
	opterr = 0;

	while ((opt = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		const struct config_option *o;
		char name[64];

		if (opt == '?') {
			config_bad_option(optopt, argv[optind - 1], err, errlen);
			return -1;
		}
		if (opt == ':') {
			o = config_option_by_val(optopt);
			if (o != NULL)
				config_opt_name(o, name, sizeof name);
			else
				snprintf(name, sizeof name, "-%c", optopt);
			config_err(err, errlen, "%s: missing argument (see --help)", name);
			return -1;
		}
		o = config_option_by_val(opt);
		if (o == NULL) {
			config_err(err, errlen, "unhandled option %d", opt);
			return -1;
		}
		int rc = config_apply(c, o, optarg, err, errlen);
		if (rc != 0)
			return rc;
		brokers_given |= o == brokers;
		theme_given |= o == theme;
		embedded_given |= o == embedded;
	}
	if (optind < argc) {
		config_err(err, errlen,
			   "unexpected argument '%s' (ordertop "
			   "takes only options; see --help)",
			   argv[optind]);
		return -1;
	}
	config_name_state_topic(c);
	if (config_check_topics(c, err, errlen) != 0 ||
	    config_check_properties(c, err, errlen) != 0)
		return -1;

	/* -b, then bootstrap.servers from -F/-X, then the environment. */
	if (!brokers_given) {
		const struct kv *p = config_props_brokers(c);
		const char *b = p != NULL ? p->value : NULL;
		const char *env = getenv("KAFKA_BOOTSTRAP_SERVERS");
		if (b == NULL && env != NULL && *env != '\0')
			b = env;
		if (b != NULL)
			config_set_str(&c->brokers, b);
	}
	if (config_check_embedded(c, brokers_given, embedded_given, err, errlen) != 0)
		return -1;
	if (!theme_given) {
		const char *env = getenv("ORDERTOP_THEME");
		if (env != NULL && *env != '\0')
			config_set_str(&c->theme, env);
	}
	return 0;
}

/* ---- --help ---- */

#define USAGE_COLUMN 30 /* where an option's text starts */
#define USAGE_WIDTH  78 /* where lines end at the latest */

/* What --help says after an option's text: its range and default. */
static void
config_usage_text(const struct config_option *o, char *buf, size_t len)
{
	bool numeric = o->type == CONFIG_INT || o->type == CONFIG_INT64 ||
		o->type == CONFIG_DOUBLE || o->type == CONFIG_UINT64;
	size_t n = (size_t)snprintf(buf, len, "%s", o->help);

	/* The range, when it says more than "a count" or "a time". */
	if (numeric && o->parse == NULL && n < len) {
		if (!isinf(o->maximum))
			n += (size_t)snprintf(buf + n, len - n, ", %g-%g", o->minimum, o->maximum);
		else if (o->minimum > 1)
			n += (size_t)snprintf(buf + n, len - n, ", at least %g", o->minimum);
	}
	if (n >= len || o->arg == NULL)
		return;
	if (o->def_text != NULL)
		snprintf(buf + n, len - n, " (%s)", o->def_text);
	else if (numeric && o->def == 0 && o->zero != NULL)
		snprintf(buf + n, len - n, " (0 = %s)", o->zero);
	else if (numeric)
		snprintf(buf + n, len - n, " (%g)", o->def);
	else if (o->def_str != NULL)
		snprintf(buf + n, len - n, " (%s)", o->def_str);
}

/* One option: its flags, then its text wrapped at USAGE_WIDTH. */
static void
config_usage_option(FILE *out, const struct config_option *o)
{
	char left[64], text[512];
	int col;

	if (o->short_flag != 0 && o->name != NULL)
		snprintf(left, sizeof left, "  -%c, --%s", o->short_flag, o->name);
	else if (o->short_flag != 0)
		snprintf(left, sizeof left, "  -%c", o->short_flag);
	else
		snprintf(left, sizeof left, "      --%s", o->name);
	if (o->arg != NULL)
		snprintf(left + strlen(left), sizeof left - strlen(left), " %s", o->arg);
	config_usage_text(o, text, sizeof text);

	col = fprintf(out, "%s", left);
	if (col > USAGE_COLUMN - 2) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", USAGE_COLUMN - col, "");
	col = USAGE_COLUMN;
	for (char *w = text, *next; *w != '\0'; w = next) {
		size_t wlen = strcspn(w, " ");
		next = w + wlen + strspn(w + wlen, " ");
		if (col > USAGE_COLUMN && col + 1 + (int)wlen > USAGE_WIDTH) {
			fprintf(out, "\n%*s", USAGE_COLUMN, "");
			col = USAGE_COLUMN;
		}
		if (col > USAGE_COLUMN) {
			fputc(' ', out);
			col++;
		}
		fwrite(w, 1, wlen, out);
		col += (int)wlen;
	}
	fputc('\n', out);
}

void
config_usage(FILE *out)
{
	fputs("Usage: ordertop [OPTION]...\n"
	      "Runs an order-processing pipeline on Kafka and shows it on a live dashboard:\n"
	      "the producer generates orders, fraud checks them against the rules, the\n"
	      "notifier announces the valid ones, and the monitor follows every order.\n"
	      "Without -b, ordertop starts an embedded (mock) Kafka cluster.\n",
	      out);
	for (size_t i = 0; i < config_options_count; i++) {
		if (config_options[i].section != NULL)
			fprintf(out, "\n%s:\n", config_options[i].section);
		config_usage_option(out, &config_options[i]);
	}
	fputs("\n"
	      "Examples:\n"
	      "  ordertop\n"
	      "      everything in one process, on an embedded cluster\n"
	      "  ordertop --headless --count 1000 --drain --summary -\n"
	      "      1000 orders without a dashboard, then a summary on stdout\n"
	      "  ordertop -b kafka1:9092,kafka2:9092 -F client.properties --roles fraud\n"
	      "      a fraud worker for a real cluster, security settings from a file\n"
	      "  ordertop -b localhost:9092 --roles monitor --from-beginning\n"
	      "      watch a running pipeline from the start of its topics\n"
	      "\n"
	      "Fraud rules of a running pipeline (see `ordertop rules` for details):\n"
	      "  ordertop rules list -b BROKERS\n"
	      "  ordertop rules enable|disable|toggle RULE -b BROKERS\n"
	      "  ordertop rules set RULE PARAM VALUE -b BROKERS\n"
	      "\n"
	      "Exit status: 0 done; 1 the pipeline failed; 2 a bad flag or configuration.\n",
	      out);
}
