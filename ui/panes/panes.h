/*
 * panes.h — the pane kinds (one `const struct pane_def` each, in
 * pane_*.c) and the few things the loop asks of particular panes.
 */
#ifndef ORDERTOP_UI_PANES_H
#define ORDERTOP_UI_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include "pane.h"

struct dash;
struct event;

extern const struct pane_def pane_status_def;    /* pane_status.c */
extern const struct pane_def pane_stream_def;    /* pane_stream.c */
extern const struct pane_def pane_dlq_def;       /* pane_stream.c */
extern const struct pane_def pane_decisions_def; /* pane_decisions.c */
extern const struct pane_def pane_rules_def;     /* pane_rules.c */
extern const struct pane_def pane_log_def;       /* pane_log.c */

/* Filter over the log pane's ring (struct log_line); events: event_match.h. */
bool pane_log_match(const void *item, const char *filter);

/* Status table: a new event arrived (counts new orders while frozen). */
void pane_status_event(struct dash *d, const struct event *ev);
/* Status table: re-read the order table (when dirty). */
void pane_status_refresh(struct dash *d);

/* Rules pane: the lines it would like, and the selected rule. */
int pane_rules_rows(struct dash *d);
int pane_rules_selected(struct dash *d);
/* Turns rule `rule` on or off (a new rule set) and selects it: DIRTY_* bits. */
int pane_rules_toggle(struct dash *d, int rule);

#endif
