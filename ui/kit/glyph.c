/*
 * glyph.c — the Unicode and ASCII glyph sets (see glyph.h).
 */
#include "glyph.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>

static const struct glyphs glyphs_utf8 = {
	.utf8 = true,
	.status = { "○", "✓", "✗", "✉", "☠" },
	.spark = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
	.spark_zero = " ",
	.new_below = "▼",
	.new_above = "▲",
	.times = "×",
	.stuck = "⚠",
	.on = "●",
	.off = "○",
	.tab_left = "◂",
	.tab_right = "▸",
	.sep = "│",
	.arrow = "→",
	.ellipsis = "…",
	.paused = "‖",
};

static const struct glyphs glyphs_ascii = {
	.utf8 = false,
	.status = { "o", "+", "x", "@", "!" },
	.spark = { "_", ".", ":", "-", "=", "+", "*", "#" },
	.spark_zero = " ",
	.new_below = "v",
	.new_above = "^",
	.times = "x",
	.stuck = "!",
	.on = "*",
	.off = "-",
	.tab_left = "<",
	.tab_right = ">",
	.sep = "|",
	.arrow = "->",
	.ellipsis = "...",
	.paused = "||",
};

const struct glyphs *
glyph_set(bool utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

bool
glyph_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}
