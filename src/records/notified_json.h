/*
 * notified_json.h — the notifier's record that the customer was told, on
 * orders.notified: {"order_id","user_id","status":"NOTIFIED",
 * "decision":"APPROVED","created_at","decided_at","notified_at",
 * "channel","attempts"} (the two times as the notification had them,
 * left out when 0).  notice_parse() (decision.h) reads it back.
 */
#ifndef ORDERTOP_NOTIFIED_JSON_H
#define ORDERTOP_NOTIFIED_JSON_H

#include <stdint.h>

struct json_writer;
struct notice;

/* Into w (json_writer.h), for the notification n, read by notice_parse(). */
void notified_json_write(struct json_writer *w, const struct notice *n, int64_t notified_at_ms,
			 const char *channel, int attempts);

#endif
