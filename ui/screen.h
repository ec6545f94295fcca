/*
 * screen.h — the windows of the layout and drawing a frame of what is
 * dirty (d->dirty, the panes' dirty flags).
 */
#ifndef ORDERTOP_UI_SCREEN_H
#define ORDERTOP_UI_SCREEN_H

struct dash;

/* New size, zoom or Ctrl-L: recomputes the layout, makes new windows. */
void screen_relayout(struct dash *d);
/* Draws what is dirty (laying out first when asked) and clears d->dirty. */
void screen_draw(struct dash *d);
/* Deletes every window (the overlay's too). */
void screen_free(struct dash *d);

#endif
