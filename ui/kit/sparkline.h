/*
 * sparkline.h — a rate history as a row of bar glyphs (▁▂▃▄▅▆▇█, or ASCII
 * in other locales), scaled to the largest value shown.  Pure function.
 */
#ifndef ORDERTOP_UI_SPARKLINE_H
#define ORDERTOP_UI_SPARKLINE_H

#include <stddef.h>
#include "glyph.h"

/* Renders the last `width` of n samples (oldest first) into buf; shorter
 * histories are padded on the left with blanks.  Returns columns written. */
int sparkline_render(char *buf, size_t len, const float *samples, int n, int width,
		     const struct glyphs *g);

#endif
