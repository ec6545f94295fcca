/*
 * decided_json.h — the decided order the fraud stage writes to
 * orders.valid or orders.refused: the order as received, member for
 * member and byte for byte (blanks between tokens dropped), with the
 * decision fields "status", "total", "rules_fired":[{"id","reason"}],
 * "rules_version", "decided_at", "decided_by" (and "created_at" when the
 * decision adds it) after them, replacing any the order had.
 */
#ifndef ORDERTOP_DECIDED_JSON_H
#define ORDERTOP_DECIDED_JSON_H

#include <stddef.h>

struct decision;
struct flat_member;
struct json_writer;

/*
 * Into w (json_writer.h), for the len bytes of an order (not
 * NUL-terminated) and the members m (n of them) the flat reader found in
 * them (order_parse_members()), or none (n <= 0): an order written as
 * ordertop writes them is neither parsed nor scanned again.  0, or -1
 * when the bytes are not a JSON object (or out of memory, or text cJSON
 * cannot print).
 */
int decided_json_write(struct json_writer *w, const void *order_json, size_t len,
		       const struct flat_member *m, int n, const struct decision *d);

#endif
