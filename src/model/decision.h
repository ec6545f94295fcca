/*
 * decision.h — what the fraud stage says about an order, and reading its
 * records back: the notification and the notifier's "customer notified"
 * record (struct notice), the decided order (struct decided).  They are
 * written by notification_json.h, notified_json.h and decided_json.h.
 */
#ifndef ORDERTOP_DECISION_H
#define ORDERTOP_DECISION_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "order.h"

#define DECISION_MAX_FIRED  16
#define DECISION_REASON_MAX 96

struct fired_rule {
	char id[32];
	char reason[DECISION_REASON_MAX];
};

struct decision {
	enum order_status status; /* ORDER_APPROVED or ORDER_REFUSED */
	double total;
	uint64_t rules_version;
	int64_t decided_at_ms;
	char decided_by[64]; /* worker id */
	/* When the order was created: its created_at, or (created_at_added)
	 * its orders record's timestamp, which the decided order then gains
	 * as created_at, so every record after fraud carries one. */
	int64_t created_at_ms;
	bool created_at_added;
	int n_fired;
	struct fired_rule fired[DECISION_MAX_FIRED];
};

/* The fields the notifier and monitor need from a notification or a
 * notified record.  Returns 0, or -1 with a reason. */
struct notice {
	char order_id[ORDER_ID_MAX + 1];
	char user_id[ORDER_ID_MAX + 1];
	char status[16];   /* APPROVED / REFUSED / NOTIFIED */
	char decision[16]; /* for notified records */
	double total;
	int64_t at_ms;      /* "at", else "notified_at" */
	int64_t created_ms; /* "created_at"; 0 when absent */
	int64_t decided_ms; /* "decided_at", else "at"; 0 when absent */
};
int notice_parse(const void *buf, size_t len, struct notice *out, char *err, size_t errlen);

/* What the monitor keeps of a decision record (orders.valid/refused):
 * order_id (required), user_id, item, total (-1 when absent),
 * rules_version, created_at and decided_at (0 when absent), the ids of
 * rules_fired joined by commas (cut to fit), and whether the replay rule
 * is among them.  Lenient: other members and their types are not
 * checked.  0, or -1 without a string order_id or when the bytes are not
 * JSON. */
#define DECIDED_FIRED_MAX 96
struct decided {
	char order_id[ORDER_ID_MAX + 1], user_id[ORDER_ID_MAX + 1], item[ORDER_ITEM_MAX + 1];
	double total;
	uint64_t rules_version;
	int64_t created_ms, decided_ms;
	char fired[DECIDED_FIRED_MAX];
	bool replay;
};
int decided_parse(const void *buf, size_t len, struct decided *d);

#endif
