/*
 * whatif_cmd.h — `ordertop rules whatif`: the most recent orders of the
 * orders topic (the last N, or those since a time) read by a side reader
 * (assign, read_committed, no group, no commits, nothing written) and
 * decided with the rules in force and with a candidate change
 * (rule_whatif.h); prints what would change, as text or JSON.
 */
#ifndef ORDERTOP_WHATIF_CMD_H
#define ORDERTOP_WHATIF_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "fraud_rules.h"

#define WHATIF_DEFAULT_LAST 10000

struct whatif_opts {
	int64_t last;     /* the most recent N orders (when since_ms < 0) */
	int64_t since_ms; /* orders from this event time on; -1: --last */
	bool json;
	const char *change; /* what changes, for the report: "velocity max_orders=3" */
};

/* 0, or -1 with the reason. */
int whatif_cmd_run(const struct config *cfg, const char *bootstraps, const struct ruleset *current,
		   const struct ruleset *candidate, const struct whatif_opts *o, char *err,
		   size_t errlen);

/* --since TIME: "30m" (s, m, h, d ago), or ms since the epoch.  -1 if bad. */
int64_t whatif_parse_since(const char *text, int64_t now_ms);

#endif
