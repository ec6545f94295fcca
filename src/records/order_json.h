/*
 * order_json.h — the JSON of an order as ordertop writes it (the generator,
 * the order form): only the known fields, in order.h's order, so that
 * order_parse() reads it with the flat reader.
 */
#ifndef ORDERTOP_ORDER_JSON_H
#define ORDERTOP_ORDER_JSON_H

struct json_writer;
struct order;

/* Into w (json_writer.h), for text produced and dropped. */
void order_json_write(struct json_writer *w, const struct order *o);
/* The same, malloc'd; NULL when out of memory. */
char *order_json(const struct order *o);

#endif
