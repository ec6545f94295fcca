/*
 * event_match.c — the text filter over an event, and the selected event's
 * order (see event_match.h).
 */
#include "event_match.h"

#include <stdio.h>

#include "engine.h"
#include "pane.h"

bool
event_match(const void *item, const char *filter)
{
	const struct event *ev = item;
	return pane_text_match(ev->key, filter) || pane_text_match(ev->summary, filter) ||
		pane_text_match(ev->order_id, filter);
}

bool
event_selected_order(struct dash *d, struct pane *p, char *id, size_t len)
{
	(void)d;
	const struct event *ev = pane_selected(p);
	if (!ev || !ev->order_id[0])
		return false;
	snprintf(id, len, "%s", ev->order_id);
	return true;
}
