/*
 * frame.h — the box around a pane: border (focused or not), title or the
 * tab strip of the shared "Streams" box, the filter and paused marks, and
 * the count of lines that arrived while not following ("▼ 37 new").
 */
#ifndef ORDERTOP_UI_FRAME_H
#define ORDERTOP_UI_FRAME_H

#include <curses.h>
#include <stdbool.h>

struct dash;
struct pane;

/* Draws the frame of slot `slot` showing pane p; tabs: the slot is the
 * tab set (shows the strip). */
void frame_draw(struct dash *d, WINDOW *w, struct pane *p, bool focused, bool tabs);

#endif
