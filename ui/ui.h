/*
 * ui.h — the dashboard's entry point.  ui_run() owns the terminal until the
 * user quits (or the engine stops on a fatal error), then restores it.
 * Only the thread that calls ui_run() ever calls curses.
 */
#ifndef ORDERTOP_UI_H
#define ORDERTOP_UI_H

#include "engine.h"

/* Before anything starts: 0 if the dashboard can run in this terminal,
 * or -1 with what is missing in err. */
int ui_check_terminal(char *err, size_t errlen);

/* Returns the process exit code (0 after a clean quit). */
int ui_run(struct engine *e, const struct config *cfg);

#endif
