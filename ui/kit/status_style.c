/*
 * status_style.c — colour role and glyph of an order status (see
 * status_style.h).
 */
#include "status_style.h"

#include "dash.h"

int
status_style_role(int status)
{
	switch (status) {
	case ORDER_APPROVED: return ROLE_STATUS_APPROVED;
	case ORDER_REFUSED: return ROLE_STATUS_REFUSED;
	case ORDER_NOTIFIED: return ROLE_STATUS_NOTIFIED;
	case ORDER_DEAD_LETTERED: return ROLE_STATUS_DEAD;
	default: return ROLE_STATUS_NEW;
	}
}

const char *
status_style_glyph(const struct dash *d, int status)
{
	if (status < 0 || status >= ORDER_STATUS__COUNT)
		status = ORDER_NEW;
	return d->g->status[status];
}
