/*
 * fuzz_order.c — libFuzzer target for the order parser (src/order.c):
 * order_parse (the flat reader, cJSON when it declines) and
 * order_parse_reference (cJSON alone) must agree on every input, and a
 * parsed order must survive order_to_json and back unchanged (a price
 * to within cJSON's "same double": a relative DBL_EPSILON, as json_number
 * prints 15 significant digits when they read back that close).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "order_json.h"
#include "support/reference_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_price(double a, double b, int exact)
{
	double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return exact ? a == b : fabs(a - b) <= max * DBL_EPSILON;
}

static void
same_order(const struct order *a, const struct order *b, int exact)
{
	if (strcmp(a->order_id, b->order_id) != 0 || strcmp(a->user_id, b->user_id) != 0 ||
	    strcmp(a->item, b->item) != 0 || a->quantity != b->quantity ||
	    a->has_unit_price != b->has_unit_price ||
	    (a->has_unit_price && !same_price(a->unit_price, b->unit_price, exact)) ||
	    strcmp(a->currency, b->currency) != 0 || strcmp(a->country, b->country) != 0 ||
	    strcmp(a->card_country, b->card_country) != 0 ||
	    a->created_at_ms != b->created_at_ms)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct order a, b, c;
	char ea[256], eb[256];
	/* an exact copy: the parsers must not read past size */
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	int ra = order_parse(buf, size, &a, ea, sizeof ea);
	int rb = reference_order_parse(buf, size, &b, eb, sizeof eb);
	if (ra != rb)
		abort();
	if (ra == 0) {
		same_order(&a, &b, 1);
		char *json = order_json(&a);
		if (json == NULL || order_parse(json, strlen(json), &c, ea, sizeof ea) != 0)
			abort();
		same_order(&a, &c, 0);
		free(json);
	}
	free(buf);
	return 0;
}
