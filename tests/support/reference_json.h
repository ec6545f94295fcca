/*
 * reference_json.h — for the tests only: the readers of ordertop's
 * records (order_parse(), notice_parse(), decided_parse()) made to take
 * their cJSON path, to compare with their flat reader's answer on the
 * same text.  Each reader reads a flat object with flat_json.c and
 * anything else with cJSON; the text is handed over with an unknown
 * member the flat reader declines ("zz":"\t") put first, which changes
 * nothing the readers report but which reader reads it.
 */
#ifndef ORDERTOP_TESTS_REFERENCE_JSON_H
#define ORDERTOP_TESTS_REFERENCE_JSON_H

#include <stddef.h>

struct decided;
struct notice;
struct order;

int reference_order_parse(const void *buf, size_t len, struct order *out,
                          char *err, size_t errlen);
int reference_notice_parse(const void *buf, size_t len, struct notice *out,
                           char *err, size_t errlen);
int reference_decided_parse(const void *buf, size_t len, struct decided *d);

#endif
