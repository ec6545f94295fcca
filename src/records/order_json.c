/*
 * order_json.c — writing an order (see order_json.h).
 */
#include "order_json.h"

#include "json_writer.h"
#include "order.h"

void
order_json_write(struct json_writer *w, const struct order *o)
{
	json_object_begin(w);
	json_key_literal(w, "order_id");
	json_string(w, o->order_id, sizeof o->order_id);
	json_key_literal(w, "user_id");
	json_string(w, o->user_id, sizeof o->user_id);
	json_key_literal(w, "item");
	json_string(w, o->item, sizeof o->item);
	json_key_literal(w, "quantity");
	json_number(w, (double)o->quantity);
	if (o->has_unit_price) {
		json_key_literal(w, "unit_price");
		json_number(w, o->unit_price);
	}
	if (o->currency[0] != '\0') {
		json_key_literal(w, "currency");
		json_string(w, o->currency, sizeof o->currency);
	}
	if (o->country[0] != '\0') {
		json_key_literal(w, "country");
		json_string(w, o->country, sizeof o->country);
	}
	if (o->card_country[0] != '\0') {
		json_key_literal(w, "card_country");
		json_string(w, o->card_country, sizeof o->card_country);
	}
	if (o->created_at_ms != 0) {
		json_key_literal(w, "created_at");
		json_number(w, (double)o->created_at_ms);
	}
	json_object_end(w);
}

char *
order_json(const struct order *o)
{
	struct json_writer w;

	json_writer_init(&w);
	order_json_write(&w, o);
	return json_writer_finish(&w);
}
