/*
 * http_rules.c — GET /rules and PATCH /rules/{id}: the rules in force,
 * and one rule's change ({"enabled": false}, {"params": {...}}) published
 * on fraud.rules as the next version, exactly as the dashboard's rule
 * editor does (engine_rule_update).  Parameters are checked one by one
 * first, so an error names the rule and the parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "engine.h"
#include "fraud_rules.h"
#include "http.h"

static cJSON *
rule_json(const struct ruleset *rs, int i)
{
	const struct fraud_rule_def *def = &fraud_rule_defs[i];
	cJSON *j = cJSON_CreateObject();
	char text[RULE_TEXT_MAX];

	cJSON_AddStringToObject(j, "id", def->id);
	cJSON_AddStringToObject(j, "name", def->name);
	cJSON_AddBoolToObject(j, "enabled", rs->rules[i].enabled);
	cJSON *params = cJSON_AddObjectToObject(j, "params");
	for (int k = 0; k < def->n_params; k++) {
		ruleset_param_text(rs, i, k, text, sizeof text);
		if (def->params[k].type == PARAM_COUNTRIES)
			cJSON_AddStringToObject(params, def->params[k].name, text);
		else
			cJSON_AddNumberToObject(params, def->params[k].name,
						rs->rules[i].params[k].num);
	}
	return j;
}

int
http_rules_get(struct http_request *r)
{
	struct rules_status st;

	engine_rules_status(r->engine, &st);
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "version", (double)st.current.version);
	cJSON *rules = cJSON_AddArrayToObject(j, "rules");
	for (int i = 0; i < fraud_rule_count; i++)
		cJSON_AddItemToArray(rules, rule_json(&st.current, i));
	cJSON *workers = cJSON_AddArrayToObject(j, "workers");
	for (int i = 0; i < st.n_workers; i++) {
		cJSON *w = cJSON_CreateObject();
		cJSON_AddStringToObject(w, "id", st.workers[i].id);
		cJSON_AddNumberToObject(w, "applied_version",
					(double)st.workers[i].applied_version);
		cJSON_AddItemToArray(workers, w);
	}
	http_reply_json(r, 200, j);
	return HTTP_REPLY;
}

#define PATCH_PARAMS_MAX RULE_PARAMS_MAX

int
http_rules_patch(struct http_request *r)
{
	int rule = ruleset_find(r->id);
	if (rule < 0) {
		http_reply_error(r, 404, NULL, 0, "no rule '%s' (GET /rules lists them)", r->id);
		return HTTP_REPLY;
	}
	const char *id = fraud_rule_defs[rule].id;
	cJSON *body = cJSON_ParseWithLength(r->body ? r->body : "", r->len);
	if (body == NULL || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		http_reply_error(r, 400, NULL, 0, "rule %s: the body must be a JSON object", id);
		return HTTP_REPLY;
	}
	int enabled = -1;
	char names[PATCH_PARAMS_MAX][64], texts[PATCH_PARAMS_MAX][RULE_TEXT_MAX];
	const char *np[PATCH_PARAMS_MAX], *tp[PATCH_PARAMS_MAX];
	size_t n = 0;
	struct rules_status st;
	char why[256], field[96];

	engine_rules_status(r->engine, &st);
	for (cJSON *m = body->child; m; m = m->next) {
		if (strcmp(m->string, "enabled") == 0) {
			if (!cJSON_IsBool(m)) {
				http_reply_error(r, 400, "enabled", 0,
						 "rule %s: enabled must be true or false", id);
				goto out;
			}
			enabled = cJSON_IsTrue(m);
		} else if (strcmp(m->string, "params") == 0) {
			if (!cJSON_IsObject(m)) {
				http_reply_error(r, 400, "params", 0,
						 "rule %s: params must be an object", id);
				goto out;
			}
			for (cJSON *p = m->child; p; p = p->next) {
				snprintf(field, sizeof field, "params.%.80s", p->string);
				if (n >= PATCH_PARAMS_MAX) {
					http_reply_error(r, 400, field, 0,
							 "rule %s: too many parameters", id);
					goto out;
				}
				if (cJSON_IsNumber(p))
					snprintf(texts[n], sizeof texts[n], "%.15g",
						 p->valuedouble);
				else if (cJSON_IsString(p))
					snprintf(texts[n], sizeof texts[n], "%s", p->valuestring);
				else {
					http_reply_error(r, 400, field, 0,
							 "rule %s, parameter %s: expected a "
							 "number or a string",
							 id, p->string);
					goto out;
				}
				snprintf(names[n], sizeof names[n], "%s", p->string);
				/* each on its own first, so the error names it */
				struct ruleset check = st.current;
				if (ruleset_set_param(&check, rule, names[n], texts[n], why,
						      sizeof why) < 0) {
					http_reply_error(r, 400, field, 0,
							 "rule %s, parameter %s: %s", id, p->string,
							 why);
					goto out;
				}
				np[n] = names[n];
				tp[n] = texts[n];
				n++;
			}
		} else {
			http_reply_error(r, 400, m->string, 0,
					 "rule %s: unknown field '%s' (enabled, "
					 "params)",
					 id, m->string);
			goto out;
		}
	}
	if (enabled < 0 && n == 0) {
		http_reply_error(r, 400, NULL, 0, "rule %s: nothing to change (enabled, params)",
				 id);
		goto out;
	}
	if (engine_rule_update(r->engine, rule, enabled, np, tp, n, why, sizeof why) < 0) {
		/* the checks above passed: what is left is publishing */
		http_reply_error(r, 503, NULL, 1, "rule %s: %s", id, why);
		goto out;
	}
	engine_rules_status(r->engine, &st);
	cJSON *j = rule_json(&st.current, rule);
	cJSON_AddNumberToObject(j, "version", (double)st.current.version);
	http_reply_json(r, 200, j);
out:
	cJSON_Delete(body);
	return HTTP_REPLY;
}
