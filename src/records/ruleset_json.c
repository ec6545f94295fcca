/*
 * ruleset_json.c — writing a rule set (see ruleset_json.h): every rule of
 * fraud_rule_defs[] with its settings, parameters as their type has them.
 */
#include "ruleset_json.h"

#include <stdint.h>

#include "fraud_rules.h"
#include "json_writer.h"

void
ruleset_json_write(struct json_writer *w, const struct ruleset *rs)
{
	json_object_begin(w);
	json_key_literal(w, "version");
	json_uint(w, rs->version);
	json_key_literal(w, "rules");
	json_array_begin(w);
	for (int r = 0; r < fraud_rule_count; r++) {
		const struct fraud_rule_def *def = &fraud_rule_defs[r];

		json_object_begin(w);
		json_key_literal(w, "id");
		json_string(w, def->id, SIZE_MAX);
		json_key_literal(w, "name");
		json_string(w, def->name, SIZE_MAX);
		json_key_literal(w, "enabled");
		json_bool(w, rs->rules[r].enabled);
		json_key_literal(w, "params");
		json_object_begin(w);
		for (int i = 0; i < def->n_params; i++) {
			const struct rule_param_value *v = &rs->rules[r].params[i];

			json_key(w, def->params[i].name);
			if (def->params[i].type == PARAM_COUNTRIES)
				json_string(w, v->text, sizeof v->text);
			else
				json_number(w, v->num);
		}
		json_object_end(w);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

char *
ruleset_json(const struct ruleset *rs)
{
	struct json_writer w;

	json_writer_init(&w);
	ruleset_json_write(&w, rs);
	return json_writer_finish(&w);
}
