/*
 * overlays.h — the overlay kinds (one `const struct overlay_def` each, see
 * overlay.h) and how each one opens.  Opening returns DIRTY_* bits; when
 * it cannot open, the footer says why.
 */
#ifndef ORDERTOP_UI_OVERLAYS_H
#define ORDERTOP_UI_OVERLAYS_H

#include "overlay.h"

struct dash;

extern const struct overlay_def help_def;       /* help.c */
extern const struct overlay_def detail_def;     /* detail.c */
extern const struct overlay_def form_order_def; /* form_order.c */
extern const struct overlay_def form_rule_def;  /* form_rule.c */
extern const struct overlay_def fatal_def;      /* fatal.c */

/* help.c: every key, in one column or two; any key closes it. */
int help_open(struct dash *d);
/* detail.c: the order's detail and timeline (re-read once a second). */
int detail_open(struct dash *d, const char *order_id);
/* form_order.c: the new-order form. */
int form_order_open(struct dash *d);
/* form_rule.c: the parameters of fraud rule `rule` (0-based). */
int form_rule_open(struct dash *d, int rule);
/* fatal.c: the engine stopped on `error`; any key (or a few seconds) quits. */
void fatal_open(struct dash *d, const char *error);

#endif
