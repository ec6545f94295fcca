/*
 * notification_json.h — the notification the fraud stage writes to the
 * customer: {"order_id","user_id","status","total","message","at",
 * "created_at"} ("at": when it was decided; created_at left out when 0).
 * notice_parse() (decision.h) reads it back.
 */
#ifndef ORDERTOP_NOTIFICATION_JSON_H
#define ORDERTOP_NOTIFICATION_JSON_H

struct decision;
struct json_writer;
struct order;

/* Into w (json_writer.h), for text produced and dropped. */
void notification_json_write(struct json_writer *w, const struct order *o,
			     const struct decision *d);

#endif
