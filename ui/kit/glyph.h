/*
 * glyph.h — the symbols the dashboard draws, in two sets: Unicode for
 * UTF-8 locales and plain ASCII otherwise.  Status is never shown by colour
 * alone: each order status has its own glyph.
 */
#ifndef ORDERTOP_UI_GLYPH_H
#define ORDERTOP_UI_GLYPH_H

#include <stdbool.h>
#include "order.h"

struct glyphs {
	bool utf8;
	const char *status[ORDER_STATUS__COUNT]; /* ○ ✓ ✗ ✉ ☠ */
	const char *spark[8];                    /* ▁ ... █ */
	const char *spark_zero;                  /* a zero sample */
	const char *new_below;                   /* ▼ */
	const char *new_above;                   /* ▲ */
	const char *times;                       /* × */
	const char *stuck;                       /* ⚠ */
	const char *on, *off;                    /* ● ○ */
	const char *tab_left, *tab_right;        /* ◂ ▸ */
	const char *sep;                         /* │ */
	const char *arrow;                       /* → */
	const char *ellipsis;                    /* … */
	const char *paused;                      /* ⏸ */
};

/* The set for the current locale (call after setlocale). */
const struct glyphs *glyph_set(bool utf8);
/* True when the locale's character set is UTF-8. */
bool glyph_locale_is_utf8(void);

#endif
