/*
 * theme.h — colour themes keyed by semantic roles (status.refused,
 * pane.border.focus, ...), like htop's ColorElements.
 *
 * A theme file holds `role = value` lines ('#' comments, blank lines), the
 * value being "fg [on bg] [bold] [underline] [reverse] [dim] ..." with
 * colours given as ANSI names (red, bright-red), indices 0-255, #rrggbb or
 * "default".  Parsing is a pure function (no terminal needed) and is
 * all-or-nothing: on an error the theme is left as it was and the error
 * names the file and line.  Colours are mapped down to what the terminal
 * has (256-colour cube and greys, else nearest of 16 or 8) when applied.
 */
#ifndef ORDERTOP_UI_THEME_H
#define ORDERTOP_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* X(enum name, key in theme files) — the screen roles. */
#define THEME_ROLES(X)                                                                             \
	X(ROLE_TEXT, "text")                                                                       \
	X(ROLE_DIM, "text.dim")                                                                    \
	X(ROLE_HEADER_TITLE, "header.title")                                                       \
	X(ROLE_HEADER_LABEL, "header.label")                                                       \
	X(ROLE_HEADER_VALUE, "header.value")                                                       \
	X(ROLE_HEADER_RATE, "header.rate")                                                         \
	X(ROLE_SPARKLINE, "sparkline")                                                             \
	X(ROLE_BANNER_PAUSED, "banner.paused")                                                     \
	X(ROLE_BANNER_WARN, "banner.warn")                                                         \
	X(ROLE_PANE_BORDER, "pane.border")                                                         \
	X(ROLE_PANE_BORDER_FOCUS, "pane.border.focus")                                             \
	X(ROLE_PANE_TITLE, "pane.title")                                                           \
	X(ROLE_PANE_TITLE_FOCUS, "pane.title.focus")                                               \
	X(ROLE_PANE_TAB, "pane.tab")                                                               \
	X(ROLE_PANE_NEW, "pane.new")                                                               \
	X(ROLE_COLUMN_HEADER, "column.header")                                                     \
	X(ROLE_STATUS_NEW, "status.new")                                                           \
	X(ROLE_STATUS_APPROVED, "status.approved")                                                 \
	X(ROLE_STATUS_REFUSED, "status.refused")                                                   \
	X(ROLE_STATUS_NOTIFIED, "status.notified")                                                 \
	X(ROLE_STATUS_DEAD, "status.dead")                                                         \
	X(ROLE_STATUS_STUCK, "status.stuck")                                                       \
	X(ROLE_RULE_ON, "rule.on")                                                                 \
	X(ROLE_RULE_OFF, "rule.off")                                                               \
	X(ROLE_RULE_BEHIND, "rule.behind")                                                         \
	X(ROLE_SELECTION, "selection")                                                             \
	X(ROLE_FOOTER_KEY, "footer.key")                                                           \
	X(ROLE_FOOTER_TEXT, "footer.text")                                                         \
	X(ROLE_FOOTER_MESSAGE, "footer.message")                                                   \
	X(ROLE_FILTER, "filter")                                                                   \
	X(ROLE_ERROR, "error")                                                                     \
	X(ROLE_LOG_DEBUG, "log.debug")                                                             \
	X(ROLE_LOG_INFO, "log.info")                                                               \
	X(ROLE_LOG_WARN, "log.warn")                                                               \
	X(ROLE_LOG_ERROR, "log.error")                                                             \
	X(ROLE_OVERLAY, "overlay")                                                                 \
	X(ROLE_OVERLAY_BORDER, "overlay.border")                                                   \
	X(ROLE_OVERLAY_TITLE, "overlay.title")                                                     \
	X(ROLE_FORM_LABEL, "form.label")                                                           \
	X(ROLE_FORM_FIELD, "form.field")                                                           \
	X(ROLE_FORM_FIELD_FOCUS, "form.field.focus")                                               \
	X(ROLE_JSON_KEY, "json.key")

#define THEME_ROLE_ENUM(e, k) e,
enum theme_role {
	THEME_ROLES(THEME_ROLE_ENUM) ROLE__COUNT
};
#undef THEME_ROLE_ENUM

/* Attribute bits (independent of curses, so parsing needs no terminal). */
enum {
	TATTR_BOLD = 1 << 0,
	TATTR_UNDERLINE = 1 << 1,
	TATTR_REVERSE = 1 << 2,
	TATTR_DIM = 1 << 3,
	TATTR_ITALIC = 1 << 4,
	TATTR_BLINK = 1 << 5,
	TATTR_STANDOUT = 1 << 6,
};

enum theme_color_kind {
	TCOLOR_DEFAULT = 0, /* the terminal's default (-1) */
	TCOLOR_INDEX,       /* 0-15 ANSI, 16-255 xterm palette */
	TCOLOR_RGB,         /* #rrggbb */
};

struct theme_color {
	enum theme_color_kind kind;
	int index;             /* TCOLOR_INDEX */
	unsigned char r, g, b; /* TCOLOR_RGB */
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs; /* TATTR_* */
};

#define THEME_NAME_MAX 64

struct theme {
	char name[THEME_NAME_MAX];
	struct theme_style style[ROLE__COUNT];
};

const char *theme_role_key(enum theme_role r);
int theme_role_find(const char *key); /* role, or -1 */

/* The compiled-in default (16 ANSI colours, default background). */
void theme_builtin(struct theme *t);
/* The monochrome attributes used under NO_COLOR or without colours. */
unsigned theme_mono_attrs(enum theme_role r);

/* Parses one value ("bright-red on #102030 bold").  0, or -1 with a reason. */
int theme_parse_style(const char *value, struct theme_style *out, char *err, size_t errlen);
/* Parses a whole theme text over *t (roles not named keep their value).
 * All-or-nothing: on error *t is unchanged and err says "FILE:LINE: why". */
int theme_parse(struct theme *t, const char *text, const char *filename, char *err, size_t errlen);
/* Reads and parses a file over the built-in default. */
int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen);

/* The terminal colour number for c given `ncolors` (COLORS): -1 for the
 * default, else an index < ncolors (nearest match for #rrggbb and for
 * indices the terminal lacks). */
int theme_map_color(const struct theme_color *c, int ncolors);
/* True when the fg of a bright ANSI colour was folded to 0-7 (the caller
 * may add bold to keep it bright). */
bool theme_color_is_bright(const struct theme_color *c);
/* The RGB value of palette index 0-255 (xterm defaults). */
void theme_index_rgb(int index, unsigned char rgb[3]);

/*
 * Theme files: the directories searched, in order (cfg theme_dir, then
 * $XDG_CONFIG_HOME/ordertop/themes or ~/.config/ordertop/themes, then
 * ORDERTOP_DATADIR/themes, then ./themes).  Returns the count written.
 */
#define THEME_DIRS_MAX 4
#define THEME_PATH_MAX 1024
int theme_search_dirs(const char *theme_dir, char dirs[][THEME_PATH_MAX], int max);
/* Finds NAME.theme (or NAME when it contains '/'); 0 and path, or -1. */
int theme_find(const char *theme_dir, const char *name, char *path, size_t len);
/* Names of all themes found (deduplicated, sorted); returns the count. */
int theme_list(const char *theme_dir, char names[][THEME_NAME_MAX], int max);

#endif
