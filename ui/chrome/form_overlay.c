/*
 * form_overlay.c — a form box as the open overlay (see form_overlay.h).
 */
#include "form_overlay.h"

#include <stdlib.h>

#include "dash.h"
#include "formbox.h"
#include "overlay.h"

void
form_overlay_close(struct dash *d)
{
	if (!d->form)
		return;
	formbox_close(d->form);
	free(d->form);
	d->form = NULL;
	overlay_close(d);
}

void
form_overlay_draw(struct dash *d)
{
	if (d->form)
		formbox_draw(d->form, d);
}

void
form_overlay_resize(struct dash *d)
{
	if (d->form)
		formbox_relayout(d->form, d);
}

int
form_overlay_key(struct dash *d, int key, int (*submit)(struct dash *d), const char *cancelled)
{
	if (!d->form)
		return 0;
	switch (formbox_key(d->form, d, key)) {
	case FORMBOX_SUBMIT: return submit(d);
	case FORMBOX_CANCEL:
		form_overlay_close(d);
		dash_message(d, ROLE_FOOTER_MESSAGE, "%s", cancelled);
		return DIRTY_ALL;
	case FORMBOX_QUIT:
		form_overlay_close(d);
		d->quit = true;
		return 0;
	case FORMBOX_CONTINUE: break;
	}
	return DIRTY_OVERLAY;
}
