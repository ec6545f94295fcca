/*
 * keys.h — what each key does: a table of key -> action, like htop's
 * Action.c; the help overlay lists the same table.  Actions return
 * DIRTY_* bits saying what to repaint.
 *
 * Keys are one int: curses KEY_* codes as they are, characters below
 * KEY_MIN as themselves and other characters offset by KEYS_WIDE.
 */
#ifndef ORDERTOP_UI_KEYS_H
#define ORDERTOP_UI_KEYS_H

#include <stdbool.h>
#include <wchar.h>

struct dash;

#define KEYS_WIDE 0x40000000
#define KEYS_CTRL(c) ((c) & 0x1f)

/* From wget_wch's result (OK / KEY_CODE_YES) and value. */
int  keys_encode(int rc, wint_t wch);
/* The character of a key, or -1 for a function key. */
int  keys_char(int key);

struct key_help {
	const char *keys;        /* "q F10 ^C" */
	const char *what;
};
/* The help lines, grouped; returns the count. */
int  keys_help(const struct key_help **out);

/* A key in normal mode (no overlay, no prompt): DIRTY_* bits. */
int  keys_dispatch(struct dash *d, int key);
/* KEY_MOUSE: reads the event and acts on it. */
int  keys_mouse(struct dash *d);

/* Shared with panes. */
int  keys_toggle_rule(struct dash *d, int rule);
int  keys_edit_rule(struct dash *d, int rule);
int  keys_focus_next(struct dash *d, int dir);

#endif
