/*
 * dash.c — the accessors of the dashboard's shared state (see dash.h): the
 * role attributes, the pane instances and focus, pausing the panes, the
 * cached engine state and the footer's transient message.  Below every
 * pane and overlay; it calls nothing of theirs but their kinds' functions.
 */
#include "dash.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_sanitize.h"

#define DASH_MSG_MS 8000

attr_t
dash_attr(const struct dash *d, int role)
{
	return (role >= 0 && role < ROLE__COUNT) ? d->attr[role] : A_NORMAL;
}

struct pane *
dash_pane(struct dash *d, int id)
{
	return (id >= 0 && id < PANE__COUNT) ? &d->panes[id] : NULL;
}

int
dash_focused_pane(const struct dash *d)
{
	return d->focus_pane;
}

void
dash_mark_pane(struct dash *d, int id)
{
	if (id >= 0 && id < PANE__COUNT)
		d->panes[id].dirty = true;
}

bool
dash_pane_visible(const struct dash *d, int id)
{
	return layout_slot_of(&d->lay, id, d->tab_pane) >= 0;
}

void
dash_set_focus_pane(struct dash *d, int pane)
{
	int s = layout_slot_of(&d->lay, pane, d->tab_pane);
	if (s < 0 && d->lay.n_tabs > 0) {
		for (int i = 0; i < d->lay.n_tabs; i++)
			if (d->lay.tabs[i] == pane) {
				d->tab_pane = pane;
				s = layout_slot_of(&d->lay, pane, d->tab_pane);
			}
	}
	if (s < 0)
		s = 0;
	d->focus = s;
	if (s < d->lay.n) {
		int p = d->lay.slot[s].pane;
		d->focus_pane = p == LAYOUT_TABS ? d->tab_pane : p;
	}
}

void
dash_refresh_engine(struct dash *d)
{
	engine_rules_status(d->e, &d->rules);
	engine_generator_status(d->e, &d->gen);
	engine_broker_status(d->e, &d->brokers);
	d->dirty |= DIRTY_HEADER;
}

void
dash_pause(struct dash *d, bool on)
{
	if (on == d->paused)
		return;
	d->paused = on;
	for (int i = 0; i < PANE__COUNT; i++) {
		struct pane *p = &d->panes[i];
		if (!p->def->follow)
			continue;
		if (on) {
			d->follow_before_pause[i] = p->follow;
			if (p->follow) {
				if (p->cap > 0)
					pane_unfollow(p);
				else if (p->def->seek)
					p->def->seek(d, p, 0);
			}
		} else if (d->follow_before_pause[i]) {
			p->def->follow(d, p);
		}
		p->dirty = true;
	}
	d->dirty |= DIRTY_ALL;
}

void
dash_message(struct dash *d, int role, const char *fmt, ...)
{
	char raw[sizeof d->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* Messages may carry text from data (reasons, names): sanitize. */
	text_sanitize(d->msg, sizeof d->msg, raw, strlen(raw), -1);
	d->msg_role = role;
	d->msg_until_ms = mono_ms() + DASH_MSG_MS;
	d->dirty |= DIRTY_FOOTER;
}
