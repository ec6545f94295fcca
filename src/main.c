/*
 * main.c — ordertop's entry point: read the configuration, start the
 * pipeline, then hand over to the dashboard or to headless mode, and stop
 * everything cleanly however the run ends.
 *
 * Exit codes: 0 done, 1 the pipeline failed (or --drain timed out),
 * 2 bad command line or configuration: flags, librdkafka properties, and
 * the files named on the command line, all checked before the start.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "allocator.h"
#include "config.h"
#include "engine.h"
#include "explore_cmd.h"
#include "fraud_rules.h"
#include "headless.h"
#include "http_server.h"
#include "log.h"
#include "notify_exec.h"
#include "rules_cmd.h"
#include "summary.h"
#include "thread_priority.h"
#include "ui.h"

/* How far the pipeline's threads run below the dashboard's (nice levels). */
#define DASHBOARD_WORKER_NICE 10

static struct engine *running_engine;

/* Only sets flags: engine_request_stop() is one lock-free atomic store. */
static void
on_signal(int sig)
{
	(void)sig;
	if (running_engine)
		engine_request_stop(running_engine);
}

static void
install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int
check_config(const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->drain && cfg->count == 0 && cfg->duration <= 0) {
		snprintf(err, errlen,
			 "--drain needs --count N or --duration SEC "
			 "(it waits for the orders generated until then)");
		return -1;
	}
	if (cfg->drain && !(cfg->roles & ROLE_PRODUCER)) {
		snprintf(err, errlen,
			 "--drain waits for this process's own orders: "
			 "it needs the producer role");
		return -1;
	}
	if (cfg->drain && !cfg->generator_on && cfg->duration <= 0) {
		snprintf(err, errlen,
			 "--drain with --count waits for the generator "
			 "to make N orders, and --no-generate turns it off: add "
			 "--duration SEC or drop --no-generate");
		return -1;
	}
	if (!cfg->headless && ui_check_terminal(err, errlen) < 0)
		return -1;
	return 0;
}

/*
 * A file ordertop will write: it exists and is a writable file, or its
 * directory lets us create it.  by_rename: written as FILE.tmp, then
 * renamed over FILE, so only the directory matters.
 */
static int
check_output_file(const char *flag, const char *path, bool by_rename, char *err, size_t errlen)
{
	struct stat st;
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s %s: %s", flag, path, strerror(EISDIR));
			return -1;
		}
		if (!by_rename && access(path, W_OK) != 0) {
			snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
			return -1;
		}
		if (!by_rename)
			return 0;
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
		return -1;
	}
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s %s: %s", flag, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Files named on the command line, checked before anything starts, so a
 * typo is a configuration error (exit 2), not a failed pipeline. */
static int
check_files(const struct config *cfg, char *err, size_t errlen)
{
	char why[512];

	if (cfg->rules_file) {
		struct ruleset rules;
		if (ruleset_load_file(cfg->rules_file, &rules, why, sizeof why) < 0) {
			snprintf(err, errlen, "--rules %s", why);
			return -1;
		}
	}
	if (cfg->audit_file &&
	    check_output_file("--audit", cfg->audit_file, false, err, errlen) < 0)
		return -1;
	if (cfg->bootstrap_file &&
	    check_output_file("--bootstrap-file", cfg->bootstrap_file, true, err, errlen) < 0)
		return -1;
	if (cfg->summary_file && summary_check(cfg->summary_file, err, errlen) < 0)
		return -1;
	if (cfg->notify_exec && (cfg->roles & ROLE_NOTIFIER) &&
	    notify_exec_check(cfg->notify_exec, err, errlen) < 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	char err[1024];
	int rc;

	allocator_tune();
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* JSON numbers are written and read with '.' */
	log_init(LOG_INFO);
	if (argc > 1 && strcmp(argv[1], "rules") == 0)
		return rules_cmd_main(argc, argv);
	if (argc > 1 && explore_cmd_is_verb(argv[1]))
		return explore_cmd_main(argc, argv);
	config_init(&cfg);
	rc = config_parse_args(&cfg, argc, argv, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ordertop: %s\n", err);
		config_free(&cfg);
		return rc < 0 ? 2 : 0;
	}
	log_set_level(cfg.log_level);
	if (check_config(&cfg, err, sizeof err) < 0 || check_files(&cfg, err, sizeof err) < 0) {
		fprintf(stderr, "ordertop: %s\n", err);
		config_free(&cfg);
		return 2;
	}
	if (cfg.log_file && log_open_file(cfg.log_file) < 0) {
		fprintf(stderr, "ordertop: --log-file %s: %s\n", cfg.log_file, strerror(errno));
		config_free(&cfg);
		return 2;
	}

	struct engine *e = engine_new(&cfg);
	if (e == NULL) {
		fprintf(stderr, "ordertop: out of memory\n");
		config_free(&cfg);
		return 1;
	}
	running_engine = e;
	install_signals();
	/* The dashboard draws and reads keys ahead of the pipeline. */
	if (!cfg.headless)
		engine_set_worker_nice(e, DASHBOARD_WORKER_NICE);
	struct http_server *http = NULL;
	if (engine_start(e, err, sizeof err) < 0) {
		log_print_error("ordertop", err);
		rc = 1;
	} else if (cfg.http && (http = http_server_start(e, err, sizeof err)) == NULL) {
		fprintf(stderr, "ordertop: %s\n", err);
		rc = 2;
	} else if (cfg.headless) {
		rc = headless_run(e, &cfg);
	} else {
		/* what engine_start ran on this thread: librdkafka's and the
		 * embedded broker's threads */
		thread_priority_lower_others(DASHBOARD_WORKER_NICE);
		log_to_stderr(false);
		rc = ui_run(e, &cfg);
		log_to_stderr(true);
		if (engine_fatal_error(e))
			log_print_error("ordertop", engine_fatal_error(e));
	}
	http_server_stop(http);
	engine_stop(e);
	if (cfg.summary_file &&
	    headless_write_summary(e, cfg.summary_file, NULL, err, sizeof err) < 0) {
		fprintf(stderr, "ordertop: %s\n", err);
		rc = rc ? rc : 1;
	}
	running_engine = NULL;
	engine_free(e);
	log_close();
	config_free(&cfg);
	return rc;
}
