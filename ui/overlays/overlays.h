/*
 * overlays.h — the overlay kinds (one `const struct overlay_def` each, see
 * overlay.h) and how each one opens.  Opening returns DIRTY_* bits; when
 * it cannot open, the footer says why.
 */
#ifndef ORDERTOP_UI_OVERLAYS_H
#define ORDERTOP_UI_OVERLAYS_H

#include <stdbool.h>

#include "overlay.h"

struct dash;

extern const struct overlay_def help_def;           /* help.c */
extern const struct overlay_def detail_def;         /* detail.c */
extern const struct overlay_def form_order_def;     /* form_order.c */
extern const struct overlay_def form_rule_def;      /* form_rule.c */
extern const struct overlay_def fatal_def;          /* fatal.c */
extern const struct overlay_def whatif_preview_def; /* whatif_preview.c */

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

/* whatif_preview.c: what publishing a change would do to the recent
 * orders, before it is published (p publishes, Esc cancels): rule `rule`
 * turned the other way, or its parameters names[i] set to texts[i]
 * (already checked). */
int whatif_preview_toggle(struct dash *d, int rule);
int whatif_preview_params(struct dash *d, int rule, int n, const char *const *names,
			  const char *const *texts);
/* Frees the what-if jobs that were stopped and have ended (all: stops and
 * joins every one, at the end). */
void whatif_preview_reap(struct dash *d, bool all);

#endif
