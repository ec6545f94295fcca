/*
 * config.h — everything ordertop is told: command-line flags, environment,
 * and librdkafka properties from -F files and -X overrides.
 *
 * Properties are kept as an ordered key/value list and handed to every
 * librdkafka handle as they are (like kcat); keys that hold secrets are
 * never printed (config_is_secret_key).  Errors name the flag, or the
 * file and line.
 */
#ifndef ORDERTOP_CONFIG_H
#define ORDERTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The pipeline's topics, by role.  Names are configurable. */
enum topic_id {
	TOPIC_ORDERS = 0,
	TOPIC_VALID,
	TOPIC_REFUSED,
	TOPIC_NOTIFICATIONS,
	TOPIC_NOTIFIED,
	TOPIC_DLQ,
	TOPIC_RULES,
	TOPIC_STATE, /* the fraud state's changelog (compacted) */
	TOPIC__COUNT
};

enum role_bit {
	ROLE_PRODUCER = 1 << 0,
	ROLE_FRAUD = 1 << 1,
	ROLE_NOTIFIER = 1 << 2,
	ROLE_MONITOR = 1 << 3,
	ROLE_ALL = 0xf,
};

struct kv {
	char *key;
	char *value;
	char *origin; /* "file.properties:12", "-X", "environment" */
};

struct kv_list {
	struct kv *items;
	size_t n, cap;
};

#define CONFIG_TOPIC_MAX 249 /* Kafka's limit on a topic name */

struct config {
	/* Broker */
	char *brokers;          /* NULL = embedded mock cluster */
	int embedded_brokers;   /* --embedded-brokers, default 3 */
	int partitions;         /* --partitions, default 3 */
	int replication_factor; /* --replication-factor, default -1 (broker default) */
	char *bootstrap_file;   /* --bootstrap-file */
	struct kv_list props;   /* -F / -X librdkafka properties, in order */
	char topics[TOPIC__COUNT][CONFIG_TOPIC_MAX + 1];
	bool state_topic_named; /* --topic state=...; else it follows --group-prefix */
	char *group_prefix;     /* consumer group prefix, default "ordertop" */
	char *instance;         /* --instance, default hostname; names transactional ids */

	/* Roles */
	unsigned roles;          /* ROLE_* bits; 0 = none */
	double rate;             /* --rate orders/s; 0 = max */
	bool generator_on;       /* --no-generate turns it off */
	int64_t count;           /* --count, 0 = unlimited */
	double suspicious_share; /* --suspicious 0..1, default 0.1 */
	uint64_t seed;           /* --seed, 0 = from time */
	int max_in_flight;       /* generator holds back beyond this many unfinished orders */
	char *rules_file;        /* --rules FILE */
	char *notify_exec;       /* --notify-exec PROG */
	int notify_concurrency;  /* --notify-concurrency, default 4 */
	int notify_timeout_ms;   /* --notify-timeout, default 5000 */
	int notify_retries;      /* --notify-retries, default 3 */
	char *audit_file;        /* --audit FILE */
	int table_size;          /* monitor's order table, default 100000 */
	bool from_beginning;     /* monitor starts at the log start, not the end */
	int txn_max_msgs;        /* commit a transaction after this many inputs */
	int txn_max_ms;          /* ... or this long */
	bool trace_headers;      /* --trace-headers: ordertop.* tracing headers */
	bool fraud_state_memory; /* --fraud-state memory: no changelog */
	int replay_horizon_s;    /* --replay-horizon: order ids remembered this long */
	int velocity_users;      /* --velocity-users: users remembered per partition */
	int replay_ids;          /* --replay-ids: order ids remembered per partition */
	/* jq programs (the text, also when given as @FILE); NULL = none */
	char *order_map;        /* --order-map: records of orders -> orders */
	char *decision_map;     /* --decision-map: decided orders as written */
	char *notification_map; /* --notification-map: notifications, notified */

	/* HTTP API */
	char *http;            /* --http [ADDR:]PORT, NULL = off */
	char *http_token_file; /* --http-token-file FILE */

	/* Safety */
	bool read_only; /* --read-only: no produce, re-drive, reset, orders or rule changes */

	/* Run mode */
	bool headless;
	double duration;      /* --duration SEC, 0 = until stopped */
	bool drain;           /* --drain */
	double drain_timeout; /* --drain-timeout SEC, default 120 */
	double timeout;       /* --timeout SEC: wait for the brokers at most
	                               * SEC; < 0 = not given (see engine_start) */
	char *summary_file;   /* --summary FILE or "-" */
	char *log_file;       /* --log-file FILE */
	int log_level;        /* LOG_INFO default; -v raises, -q lowers */

	/* Dashboard */
	char *theme;     /* --theme or $ORDERTOP_THEME */
	char *theme_dir; /* --theme-dir: extra directory searched first */
	bool mouse;      /* --no-mouse clears */
	int fps;         /* --fps, default 20 */
};

/*
 * One command-line option: its flags, its field in struct config, its
 * default, range and help.  config_options[] (config.c) is the only place
 * an option is described: the getopt tables, the defaults, the range
 * checks, the error messages and --help all come from it.
 */
enum config_type {
	CONFIG_INT,      /* int, minimum..maximum */
	CONFIG_INT64,    /* int64_t, minimum..maximum */
	CONFIG_UINT64,   /* uint64_t, any non-negative integer */
	CONFIG_UNSIGNED, /* unsigned bits; set only by .parse */
	CONFIG_DOUBLE,   /* double, minimum (or above it)..maximum */
	CONFIG_STRING,   /* char *; checked by .parse */
	CONFIG_PATH,     /* char *, a non-empty file name */
	CONFIG_NAME,     /* char *, non-empty, no control characters */
	CONFIG_SET,      /* bool, no value: sets true */
	CONFIG_CLEAR,    /* bool, no value: sets false (--no-...) */
	CONFIG_ACTION,   /* no field of its own: .parse does everything */
};

struct config_option;
/* A custom parser: 0, 1 (printed --help/--version: exit 0) or -1 with err. */
typedef int config_parse_fn(struct config *c, const struct config_option *o, const char *arg,
			    char *err, size_t errlen);

struct config_option {
	const char *name; /* long name without "--", or NULL */
	char short_flag;  /* 0 = none */
	const char *arg;  /* metavar; NULL = takes no value */
	enum config_type type;
	size_t offset;           /* of the field in struct config */
	double def;              /* numeric default */
	const char *def_str;     /* string default */
	const char *def_text;    /* the default as --help shows it */
	double minimum, maximum; /* maximum INFINITY: unbounded */
	bool above_minimum;      /* doubles: > minimum, not >= */
	const char *unit;        /* doubles: "seconds", for messages */
	const char *zero;        /* what 0 means: "no limit" */
	config_parse_fn *parse;  /* instead of the type's parser */
	const char *section;     /* starts a --help section */
	const char *help;
};

extern const struct config_option config_options[];
extern const size_t config_options_count;

void config_init(struct config *c); /* defaults */
void config_free(struct config *c);

/*
 * Parses argv (and the environment: KAFKA_BOOTSTRAP_SERVERS,
 * ORDERTOP_THEME).  Returns 0; 1 when --help or --version was printed
 * (exit 0); -1 with a message in err naming the flag (exit 2).  Every
 * librdkafka property from -F/-X is checked here, so a bad one is a
 * configuration error rather than a failure of the pipeline.
 */
int config_parse_args(struct config *c, int argc, char **argv, char *err, size_t errlen);

/*
 * Reads a librdkafka properties file: key=value lines, '#' comments, blank
 * lines.  A bad line is an error "FILE:LINE: ...".  Warns (through
 * log_warn) when the file holds a secret and is readable by group/others.
 */
int config_load_properties(struct config *c, const char *path, char *err, size_t errlen);
/* "key=value" from -X. */
int config_set_property(struct config *c, const char *kv, const char *origin, char *err,
			size_t errlen);

/* True for keys whose values must never be shown (passwords, secrets...). */
bool config_is_secret_key(const char *key);
/* The value, or "******" for a secret; for logs and the UI. */
const char *config_display_value(const struct kv *p);

/* What a refused mutating action says under --read-only: "WHAT: refused,
 * ordertop runs read-only (--read-only or ordertop.read_only=true)". */
void config_read_only_text(const char *what, char *buf, size_t len);

/* The value of a librdkafka property set by -F/-X, or NULL. */
const char *config_get_property(const struct config *c, const char *key);

void kv_list_add(struct kv_list *l, const char *key, const char *value, const char *origin);
void kv_list_free(struct kv_list *l);

const char *config_topic_role_name(enum topic_id t); /* "orders", "valid", ... */
void config_usage(FILE *out);

#endif
