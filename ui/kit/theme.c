/*
 * theme.c — parsing and finding colour themes (see theme.h).  Nothing here
 * touches the terminal: term.c turns a parsed theme into colour pairs.
 * The built-in default is itself theme text, parsed like a file, so the
 * built-in and themes/default.theme read the same way.
 */
#include "theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef ORDERTOP_DATADIR
#define ORDERTOP_DATADIR "/usr/local/share/ordertop"
#endif

#define THEME_FILE_MAX (64 * 1024)

#define THEME_ROLE_KEY(e, k) k,
static const char *const role_keys[ROLE__COUNT] = { THEME_ROLES(THEME_ROLE_KEY) };
#undef THEME_ROLE_KEY

/* The built-in theme: only the 16 ANSI colours, default background. */
static const char builtin_text[] = "text = default\n"
				   "text.dim = bright-black\n"
				   "header.title = cyan bold\n"
				   "header.label = default\n"
				   "header.value = default bold\n"
				   "header.rate = cyan\n"
				   "sparkline = green\n"
				   "banner.paused = black on yellow bold\n"
				   "banner.warn = bright-white on red bold\n"
				   "pane.border = default\n"
				   "pane.border.focus = cyan bold\n"
				   "pane.title = default bold\n"
				   "pane.title.focus = black on cyan bold\n"
				   "pane.tab = bright-black\n"
				   "pane.new = black on yellow\n"
				   "column.header = default underline\n"
				   "status.new = default\n"
				   "status.approved = green\n"
				   "status.refused = red\n"
				   "status.notified = cyan\n"
				   "status.dead = magenta bold\n"
				   "status.stuck = black on yellow bold\n"
				   "rule.on = green bold\n"
				   "rule.off = bright-black\n"
				   "rule.behind = yellow bold\n"
				   "selection = default reverse\n"
				   "footer.key = black on cyan\n"
				   "footer.text = default\n"
				   "footer.message = yellow bold\n"
				   "filter = black on yellow\n"
				   "error = red bold\n"
				   "log.debug = bright-black\n"
				   "log.info = default\n"
				   "log.warn = yellow\n"
				   "log.error = red bold\n"
				   "overlay = default\n"
				   "overlay.border = cyan bold\n"
				   "overlay.title = cyan bold\n"
				   "form.label = default bold\n"
				   "form.field = default underline\n"
				   "form.field.focus = black on cyan\n"
				   "json.key = cyan\n";

/* Monochrome: what each role looks like without colours. */
static const unsigned mono_attrs[ROLE__COUNT] = {
	[ROLE_DIM] = TATTR_DIM,
	[ROLE_HEADER_TITLE] = TATTR_BOLD,
	[ROLE_HEADER_VALUE] = TATTR_BOLD,
	[ROLE_BANNER_PAUSED] = TATTR_REVERSE | TATTR_BOLD,
	[ROLE_BANNER_WARN] = TATTR_REVERSE | TATTR_BOLD,
	[ROLE_PANE_BORDER_FOCUS] = TATTR_BOLD,
	[ROLE_PANE_TITLE] = TATTR_BOLD,
	[ROLE_PANE_TITLE_FOCUS] = TATTR_REVERSE | TATTR_BOLD,
	[ROLE_PANE_TAB] = TATTR_DIM,
	[ROLE_PANE_NEW] = TATTR_REVERSE,
	[ROLE_COLUMN_HEADER] = TATTR_UNDERLINE,
	[ROLE_STATUS_REFUSED] = TATTR_BOLD,
	[ROLE_STATUS_DEAD] = TATTR_BOLD | TATTR_UNDERLINE,
	[ROLE_STATUS_STUCK] = TATTR_REVERSE,
	[ROLE_RULE_ON] = TATTR_BOLD,
	[ROLE_RULE_OFF] = TATTR_DIM,
	[ROLE_RULE_BEHIND] = TATTR_UNDERLINE,
	[ROLE_SELECTION] = TATTR_REVERSE,
	[ROLE_FOOTER_KEY] = TATTR_REVERSE,
	[ROLE_FOOTER_MESSAGE] = TATTR_BOLD,
	[ROLE_FILTER] = TATTR_REVERSE,
	[ROLE_ERROR] = TATTR_BOLD | TATTR_UNDERLINE,
	[ROLE_LOG_DEBUG] = TATTR_DIM,
	[ROLE_LOG_WARN] = TATTR_BOLD,
	[ROLE_LOG_ERROR] = TATTR_BOLD | TATTR_UNDERLINE,
	[ROLE_OVERLAY_BORDER] = TATTR_BOLD,
	[ROLE_OVERLAY_TITLE] = TATTR_BOLD,
	[ROLE_FORM_LABEL] = TATTR_BOLD,
	[ROLE_FORM_FIELD] = TATTR_UNDERLINE,
	[ROLE_FORM_FIELD_FOCUS] = TATTR_REVERSE,
};

static const char *const ansi_names[8] = { "black", "red",     "green", "yellow",
					   "blue",  "magenta", "cyan",  "white" };

/* xterm's default 16 colours. */
static const unsigned char ansi_rgb[16][3] = {
	{ 0, 0, 0 },       { 205, 0, 0 },   { 0, 205, 0 },   { 205, 205, 0 },
	{ 0, 0, 238 },     { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 },   { 0, 255, 0 },   { 255, 255, 0 },
	{ 92, 92, 255 },   { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const unsigned char cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", TATTR_BOLD },
	{ "underline", TATTR_UNDERLINE },
	{ "reverse", TATTR_REVERSE },
	{ "dim", TATTR_DIM },
	{ "italic", TATTR_ITALIC },
	{ "blink", TATTR_BLINK },
	{ "standout", TATTR_STANDOUT },
	{ "normal", 0 },
	{ "none", 0 },
};

const char *
theme_role_key(enum theme_role r)
{
	return (r >= 0 && r < ROLE__COUNT) ? role_keys[r] : "?";
}

int
theme_role_find(const char *key)
{
	for (int i = 0; i < ROLE__COUNT; i++)
		if (strcmp(role_keys[i], key) == 0)
			return i;
	return -1;
}

unsigned
theme_mono_attrs(enum theme_role r)
{
	return (r >= 0 && r < ROLE__COUNT) ? mono_attrs[r] : 0;
}

void
theme_builtin(struct theme *t)
{
	char err[256];

	memset(t, 0, sizeof *t);
	if (theme_parse(t, builtin_text, "(built-in)", err, sizeof err) != 0)
		abort(); /* a broken invariant: the text is ours */
	snprintf(t->name, sizeof t->name, "built-in");
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One colour word; 0 or -1. */
static int
parse_color(const char *w, struct theme_color *c)
{
	memset(c, 0, sizeof *c);
	if (strcasecmp(w, "default") == 0 || strcmp(w, "-1") == 0) {
		c->kind = TCOLOR_DEFAULT;
		return 0;
	}
	if (w[0] == '#') {
		if (strlen(w) != 7)
			return -1;
		int v[6];
		for (int i = 0; i < 6; i++)
			if ((v[i] = hexval((unsigned char)w[i + 1])) < 0)
				return -1;
		c->kind = TCOLOR_RGB;
		c->r = (unsigned char)(v[0] * 16 + v[1]);
		c->g = (unsigned char)(v[2] * 16 + v[3]);
		c->b = (unsigned char)(v[4] * 16 + v[5]);
		return 0;
	}
	if (isdigit((unsigned char)w[0])) {
		char *end;
		errno = 0;
		long n = strtol(w, &end, 10);
		if (*end != '\0' || errno != 0 || n < 0 || n > 255)
			return -1;
		c->kind = TCOLOR_INDEX;
		c->index = (int)n;
		return 0;
	}
	int base = 0;
	const char *n = w;
	if (strncasecmp(n, "bright-", 7) == 0 || strncasecmp(n, "bright_", 7) == 0) {
		base = 8;
		n += 7;
	} else if (strncasecmp(n, "bright", 6) == 0 && n[6] != '\0') {
		base = 8;
		n += 6;
	}
	if (base == 0 && (strcasecmp(n, "grey") == 0 || strcasecmp(n, "gray") == 0)) {
		c->kind = TCOLOR_INDEX;
		c->index = 8;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		if (strcasecmp(n, ansi_names[i]) == 0) {
			c->kind = TCOLOR_INDEX;
			c->index = base + i;
			return 0;
		}
	return -1;
}

static int
parse_attr(const char *w, unsigned *bits)
{
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
		if (strcasecmp(w, attr_names[i].name) == 0) {
			*bits |= attr_names[i].bit;
			return 0;
		}
	return -1;
}

int
theme_parse_style(const char *value, struct theme_style *out, char *err, size_t errlen)
{
	struct theme_style st;
	char buf[256], *save = NULL;
	bool have_fg = false, have_bg = false, any = false;

	memset(&st, 0, sizeof st);
	if (strlen(value) >= sizeof buf) {
		snprintf(err, errlen, "value too long");
		return -1;
	}
	memcpy(buf, value, strlen(value) + 1);
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		any = true;
		if (strcasecmp(w, "on") == 0) {
			char *c = strtok_r(NULL, " \t", &save);
			if (!c) {
				snprintf(err, errlen, "'on' needs a background colour");
				return -1;
			}
			if (have_bg) {
				snprintf(err, errlen, "two background colours");
				return -1;
			}
			if (parse_color(c, &st.bg) != 0) {
				snprintf(err, errlen, "unknown colour '%.40s'", c);
				return -1;
			}
			have_bg = true;
			continue;
		}
		if (parse_attr(w, &st.attrs) == 0)
			continue;
		struct theme_color col;
		if (parse_color(w, &col) == 0) {
			if (have_fg) {
				snprintf(err, errlen, "two foreground colours ('%.40s')", w);
				return -1;
			}
			st.fg = col;
			have_fg = true;
			continue;
		}
		snprintf(err, errlen, "unknown colour or attribute '%.40s'", w);
		return -1;
	}
	if (!any) {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	*out = st;
	return 0;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Cuts an inline comment: '#' at the start or after blank, followed by
 * blank or the end (so "#rrggbb" stays). */
static void
cut_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p != '#')
			continue;
		bool after_blank = (p == s || p[-1] == ' ' || p[-1] == '\t');
		bool before_blank = (p[1] == '\0' || p[1] == ' ' || p[1] == '\t');
		if (p == s || (after_blank && before_blank)) {
			*p = '\0';
			return;
		}
	}
}

int
theme_parse(struct theme *t, const char *text, const char *filename, char *err, size_t errlen)
{
	struct theme tmp = *t;
	const char *p = text;
	int lineno = 0;

	if (!filename)
		filename = "(theme)";
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		lineno++;
		if (n >= sizeof line) {
			snprintf(err, errlen, "%s:%d: line too long", filename, lineno);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);

		char *s = trim(line);
		if (*s == '#' || *s == '\0')
			continue;
		cut_comment(s);
		s = trim(s);
		if (*s == '\0')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'role = value'", filename, lineno);
			return -1;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		int role = theme_role_find(key);
		if (role < 0) {
			snprintf(err, errlen, "%s:%d: unknown role '%.60s'", filename, lineno, key);
			return -1;
		}
		char why[160];
		if (theme_parse_style(val, &tmp.style[role], why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%d: %s: %s", filename, lineno, key, why);
			return -1;
		}
	}
	*t = tmp;
	return 0;
}

int
theme_load_file(struct theme *t, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(THEME_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(buf, 1, THEME_FILE_MAX + 1, f);
	int rerr = ferror(f);
	fclose(f);
	if (rerr || n > THEME_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, rerr ? "read error" : "file too large");
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		snprintf(err, errlen, "%s: not a text file", path);
		free(buf);
		return -1;
	}
	struct theme tmp;
	theme_builtin(&tmp);
	int rc = theme_parse(&tmp, buf, path, err, errlen);
	free(buf);
	if (rc != 0)
		return -1;
	/* The name is the file name without directory and ".theme". */
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	if (bl > 6 && strcmp(base + bl - 6, ".theme") == 0)
		bl -= 6;
	if (bl >= sizeof tmp.name)
		bl = sizeof tmp.name - 1;
	memcpy(tmp.name, base, bl);
	tmp.name[bl] = '\0';
	*t = tmp;
	return 0;
}

void
theme_index_rgb(int index, unsigned char rgb[3])
{
	if (index < 0)
		index = 0;
	if (index < 16) {
		memcpy(rgb, ansi_rgb[index], 3);
	} else if (index < 232) {
		int i = index - 16;
		rgb[0] = cube_levels[(i / 36) % 6];
		rgb[1] = cube_levels[(i / 6) % 6];
		rgb[2] = cube_levels[i % 6];
	} else {
		int v = 8 + 10 * ((index > 255 ? 255 : index) - 232);
		rgb[0] = rgb[1] = rgb[2] = (unsigned char)v;
	}
}

static long
dist2(const unsigned char a[3], const unsigned char b[3])
{
	long dr = (long)a[0] - b[0], dg = (long)a[1] - b[1], db = (long)a[2] - b[2];
	return dr * dr + dg * dg + db * db;
}

static int
nearest(const unsigned char rgb[3], int from, int to)
{
	int best = from;
	long bestd = -1;
	for (int i = from; i < to; i++) {
		unsigned char c[3];
		theme_index_rgb(i, c);
		long d = dist2(rgb, c);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

int
theme_map_color(const struct theme_color *c, int ncolors)
{
	unsigned char rgb[3];

	if (c->kind == TCOLOR_DEFAULT || ncolors < 8)
		return -1;
	if (c->kind == TCOLOR_INDEX) {
		if (c->index < ncolors && (ncolors >= 256 || c->index < 16))
			return c->index;
		if (c->index < 16)
			return c->index % 8; /* bright on an 8-colour terminal */
		theme_index_rgb(c->index, rgb);
	} else {
		rgb[0] = c->r;
		rgb[1] = c->g;
		rgb[2] = c->b;
	}
	if (ncolors >= 256)
		return nearest(rgb, 16, 256); /* 0-15 are the user's palette */
	if (ncolors >= 16)
		return nearest(rgb, 0, 16);
	return nearest(rgb, 0, 8);
}

bool
theme_color_is_bright(const struct theme_color *c)
{
	return c->kind == TCOLOR_INDEX && c->index >= 8 && c->index < 16;
}

int
theme_search_dirs(const char *theme_dir, char dirs[][THEME_PATH_MAX], int max)
{
	int n = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (theme_dir && *theme_dir && n < max)
		snprintf(dirs[n++], THEME_PATH_MAX, "%s", theme_dir);
	if (n < max) {
		if (xdg && *xdg)
			snprintf(dirs[n++], THEME_PATH_MAX, "%s/ordertop/themes", xdg);
		else if (home && *home)
			snprintf(dirs[n++], THEME_PATH_MAX, "%s/.config/ordertop/themes", home);
	}
	if (n < max)
		snprintf(dirs[n++], THEME_PATH_MAX, "%s/themes", ORDERTOP_DATADIR);
	if (n < max)
		snprintf(dirs[n++], THEME_PATH_MAX, "themes");
	return n;
}

int
theme_find(const char *theme_dir, const char *name, char *path, size_t len)
{
	char dirs[THEME_DIRS_MAX][THEME_PATH_MAX];

	if (!name || !*name)
		return -1;
	if (strchr(name, '/')) {
		if (access(name, R_OK) != 0)
			return -1;
		snprintf(path, len, "%s", name);
		return 0;
	}
	int n = theme_search_dirs(theme_dir, dirs, THEME_DIRS_MAX);
	for (int i = 0; i < n; i++) {
		char p[THEME_PATH_MAX + THEME_NAME_MAX + 16];
		snprintf(p, sizeof p, "%s/%s.theme", dirs[i], name);
		if (access(p, R_OK) == 0) {
			snprintf(path, len, "%s", p);
			return 0;
		}
	}
	return -1;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int
theme_list(const char *theme_dir, char names[][THEME_NAME_MAX], int max)
{
	char dirs[THEME_DIRS_MAX][THEME_PATH_MAX];
	int nd = theme_search_dirs(theme_dir, dirs, THEME_DIRS_MAX), n = 0;

	for (int i = 0; i < nd; i++) {
		DIR *dir = opendir(dirs[i]);
		if (!dir)
			continue;
		struct dirent *de;
		while ((de = readdir(dir)) != NULL && n < max) {
			size_t l = strlen(de->d_name);
			if (l <= 6 || l - 6 >= THEME_NAME_MAX || de->d_name[0] == '.' ||
			    strcmp(de->d_name + l - 6, ".theme") != 0)
				continue;
			char nm[THEME_NAME_MAX];
			memcpy(nm, de->d_name, l - 6);
			nm[l - 6] = '\0';
			bool dup = false;
			for (int j = 0; j < n && !dup; j++)
				dup = strcmp(names[j], nm) == 0;
			if (!dup)
				memcpy(names[n++], nm, THEME_NAME_MAX);
		}
		closedir(dir);
	}
	qsort(names, (size_t)n, THEME_NAME_MAX, cmp_name);
	return n;
}
