/*
 * fatal.c — the notice that the engine stopped on a fatal error: the
 * error, sanitized, over everything; any key quits (the loop also quits by
 * itself a few seconds later), and ui_run prints it again on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "log.h"
#include "overlays.h"
#include "text_sanitize.h"

void
fatal_open(struct dash *d, const char *error)
{
	char safe[400];
	text_sanitize(safe, sizeof safe, error, strlen(error), -1);
	snprintf(d->fatal, sizeof d->fatal, "fatal: %s", safe);
	log_error("ui", "%s", d->fatal);
	d->ovl = &fatal_def;
	d->fatal_since_ms = mono_ms();
	d->exit_code = 1;
	d->dirty |= DIRTY_ALL | DIRTY_OVERLAY;
}

static void
draw(struct dash *d)
{
	overlay_window(d, 7, d->cols - 4 > 90 ? 90 : d->cols - 4);
	if (!d->win_ovl)
		return;
	overlay_frame(d, "ordertop stopped");
	int w = getmaxx(d->win_ovl) - 4;
	draw_text(d->win_ovl, 2, 2, w, dash_attr(d, ROLE_ERROR), d->fatal);
	draw_text(d->win_ovl, 4, 2, w, dash_attr(d, ROLE_DIM),
		  "Press any key to quit (quits by itself in a few seconds).");
	wnoutrefresh(d->win_ovl);
}

static int
key(struct dash *d, int k)
{
	(void)k;
	d->quit = true;
	return 0;
}

const struct overlay_def fatal_def = {
	.name = "fatal",
	.hint = "any key:quit",
	.draw = draw,
	.key = key,
	.keys_when_small = true,
};
