/*
 * decision.h — what the fraud stage says about an order, and the JSON of
 * the messages it writes: the decided order (to orders.valid or
 * orders.refused), the notification, and the notifier's "customer
 * notified" record.
 */
#ifndef ORDERTOP_DECISION_H
#define ORDERTOP_DECISION_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "order.h"

#define DECISION_MAX_FIRED 16
#define DECISION_REASON_MAX 96

struct fired_rule {
	char id[32];
	char reason[DECISION_REASON_MAX];
};

struct decision {
	enum order_status status;   /* ORDER_APPROVED or ORDER_REFUSED */
	double   total;
	uint64_t rules_version;
	int64_t  decided_at_ms;
	char     decided_by[64];    /* worker id */
	/* When the order was created: its created_at, or (created_at_added)
	 * its orders record's timestamp, which the decided order then gains
	 * as created_at, so every record after fraud carries one. */
	int64_t  created_at_ms;
	bool     created_at_added;
	int      n_fired;
	struct fired_rule fired[DECISION_MAX_FIRED];
};

/*
 * The decided order: the received JSON object (raw bytes, already known to
 * parse) with "status", "total", "rules_fired":[{"id","reason"}],
 * "rules_version", "decided_at", "decided_by" (and "created_at" when
 * created_at_added) added.  malloc'd, NUL-terminated.
 */
char *decision_order_json(const void *order_json, size_t len,
                          const struct decision *d);
/* The same into w (json_writer.h), for bytes order_parse_members() has
 * just accepted, with the members it read (m, n): not parsed again, and an
 * order written as ordertop writes them not scanned again either.  0, or
 * -1 (out of memory, or text cJSON cannot print). */
struct json_writer;
struct flat_member;
int decision_order_write(struct json_writer *w, const void *order_json, size_t len,
                         const struct flat_member *m, int n, const struct decision *d);

/* {"order_id","user_id","status","total","message","at","created_at"}
 * ("at": when it was decided; created_at left out when 0); malloc'd.
 * _write: into w (json_writer.h), for text produced and dropped. */
char *decision_notification_json(const struct order *o,
                                 const struct decision *d);
void  decision_notification_write(struct json_writer *w, const struct order *o,
                                  const struct decision *d);

/* The fields the notifier and monitor need from a notification or a
 * notified record.  Returns 0, or -1 with a reason. */
struct notice {
	char    order_id[ORDER_ID_MAX + 1];
	char    user_id[ORDER_ID_MAX + 1];
	char    status[16];         /* APPROVED / REFUSED / NOTIFIED */
	char    decision[16];       /* for notified records */
	double  total;
	int64_t at_ms;              /* "at", else "notified_at" */
	int64_t created_ms;         /* "created_at"; 0 when absent */
	int64_t decided_ms;         /* "decided_at", else "at"; 0 when absent */
};
int notice_parse(const void *buf, size_t len, struct notice *out,
                 char *err, size_t errlen);

/*
 * The notifier's record that the customer was told of the notification n:
 * {"order_id","user_id","status":"NOTIFIED","decision":"APPROVED",
 *  "created_at","decided_at","notified_at","channel","attempts"}
 * (the two times as n has them, left out when 0); malloc'd, or into w.
 */
char *decision_notified_json(const struct notice *n, int64_t notified_at_ms,
                             const char *channel, int attempts);
void  decision_notified_write(struct json_writer *w, const struct notice *n,
                              int64_t notified_at_ms, const char *channel, int attempts);

/* What the monitor keeps of a decision record (orders.valid/refused):
 * order_id (required), user_id, item, total (-1 when absent),
 * rules_version, created_at and decided_at (0 when absent), the ids of
 * rules_fired joined by commas (cut to fit), and whether the replay rule
 * is among them.  Lenient: other members and their types are not
 * checked.  0, or -1 without a string order_id or when the bytes are not
 * JSON. */
#define DECIDED_FIRED_MAX 96
struct decided {
	char     order_id[ORDER_ID_MAX + 1], user_id[ORDER_ID_MAX + 1], item[ORDER_ITEM_MAX + 1];
	double   total;
	uint64_t rules_version;
	int64_t  created_ms, decided_ms;
	char     fired[DECIDED_FIRED_MAX];
	bool     replay;
};
int decided_parse(const void *buf, size_t len, struct decided *d);
/* The same through cJSON alone (decided_parse() reads flat records without
 * it, and must agree with this; the tests compare the two). */
int decided_parse_reference(const void *buf, size_t len, struct decided *d);

#endif
