/*
 * decision.h — what the fraud stage says about an order, and the JSON of
 * the messages it writes: the decided order (to orders.valid or
 * orders.refused), the notification, and the notifier's "customer
 * notified" record.
 */
#ifndef ORDERTOP_DECISION_H
#define ORDERTOP_DECISION_H

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
	int      n_fired;
	struct fired_rule fired[DECISION_MAX_FIRED];
};

/*
 * The decided order: the received JSON object (raw bytes, already known to
 * parse) with "status", "total", "rules_fired":[{"id","reason"}],
 * "rules_version", "decided_at", "decided_by" added.  malloc'd, NUL-terminated.
 */
char *decision_order_json(const void *order_json, size_t len,
                          const struct decision *d);
/* The same for bytes order_parse() has just accepted: not parsed again. */
char *decision_order_json_parsed(const void *order_json, size_t len,
                                 const struct decision *d);

/* {"order_id","user_id","status","total","message","at"}; malloc'd. */
char *decision_notification_json(const struct order *o,
                                 const struct decision *d);

/*
 * The notifier's record that the customer was told:
 * {"order_id","user_id","status":"NOTIFIED","decision":"APPROVED",
 *  "notified_at","channel","attempts"}; malloc'd.
 */
char *decision_notified_json(const char *order_id, const char *user_id,
                             const char *decision_status, int64_t at_ms,
                             const char *channel, int attempts);

/* The fields the notifier and monitor need from a notification or a
 * notified record.  Returns 0, or -1 with a reason. */
struct notice {
	char    order_id[ORDER_ID_MAX + 1];
	char    user_id[ORDER_ID_MAX + 1];
	char    status[16];         /* APPROVED / REFUSED / NOTIFIED */
	char    decision[16];       /* for notified records */
	double  total;
	int64_t at_ms;
};
int notice_parse(const void *buf, size_t len, struct notice *out,
                 char *err, size_t errlen);

#endif
