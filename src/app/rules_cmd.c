/*
 * rules_cmd.c — the `ordertop rules` command (see rules_cmd.h).  What it
 * prints from the fraud.rules topic (worker ids, parameter values) and
 * librdkafka's error texts are untrusted: they go through text_sanitize,
 * errors through the redactor too (log_print_error).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "config.h"
#include "engine.h"
#include "fraud_rules.h"
#include "log.h"
#include "rules_cmd.h"
#include "text_sanitize.h"
#include "whatif_cmd.h"

static void
usage(FILE *out)
{
	fputs("usage: ordertop rules list                        -b BROKERS [-F FILE] [-X "
	      "key=value]\n"
	      "       ordertop rules enable|disable|toggle RULE   -b BROKERS ...\n"
	      "       ordertop rules set RULE PARAM VALUE         -b BROKERS ...\n"
	      "       ordertop rules whatif RULE PARAM VALUE | enable RULE | disable RULE\n"
	      "                [--last N | --since TIME] [--json] -b BROKERS ...\n"
	      "RULE is a rule id (e.g. total_limit) or its number in `ordertop rules list`.\n"
	      "whatif re-decides the last N orders (10000), or those since TIME (30m, 2h,\n"
	      "or ms since the epoch), with the change, and publishes nothing.\n",
	      out);
}

static int
find_rule(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);
	if (*arg && *end == '\0')
		return n >= 1 && n <= fraud_rule_count ? (int)n - 1 : -1;
	return ruleset_find(arg);
}

static void
print_rules(const struct rules_status *st)
{
	printf("rules version %" PRIu64 "\n", st->current.version);
	for (int i = 0; i < fraud_rule_count; i++) {
		const struct fraud_rule_def *d = &fraud_rule_defs[i];
		printf("%2d %-3s %-18s %s", i + 1, st->current.rules[i].enabled ? "on" : "off",
		       d->id, d->name);
		for (int p = 0; p < d->n_params; p++) {
			char val[RULE_TEXT_MAX], safe[RULE_TEXT_MAX * 4];
			ruleset_param_text(&st->current, i, p, val, sizeof val);
			text_sanitize(safe, sizeof safe, val, strlen(val), -1);
			printf("%s%s=%s", p ? ", " : " (", d->params[p].name, safe);
		}
		printf("%s\n", d->n_params ? ")" : "");
	}
	for (int w = 0; w < st->n_workers; w++) {
		char id[sizeof st->workers[w].id * 4];
		text_sanitize(id, sizeof id, st->workers[w].id,
			      strnlen(st->workers[w].id, sizeof st->workers[w].id), -1);
		printf("worker %s applies version %" PRIu64 "\n", id,
		       st->workers[w].applied_version);
	}
}

/* The candidate rules: the rules in force with one change; decided side by
 * side over the recent orders.  Nothing is published. */
static int
whatif(struct engine *e, const struct config *cfg, int rule, int npos, char **pos,
       struct whatif_opts *wo)
{
	struct rules_status st;
	struct broker_status b;
	struct ruleset candidate;
	char err[1024], change[256];

	engine_rules_status(e, &st);
	engine_broker_status(e, &b);
	candidate = st.current;
	if (npos == 3) {
		candidate.rules[rule].enabled = strcmp(pos[1], "enable") == 0;
		snprintf(change, sizeof change, "%s %s (rules version %" PRIu64 " in force)",
			 pos[1], fraud_rule_defs[rule].id, st.current.version);
	} else {
		if (ruleset_set_param(&candidate, rule, pos[2], pos[3], err, sizeof err) < 0) {
			log_print_error("ordertop rules whatif", err);
			return 2;
		}
		char val[RULE_TEXT_MAX];
		int p = 0;
		while (p < fraud_rule_defs[rule].n_params &&
		       strcmp(fraud_rule_defs[rule].params[p].name, pos[2]) != 0)
			p++;
		ruleset_param_text(&candidate, rule, p, val, sizeof val);
		snprintf(change, sizeof change, "%s %s=%s (rules version %" PRIu64 " in force)",
			 fraud_rule_defs[rule].id, pos[2], val, st.current.version);
	}
	wo->change = change;
	if (whatif_cmd_run(cfg, b.bootstraps, &st.current, &candidate, wo, err, sizeof err) < 0) {
		log_print_error("ordertop rules whatif", err);
		return 1;
	}
	return 0;
}

int
rules_cmd_main(int argc, char **argv)
{
	char *pos[4] = { 0 };
	char *rest[argc + 1];
	int npos = 0, nrest = 0;
	char err[1024];

	/* Words before the first flag are the command; the rest are flags
	 * (whatif's own taken out). */
	struct whatif_opts wo = { .last = WHATIF_DEFAULT_LAST, .since_ms = -1 };
	const char *since = NULL;
	rest[nrest++] = argv[0];
	int i = 2;
	for (; i < argc && argv[i][0] != '-' && npos < 4; i++)
		pos[npos++] = argv[i];
	for (; i < argc; i++) {
		bool whatif = npos > 0 && strcmp(pos[0], "whatif") == 0;
		if (whatif && strcmp(argv[i], "--json") == 0) {
			wo.json = true;
		} else if (whatif && strcmp(argv[i], "--last") == 0 && i + 1 < argc) {
			char *end;
			wo.last = strtoll(argv[++i], &end, 10);
			if (*end != '\0' || wo.last < 1) {
				fprintf(stderr,
					"ordertop rules: --last: expected a number of orders "
					"> 0\n");
				return 2;
			}
		} else if (whatif && strcmp(argv[i], "--since") == 0 && i + 1 < argc) {
			since = argv[++i];
		} else {
			rest[nrest++] = argv[i];
		}
	}
	rest[nrest] = NULL;
	if (since != NULL && (wo.since_ms = whatif_parse_since(since, now_ms())) < 0) {
		fprintf(stderr,
			"ordertop rules: --since: expected 30s, 30m, 2h, 1d or ms since "
			"the epoch\n");
		return 2;
	}

	const char *verb = npos > 0 ? pos[0] : NULL;
	int want = !verb                    ? -1
		: strcmp(verb, "list") == 0 ? 1
		: strcmp(verb, "set") == 0  ? 4
		: strcmp(verb, "whatif") == 0
		? (npos > 1 && (strcmp(pos[1], "enable") == 0 || strcmp(pos[1], "disable") == 0)
			   ? 3
			   : 4)
		: (strcmp(verb, "enable") == 0 || strcmp(verb, "disable") == 0 ||
		   strcmp(verb, "toggle") == 0)
		? 2
		: -1;
	if (want < 0 || npos != want) {
		usage(stderr);
		return 2;
	}
	const char *rule_arg = strcmp(verb, "whatif") == 0 && npos == 3 ? pos[2] : pos[1];
	int rule = npos >= 2 ? find_rule(rule_arg) : 0;
	if (rule < 0) {
		char safe[256];
		text_sanitize(safe, sizeof safe, rule_arg, strlen(rule_arg), 60);
		fprintf(stderr, "ordertop rules: no rule '%s' (see `ordertop rules list`)\n", safe);
		return 2;
	}

	struct config cfg;
	config_init(&cfg);
	int rc = config_parse_args(&cfg, nrest, rest, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ordertop rules: %s\n", err);
		else
			usage(stdout);
		config_free(&cfg);
		return rc < 0 ? 2 : 0;
	}
	if (cfg.brokers == NULL) {
		fprintf(stderr,
			"ordertop rules: needs --brokers: an embedded cluster lives inside "
			"its own ordertop process (start that one with --bootstrap-file FILE and "
			"pass -b \"$(cat FILE)\")\n");
		config_free(&cfg);
		return 2;
	}
	if (cfg.timeout < 0)
		cfg.timeout = 30; /* a command gives up on unreachable brokers */
	if (cfg.read_only && strcmp(verb, "list") != 0) {
		config_read_only_text("ordertop rules", err, sizeof err);
		fprintf(stderr, "%s\n", err);
		config_free(&cfg);
		return 1;
	}
	log_set_level(cfg.log_level < LOG_INFO ? cfg.log_level : LOG_WARN);
	cfg.roles = 0;
	cfg.headless = true;

	struct engine *e = engine_new(&cfg);
	rc = 0;
	if (e == NULL || engine_start(e, err, sizeof err) < 0) {
		if (e == NULL)
			snprintf(err, sizeof err, "out of memory");
		log_print_error("ordertop rules", err);
		rc = 1;
	} else if (strcmp(verb, "whatif") == 0) {
		rc = whatif(e, &cfg, rule, npos, pos, &wo);
		engine_stop(e);
		engine_free(e);
		config_free(&cfg);
		return rc;
	} else if (strcmp(verb, "set") == 0) {
		if (engine_rule_set_param(e, rule, pos[2], pos[3], err, sizeof err) < 0) {
			log_print_error("ordertop rules", err);
			rc = 2;
		}
	} else if (strcmp(verb, "list") != 0) {
		struct rules_status st;
		engine_rules_status(e, &st);
		bool on = st.current.rules[rule].enabled;
		bool flip = strcmp(verb, "toggle") == 0 || on != (strcmp(verb, "enable") == 0);
		if (flip && engine_rule_toggle(e, rule, err, sizeof err) < 0) {
			log_print_error("ordertop rules", err);
			rc = 1;
		}
	}
	if (e) {
		engine_stop(e); /* flushes the new version to the broker */
		if (rc == 0) {
			struct rules_status st;
			engine_rules_status(e, &st);
			print_rules(&st);
		}
		engine_free(e);
	}
	config_free(&cfg);
	return rc;
}
