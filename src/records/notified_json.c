/*
 * notified_json.c — writing the notified record (see notified_json.h).
 */
#include "notified_json.h"

#include <stdint.h>

#include "decision.h"
#include "json_writer.h"
#include "order.h"

void
notified_json_write(struct json_writer *w, const struct notice *n, int64_t notified_at_ms,
		    const char *channel, int attempts)
{
	json_object_begin(w);
	json_key_literal(w, "order_id");
	json_string(w, n->order_id, sizeof n->order_id);
	json_key_literal(w, "user_id");
	json_string(w, n->user_id, sizeof n->user_id);
	json_key_literal(w, "status");
	json_string(w, order_status_name(ORDER_NOTIFIED), SIZE_MAX);
	json_key_literal(w, "decision");
	json_string(w, n->status[0] ? n->status : "UNKNOWN", sizeof n->status);
	if (n->created_ms > 0) {
		json_key_literal(w, "created_at");
		json_int(w, n->created_ms);
	}
	if (n->decided_ms > 0) {
		json_key_literal(w, "decided_at");
		json_int(w, n->decided_ms);
	}
	json_key_literal(w, "notified_at");
	json_int(w, notified_at_ms);
	json_key_literal(w, "channel");
	json_string(w, channel, SIZE_MAX);
	json_key_literal(w, "attempts");
	json_int(w, attempts);
	json_object_end(w);
}
