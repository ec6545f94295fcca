/*
 * notification_json.c — writing the notification (see notification_json.h).
 */
#include "notification_json.h"

#include <stdint.h>
#include <string.h>

#include "decision.h"
#include "int_text.h"
#include "json_writer.h"
#include "order.h"
#include "text_join.h"

/* A copy of a fixed-size char array, NUL-terminated even if it was not. */
static void
notification_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);

	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "Your order 123 for 2 x laptop was approved." */
static void
notification_message(char *buf, size_t len, const char *order_id, int64_t quantity,
		     const char *item, enum order_status st)
{
	const char *what;

	switch (st) {
	case ORDER_APPROVED: what = "was approved."; break;
	case ORDER_REFUSED: what = "could not be accepted (refused)."; break;
	default: what = "is being processed."; break;
	}
	char qty[INT_TEXT_MAX];
	int_text(qty, quantity);
	const char *piece[] = { "Your order ", order_id, " for ", qty, " x ", item, " ", what };
	text_join(buf, len, piece, sizeof piece / sizeof piece[0]);
}

void
notification_json_write(struct json_writer *w, const struct order *o, const struct decision *d)
{
	char order_id[sizeof o->order_id + 1], item[sizeof o->item + 1];
	char msg[sizeof order_id + sizeof item + 96];

	notification_copy(order_id, sizeof order_id, o->order_id, sizeof o->order_id);
	notification_copy(item, sizeof item, o->item, sizeof o->item);
	notification_message(msg, sizeof msg, order_id, o->quantity, item, d->status);

	json_object_begin(w);
	json_key_literal(w, "order_id");
	json_string(w, o->order_id, sizeof o->order_id);
	json_key_literal(w, "user_id");
	json_string(w, o->user_id, sizeof o->user_id);
	json_key_literal(w, "status");
	json_string(w, order_status_name(d->status), SIZE_MAX);
	json_key_literal(w, "total");
	json_cents(w, d->total);
	json_key_literal(w, "message");
	json_string(w, msg, sizeof msg);
	json_key_literal(w, "at");
	json_int(w, d->decided_at_ms);
	if (d->created_at_ms > 0) {
		json_key_literal(w, "created_at");
		json_int(w, d->created_at_ms);
	}
	json_object_end(w);
}
