/*
 * order.h — the order model and reading its JSON (order_json.h writes it).
 *
 * An order arrives as JSON bytes from an untrusted producer.  order_parse()
 * accepts it or says, in one short sentence, why not (that sentence becomes
 * the dead-letter reason).  The JSON written to the decision topics is the
 * order as received (unknown fields kept) plus the decision fields, so
 * downstream readers see exactly what came in.
 *
 * Required: order_id (string), user_id (string), item (string),
 *           quantity (integer > 0).
 * Optional: unit_price (number >= 0), currency (3 letters),
 *           country, card_country (2 letters, ISO 3166 alpha-2),
 *           created_at (integer, ms since the epoch).
 */
#ifndef ORDERTOP_ORDER_H
#define ORDERTOP_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ORDER_ID_MAX    64                 /* longest order_id / user_id, in bytes */
#define ORDER_ITEM_MAX  64                 /* longest item name, in bytes */
#define ORDER_JSON_MAX  (1024 * 1024)      /* larger payloads are refused */
#define ORDER_DEPTH_MAX 16                 /* deeper JSON nesting is refused */
#define ORDER_TIME_MAX  9007199254740991.0 /* latest time in ms: 2^53 - 1, exact in a double */

struct order {
	char order_id[ORDER_ID_MAX + 1];
	char user_id[ORDER_ID_MAX + 1];
	char item[ORDER_ITEM_MAX + 1];
	int64_t quantity;
	double unit_price; /* 0 when absent */
	bool has_unit_price;
	char currency[4];      /* "" when absent */
	char country[3];       /* shipping country, "" when absent */
	char card_country[3];  /* "" when absent */
	int64_t created_at_ms; /* 0 when absent */
};

/* Where an order stands.  The order matters: later states are "further". */
enum order_status {
	ORDER_NEW = 0,
	ORDER_APPROVED,
	ORDER_REFUSED,
	ORDER_NOTIFIED,      /* final: the customer was told */
	ORDER_DEAD_LETTERED, /* final: could not be read */
	ORDER_STATUS__COUNT
};

const char *order_status_name(enum order_status s); /* "APPROVED" ... */

/* Where an order came from, as far as this process knows: its own intakes
 * (set when it registers the order), or another client of the cluster. */
enum order_source {
	ORDER_SOURCE_OTHER = 0, /* not sent by this process */
	ORDER_SOURCE_GENERATOR,
	ORDER_SOURCE_FORM,
	ORDER_SOURCE_HTTP,
	ORDER_SOURCE__COUNT
};
/* "generator", "form", "http", "other client". */
const char *order_source_name(enum order_source s);
/* Parses "APPROVED" etc.; returns -1 when unknown. */
int order_status_parse(const char *name);

/* quantity * unit_price (0 without a price). */
double order_total(const struct order *o);

/*
 * Parses and validates JSON bytes (not NUL-terminated; len bytes).
 * Returns 0 and fills *out, or -1 with a one-line reason in err
 * ("not JSON", "missing order_id", "quantity must be an integer > 0", ...).
 * Never reads beyond len; refuses payloads over ORDER_JSON_MAX, nesting
 * deeper than ORDER_DEPTH_MAX, NUL bytes and invalid UTF-8 in strings.
 */
int order_parse(const void *buf, size_t len, struct order *out, char *err, size_t errlen);
/* The same, handing back the members flat_json_members() read (pointers
 * into buf; *n is -1 when the order was read with cJSON instead), for
 * decided_json_write(). */
#define ORDER_FLAT_MEMBERS_MAX 32 /* orders with more are read by cJSON */
struct flat_member;
int order_parse_members(const void *buf, size_t len, struct order *out, struct flat_member *m,
			int *n, char *err, size_t errlen);

/* Checks one field as the order form would; field is a JSON key name
 * ("user_id", "quantity", "unit_price", "currency", "country", ...).
 * Returns 0, or -1 with a short reason in err. */
int order_validate_field(const char *field, const char *text, char *err, size_t errlen);

#endif
