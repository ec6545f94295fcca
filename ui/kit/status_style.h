/*
 * status_style.h — how an order status looks everywhere in the dashboard:
 * its colour role and its glyph (so status never depends on colour).
 */
#ifndef ORDERTOP_UI_STATUS_STYLE_H
#define ORDERTOP_UI_STATUS_STYLE_H

struct dash;

/* The colour role (ROLE_STATUS_*) of an order status. */
int status_style_role(int status);
/* The glyph of an order status (ORDER_NEW's when out of range). */
const char *status_style_glyph(const struct dash *d, int status);

#endif
