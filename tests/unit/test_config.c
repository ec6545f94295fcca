/*
 * test_config.c — unit tests for config.c: every flag, every error
 * message, the environment, -F property files and their precedence with
 * -X, secret keys (never shown, warned about when the file is readable by
 * others), --help/--version, the options table (defaults, ranges and help
 * all from it), librdkafka's check of the properties, and repeated parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#define MAX_ARGS 128

static char err[512];

/* Parses the NULL-terminated argument list (argv[0] is added). */
static int
parse(struct config *c, ...)
{
	char *argv[MAX_ARGS];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"ordertop";
	va_start(ap, c);
	for (char *a; (a = va_arg(ap, char *)) != NULL;) {
		assert_true(argc < MAX_ARGS - 1);
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return config_parse_args(c, argc, argv, err, sizeof err);
}

/* Writes text to a new temporary file with the given mode; returns its path. */
static char *
write_temp(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/ordertop-test-XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void
remove_temp(char *path)
{
	unlink(path);
	free(path);
}

/* Runs fn with stdout sent to a file; returns what it printed (malloc'd). */
static char *
capture_stdout(int (*fn)(void *), void *arg, int *rc)
{
	char path[] = "/tmp/ordertop-out-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);

	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	*rc = fn(arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);

	off_t len = lseek(fd, 0, SEEK_END);
	char *buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)len, 0), (ssize_t)len);
	close(fd);
	unlink(path);
	return buf;
}

static int
setup(void **state)
{
	static struct config c;

	unsetenv("KAFKA_BOOTSTRAP_SERVERS");
	unsetenv("ORDERTOP_THEME");
	log_to_stderr(false);
	config_init(&c);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	config_free(*state);
	return 0;
}

/* ---- defaults and flags ---- */

static void
test_defaults(void **state)
{
	struct config *c = *state;
	char host[256] = "";

	assert_null(c->brokers);
	assert_int_equal(c->embedded_brokers, 3);
	assert_int_equal(c->partitions, 3);
	assert_int_equal(c->replication_factor, -1);
	assert_null(c->bootstrap_file);
	assert_int_equal(c->props.n, 0);
	assert_string_equal(c->topics[TOPIC_ORDERS], "orders");
	assert_string_equal(c->topics[TOPIC_VALID], "orders.valid");
	assert_string_equal(c->topics[TOPIC_REFUSED], "orders.refused");
	assert_string_equal(c->topics[TOPIC_NOTIFICATIONS], "notifications");
	assert_string_equal(c->topics[TOPIC_NOTIFIED], "orders.notified");
	assert_string_equal(c->topics[TOPIC_DLQ], "orders.dlq");
	assert_string_equal(c->topics[TOPIC_RULES], "fraud.rules");
	assert_string_equal(c->group_prefix, "ordertop");
	gethostname(host, sizeof host - 1);
	assert_string_equal(c->instance, host);
	assert_int_equal(c->roles, ROLE_ALL);
	assert_true(c->rate == 50);
	assert_true(c->generator_on);
	assert_int_equal(c->count, 0);
	assert_true(c->suspicious_share == 0.1);
	assert_int_equal(c->seed, 0);
	assert_int_equal(c->max_in_flight, 10000);
	assert_null(c->rules_file);
	assert_null(c->notify_exec);
	assert_int_equal(c->notify_concurrency, 4);
	assert_int_equal(c->notify_timeout_ms, 5000);
	assert_int_equal(c->notify_retries, 3);
	assert_null(c->audit_file);
	assert_int_equal(c->table_size, 100000);
	assert_false(c->from_beginning);
	assert_int_equal(c->txn_max_msgs, 5000);
	assert_int_equal(c->txn_max_ms, 100);
	assert_false(c->headless);
	assert_true(c->duration == 0);
	assert_false(c->drain);
	assert_true(c->drain_timeout == 120);
	assert_null(c->summary_file);
	assert_null(c->log_file);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_null(c->theme);
	assert_null(c->theme_dir);
	assert_true(c->mouse);
	assert_int_equal(c->fps, 20);

	/* No arguments at all keeps every default. */
	assert_int_equal(parse(c, NULL), 0);
	assert_null(c->brokers);
	assert_int_equal(c->roles, ROLE_ALL);
}

static void
test_every_long_flag(void **state)
{
	struct config *c = *state;

	int rc = parse(c,
		"--brokers", "k1:9092,k2:9092",
		"--partitions", "12",
		"--replication-factor", "2",
		"--topic", "orders=o",
		"--topic", "valid=v",
		"--topic", "refused=r",
		"--topic", "notifications=n",
		"--topic", "notified=nd",
		"--topic", "dlq=d",
		"--topic", "rules=ru",
		"--group-prefix", "grp",
		"--instance", "node-7",
		"--roles", "fraud,notifier",
		"--rate", "12.5",
		"--no-generate",
		"--count", "5000",
		"--suspicious", "0.25",
		"--seed", "18446744073709551615",
		"--max-in-flight", "77",
		"--rules", "rules.json",
		"--notify-exec", "/bin/cat -n",
		"--notify-concurrency", "64",
		"--notify-timeout", "250",
		"--notify-retries", "0",
		"--audit", "audit.log",
		"--table-size", "100",
		"--from-beginning",
		"--txn-max-msgs", "10",
		"--txn-max-ms", "100",
		"--headless",
		"--duration", "2.5",
		"--drain",
		"--drain-timeout", "30",
		"--summary", "-",
		"--log-file", "ot.log",
		"--verbose",
		"--theme", "solarized",
		"--theme-dir", "./themes",
		"--no-mouse",
		"--fps", "120",
		"--config", "/dev/null",
		NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(err, "");
	assert_string_equal(c->brokers, "k1:9092,k2:9092");
	assert_int_equal(c->partitions, 12);
	assert_int_equal(c->replication_factor, 2);
	assert_string_equal(c->topics[TOPIC_ORDERS], "o");
	assert_string_equal(c->topics[TOPIC_VALID], "v");
	assert_string_equal(c->topics[TOPIC_REFUSED], "r");
	assert_string_equal(c->topics[TOPIC_NOTIFICATIONS], "n");
	assert_string_equal(c->topics[TOPIC_NOTIFIED], "nd");
	assert_string_equal(c->topics[TOPIC_DLQ], "d");
	assert_string_equal(c->topics[TOPIC_RULES], "ru");
	assert_string_equal(c->group_prefix, "grp");
	assert_string_equal(c->instance, "node-7");
	assert_int_equal(c->roles, ROLE_FRAUD | ROLE_NOTIFIER);
	assert_true(c->rate == 12.5);
	assert_false(c->generator_on);
	assert_int_equal(c->count, 5000);
	assert_true(c->suspicious_share == 0.25);
	assert_true(c->seed == UINT64_MAX);
	assert_int_equal(c->max_in_flight, 77);
	assert_string_equal(c->rules_file, "rules.json");
	assert_string_equal(c->notify_exec, "/bin/cat -n");
	assert_int_equal(c->notify_concurrency, 64);
	assert_int_equal(c->notify_timeout_ms, 250);
	assert_int_equal(c->notify_retries, 0);
	assert_string_equal(c->audit_file, "audit.log");
	assert_int_equal(c->table_size, 100);
	assert_true(c->from_beginning);
	assert_int_equal(c->txn_max_msgs, 10);
	assert_int_equal(c->txn_max_ms, 100);
	assert_true(c->headless);
	assert_true(c->duration == 2.5);
	assert_true(c->drain);
	assert_true(c->drain_timeout == 30);
	assert_string_equal(c->summary_file, "-");
	assert_string_equal(c->log_file, "ot.log");
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_string_equal(c->theme, "solarized");
	assert_string_equal(c->theme_dir, "./themes");
	assert_false(c->mouse);
	assert_int_equal(c->fps, 120);
	assert_int_equal(c->props.n, 0);

	/* The embedded cluster's two flags go without -b. */
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "--embedded-brokers", "5",
	                       "--bootstrap-file", "/tmp/boot", NULL), 0);
	assert_int_equal(c->embedded_brokers, 5);
	assert_string_equal(c->bootstrap_file, "/tmp/boot");
}

static void
test_short_flags_and_equals_form(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "-b", "a:1", "-X", "client.id=x",
	                       "-F", "/dev/null", "--partitions=7",
	                       "--fps=60", NULL), 0);
	assert_string_equal(c->brokers, "a:1");
	assert_string_equal(config_get_property(c, "client.id"), "x");
	assert_int_equal(c->partitions, 7);
	assert_int_equal(c->fps, 60);

	/* Attached short arguments. */
	assert_int_equal(parse(c, "-bb:2", "-Xacks=all", NULL), 0);
	assert_string_equal(c->brokers, "b:2");
	assert_string_equal(config_get_property(c, "acks"), "all");

	/* Unambiguous abbreviations, as getopt_long allows. */
	assert_int_equal(parse(c, "--partit", "9", NULL), 0);
	assert_int_equal(c->partitions, 9);
}

static void
test_verbose_quiet(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "-v", NULL), 0);
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(parse(c, "-vvv", NULL), 0);      /* clamps */
	assert_int_equal(c->log_level, LOG_DEBUG);

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-q", NULL), 0);
	assert_int_equal(c->log_level, LOG_WARN);
	assert_int_equal(parse(c, "--quiet", "-q", "-q", NULL), 0);
	assert_int_equal(c->log_level, LOG_ERROR);
	assert_int_equal(parse(c, "-v", NULL), 0);
	assert_int_equal(c->log_level, LOG_WARN);
}

static void
test_rate_roles_boundaries(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "--rate", "max", NULL), 0);
	assert_true(c->rate == 0);
	assert_int_equal(parse(c, "--rate", "0.5", NULL), 0);
	assert_true(c->rate == 0.5);

	assert_int_equal(parse(c, "--roles", "none", NULL), 0);
	assert_int_equal(c->roles, 0);
	assert_int_equal(parse(c, "--roles", "all", NULL), 0);
	assert_int_equal(c->roles, ROLE_ALL);
	assert_int_equal(parse(c, "--roles", "producer, monitor", NULL), 0);
	assert_int_equal(c->roles, ROLE_PRODUCER | ROLE_MONITOR);
	assert_int_equal(parse(c, "--roles", "producer,fraud,notifier,monitor",
	                       NULL), 0);
	assert_int_equal(c->roles, ROLE_ALL);

	assert_int_equal(parse(c, "--replication-factor", "-1",
	                       "--embedded-brokers", "16", "--partitions", "1",
	                       "--suspicious", "0", "--count", "0",
	                       "--notify-retries", "10", "--fps", "1", NULL), 0);
	assert_int_equal(c->replication_factor, -1);
	assert_int_equal(c->embedded_brokers, 16);
	assert_int_equal(c->partitions, 1);
	assert_true(c->suspicious_share == 0);
	assert_int_equal(c->notify_retries, 10);
	assert_int_equal(c->fps, 1);
	assert_int_equal(parse(c, "--suspicious", "1", NULL), 0);
	assert_true(c->suspicious_share == 1);

	/* A 249-character topic name is the longest allowed. */
	char arg[300];
	snprintf(arg, sizeof arg, "dlq=%0249d", 0);
	assert_int_equal(parse(c, "--topic", arg, NULL), 0);
	assert_int_equal(strlen(c->topics[TOPIC_DLQ]), 249);
	assert_int_equal(parse(c, "--topic", "dlq=A-b_c.9", NULL), 0);
	assert_string_equal(c->topics[TOPIC_DLQ], "A-b_c.9");
}

/* ---- errors ---- */

struct bad_value {
	const char *flag;       /* as given */
	const char *value;
	const char *want;       /* part of the message, besides flag and value */
};

static void
test_bad_values(void **state)
{
	struct config *c = *state;
	char longname[300];
	memset(longname, 'a', 250);
	longname[250] = '\0';
	char longtopic[320];
	snprintf(longtopic, sizeof longtopic, "orders=%s", longname);

	const struct bad_value cases[] = {
		{ "--brokers", "", "host:port" },
		{ "--embedded-brokers", "0", "between 1 and 16" },
		{ "--embedded-brokers", "17", "between 1 and 16" },
		{ "--partitions", "x", "expected an integer between 1 and 1000" },
		{ "--partitions", "0", "between 1 and 1000" },
		{ "--partitions", "1001", "between 1 and 1000" },
		{ "--partitions", "3x", "between 1 and 1000" },
		{ "--partitions", "", "between 1 and 1000" },
		{ "--partitions", " 3", "between 1 and 1000" },
		{ "--partitions", "99999999999999999999", "between 1 and 1000" },
		{ "--replication-factor", "0", "-1 or an integer between 1 and 32" },
		{ "--replication-factor", "-2", "-1 or" },
		{ "--replication-factor", "33", "-1 or" },
		{ "--bootstrap-file", "", "file name" },
		{ "--topic", "orders", "ROLE=NAME" },
		{ "--topic", "=x", "ROLE=NAME" },
		{ "--topic", "bogus=x", "unknown role 'bogus'" },
		{ "--topic", "orders=", "invalid topic name" },
		{ "--topic", "orders=.", "invalid topic name" },
		{ "--topic", "orders=..", "invalid topic name" },
		{ "--topic", "orders=a b", "invalid topic name" },
		{ "--topic", "orders=a/b", "invalid topic name" },
		{ "--topic", "orders=caf\xc3\xa9", "invalid topic name" },
		{ "--topic", longtopic, "invalid topic name" },
		{ "--group-prefix", "", "non-empty name" },
		{ "--instance", "", "non-empty name" },
		{ "--instance", "a\x1b", "control characters" },
		{ "--roles", "producer,cook", "unknown role 'cook'" },
		{ "--roles", "", "list of roles" },
		{ "--roles", "producer,,fraud", "unknown role ''" },
		{ "--rate", "0", "> 0, or 'max'" },
		{ "--rate", "-3", "> 0, or 'max'" },
		{ "--rate", "fast", "> 0, or 'max'" },
		{ "--rate", "nan", "> 0, or 'max'" },
		{ "--rate", "inf", "> 0, or 'max'" },
		{ "--count", "-1", ">= 0" },
		{ "--count", "many", ">= 0" },
		{ "--suspicious", "1.5", "between 0 and 1" },
		{ "--suspicious", "-0.1", "between 0 and 1" },
		{ "--suspicious", "half", "between 0 and 1" },
		{ "--seed", "-1", "non-negative integer" },
		{ "--seed", "18446744073709551616", "non-negative integer" },
		{ "--seed", "x", "non-negative integer" },
		{ "--max-in-flight", "0", ">= 1" },
		{ "--rules", "", "file name" },
		{ "--notify-exec", "", "program" },
		{ "--notify-exec", "   ", "program" },
		{ "--notify-concurrency", "0", "between 1 and 64" },
		{ "--notify-concurrency", "65", "between 1 and 64" },
		{ "--notify-timeout", "0", ">= 1" },
		{ "--notify-timeout", "-5", ">= 1" },
		{ "--notify-retries", "11", "between 0 and 10" },
		{ "--notify-retries", "-1", "between 0 and 10" },
		{ "--audit", "", "file name" },
		{ "--table-size", "99", ">= 100" },
		{ "--txn-max-msgs", "0", ">= 1" },
		{ "--txn-max-ms", "0", ">= 1" },
		{ "--duration", "-1", ">= 0" },
		{ "--duration", "soon", ">= 0" },
		{ "--drain-timeout", "0", "> 0" },
		{ "--drain-timeout", "x", "> 0" },
		{ "--summary", "", "file name" },
		{ "--log-file", "", "file name" },
		{ "--theme", "", "non-empty name" },
		{ "--theme-dir", "", "file name" },
		{ "--fps", "0", "between 1 and 120" },
		{ "--fps", "121", "between 1 and 120" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct bad_value *t = &cases[i];
		char quoted[400];

		config_free(c);
		config_init(c);
		int rc = parse(c, (char *)t->flag, (char *)t->value, NULL);
		snprintf(quoted, sizeof quoted, "'%s'", t->value);
		if (rc != -1 || strstr(err, t->flag) == NULL ||
		    strstr(err, quoted) == NULL || strstr(err, t->want) == NULL)
			fail_msg("%s %s: rc %d, message \"%s\"", t->flag,
			         t->value, rc, err);
	}

	/* The exact style. */
	assert_int_equal(parse(c, "--partitions", "x", NULL), -1);
	assert_string_equal(err, "--partitions: expected an integer between "
	                         "1 and 1000, got 'x'");
	/* The short form is named too. */
	assert_int_equal(parse(c, "-b", "", NULL), -1);
	assert_non_null(strstr(err, "-b/--brokers"));
}

static void
test_bad_options(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "--foo", NULL), -1);
	assert_string_equal(err, "unknown option '--foo' (see --help)");
	assert_int_equal(parse(c, "--foo=bar", NULL), -1);
	assert_string_equal(err, "unknown option '--foo' (see --help)");
	assert_int_equal(parse(c, "-z", NULL), -1);
	assert_string_equal(err, "unknown option '-z' (see --help)");
	assert_int_equal(parse(c, "-vz", NULL), -1);
	assert_string_equal(err, "unknown option '-z' (see --help)");

	assert_int_equal(parse(c, "--no-", NULL), -1);
	assert_string_equal(err, "ambiguous option '--no-' (could be "
	                         "--no-generate, --no-mouse; see --help)");
	assert_int_equal(parse(c, "--no", NULL), -1);
	assert_string_equal(err, "ambiguous option '--no' (could be "
	                         "--no-generate, --notify-exec, "
	                         "--notify-concurrency, --notify-timeout, ...; "
	                         "see --help)");

	assert_int_equal(parse(c, "--headless=yes", NULL), -1);
	assert_non_null(strstr(err, "--headless takes no value"));

	assert_int_equal(parse(c, "--partitions", NULL), -1);
	assert_string_equal(err, "--partitions: missing argument (see --help)");
	assert_int_equal(parse(c, "-b", NULL), -1);
	assert_string_equal(err, "-b/--brokers: missing argument (see --help)");
	assert_int_equal(parse(c, "--brokers", NULL), -1);
	assert_string_equal(err, "-b/--brokers: missing argument (see --help)");
	assert_int_equal(parse(c, "-X", NULL), -1);
	assert_string_equal(err, "-X: missing argument (see --help)");

	assert_int_equal(parse(c, "orders", NULL), -1);
	assert_non_null(strstr(err, "unexpected argument 'orders'"));
	assert_int_equal(parse(c, "--headless", "extra", NULL), -1);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(parse(c, "--", "extra", NULL), -1);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));

	/* Two roles on one topic. */
	assert_int_equal(parse(c, "--topic", "valid=orders", NULL), -1);
	assert_non_null(strstr(err, "--topic"));
	assert_non_null(strstr(err, "'orders'"));
}

static void
test_x_errors(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "-X", "acks", NULL), -1);
	assert_string_equal(err, "-X: expected key=value, got 'acks'");
	assert_int_equal(parse(c, "-X", "=1", NULL), -1);
	assert_string_equal(err, "-X: expected key=value, got '=1'");

	/* Looks like a secret: not echoed. */
	assert_int_equal(parse(c, "-X", "sasl.password:hunter2", NULL), -1);
	assert_string_equal(err, "-X: expected key=value");
	assert_null(strstr(err, "hunter2"));

	/* An empty value is allowed; spaces around key and value trimmed. */
	assert_int_equal(parse(c, "-X", " client.id = ", NULL), 0);
	assert_string_equal(config_get_property(c, "client.id"), "");
	assert_string_equal(c->props.items[0].origin, "-X");
}

/* ---- environment ---- */

static void
test_environment(void **state)
{
	struct config *c = *state;

	setenv("KAFKA_BOOTSTRAP_SERVERS", "env:9092", 1);
	setenv("ORDERTOP_THEME", "envtheme", 1);
	assert_int_equal(parse(c, NULL), 0);
	assert_string_equal(c->brokers, "env:9092");
	assert_string_equal(c->theme, "envtheme");

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-b", "flag:1", "--theme", "flagtheme", NULL), 0);
	assert_string_equal(c->brokers, "flag:1");
	assert_string_equal(c->theme, "flagtheme");

	/* bootstrap.servers from -X beats the environment, -b beats both. */
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "bootstrap.servers=prop:1", NULL), 0);
	assert_string_equal(c->brokers, "prop:1");
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "bootstrap.servers=prop:1",
	                       "-b", "flag:2", NULL), 0);
	assert_string_equal(c->brokers, "flag:2");

	/* Empty variables count as unset. */
	config_free(c);
	config_init(c);
	setenv("KAFKA_BOOTSTRAP_SERVERS", "", 1);
	setenv("ORDERTOP_THEME", "", 1);
	assert_int_equal(parse(c, NULL), 0);
	assert_null(c->brokers);
	assert_null(c->theme);

	unsetenv("KAFKA_BOOTSTRAP_SERVERS");
	unsetenv("ORDERTOP_THEME");
}

/* ---- -F property files ---- */

static void
test_properties_file(void **state)
{
	struct config *c = *state;
	char *path = write_temp(
		"# a comment\n"
		"\n"
		"   \n"
		"  security.protocol = SASL_SSL  \n"
		"\t# indented comment\n"
		"! java-style comment\n"
		"sasl.mechanisms=PLAIN\r\n"
		"ssl.endpoint.identification.algorithm=\n"
		"client.id=a=b\n"
		"last.line.no.newline=1", 0600);
	char origin[300];

	assert_int_equal(config_load_properties(c, path, err, sizeof err), 0);
	assert_int_equal(c->props.n, 5);
	assert_string_equal(c->props.items[0].key, "security.protocol");
	assert_string_equal(c->props.items[0].value, "SASL_SSL");
	snprintf(origin, sizeof origin, "%s:4", path);
	assert_string_equal(c->props.items[0].origin, origin);
	assert_string_equal(c->props.items[1].key, "sasl.mechanisms");
	assert_string_equal(c->props.items[1].value, "PLAIN");
	snprintf(origin, sizeof origin, "%s:7", path);
	assert_string_equal(c->props.items[1].origin, origin);
	assert_string_equal(config_get_property(c,
	                    "ssl.endpoint.identification.algorithm"), "");
	assert_string_equal(config_get_property(c, "client.id"), "a=b");
	assert_string_equal(config_get_property(c, "last.line.no.newline"), "1");
	assert_null(config_get_property(c, "nope"));
	remove_temp(path);
}

static void
test_properties_bad_line(void **state)
{
	struct config *c = *state;
	char *path = write_temp("a=1\n# ok\nsasl.password hunter2\nb=2\n", 0600);
	char want[300];

	snprintf(want, sizeof want, "%s:3: expected key=value", path);
	assert_int_equal(config_load_properties(c, path, err, sizeof err), -1);
	assert_string_equal(err, want);
	assert_null(strstr(err, "hunter2"));
	assert_int_equal(c->props.n, 0);             /* all or nothing */

	assert_int_equal(parse(c, "-F", path, NULL), -1);
	assert_string_equal(err, want);
	remove_temp(path);

	path = write_temp("a=1\n  = 2\n", 0600);
	snprintf(want, sizeof want, "%s:2: expected key=value", path);
	assert_int_equal(parse(c, "--config", path, NULL), -1);
	assert_string_equal(err, want);
	remove_temp(path);
}

static void
test_properties_missing_file(void **state)
{
	struct config *c = *state;
	const char *path = "/nonexistent/ordertop.properties";

	assert_int_equal(config_load_properties(c, path, err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/ordertop.properties: "
	                         "No such file or directory");
	assert_int_equal(parse(c, "-F", path, NULL), -1);
	assert_non_null(strstr(err, "-F"));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file or directory"));
}

static void
test_precedence_f_and_x(void **state)
{
	struct config *c = *state;
	char *a = write_temp("acks=1\nlinger.ms=5\n", 0600);
	char *b = write_temp("acks=all\n", 0600);

	assert_int_equal(parse(c, "-F", a, "-X", "acks=0", NULL), 0);
	assert_string_equal(config_get_property(c, "acks"), "0");
	assert_string_equal(config_get_property(c, "linger.ms"), "5");

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "acks=0", "-F", a, NULL), 0);
	assert_string_equal(config_get_property(c, "acks"), "1");

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-F", a, "-X", "acks=0", "-F", b,
	                       "-X", "linger.ms=50", NULL), 0);
	assert_string_equal(config_get_property(c, "acks"), "all");
	assert_string_equal(config_get_property(c, "linger.ms"), "50");
	/* The list keeps every occurrence, in order. */
	assert_int_equal(c->props.n, 5);
	assert_string_equal(c->props.items[2].origin, "-X");
	assert_string_equal(c->props.items[2].value, "0");
	assert_string_equal(c->props.items[4].origin, "-X");

	remove_temp(a);
	remove_temp(b);
}

/* ---- secrets ---- */

static void
test_secret_keys(void **state)
{
	(void)state;
	const char *secret[] = {
		"sasl.password", "ssl.key.password", "SSL.KEYSTORE.PASSWORD",
		"sasl.oauthbearer.client.secret", "sasl.oauthbearer.config",
		"ssl.key.pem", "my_ssl_key", "sasl.jaas.config",
		"sasl.oauthbearer.token.endpoint.url", "Token",
	};
	const char *plain[] = {
		"bootstrap.servers", "sasl.username", "ssl.key.location",
		"security.protocol", "sasl.mechanisms", "ssl.certificate.pem", "",
	};

	for (size_t i = 0; i < sizeof secret / sizeof *secret; i++)
		if (!config_is_secret_key(secret[i]))
			fail_msg("%s should be secret", secret[i]);
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (config_is_secret_key(plain[i]))
			fail_msg("%s should not be secret", plain[i]);
	assert_false(config_is_secret_key(NULL));

	struct kv s = { (char *)"sasl.password", (char *)"hunter2", (char *)"-X" };
	struct kv p = { (char *)"sasl.username", (char *)"alice", (char *)"-X" };
	assert_string_equal(config_display_value(&s), "******");
	assert_string_equal(config_display_value(&p), "alice");
}

/* True when a log line after seq mentions every needle. */
static bool
log_has(uint64_t after, const char *needle, const char *also)
{
	struct log_line lines[LOG_RING_LINES];
	size_t n = log_copy_since(after, lines, LOG_RING_LINES);

	for (size_t i = 0; i < n; i++)
		if (strstr(lines[i].text, needle) != NULL &&
		    (also == NULL || strstr(lines[i].text, also) != NULL))
			return true;
	return false;
}

static void
test_secret_file_permissions(void **state)
{
	struct config *c = *state;
	const char *text = "sasl.username=alice\nsasl.password=hunter2\n";
	char *open_file = write_temp(text, 0644);
	char *closed_file = write_temp(text, 0600);
	char *plain_file = write_temp("acks=all\n", 0644);
	char chmod_hint[300];

	log_init(LOG_INFO);
	log_to_stderr(false);

	uint64_t before = log_last_seq();
	assert_int_equal(config_load_properties(c, open_file, err, sizeof err), 0);
	snprintf(chmod_hint, sizeof chmod_hint, "chmod 600 %s", open_file);
	assert_true(log_has(before, "readable by other users", "sasl.password"));
	assert_true(log_has(before, open_file, chmod_hint));
	assert_false(log_has(before, "hunter2", NULL));

	struct log_line lines[8];
	assert_int_equal(log_copy_since(before, lines, 8), 1);
	assert_int_equal(lines[0].level, LOG_WARN);
	assert_non_null(strstr(lines[0].text, "config: "));

	before = log_last_seq();
	assert_int_equal(config_load_properties(c, closed_file, err, sizeof err), 0);
	assert_int_equal(config_load_properties(c, plain_file, err, sizeof err), 0);
	assert_int_equal(log_last_seq(), before);

	/* Through -F, too; and the value stays out of the log. */
	before = log_last_seq();
	assert_int_equal(parse(c, "-F", open_file, NULL), 0);
	assert_true(log_has(before, "readable by other users", NULL));
	assert_false(log_has(0, "hunter2", NULL));
	assert_string_equal(config_get_property(c, "sasl.password"), "hunter2");

	remove_temp(open_file);
	remove_temp(closed_file);
	remove_temp(plain_file);
}

/* ---- help, version, repetition ---- */

static int
run_help(void *arg)
{
	return parse(arg, "--headless", "-h", NULL);
}

static int
run_version(void *arg)
{
	return parse(arg, "--version", NULL);
}

static int
run_usage(void *arg)
{
	(void)arg;
	config_usage(stdout);
	return 0;
}

static void
test_help_and_version(void **state)
{
	struct config *c = *state;
	int rc;

	char *out = capture_stdout(run_help, c, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "Usage: ordertop"));
	free(out);

	out = capture_stdout(run_version, c, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(out, "ordertop 0.1.0\n");
	free(out);
}

static void
test_usage_mentions_every_flag(void **state)
{
	(void)state;
	static const char *const want[] = {
		"Broker:", "Pipeline:", "Run mode:", "Dashboard:", "Examples:",
		"-b, --brokers", "--embedded-brokers", "--partitions",
		"--replication-factor", "--bootstrap-file", "-F, --config",
		"-X KEY=VALUE", "--topic ROLE=NAME", "--group-prefix",
		"--instance", "--roles", "--rate N|max", "--no-generate",
		"--count", "--suspicious", "--seed", "--max-in-flight",
		"--rules", "--notify-exec", "--notify-concurrency",
		"--notify-timeout", "--notify-retries", "--audit",
		"--table-size", "--from-beginning", "--txn-max-msgs",
		"--txn-max-ms", "--headless", "--duration", "--drain ",
		"--drain-timeout", "--summary", "--log-file", "-v, --verbose",
		"-q, --quiet", "--theme NAME", "--theme-dir", "--no-mouse",
		"--fps", "-h, --help", "-V, --version",
		"KAFKA_BOOTSTRAP_SERVERS", "ORDERTOP_THEME",
	};
	int rc;
	char *out = capture_stdout(run_usage, NULL, &rc);

	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (strstr(out, want[i]) == NULL)
			fail_msg("usage lacks \"%s\"", want[i]);

	/* Fits an 80-column terminal. */
	for (char *line = out, *nl; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		if (nl - line > 79)
			fail_msg("usage line too long: %.*s", (int)(nl - line), line);
	}
	free(out);
}

/* ---- the options table ---- */

/* "--partitions" or "-b/--brokers" or "-X", as messages name options. */
static void
option_name(const struct config_option *o, char *buf, size_t len)
{
	if (o->short_flag != 0 && o->name != NULL)
		snprintf(buf, len, "-%c/--%s", o->short_flag, o->name);
	else if (o->short_flag != 0)
		snprintf(buf, len, "-%c", o->short_flag);
	else
		snprintf(buf, len, "--%s", o->name);
}

static void
test_table_is_consistent(void **state)
{
	(void)state;
	assert_true(config_options_count > 40);
	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *a = &config_options[i];

		if (a->name == NULL && a->short_flag == 0)
			fail_msg("option %zu has no flag", i);
		if (a->help == NULL || *a->help == '\0')
			fail_msg("option %zu has no help", i);
		if (a->type == CONFIG_DOUBLE && a->unit == NULL)
			fail_msg("--%s: a double needs a unit", a->name);
		if ((a->type == CONFIG_SET || a->type == CONFIG_CLEAR) &&
		    a->arg != NULL)
			fail_msg("--%s: a flag takes no value", a->name);
		if ((a->type == CONFIG_UNSIGNED || a->type == CONFIG_ACTION ||
		     a->type == CONFIG_STRING) && a->parse == NULL)
			fail_msg("option %zu needs a parser", i);
		for (size_t j = i + 1; j < config_options_count; j++) {
			const struct config_option *b = &config_options[j];
			if (a->name && b->name && strcmp(a->name, b->name) == 0)
				fail_msg("--%s twice", a->name);
			if (a->short_flag && a->short_flag == b->short_flag)
				fail_msg("-%c twice", a->short_flag);
		}
	}
}

/* Every numeric, string and flag default of config_init is the table's. */
static void
test_table_defaults(void **state)
{
	struct config *c = *state;

	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];
		const char *field = (const char *)c + o->offset;
		bool ok = true;

		switch (o->type) {
		case CONFIG_INT:
			ok = *(const int *)(const void *)field == (int)o->def;
			break;
		case CONFIG_INT64:
			ok = *(const int64_t *)(const void *)field == (int64_t)o->def;
			break;
		case CONFIG_UINT64:
			ok = *(const uint64_t *)(const void *)field == (uint64_t)o->def;
			break;
		case CONFIG_UNSIGNED:
			ok = *(const unsigned *)(const void *)field == (unsigned)o->def;
			break;
		case CONFIG_DOUBLE:
			ok = *(const double *)(const void *)field == o->def;
			break;
		case CONFIG_SET:
			ok = !*(const bool *)(const void *)field;
			break;
		case CONFIG_CLEAR:
			ok = *(const bool *)(const void *)field;
			break;
		case CONFIG_STRING:
		case CONFIG_PATH:
		case CONFIG_NAME: {
			const char *v = *(char *const *)(const void *)field;
			if (o->def_str != NULL)
				ok = v != NULL && strcmp(v, o->def_str) == 0;
			else if (o->def_text == NULL)
				ok = v == NULL;
			break;
		}
		case CONFIG_ACTION:
			break;
		}
		if (!ok)
			fail_msg("option %zu (%s): default differs from the table",
			         i, o->name ? o->name : "?");
	}
}

/* The part of --help that describes option o, whitespace collapsed. */
static void
help_block(const char *help, const struct config_option *o, char *out,
           size_t len)
{
	char head[64];
	const char *start, *end;
	size_t n = 0;

	if (o->short_flag != 0 && o->name != NULL)
		snprintf(head, sizeof head, "\n  -%c, --%s", o->short_flag, o->name);
	else if (o->short_flag != 0)
		snprintf(head, sizeof head, "\n  -%c", o->short_flag);
	else
		snprintf(head, sizeof head, "\n      --%s", o->name);
	if (o->arg != NULL)
		snprintf(head + strlen(head), sizeof head - strlen(head), " %s ",
		         o->arg);
	else
		snprintf(head + strlen(head), sizeof head - strlen(head), " ");
	start = strstr(help, head);
	if (start == NULL)
		fail_msg("--help lacks \"%s\"", head + 1);
	start++;
	/* Up to the next option or section: a line not indented 30 columns. */
	for (end = strchr(start, '\n'); end != NULL && strncmp(end + 1,
	     "                              ", 30) == 0; end = strchr(end + 1, '\n'))
		;
	if (end == NULL)
		end = start + strlen(start);
	for (const char *p = start; p < end && n + 1 < len; p++) {
		bool space = *p == ' ' || *p == '\n';
		if (space && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = space ? ' ' : *p;
	}
	out[n] = '\0';
}

static void
test_table_help_has_every_option_and_default(void **state)
{
	(void)state;
	int rc;
	char *help = capture_stdout(run_usage, NULL, &rc);

	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];
		bool numeric = o->type == CONFIG_INT || o->type == CONFIG_INT64 ||
		               o->type == CONFIG_UINT64 ||
		               o->type == CONFIG_DOUBLE;
		char block[1024], want[256] = "";

		help_block(help, o, block, sizeof block);
		if (o->arg == NULL)
			continue;            /* a flag: nothing to default */
		if (o->def_text != NULL)
			snprintf(want, sizeof want, "(%s)", o->def_text);
		else if (numeric && o->def == 0 && o->zero != NULL)
			snprintf(want, sizeof want, "(0 = %s)", o->zero);
		else if (numeric)
			snprintf(want, sizeof want, "(%g)", o->def);
		else if (o->def_str != NULL)
			snprintf(want, sizeof want, "(%s)", o->def_str);
		if (*want != '\0' && strstr(block, want) == NULL)
			fail_msg("--help of %s lacks its default %s: \"%s\"",
			         o->name, want, block);
		/* A bounded range is shown, as "MIN-MAX". */
		if (numeric && o->parse == NULL && !isinf(o->maximum)) {
			snprintf(want, sizeof want, "%g-%g", o->minimum,
			         o->maximum);
			if (strstr(block, want) == NULL)
				fail_msg("--help of %s lacks its range %s", o->name,
				         want);
		}
	}
	free(help);
}

/* Just outside the range, each numeric option is refused naming the
 * flag and the range; at its ends it is accepted. */
static void
test_table_ranges(void **state)
{
	struct config *c = *state;
	int checked = 0;

	for (size_t i = 0; i < config_options_count; i++) {
		const struct config_option *o = &config_options[i];
		char name[64], flag[64], range[64], low[64], high[64];
		bool is_int = o->type == CONFIG_INT || o->type == CONFIG_INT64;

		if ((!is_int && o->type != CONFIG_DOUBLE) || o->parse != NULL)
			continue;
		option_name(o, name, sizeof name);
		snprintf(flag, sizeof flag, "--%s", o->name);
		if (!isinf(o->maximum))
			snprintf(range, sizeof range, "between %g and %g",
			         o->minimum, o->maximum);
		else
			snprintf(range, sizeof range, "%s %g",
			         o->above_minimum ? ">" : ">=", o->minimum);
		snprintf(low, sizeof low, "%g", o->above_minimum ? o->minimum :
		         o->minimum - (is_int ? 1 : 0.5));
		snprintf(high, sizeof high, "%g", o->maximum + (is_int ? 1 : 0.5));

		config_free(c);
		config_init(c);
		if (parse(c, flag, low, NULL) != -1 || strstr(err, name) == NULL ||
		    strstr(err, range) == NULL)
			fail_msg("%s %s: \"%s\" should name %s and %s", flag, low,
			         err, name, range);
		if (!isinf(o->maximum) &&
		    (parse(c, flag, high, NULL) != -1 ||
		     strstr(err, name) == NULL || strstr(err, range) == NULL))
			fail_msg("%s %s: \"%s\"", flag, high, err);

		if (!o->above_minimum) {
			snprintf(low, sizeof low, "%g", o->minimum);
			if (parse(c, flag, low, NULL) != 0)
				fail_msg("%s %s refused: %s", flag, low, err);
		}
		if (!isinf(o->maximum)) {
			snprintf(high, sizeof high, "%g", o->maximum);
			if (parse(c, flag, high, NULL) != 0)
				fail_msg("%s %s refused: %s", flag, high, err);
		}
		checked++;
	}
	assert_true(checked >= 12);
}

/* ---- librdkafka properties are checked while parsing ---- */

static void
test_properties_checked(void **state)
{
	struct config *c = *state;
	char *path = write_temp("acks=all\nlinger.ms=-5\n", 0600);
	char want[400];

	assert_int_equal(parse(c, "-X", "foo.bar=1", NULL), -1);
	assert_string_equal(err, "-X: No such configuration property: "
	                         "\"foo.bar\"");

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "acks=sometimes", NULL), -1);
	assert_non_null(strstr(err, "-X: Invalid value"));

	/* A bad value in a file names the file and line; no newline. */
	config_free(c);
	config_init(c);
	snprintf(want, sizeof want, "%s:2: ", path);
	assert_int_equal(parse(c, "-F", path, NULL), -1);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "outside allowed range"));
	assert_null(strchr(err, '\n'));
	remove_temp(path);

	/* ordertop's own options are flags, not properties. */
	path = write_temp("ordertop.rate=5\n", 0600);
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-F", path, NULL), -1);
	assert_non_null(strstr(err, "ordertop.rate"));
	assert_non_null(strstr(err, "(--rate)"));
	remove_temp(path);

	/* A mistyped secret key: the value stays out of the message. */
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "sasl.passwrd=hunter2", NULL), -1);
	assert_null(strstr(err, "hunter2"));

	/* Good ones pass, managed ones too (kafka_client overrides them). */
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-X", "acks=all", "-X", "linger.ms=0",
	                       "-X", "group.id=x", "-X",
	                       "security.protocol=plaintext", NULL), 0);
}

/* Options for the embedded cluster make no sense with given brokers. */
static void
test_brokers_and_embedded_flags(void **state)
{
	struct config *c = *state;

	assert_int_equal(parse(c, "-b", "k:1", "--embedded-brokers", "2",
	                       NULL), -1);
	assert_string_equal(err, "--embedded-brokers applies only to the "
	                         "embedded cluster, which is not started when "
	                         "-b/--brokers names the brokers");

	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "--bootstrap-file", "/tmp/b", "-X",
	                       "bootstrap.servers=k:1", NULL), -1);
	assert_non_null(strstr(err, "--bootstrap-file applies only to the "
	                            "embedded cluster"));
	assert_non_null(strstr(err, "bootstrap.servers from -X"));

	config_free(c);
	config_init(c);
	setenv("KAFKA_BOOTSTRAP_SERVERS", "env:1", 1);
	assert_int_equal(parse(c, "--embedded-brokers", "1", NULL), -1);
	assert_non_null(strstr(err, "$KAFKA_BOOTSTRAP_SERVERS"));
	unsetenv("KAFKA_BOOTSTRAP_SERVERS");

	/* --partitions and --replication-factor apply to a real cluster. */
	config_free(c);
	config_init(c);
	assert_int_equal(parse(c, "-b", "k:1", "--partitions", "6",
	                       "--replication-factor", "3", NULL), 0);
}

static void
test_repeated_parse(void **state)
{
	struct config *c = *state;

	for (int i = 0; i < 3; i++) {
		config_free(c);
		config_init(c);
		assert_int_equal(parse(c, "--partitions", "5", "orders", NULL), -1);
		assert_int_equal(parse(c, "--bogus", NULL), -1);
		assert_int_equal(parse(c, "-vq", "--partitions", "4",
		                       "-b", "x:1", "-b", "y:2", NULL), 0);
		assert_int_equal(c->partitions, 4);
		assert_string_equal(c->brokers, "y:2");
		assert_int_equal(parse(c, "--fps", "30", NULL), 0);
		assert_int_equal(c->fps, 30);
		assert_int_equal(c->partitions, 4);     /* kept from before */
	}
	/* config_free twice is harmless. */
	config_free(c);
	config_free(c);
	config_init(c);
}

/* --order-map and the output maps: the program text, also from @FILE;
 * what jq cannot compile is refused with jq's message. */
static void
test_jq_maps(void **state)
{
	struct config *c = *state;
	char path[] = "/tmp/test_config_map_XXXXXX";
	int fd = mkstemp(path);
	const char program[] = "# the envelope\n.dados | fromjson\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, program, strlen(program)), (ssize_t)strlen(program));
	close(fd);
	char at[sizeof path + 1];
	snprintf(at, sizeof at, "@%s", path);
	assert_int_equal(parse(c, "--order-map", at, "--decision-map", ". + {mensagem: .status}",
	                       NULL), 0);
	assert_string_equal(c->order_map, program);
	assert_string_equal(c->decision_map, ". + {mensagem: .status}");
	assert_null(c->notification_map);

	assert_int_equal(parse(c, "--notification-map", "{a: .b", NULL), -1);
	assert_non_null(strstr(err, "--notification-map: jq: error: syntax error"));
	assert_int_equal(parse(c, "--order-map", "  ", NULL), -1);
	assert_non_null(strstr(err, "--order-map: expected a jq program"));
	unlink(path);
	assert_int_equal(parse(c, "--order-map", at, NULL), -1);
	assert_non_null(strstr(err, "No such file"));
}

static void
test_kv_list_and_names(void **state)
{
	(void)state;
	struct kv_list l = { 0 };
	char key[32];

	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		kv_list_add(&l, key, NULL, NULL);
	}
	assert_int_equal(l.n, 100);
	assert_string_equal(l.items[99].key, "k99");
	assert_string_equal(l.items[99].value, "");
	kv_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);

	const char *names[] = { "orders", "valid", "refused", "notifications",
	                        "notified", "dlq", "rules", "state" };
	for (int t = 0; t < TOPIC__COUNT; t++)
		assert_string_equal(config_topic_role_name((enum topic_id)t),
		                    names[t]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jq_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_long_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_flags_and_equals_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verbose_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_roles_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_properties_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_properties_bad_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_properties_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence_f_and_x, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_file_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_and_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage_mentions_every_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_is_consistent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_help_has_every_option_and_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_properties_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brokers_and_embedded_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kv_list_and_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
