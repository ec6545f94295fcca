/*
 * fraud_rules.h — the fraud rules: their definitions, a versioned rule set
 * (which rules are on, with what parameters) and its JSON form, and the
 * evaluation of one order against the rule set.
 *
 * Each rule is one `const struct fraud_rule_def` (id, name, parameters,
 * evaluate function) in a table, as tmux does with its commands: adding a
 * rule is adding an entry.  Rule state that spans orders (velocity, replay)
 * lives in struct fraud_state, one per consumed partition, so a user's
 * history stays with the partition that holds the user's orders when fraud
 * workers scale out.
 *
 * The JSON form, used by --rules FILE and the fraud.rules topic (written
 * by ruleset_json.h):
 *   {"version":3,"rules":[{"id":"total_limit","enabled":true,
 *                          "params":{"max_total":5000}}, ...]}
 * Rules missing from the JSON keep their defaults; unknown rule ids or
 * parameters, and out-of-range values, are errors.
 */
#ifndef ORDERTOP_FRAUD_RULES_H
#define ORDERTOP_FRAUD_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "order.h"
#include "decision.h"

/* The rule that refuses an order id decided before; its decisions are not
 * second decisions of their orders (see the monitor). */
#define FRAUD_RULE_REPLAY_ID "replay"

enum rule_param_type {
	PARAM_NUMBER,    /* double within [min, max] */
	PARAM_INTEGER,   /* integer within [min, max] */
	PARAM_COUNTRIES, /* comma-separated ISO alpha-2 codes, e.g. "KP,IR" */
};

#define RULE_PARAMS_MAX 3
#define RULE_TEXT_MAX   128

struct rule_param_def {
	const char *name;  /* "max_total" */
	const char *label; /* "maximum order total" */
	enum rule_param_type type;
	double min, max;
	const char *default_text; /* default value as text */
};

struct rule_param_value {
	double num;               /* PARAM_NUMBER / PARAM_INTEGER */
	char text[RULE_TEXT_MAX]; /* PARAM_COUNTRIES: canonical "KP,IR" */
};

struct fraud_state;

/* What a rule sees besides the order. */
struct rule_ctx {
	struct fraud_state *state; /* the partition's state, never NULL */
	int64_t now_ms;            /* the order's event time */
};

struct fraud_rule_def {
	const char *id;   /* "total_limit" */
	const char *name; /* "Order total above limit" */
	bool default_enabled;
	int n_params;
	struct rule_param_def params[RULE_PARAMS_MAX];
	/* Returns true when the rule fires, with a reason ("total 12000.00 > 5000"). */
	bool (*evaluate)(const struct rule_ctx *ctx, const struct order *o,
			 const struct rule_param_value *params, char *reason, size_t reasonlen);
};

extern const struct fraud_rule_def fraud_rule_defs[];
extern const int fraud_rule_count;

#define FRAUD_RULES_MAX 16

struct rule_setting {
	bool enabled;
	struct rule_param_value params[RULE_PARAMS_MAX];
};

struct ruleset {
	uint64_t version;                           /* 0 = built-in defaults */
	struct rule_setting rules[FRAUD_RULES_MAX]; /* index = fraud_rule_defs index */
};

void ruleset_defaults(struct ruleset *rs);
int ruleset_find(const char *id); /* index, or -1 */
/* Sets one parameter from text, validated.  0, or -1 with reason. */
int ruleset_set_param(struct ruleset *rs, int rule, const char *name, const char *text, char *err,
		      size_t errlen);
/* Writes a parameter's current value as text (what the UI shows). */
void ruleset_param_text(const struct ruleset *rs, int rule, int param, char *buf, size_t len);
/* Parses JSON over a copy of the defaults; on error *out is unchanged. */
int ruleset_from_json(const void *buf, size_t len, struct ruleset *out, char *err, size_t errlen);
/* Loads --rules FILE; errors name the file. */
int ruleset_load_file(const char *path, struct ruleset *out, char *err, size_t errlen);

/*
 * Per-partition state for the rules that remember: recent order times per
 * user (velocity) and recently decided order ids (replay).  Bounded: the
 * oldest entries are forgotten first.
 */
struct fraud_state *fraud_state_new(size_t max_users, size_t max_orders);
void fraud_state_free(struct fraud_state *st);

/*
 * Evaluates the enabled rules.  Fills d->status, d->total, d->fired,
 * d->rules_version; then records the order in the state (so a replay of
 * the same order_id is caught next time).
 */
void fraud_evaluate(const struct ruleset *rs, struct fraud_state *st, const struct order *o,
		    int64_t now_ms, struct decision *d);
/* A hint, before the order is even read: starts loading what evaluating
 * an order of this user (len bytes, not NUL-terminated: ordertop keys its
 * orders by user id) will look up first.  Changes nothing. */
void fraud_evaluate_prefetch(const struct fraud_state *st, const void *user_id, size_t len);

#endif
