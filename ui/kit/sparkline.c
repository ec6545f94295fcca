/*
 * sparkline.c — rendering a rate history as bar glyphs (see sparkline.h).
 */
#include "sparkline.h"

#include <string.h>

int
sparkline_render(char *buf, size_t len, const float *samples, int n, int width,
		 const struct glyphs *g)
{
	size_t used = 0;
	int cols = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (width <= 0)
		return 0;
	int first = n > width ? n - width : 0;
	float max = 0;
	for (int i = first; i < n; i++)
		if (samples[i] > max)
			max = samples[i];
	for (int i = 0; i < width; i++) {
		int si = first + i - (width - (n - first));
		const char *glyph = g->spark_zero;
		if (si >= first && si < n && samples[si] > 0 && max > 0) {
			int level = (int)(samples[si] / max * 7.0f + 0.5f);
			if (level < 0)
				level = 0;
			if (level > 7)
				level = 7;
			glyph = g->spark[level];
		}
		size_t gl = strlen(glyph);
		if (used + gl + 1 > len)
			break;
		memcpy(buf + used, glyph, gl);
		used += gl;
		cols++;
	}
	buf[used] = '\0';
	return cols;
}
