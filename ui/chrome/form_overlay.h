/*
 * form_overlay.h — a form box (formbox.h) shown as the open overlay, in
 * d->form: the overlay_def pieces every form shares.  A form's own file
 * opens it and says what Enter does.
 */
#ifndef ORDERTOP_UI_FORM_OVERLAY_H
#define ORDERTOP_UI_FORM_OVERLAY_H

struct dash;

/* overlay_def.close, .draw and .resize for d->form. */
void form_overlay_close(struct dash *d);
void form_overlay_draw(struct dash *d);
void form_overlay_resize(struct dash *d);
/* overlay_def.key for d->form: Enter calls submit(), Esc closes the form
 * and says cancelled in the footer, the quit key closes it and quits.
 * Returns dirty bits. */
int form_overlay_key(struct dash *d, int key, int (*submit)(struct dash *d), const char *cancelled);

#endif
