/*
 * event_match.h — what the panes over a ring of events (struct event)
 * share: the text filter over an event's key, summary and order id (the
 * stream and decision panes filter their rings with it; the status table
 * counts the new orders that match) and the selected event's order.
 */
#ifndef ORDERTOP_UI_EVENT_MATCH_H
#define ORDERTOP_UI_EVENT_MATCH_H

#include <stdbool.h>
#include <stddef.h>

/* A pane_match_fn (pane.h): item is a struct event. */
bool event_match(const void *item, const char *filter);

struct dash;
struct pane;
/* A pane_def's selected_order for a ring of events: the selected event's
 * order id into id; false when none is selected or it has no order. */
bool event_selected_order(struct dash *d, struct pane *p, char *id, size_t len);

#endif
