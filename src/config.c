/*
 * config.c — turning the command line, the environment and librdkafka
 * property files into a struct config.
 *
 * Like kcat, -F FILE and -X key=value feed one ordered property list that
 * is handed to librdkafka as it is; both apply in command-line order, so a
 * later one wins (config_get_property returns the last occurrence).
 * Parsing never prints: errors come back in err, naming the flag and the
 * value, or the file and line.  Secret values never appear in a message.
 */
#include "config.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ORDERTOP_VERSION
#define ORDERTOP_VERSION "0.1.0"
#endif

static const char *const topic_role_names[TOPIC__COUNT] = {
	[TOPIC_ORDERS]        = "orders",
	[TOPIC_VALID]         = "valid",
	[TOPIC_REFUSED]       = "refused",
	[TOPIC_NOTIFICATIONS] = "notifications",
	[TOPIC_NOTIFIED]      = "notified",
	[TOPIC_DLQ]           = "dlq",
	[TOPIC_RULES]         = "rules",
};

static const char *const topic_default_names[TOPIC__COUNT] = {
	[TOPIC_ORDERS]        = "orders",
	[TOPIC_VALID]         = "orders.valid",
	[TOPIC_REFUSED]       = "orders.refused",
	[TOPIC_NOTIFICATIONS] = "notifications",
	[TOPIC_NOTIFIED]      = "orders.notified",
	[TOPIC_DLQ]           = "orders.dlq",
	[TOPIC_RULES]         = "fraud.rules",
};

static const struct {
	const char *name;
	unsigned    bit;
} role_names[] = {
	{ "producer", ROLE_PRODUCER },
	{ "fraud",    ROLE_FRAUD },
	{ "notifier", ROLE_NOTIFIER },
	{ "monitor",  ROLE_MONITOR },
};

/* Substrings (case-insensitive) of property keys whose values are secret. */
static const char *const secret_key_parts[] = {
	"password", "secret", "sasl.oauthbearer.config", "ssl.key.pem",
	"ssl_key", "sasl.jaas", "token",
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
kv_list_add(struct kv_list *l, const char *key, const char *value,
            const char *origin)
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
	if (key == NULL)
		return false;
	for (size_t i = 0; i < sizeof secret_key_parts / sizeof *secret_key_parts; i++)
		if (strcasestr(key, secret_key_parts[i]) != NULL)
			return true;
	return false;
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
config_set_property(struct config *c, const char *kv, const char *origin,
                    char *err, size_t errlen)
{
	char *copy = config_strdup(kv);
	char *key, *value;
	const char *who = origin != NULL && *origin != '\0' ? origin : "-X";

	if (!config_split_kv(copy, &key, &value)) {
		/* Don't echo what may be a mistyped secret ("sasl.password:x"). */
		if (config_is_secret_key(kv))
			config_err(err, errlen, "%s: expected key=value", who);
		else
			config_err(err, errlen, "%s: expected key=value, got '%s'",
			           who, kv);
		free(copy);
		return -1;
	}
	kv_list_add(&c->props, key, value, who);
	free(copy);
	return 0;
}

/*
 * config_load_properties; open_prefix goes before the message when the
 * file can't be read (a bad line names the file and line, which is enough).
 */
static int
config_load_props(struct config *c, const char *path, const char *open_prefix,
                  char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		config_err(err, errlen, "%s%s: %s", open_prefix, path,
		           strerror(errno));
		return -1;
	}

	struct kv_list found = { 0 };
	const char *secret = NULL;      /* first secret key, in found */
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
			config_err(err, errlen, "%s:%u: expected key=value",
			           path, lineno);
			rc = -1;
			break;
		}
		snprintf(origin, sizeof origin, "%s:%u", path, lineno);
		kv_list_add(&found, key, value, origin);
	}
	if (rc == 0 && ferror(f)) {
		config_err(err, errlen, "%s%s: %s", open_prefix, path,
		           strerror(errno));
		rc = -1;
	}

	if (rc == 0) {
		struct stat st;
		for (size_t i = 0; i < found.n && secret == NULL; i++)
			if (config_is_secret_key(found.items[i].key))
				secret = found.items[i].key;
		if (secret != NULL && fstat(fileno(f), &st) == 0 &&
		    (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
			log_warn("config", "%s is readable by other users and "
			         "holds a %s (%s); chmod 600 %s", path,
			         strcasestr(secret, "password") ? "password" :
			         "secret", secret, path);
		kv_list_append_move(&c->props, &found);
	}

	kv_list_free(&found);
	free(line);
	fclose(f);
	return rc;
}

int
config_load_properties(struct config *c, const char *path,
                       char *err, size_t errlen)
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
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' &&
		    *s != '-')
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

static int
config_int_range(const char *flag, const char *arg, long long lo,
                 long long hi, int *out, char *err, size_t errlen)
{
	long long v;

	if (!config_parse_ll(arg, &v) || v < lo || v > hi) {
		if (hi == INT_MAX)
			config_err(err, errlen, "%s: expected an integer >= %lld, "
			           "got '%s'", flag, lo, arg);
		else
			config_err(err, errlen, "%s: expected an integer between "
			           "%lld and %lld, got '%s'", flag, lo, hi, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* --roles: "all", "none" or a comma list of role names. */
static int
config_parse_roles(const char *arg, unsigned *out, char *err, size_t errlen)
{
	static const char hint[] = "use producer, fraud, notifier, monitor, "
	                           "all or none";
	char *copy = config_strdup(arg);
	char *rest = copy, *tok;
	unsigned roles = 0;
	int rc = 0;

	if (*config_trim(copy) == '\0') {
		config_err(err, errlen, "--roles: expected a list of roles, "
		           "got '%s' (%s)", arg, hint);
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
			config_err(err, errlen, "--roles: unknown role '%s' in "
			           "'%s' (%s)", name, arg, hint);
			rc = -1;
			break;
		}
	}
	free(copy);
	if (rc == 0)
		*out = roles;
	return rc;
}

/* --topic ROLE=NAME */
static int
config_parse_topic(struct config *c, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		config_err(err, errlen, "--topic: expected ROLE=NAME, got '%s'",
		           arg);
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
		config_err(err, errlen, "--topic: unknown role '%.*s' in '%s' "
		           "(roles: orders, valid, refused, notifications, "
		           "notified, dlq, rules)", (int)rlen, arg, arg);
		return -1;
	}
	if (!config_topic_name_ok(name)) {
		config_err(err, errlen, "--topic: invalid topic name in '%s' "
		           "(use 1 to %d of a-z A-Z 0-9 . _ -, not '.' or '..')",
		           arg, CONFIG_TOPIC_MAX);
		return -1;
	}
	memcpy(c->topics[role], name, strlen(name) + 1);
	return 0;
}

/* A name that ends up in group or transactional ids and on screen. */
static int
config_parse_name(const char *flag, const char *arg, char **field,
                  char *err, size_t errlen)
{
	if (*arg == '\0' || config_has_control(arg)) {
		config_err(err, errlen, "%s: expected a non-empty name without "
		           "control characters, got '%s'", flag, arg);
		return -1;
	}
	config_set_str(field, arg);
	return 0;
}

static int
config_parse_path(const char *flag, const char *arg, char **field,
                  char *err, size_t errlen)
{
	if (*arg == '\0') {
		config_err(err, errlen, "%s: expected a file name, got ''", flag);
		return -1;
	}
	config_set_str(field, arg);
	return 0;
}

/* ---- defaults ---- */

void
config_init(struct config *c)
{
	char host[256];

	memset(c, 0, sizeof *c);
	c->brokers = NULL;
	c->embedded_brokers = 3;
	c->partitions = 3;
	c->replication_factor = -1;
	for (int t = 0; t < TOPIC__COUNT; t++)
		snprintf(c->topics[t], sizeof c->topics[t], "%s",
		         topic_default_names[t]);
	c->group_prefix = config_strdup("ordertop");
	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "ordertop");
	host[sizeof host - 1] = '\0';
	c->instance = config_strdup(host);

	c->roles = ROLE_ALL;
	c->rate = 50;
	c->generator_on = true;
	c->count = 0;
	c->suspicious_share = 0.1;
	c->seed = 0;
	c->max_in_flight = 10000;
	c->notify_concurrency = 4;
	c->notify_timeout_ms = 5000;
	c->notify_retries = 3;
	c->table_size = 100000;
	/* A transaction costs several round trips whatever its size
	 * (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn):
	 * 100 ms is Kafka Streams' commit interval under exactly-once; against
	 * 20 ms / 1000 inputs it moves about a third more orders per second. */
	c->txn_max_msgs = 5000;
	c->txn_max_ms = 100;

	c->headless = false;
	c->duration = 0;
	c->drain = false;
	c->trace_headers = false;
	c->drain_timeout = 120;
	c->timeout = -1;
	c->log_level = LOG_INFO;

	c->mouse = true;
	c->fps = 20;
}

void
config_free(struct config *c)
{
	free(c->brokers);
	free(c->bootstrap_file);
	kv_list_free(&c->props);
	free(c->group_prefix);
	free(c->instance);
	free(c->rules_file);
	free(c->notify_exec);
	free(c->audit_file);
	free(c->summary_file);
	free(c->log_file);
	free(c->theme);
	free(c->theme_dir);
	memset(c, 0, sizeof *c);
}

/* ---- command line ---- */

enum {
	OPT_EMBEDDED_BROKERS = 256,
	OPT_PARTITIONS,
	OPT_REPLICATION_FACTOR,
	OPT_BOOTSTRAP_FILE,
	OPT_TOPIC,
	OPT_GROUP_PREFIX,
	OPT_INSTANCE,
	OPT_ROLES,
	OPT_RATE,
	OPT_NO_GENERATE,
	OPT_COUNT,
	OPT_SUSPICIOUS,
	OPT_SEED,
	OPT_MAX_IN_FLIGHT,
	OPT_RULES,
	OPT_NOTIFY_EXEC,
	OPT_NOTIFY_CONCURRENCY,
	OPT_NOTIFY_TIMEOUT,
	OPT_NOTIFY_RETRIES,
	OPT_AUDIT,
	OPT_TABLE_SIZE,
	OPT_FROM_BEGINNING,
	OPT_TXN_MAX_MSGS,
	OPT_TXN_MAX_MS,
	OPT_TRACE_HEADERS,
	OPT_HEADLESS,
	OPT_DURATION,
	OPT_DRAIN,
	OPT_DRAIN_TIMEOUT,
	OPT_TIMEOUT,
	OPT_SUMMARY,
	OPT_LOG_FILE,
	OPT_THEME,
	OPT_THEME_DIR,
	OPT_NO_MOUSE,
	OPT_FPS,
};

static const char short_opts[] = "+:b:F:X:vqhV";

static const struct option long_opts[] = {
	{ "brokers",            required_argument, NULL, 'b' },
	{ "embedded-brokers",   required_argument, NULL, OPT_EMBEDDED_BROKERS },
	{ "partitions",         required_argument, NULL, OPT_PARTITIONS },
	{ "replication-factor", required_argument, NULL, OPT_REPLICATION_FACTOR },
	{ "bootstrap-file",     required_argument, NULL, OPT_BOOTSTRAP_FILE },
	{ "config",             required_argument, NULL, 'F' },
	{ "topic",              required_argument, NULL, OPT_TOPIC },
	{ "group-prefix",       required_argument, NULL, OPT_GROUP_PREFIX },
	{ "instance",           required_argument, NULL, OPT_INSTANCE },
	{ "roles",              required_argument, NULL, OPT_ROLES },
	{ "rate",               required_argument, NULL, OPT_RATE },
	{ "no-generate",        no_argument,       NULL, OPT_NO_GENERATE },
	{ "count",              required_argument, NULL, OPT_COUNT },
	{ "suspicious",         required_argument, NULL, OPT_SUSPICIOUS },
	{ "seed",               required_argument, NULL, OPT_SEED },
	{ "max-in-flight",      required_argument, NULL, OPT_MAX_IN_FLIGHT },
	{ "rules",              required_argument, NULL, OPT_RULES },
	{ "notify-exec",        required_argument, NULL, OPT_NOTIFY_EXEC },
	{ "notify-concurrency", required_argument, NULL, OPT_NOTIFY_CONCURRENCY },
	{ "notify-timeout",     required_argument, NULL, OPT_NOTIFY_TIMEOUT },
	{ "notify-retries",     required_argument, NULL, OPT_NOTIFY_RETRIES },
	{ "audit",              required_argument, NULL, OPT_AUDIT },
	{ "table-size",         required_argument, NULL, OPT_TABLE_SIZE },
	{ "from-beginning",     no_argument,       NULL, OPT_FROM_BEGINNING },
	{ "txn-max-msgs",       required_argument, NULL, OPT_TXN_MAX_MSGS },
	{ "txn-max-ms",         required_argument, NULL, OPT_TXN_MAX_MS },
	{ "trace-headers",      no_argument,       NULL, OPT_TRACE_HEADERS },
	{ "headless",           no_argument,       NULL, OPT_HEADLESS },
	{ "duration",           required_argument, NULL, OPT_DURATION },
	{ "drain",              no_argument,       NULL, OPT_DRAIN },
	{ "drain-timeout",      required_argument, NULL, OPT_DRAIN_TIMEOUT },
	{ "timeout",            required_argument, NULL, OPT_TIMEOUT },
	{ "summary",            required_argument, NULL, OPT_SUMMARY },
	{ "log-file",           required_argument, NULL, OPT_LOG_FILE },
	{ "verbose",            no_argument,       NULL, 'v' },
	{ "quiet",              no_argument,       NULL, 'q' },
	{ "theme",              required_argument, NULL, OPT_THEME },
	{ "theme-dir",          required_argument, NULL, OPT_THEME_DIR },
	{ "no-mouse",           no_argument,       NULL, OPT_NO_MOUSE },
	{ "fps",                required_argument, NULL, OPT_FPS },
	{ "help",               no_argument,       NULL, 'h' },
	{ "version",            no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* "--partitions", or "-b/--brokers" for options with a short form. */
static void
config_opt_name(int val, char *buf, size_t len)
{
	const char *lname = NULL;

	for (const struct option *o = long_opts; o->name != NULL; o++)
		if (o->val == val)
			lname = o->name;
	if (val < 256 && lname != NULL)
		snprintf(buf, len, "-%c/--%s", val, lname);
	else if (val < 256)
		snprintf(buf, len, "-%c", val);
	else
		snprintf(buf, len, "--%s", lname != NULL ? lname : "?");
}

/* The message for getopt's '?': unknown, ambiguous or given a value. */
static void
config_bad_option(int optchar, const char *arg, char *err, size_t errlen)
{
	char name[64];

	if (optchar != 0) {
		bool known = false;
		for (const struct option *o = long_opts; o->name != NULL; o++)
			if (o->val == optchar)
				known = true;
		if (known && arg != NULL && arg[0] == '-' && arg[1] == '-') {
			config_opt_name(optchar, name, sizeof name);
			config_err(err, errlen, "%s takes no value, got '%s' "
			           "(see --help)", name, arg);
		} else {
			config_err(err, errlen, "unknown option '-%c' (see --help)",
			           optchar);
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

	for (const struct option *o = long_opts; o->name != NULL; o++) {
		if (n == 0 || strncmp(o->name, body, n) != 0)
			continue;
		if (++matches <= 4 && used < sizeof list) {
			int w = snprintf(list + used, sizeof list - used, "%s--%s",
			                 matches > 1 ? ", " : "", o->name);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	if (matches > 1)
		config_err(err, errlen, "ambiguous option '--%.*s' (could be "
		           "%s%s; see --help)", (int)n, body, list,
		           matches > 4 ? ", ..." : "");
	else
		config_err(err, errlen, "unknown option '--%.*s' (see --help)",
		           (int)n, body);
}

/* Topics used by two roles would loop orders back into the pipeline. */
static int
config_check_topics(const struct config *c, char *err, size_t errlen)
{
	for (int a = 0; a < TOPIC__COUNT; a++)
		for (int b = a + 1; b < TOPIC__COUNT; b++)
			if (strcmp(c->topics[a], c->topics[b]) == 0) {
				config_err(err, errlen, "--topic: roles %s and %s "
				           "both use topic '%s'",
				           topic_role_names[a], topic_role_names[b],
				           c->topics[a]);
				return -1;
			}
	return 0;
}

/* The last bootstrap.servers / metadata.broker.list from -F/-X, or NULL. */
static const char *
config_props_brokers(const struct config *c)
{
	for (size_t i = c->props.n; i > 0; i--) {
		const struct kv *p = &c->props.items[i - 1];
		if (strcmp(p->key, "bootstrap.servers") == 0 ||
		    strcmp(p->key, "metadata.broker.list") == 0)
			return *p->value != '\0' ? p->value : NULL;
	}
	return NULL;
}

/* One option; 0, 1 (help/version printed) or -1. */
static int
config_apply_opt(struct config *c, int opt, const char *arg,
                 char *err, size_t errlen)
{
	long long ll;
	double d;

	switch (opt) {
	case 'b':
		if (*arg == '\0') {
			config_err(err, errlen, "-b/--brokers: expected "
			           "host:port[,host:port...], got ''");
			return -1;
		}
		config_set_str(&c->brokers, arg);
		return 0;
	case OPT_EMBEDDED_BROKERS:
		return config_int_range("--embedded-brokers", arg, 1, 16,
		                        &c->embedded_brokers, err, errlen);
	case OPT_PARTITIONS:
		return config_int_range("--partitions", arg, 1, 1000,
		                        &c->partitions, err, errlen);
	case OPT_REPLICATION_FACTOR:
		if (!config_parse_ll(arg, &ll) ||
		    !(ll == -1 || (ll >= 1 && ll <= 32))) {
			config_err(err, errlen, "--replication-factor: expected "
			           "-1 or an integer between 1 and 32, got '%s'",
			           arg);
			return -1;
		}
		c->replication_factor = (int)ll;
		return 0;
	case OPT_BOOTSTRAP_FILE:
		return config_parse_path("--bootstrap-file", arg,
		                         &c->bootstrap_file, err, errlen);
	case 'F':
		return config_load_props(c, arg, "-F/--config: ", err, errlen);
	case 'X':
		return config_set_property(c, arg, "-X", err, errlen);
	case OPT_TOPIC:
		return config_parse_topic(c, arg, err, errlen);
	case OPT_GROUP_PREFIX:
		return config_parse_name("--group-prefix", arg, &c->group_prefix,
		                         err, errlen);
	case OPT_INSTANCE:
		return config_parse_name("--instance", arg, &c->instance,
		                         err, errlen);

	case OPT_ROLES:
		return config_parse_roles(arg, &c->roles, err, errlen);
	case OPT_RATE:
		if (strcmp(arg, "max") == 0) {
			c->rate = 0;
			return 0;
		}
		if (!config_parse_double(arg, &d) || d <= 0) {
			config_err(err, errlen, "--rate: expected orders per "
			           "second > 0, or 'max', got '%s'", arg);
			return -1;
		}
		c->rate = d;
		return 0;
	case OPT_NO_GENERATE:
		c->generator_on = false;
		return 0;
	case OPT_COUNT:
		if (!config_parse_ll(arg, &ll) || ll < 0) {
			config_err(err, errlen, "--count: expected an integer "
			           ">= 0, got '%s'", arg);
			return -1;
		}
		c->count = ll;
		return 0;
	case OPT_SUSPICIOUS:
		if (!config_parse_double(arg, &d) || d < 0 || d > 1) {
			config_err(err, errlen, "--suspicious: expected a fraction "
			           "between 0 and 1, got '%s'", arg);
			return -1;
		}
		c->suspicious_share = d;
		return 0;
	case OPT_SEED: {
		char *end;
		unsigned long long v;
		errno = 0;
		v = isdigit((unsigned char)arg[0]) ? strtoull(arg, &end, 10) : 0;
		if (!isdigit((unsigned char)arg[0]) || errno != 0 ||
		    *end != '\0') {
			config_err(err, errlen, "--seed: expected a non-negative "
			           "integer, got '%s'", arg);
			return -1;
		}
		c->seed = v;
		return 0;
	}
	case OPT_MAX_IN_FLIGHT:
		return config_int_range("--max-in-flight", arg, 1, INT_MAX,
		                        &c->max_in_flight, err, errlen);
	case OPT_RULES:
		return config_parse_path("--rules", arg, &c->rules_file,
		                         err, errlen);
	case OPT_NOTIFY_EXEC:
		if (strspn(arg, " \t") == strlen(arg)) {
			config_err(err, errlen, "--notify-exec: expected a "
			           "program, got '%s'", arg);
			return -1;
		}
		config_set_str(&c->notify_exec, arg);
		return 0;
	case OPT_NOTIFY_CONCURRENCY:
		return config_int_range("--notify-concurrency", arg, 1, 64,
		                        &c->notify_concurrency, err, errlen);
	case OPT_NOTIFY_TIMEOUT:
		return config_int_range("--notify-timeout", arg, 1, INT_MAX,
		                        &c->notify_timeout_ms, err, errlen);
	case OPT_NOTIFY_RETRIES:
		return config_int_range("--notify-retries", arg, 0, 10,
		                        &c->notify_retries, err, errlen);
	case OPT_AUDIT:
		return config_parse_path("--audit", arg, &c->audit_file,
		                         err, errlen);
	case OPT_TABLE_SIZE:
		return config_int_range("--table-size", arg, 100, INT_MAX,
		                        &c->table_size, err, errlen);
	case OPT_FROM_BEGINNING:
		c->from_beginning = true;
		return 0;
	case OPT_TXN_MAX_MSGS:
		return config_int_range("--txn-max-msgs", arg, 1, INT_MAX,
		                        &c->txn_max_msgs, err, errlen);
	case OPT_TXN_MAX_MS:
		return config_int_range("--txn-max-ms", arg, 1, INT_MAX,
		                        &c->txn_max_ms, err, errlen);
	case OPT_TRACE_HEADERS:
		c->trace_headers = true;
		return 0;

	case OPT_HEADLESS:
		c->headless = true;
		return 0;
	case OPT_DURATION:
		if (!config_parse_double(arg, &d) || d < 0) {
			config_err(err, errlen, "--duration: expected seconds "
			           ">= 0 (0 = until stopped), got '%s'", arg);
			return -1;
		}
		c->duration = d;
		return 0;
	case OPT_DRAIN:
		c->drain = true;
		return 0;
	case OPT_DRAIN_TIMEOUT:
		if (!config_parse_double(arg, &d) || d <= 0) {
			config_err(err, errlen, "--drain-timeout: expected seconds "
			           "> 0, got '%s'", arg);
			return -1;
		}
		c->drain_timeout = d;
		return 0;
	case OPT_TIMEOUT:
		if (!config_parse_double(arg, &d) || d <= 0) {
			config_err(err, errlen, "--timeout: expected seconds "
			           "> 0, got '%s'", arg);
			return -1;
		}
		c->timeout = d;
		return 0;
	case OPT_SUMMARY:
		return config_parse_path("--summary", arg, &c->summary_file,
		                         err, errlen);
	case OPT_LOG_FILE:
		return config_parse_path("--log-file", arg, &c->log_file,
		                         err, errlen);
	case 'v':
		if (c->log_level < LOG_DEBUG)
			c->log_level++;
		return 0;
	case 'q':
		if (c->log_level > LOG_ERROR)
			c->log_level--;
		return 0;

	case OPT_THEME:
		return config_parse_name("--theme", arg, &c->theme, err, errlen);
	case OPT_THEME_DIR:
		return config_parse_path("--theme-dir", arg, &c->theme_dir,
		                         err, errlen);
	case OPT_NO_MOUSE:
		c->mouse = false;
		return 0;
	case OPT_FPS:
		return config_int_range("--fps", arg, 1, 120, &c->fps,
		                        err, errlen);
	case 'h':
		config_usage(stdout);
		return 1;
	case 'V':
		printf("ordertop %s\n", ORDERTOP_VERSION);
		return 1;
	default:
		config_err(err, errlen, "unhandled option %d", opt);
		return -1;
	}
}

int
config_parse_args(struct config *c, int argc, char **argv,
                  char *err, size_t errlen)
{
	bool brokers_given = false, theme_given = false;
	int opt;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	optind = 0;          /* glibc: a full reset, so this can run again */
	opterr = 0;

	while ((opt = getopt_long(argc, argv, short_opts, long_opts,
	                          NULL)) != -1) {
		if (opt == '?') {
			config_bad_option(optopt, argv[optind - 1], err, errlen);
			return -1;
		}
		if (opt == ':') {
			char name[64];
			config_opt_name(optopt, name, sizeof name);
			config_err(err, errlen, "%s: missing argument (see --help)",
			           name);
			return -1;
		}
		int rc = config_apply_opt(c, opt, optarg, err, errlen);
		if (rc != 0)
			return rc;
		if (opt == 'b')
			brokers_given = true;
		if (opt == OPT_THEME)
			theme_given = true;
	}
	if (optind < argc) {
		config_err(err, errlen, "unexpected argument '%s' (ordertop "
		           "takes only options; see --help)", argv[optind]);
		return -1;
	}
	if (config_check_topics(c, err, errlen) != 0)
		return -1;

	/* -b, then bootstrap.servers from -F/-X, then the environment. */
	if (!brokers_given) {
		const char *b = config_props_brokers(c);
		const char *env = getenv("KAFKA_BOOTSTRAP_SERVERS");
		if (b == NULL && env != NULL && *env != '\0')
			b = env;
		if (b != NULL)
			config_set_str(&c->brokers, b);
	}
	if (!theme_given) {
		const char *env = getenv("ORDERTOP_THEME");
		if (env != NULL && *env != '\0')
			config_set_str(&c->theme, env);
	}
	return 0;
}

void
config_usage(FILE *out)
{
	fputs(
"Usage: ordertop [OPTION]...\n"
"Runs an order-processing pipeline on Kafka and shows it on a live dashboard:\n"
"the producer generates orders, fraud checks them against the rules, the\n"
"notifier announces the valid ones, and the monitor follows every order.\n"
"Without -b, ordertop starts an embedded (mock) Kafka cluster.\n"
"\n"
"Broker:\n"
"  -b, --brokers LIST          bootstrap servers, host:port[,host:port...]\n"
"                              (default: bootstrap.servers from -F/-X, then\n"
"                              $KAFKA_BOOTSTRAP_SERVERS, else embedded)\n"
"      --embedded-brokers N    brokers in the embedded cluster, 1-16 (3)\n"
"      --partitions N          partitions of the topics it creates, 1-1000 (3)\n"
"      --replication-factor N  replicas of the topics it creates, 1-32, or -1\n"
"                              for the broker's default (-1)\n"
"      --bootstrap-file FILE   write the embedded cluster's bootstrap servers\n"
"                              to FILE, for other ordertop processes (-b)\n"
"  -F, --config FILE           read librdkafka properties from FILE (key=value\n"
"                              lines, # comments); may be repeated\n"
"  -X KEY=VALUE                set a librdkafka property, e.g.\n"
"                              -X security.protocol=SASL_SSL; -F and -X apply\n"
"                              in command-line order, the last one wins\n"
"      --topic ROLE=NAME       rename a topic; ROLE is orders, valid, refused,\n"
"                              notifications, notified, dlq or rules\n"
"                              (defaults: orders, orders.valid, orders.refused,\n"
"                              notifications, orders.notified, orders.dlq,\n"
"                              fraud.rules)\n"
"      --group-prefix NAME     consumer group name prefix (ordertop)\n"
"      --instance NAME         this process's name, used in transactional ids\n"
"                              (default: the host name)\n"
"\n"
"Pipeline:\n"
"      --roles LIST            roles this process runs: comma-separated\n"
"                              producer, fraud, notifier, monitor; or all,\n"
"                              none (all)\n"
"      --rate N|max            orders generated per second, or max (50)\n"
"      --no-generate           start with the order generator off\n"
"      --count N               stop generating after N orders (0 = no limit)\n"
"      --suspicious FRACTION   share of suspicious generated orders, 0-1 (0.1)\n"
"      --seed N                generator seed (0 = from the clock)\n"
"      --max-in-flight N       hold the generator back while N orders are\n"
"                              unfinished (10000)\n"
"      --rules FILE            initial fraud rules (JSON)\n"
"      --notify-exec PROG      deliver each notification by running PROG with\n"
"                              the JSON on its stdin (no shell)\n"
"      --notify-concurrency N  PROG runs at a time, 1-64 (4)\n"
"      --notify-timeout MS     kill PROG after MS milliseconds (5000)\n"
"      --notify-retries N      retries of a failed delivery, 0-10 (3)\n"
"      --audit FILE            write an audit trail to FILE\n"
"      --table-size N          orders the monitor keeps, at least 100 (100000)\n"
"      --from-beginning        monitor reads topics from the start, not the end\n"
"      --txn-max-msgs N        commit a transaction after N inputs (5000)\n"
"      --txn-max-ms N          ... or after N milliseconds (100)\n"
"      --trace-headers         write ordertop.* headers on every record: order\n"
"                              id, created and decided times, source (input\n"
"                              topic/partition/offset), stage (costs\n"
"                              throughput; see README)\n"
"\n"
"Run mode:\n"
"      --headless              no dashboard; log to stderr\n"
"      --duration SEC          stop after SEC seconds (0 = until stopped)\n"
"      --drain                 when stopping, wait until every order this\n"
"                              process generated is final\n"
"      --drain-timeout SEC     give up draining after SEC seconds (120)\n"
"      --timeout SEC           give up when no broker answers within SEC seconds\n"
"                              (ordertop rules: 30; otherwise --duration, plus\n"
"                              --drain-timeout with --drain; else no limit)\n"
"      --summary FILE|-        write a summary at exit to FILE, - for stdout\n"
"      --log-file FILE         also append the log to FILE\n"
"  -v, --verbose               log debug detail too\n"
"  -q, --quiet                 log only warnings and errors (-qq: errors only)\n"
"\n"
"Dashboard:\n"
"      --theme NAME            colour theme (default: $ORDERTOP_THEME)\n"
"      --theme-dir DIR         look for themes in DIR first\n"
"      --no-mouse              don't capture the mouse\n"
"      --fps N                 redraws per second at most, 1-120 (20)\n"
"  -h, --help                  show this help and exit\n"
"  -V, --version               show the version and exit\n"
"\n"
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
"  ordertop rules set RULE PARAM VALUE -b BROKERS\n",
	      out);
}
