/*
 * term.c — owning the terminal (see term.h).  Signal handlers only set a
 * flag; the loop sees it within one poll timeout.  Ctrl-C arrives as a key
 * (raw mode), SIGINT/SIGTERM/SIGHUP from elsewhere through the flag.
 */
#include "term.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "log.h"

static volatile sig_atomic_t quit_signal;
static bool active;
static bool atexit_done;
static bool default_colors_ok;
static struct sigaction old_int, old_term, old_hup;
static bool handlers_set;
static SCREEN *screen;

static void
on_signal(int sig)
{
	quit_signal = sig;
}

int
term_quit_signal(void)
{
	return (int)quit_signal;
}

static void
set_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	handlers_set = true;
}

static void
restore_handlers(void)
{
	if (!handlers_set)
		return;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	handlers_set = false;
}

void
term_restore(void)
{
	if (active) {
		active = false;
		mousemask(0, NULL);
		curs_set(1);
		endwin();
		if (screen) {
			delscreen(screen);
			screen = NULL;
		}
		fflush(stdout);
	}
	restore_handlers();
}

static void
restore_at_exit(void)
{
	term_restore();
}

void
term_mouse(struct dash *d, bool on)
{
	d->mouse = on;
	if (on) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
				  BUTTON4_PRESSED | BUTTON5_PRESSED,
			  NULL);
		mouseinterval(0);
	} else {
		mousemask(0, NULL);
	}
}

int
term_init(struct dash *d, char *err, size_t errlen)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the dashboard needs a terminal (use --headless)");
		return -1;
	}
	const char *termname = getenv("TERM");
	if (!termname || !*termname)
		termname = "xterm";
	screen = newterm(termname, stdout, stdin);
	if (!screen) {
		snprintf(err, errlen, "cannot start the terminal (TERM=%s)", termname);
		return -1;
	}
	set_term(screen);
	active = true;
	if (!atexit_done) {
		atexit(restore_at_exit);
		atexit_done = true;
	}
	quit_signal = 0;
	set_handlers();

	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);

	const char *no_color = getenv("NO_COLOR");
	d->mono = (no_color && *no_color) || !has_colors();
	if (!d->mono) {
		start_color();
		default_colors_ok = use_default_colors() == OK;
	}
	term_mouse(d, d->cfg->mouse);
	return 0;
}

static attr_t
curses_attrs(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & TATTR_BOLD)
		r |= A_BOLD;
	if (a & TATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TATTR_REVERSE)
		r |= A_REVERSE;
	if (a & TATTR_DIM)
		r |= A_DIM;
	if (a & TATTR_ITALIC)
		r |= A_ITALIC;
	if (a & TATTR_BLINK)
		r |= A_BLINK;
	if (a & TATTR_STANDOUT)
		r |= A_STANDOUT;
	return r;
}

void
term_apply_theme(struct dash *d)
{
	for (int r = 0; r < ROLE__COUNT; r++) {
		const struct theme_style *st = &d->theme.style[r];
		if (d->mono) {
			d->attr[r] = curses_attrs(theme_mono_attrs(r));
			continue;
		}
		int fg = theme_map_color(&st->fg, COLORS);
		int bg = theme_map_color(&st->bg, COLORS);
		unsigned a = st->attrs;
		if (COLORS < 16 && theme_color_is_bright(&st->fg))
			a |= TATTR_BOLD;
		if (!default_colors_ok) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		attr_t ca = curses_attrs(a);
		if (r + 1 < COLOR_PAIRS && init_pair((short)(r + 1), (short)fg, (short)bg) == OK)
			ca |= COLOR_PAIR(r + 1);
		d->attr[r] = ca;
	}
	d->dirty |= DIRTY_ALL | DIRTY_CLEAR;
}

/* Remembers where `name` is in the list of themes, so `t` goes on from it
 * even when it failed to load. */
static void
note_cycle(struct dash *d, const char *name)
{
	for (int i = 0; i < d->n_themes; i++)
		if (strcmp(d->theme_names[i], name) == 0)
			d->theme_cycle = i;
}

void
term_load_theme(struct dash *d, const char *name)
{
	char path[THEME_PATH_MAX + THEME_NAME_MAX + 16], err[512];
	struct theme t;

	if (!name || !*name)
		name = "default";
	d->n_themes = theme_list(d->cfg->theme_dir, d->theme_names, DASH_THEMES_MAX);
	note_cycle(d, name);
	if (theme_find(d->cfg->theme_dir, name, path, sizeof path) == 0) {
		if (theme_load_file(&t, path, err, sizeof err) == 0) {
			d->theme = t;
		} else {
			log_warn("ui", "theme %s; using the built-in default", err);
			dash_message(d, ROLE_ERROR, "theme error: %s (default used)", err);
			theme_builtin(&d->theme);
		}
	} else {
		theme_builtin(&d->theme);
		if (strcmp(name, "default") != 0) {
			log_warn("ui", "theme '%s' not found; using the built-in default", name);
			dash_message(d, ROLE_ERROR, "theme '%s' not found (default used)", name);
		} else {
			snprintf(d->theme.name, sizeof d->theme.name, "default");
		}
	}
	term_apply_theme(d);
}

void
term_next_theme(struct dash *d)
{
	d->n_themes = theme_list(d->cfg->theme_dir, d->theme_names, DASH_THEMES_MAX);
	if (d->n_themes == 0) {
		dash_message(d, ROLE_FOOTER_MESSAGE, "no theme files found; using %s",
			     d->theme.name);
		return;
	}
	int cur = d->theme_cycle;
	for (int i = 0; i < d->n_themes; i++)
		if (strcmp(d->theme_names[i], d->theme.name) == 0)
			cur = i;
	int next = (cur + 1) % d->n_themes;
	char want[THEME_NAME_MAX];
	snprintf(want, sizeof want, "%s", d->theme_names[next]);
	term_load_theme(d, want);
	d->theme_cycle = next;
	if (strcmp(d->theme.name, want) == 0)
		dash_message(d, ROLE_FOOTER_MESSAGE, "theme: %s%s", d->theme.name,
			     d->mono ? " (monochrome: NO_COLOR or no colours)" : "");
}
