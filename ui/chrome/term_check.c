/*
 * term_check.c — the dashboard's terminal, checked before anything starts
 * (see term_check.h).  A terminal that cannot move the cursor (TERM=dumb,
 * an unknown type) would get a screen that scrolls away blank.  Its own
 * file: <term.h> defines macros (lines, columns) that clash with names
 * elsewhere.
 */
#include "term_check.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <ncursesw/term.h> /* not ui/chrome/term.h */
#include <unistd.h>

int
term_check(char *err, size_t errlen)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
			 "the dashboard needs a terminal; use --headless to run without one");
		return -1;
	}
	const char *name = getenv("TERM");
	if (!name || !*name)
		name = "xterm"; /* as term_init() does */
	int found = 0;
	if (setupterm(name, STDOUT_FILENO, &found) != OK) {
		snprintf(err, errlen,
			 "TERM=%s is not a terminal type this system knows; set TERM to your "
			 "terminal's, or use --headless",
			 name);
		return -1;
	}
	const char *cup = tigetstr("cup");
	int can_move = cup != NULL && cup != (const char *)-1;
	del_curterm(cur_term);
	if (!can_move) {
		snprintf(err, errlen,
			 "TERM=%s cannot move the cursor, which the dashboard needs; run it in "
			 "a terminal that can (e.g. TERM=xterm-256color), or use --headless",
			 name);
		return -1;
	}
	return 0;
}
