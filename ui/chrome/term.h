/*
 * term.h — the terminal: curses start and restore (also at exit and on a
 * failed start), the signals that ask the dashboard to quit, mouse on/off,
 * and turning a parsed theme into colour pairs (or monochrome attributes
 * under NO_COLOR / without colours).  Like htop's CRT.c.
 */
#ifndef ORDERTOP_UI_TERM_H
#define ORDERTOP_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

struct dash;

/* 0, or -1 with the reason (no terminal, curses failed). */
int term_init(struct dash *d, char *err, size_t errlen);
/* Restores the terminal and the signal handlers; safe to call twice. */
void term_restore(void);
/* The signal that asked to quit (SIGINT, SIGTERM, SIGHUP), or 0. */
int term_quit_signal(void);
void term_mouse(struct dash *d, bool on);

/* Loads theme `name` (a name searched in the theme directories, or a
 * path), falling back to the built-in default with a warning (log and
 * footer) naming the file and line of an error; applies it. */
void term_load_theme(struct dash *d, const char *name);
/* Cycles to the next theme found in the theme directories. */
void term_next_theme(struct dash *d);
/* Turns d->theme into d->attr[] (colour pairs). */
void term_apply_theme(struct dash *d);

#endif
