/*
 * footer.h — the bottom line: the keys that matter now (depending on the
 * focused pane, the overlay, paused/following/filter state), transient
 * status messages (user errors go here, not to stderr; set with
 * dash_message()), and the filter prompt typed after `/`.
 */
#ifndef ORDERTOP_UI_FOOTER_H
#define ORDERTOP_UI_FOOTER_H

#include <stdbool.h>

struct dash;

void footer_draw(struct dash *d);

/* Starts typing a filter for the focused pane. */
void footer_prompt_start(struct dash *d);
/* A key while the prompt is open: DIRTY_* bits. */
int footer_prompt_key(struct dash *d, int key); /* keycode.h encoding */

#endif
