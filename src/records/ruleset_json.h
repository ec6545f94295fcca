/*
 * ruleset_json.h — the JSON of a rule set, as published on fraud.rules
 * and taken by --rules FILE (ruleset_from_json(), fraud_rules.h, reads
 * it):
 *   {"version":3,"rules":[{"id":"total_limit","name":"...","enabled":true,
 *                          "params":{"max_total":5000}}, ...]}
 * The version is written as the exact integer it is, up to UINT64_MAX.
 */
#ifndef ORDERTOP_RULESET_JSON_H
#define ORDERTOP_RULESET_JSON_H

struct json_writer;
struct ruleset;

void ruleset_json_write(struct json_writer *w, const struct ruleset *rs);
/* The same, malloc'd; NULL when out of memory. */
char *ruleset_json(const struct ruleset *rs);

#endif
