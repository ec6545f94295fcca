/*
 * keys.h — what each key does: the open overlay takes every key, then the
 * filter prompt, then the focused pane's own keys, then a table of key ->
 * action, like htop's Action.c (help.c lists the same keys).  Actions
 * return DIRTY_* bits saying what to repaint.  Keys are keycode.h ints.
 */
#ifndef ORDERTOP_UI_KEYS_H
#define ORDERTOP_UI_KEYS_H

struct dash;

/* A key (KEY_MOUSE included, KEY_RESIZE not): DIRTY_* bits. */
int keys_handle(struct dash *d, int key);

#endif
