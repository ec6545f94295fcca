/*
 * event_match.h — the text filter over an event (struct event): its key,
 * summary and order id.  The stream and decision panes filter their rings
 * with it; the status table counts the new orders that match.
 */
#ifndef ORDERTOP_UI_EVENT_MATCH_H
#define ORDERTOP_UI_EVENT_MATCH_H

#include <stdbool.h>

/* A pane_match_fn (pane.h): item is a struct event. */
bool event_match(const void *item, const char *filter);

#endif
