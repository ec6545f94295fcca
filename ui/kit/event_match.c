/*
 * event_match.c — the text filter over an event (see event_match.h).
 */
#include "event_match.h"

#include "engine.h"
#include "pane.h"

bool
event_match(const void *item, const char *filter)
{
	const struct event *ev = item;
	return pane_text_match(ev->key, filter) || pane_text_match(ev->summary, filter) ||
		pane_text_match(ev->order_id, filter);
}
