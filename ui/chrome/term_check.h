/*
 * term_check.h — whether the dashboard can run here: standard input and
 * output are a terminal, and its type (TERM) can address the cursor.
 */
#ifndef ORDERTOP_UI_TERM_CHECK_H
#define ORDERTOP_UI_TERM_CHECK_H

#include <stddef.h>

/* 0, or -1 with what is missing and what to do in err. */
int term_check(char *err, size_t errlen);

#endif
