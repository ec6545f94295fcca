/*
 * fuzz_rules.c — libFuzzer target for the fraud rules JSON
 * (ruleset_from_json in src/fraud_rules.c): a rule set that parses is
 * written back with ruleset_to_json and must parse again to the same
 * JSON; a refused one leaves the output untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_rules.h"
#include "ruleset_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset a, b, before;
	char err[256];
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	ruleset_defaults(&a);
	before = a;
	if (ruleset_from_json(buf, size, &a, err, sizeof err) == 0) {
		char *j1 = ruleset_json(&a), *j2;
		ruleset_defaults(&b);
		if (j1 == NULL || ruleset_from_json(j1, strlen(j1), &b, err, sizeof err) != 0)
			abort();
		j2 = ruleset_json(&b);
		if (j2 == NULL || strcmp(j1, j2) != 0)
			abort();
		free(j1);
		free(j2);
	} else if (memcmp(&a, &before, sizeof a) != 0) {
		abort();                /* on error *out is unchanged */
	}
	free(buf);
	return 0;
}
