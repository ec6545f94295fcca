/*
 * test_ui_theme.c — the theme parser and colour mapping (ui/theme.c):
 * colour words and attributes, #rrggbb mapped to the 256-colour cube and
 * greys or to the nearest of 16/8, errors named by file:line, parsing that
 * is all-or-nothing, the built-in fallback, theme lookup and listing, and
 * that the shipped theme files parse (default.theme == the built-in).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "theme.h"

static void test_style_basic(void **state)
{
	(void)state;
	struct theme_style st;
	char err[160];

	assert_int_equal(theme_parse_style("red", &st, err, sizeof err), 0);
	assert_int_equal(st.fg.kind, TCOLOR_INDEX);
	assert_int_equal(st.fg.index, 1);
	assert_int_equal(st.bg.kind, TCOLOR_DEFAULT);
	assert_int_equal(st.attrs, 0);

	assert_int_equal(theme_parse_style("bright-red on #102030 bold underline",
	                                   &st, err, sizeof err), 0);
	assert_int_equal(st.fg.index, 9);
	assert_int_equal(st.bg.kind, TCOLOR_RGB);
	assert_int_equal(st.bg.r, 0x10);
	assert_int_equal(st.bg.g, 0x20);
	assert_int_equal(st.bg.b, 0x30);
	assert_int_equal(st.attrs, TATTR_BOLD | TATTR_UNDERLINE);

	assert_int_equal(theme_parse_style("default on 200 reverse dim", &st, err, sizeof err), 0);
	assert_int_equal(st.fg.kind, TCOLOR_DEFAULT);
	assert_int_equal(st.bg.kind, TCOLOR_INDEX);
	assert_int_equal(st.bg.index, 200);
	assert_int_equal(st.attrs, TATTR_REVERSE | TATTR_DIM);

	/* Attributes alone; case does not matter. */
	assert_int_equal(theme_parse_style("BOLD Reverse", &st, err, sizeof err), 0);
	assert_int_equal(st.fg.kind, TCOLOR_DEFAULT);
	assert_int_equal(st.attrs, TATTR_BOLD | TATTR_REVERSE);

	assert_int_equal(theme_parse_style("-1 on black", &st, err, sizeof err), 0);
	assert_int_equal(st.fg.kind, TCOLOR_DEFAULT);
	assert_int_equal(st.bg.index, 0);
	assert_int_equal(theme_parse_style("grey", &st, err, sizeof err), 0);
	assert_int_equal(st.fg.index, 8);
}

static void test_style_errors(void **state)
{
	(void)state;
	struct theme_style st;
	char err[160];
	static const struct { const char *value, *why; } bad[] = {
		{"reddish", "unknown colour or attribute 'reddish'"},
		{"red on", "'on' needs a background colour"},
		{"256", "unknown colour or attribute '256'"},
		{"#12345", "unknown colour or attribute '#12345'"},
		{"#12345g", "unknown colour or attribute '#12345g'"},
		{"red blue", "two foreground colours"},
		{"red on blue on green", "two background colours"},
		{"", "empty value"},
		{"red on mauve", "unknown colour 'mauve'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		st.attrs = 12345;
		assert_int_equal(theme_parse_style(bad[i].value, &st, err, sizeof err), -1);
		assert_non_null(strstr(err, bad[i].why));
		assert_int_equal(st.attrs, 12345);        /* untouched */
	}
}

static struct theme_color rgb(int r, int g, int b)
{
	struct theme_color c = { .kind = TCOLOR_RGB, .r = (unsigned char)r,
	                         .g = (unsigned char)g, .b = (unsigned char)b };
	return c;
}

static struct theme_color idx(int i)
{
	struct theme_color c = { .kind = TCOLOR_INDEX, .index = i };
	return c;
}

static void test_map_256(void **state)
{
	(void)state;
	struct theme_color c;

	c = rgb(0xff, 0, 0);
	assert_int_equal(theme_map_color(&c, 256), 196);       /* cube (5,0,0) */
	c = rgb(0, 0, 0);
	assert_int_equal(theme_map_color(&c, 256), 16);        /* cube black, not user's 0 */
	c = rgb(0x80, 0x80, 0x80);
	assert_int_equal(theme_map_color(&c, 256), 244);       /* grey ramp 8+10*12 */
	c = rgb(0x5f, 0xd7, 0xff);
	assert_int_equal(theme_map_color(&c, 256), 81);        /* exact cube entry */
	c = rgb(0xee, 0xee, 0xee);
	assert_int_equal(theme_map_color(&c, 256), 255);       /* grey 238 */
	c = idx(123);
	assert_int_equal(theme_map_color(&c, 256), 123);       /* indices kept */
	c = idx(3);
	assert_int_equal(theme_map_color(&c, 256), 3);
	c.kind = TCOLOR_DEFAULT;
	assert_int_equal(theme_map_color(&c, 256), -1);
}

static void test_map_16_and_8(void **state)
{
	(void)state;
	struct theme_color c;

	c = rgb(0xff, 0, 0);
	assert_int_equal(theme_map_color(&c, 16), 9);          /* bright red */
	assert_int_equal(theme_map_color(&c, 8), 1);           /* red */
	c = rgb(0x10, 0x10, 0x10);
	assert_int_equal(theme_map_color(&c, 16), 0);
	c = rgb(0xff, 0xff, 0xff);
	assert_int_equal(theme_map_color(&c, 16), 15);
	assert_int_equal(theme_map_color(&c, 8), 7);
	c = rgb(0, 0xcd, 0xcd);
	assert_int_equal(theme_map_color(&c, 16), 6);          /* cyan */

	c = idx(200);                                          /* (255,0,215) */
	assert_int_equal(theme_map_color(&c, 16), 13);         /* bright magenta */
	assert_int_equal(theme_map_color(&c, 8), 5);           /* magenta */
	c = idx(9);
	assert_int_equal(theme_map_color(&c, 16), 9);
	assert_int_equal(theme_map_color(&c, 8), 1);           /* folded ... */
	assert_true(theme_color_is_bright(&c));                /* ... caller adds bold */
	c = idx(2);
	assert_false(theme_color_is_bright(&c));
	c = idx(244);
	assert_int_equal(theme_map_color(&c, 16), 8);          /* grey -> bright black */

	c = rgb(0xff, 0, 0);
	assert_int_equal(theme_map_color(&c, 2), -1);          /* no colours */
	assert_int_equal(theme_map_color(&c, 0), -1);
}

static void test_index_rgb(void **state)
{
	(void)state;
	unsigned char v[3];
	theme_index_rgb(16, v);
	assert_int_equal(v[0] + v[1] + v[2], 0);
	theme_index_rgb(231, v);
	assert_int_equal(v[0], 255);
	assert_int_equal(v[1], 255);
	assert_int_equal(v[2], 255);
	theme_index_rgb(232, v);
	assert_int_equal(v[0], 8);
	theme_index_rgb(1, v);
	assert_int_equal(v[0], 205);
}

static void test_parse_file_text(void **state)
{
	(void)state;
	struct theme t;
	char err[256];
	const char *text =
		"# a theme\n"
		"\n"
		"status.refused = #ff0000 bold   # inline comment\n"
		"  status.approved=green\n"
		"selection = white on blue\r\n";

	theme_builtin(&t);
	assert_int_equal(theme_parse(&t, text, "x.theme", err, sizeof err), 0);
	int r = theme_role_find("status.refused");
	assert_true(r >= 0);
	assert_int_equal(t.style[r].fg.kind, TCOLOR_RGB);
	assert_int_equal(t.style[r].fg.r, 0xff);
	assert_int_equal(t.style[r].attrs, TATTR_BOLD);
	r = theme_role_find("status.approved");
	assert_int_equal(t.style[r].fg.index, 2);
	r = theme_role_find("selection");
	assert_int_equal(t.style[r].bg.index, 4);
	/* Roles not named keep the built-in value. */
	struct theme b;
	theme_builtin(&b);
	r = theme_role_find("pane.border.focus");
	assert_memory_equal(&t.style[r], &b.style[r], sizeof t.style[r]);
}

static void test_parse_errors_name_file_and_line(void **state)
{
	(void)state;
	struct theme t, before;
	char err[256];

	theme_builtin(&t);
	before = t;
	assert_int_equal(theme_parse(&t, "status.new = red\n# c\nstatus.bogus = red\n",
	                             "my.theme", err, sizeof err), -1);
	assert_string_equal(err, "my.theme:3: unknown role 'status.bogus'");
	assert_memory_equal(&t, &before, sizeof t);          /* all-or-nothing */

	assert_int_equal(theme_parse(&t, "status.new = red\nstatus.refused = purple bold\n",
	                             "my.theme", err, sizeof err), -1);
	assert_string_equal(err, "my.theme:2: status.refused: unknown colour or attribute 'purple'");
	assert_memory_equal(&t, &before, sizeof t);

	assert_int_equal(theme_parse(&t, "\n\njust words\n", "f", err, sizeof err), -1);
	assert_string_equal(err, "f:3: expected 'role = value'");
	assert_int_equal(theme_parse(&t, "text =\n", "f", err, sizeof err), -1);
	assert_string_equal(err, "f:1: text: empty value");
}

static char tmpdir[256];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_ui_theme.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_file(void **state)
{
	(void)state;
	struct theme t;
	char err[512], path[600];

	write_file(tmpdir, "good.theme", "status.new = bright-blue\n");
	write_file(tmpdir, "bad.theme", "text = default\n\nstatus.new = nonsense\n");
	snprintf(path, sizeof path, "%s/good.theme", tmpdir);
	assert_int_equal(theme_load_file(&t, path, err, sizeof err), 0);
	assert_string_equal(t.name, "good");
	assert_int_equal(t.style[theme_role_find("status.new")].fg.index, 12);

	snprintf(path, sizeof path, "%s/bad.theme", tmpdir);
	memset(&t, 0x55, sizeof t);
	struct theme before = t;
	assert_int_equal(theme_load_file(&t, path, err, sizeof err), -1);
	char want[700];
	snprintf(want, sizeof want, "%s:3: status.new: unknown colour or attribute 'nonsense'", path);
	assert_string_equal(err, want);
	assert_memory_equal(&t, &before, sizeof t);

	snprintf(path, sizeof path, "%s/missing.theme", tmpdir);
	assert_int_equal(theme_load_file(&t, path, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
}

static void test_builtin_fallback(void **state)
{
	(void)state;
	struct theme t;
	theme_builtin(&t);
	assert_string_equal(t.name, "built-in");
	/* Only the 16 ANSI colours (or default) in the built-in. */
	for (int r = 0; r < ROLE__COUNT; r++) {
		assert_true(t.style[r].fg.kind != TCOLOR_RGB);
		assert_true(t.style[r].bg.kind != TCOLOR_RGB);
		if (t.style[r].fg.kind == TCOLOR_INDEX)
			assert_true(t.style[r].fg.index < 16);
		if (t.style[r].bg.kind == TCOLOR_INDEX)
			assert_true(t.style[r].bg.index < 16);
	}
	assert_int_equal(t.style[ROLE_STATUS_REFUSED].fg.index, 1);
	/* Role keys are unique and found. */
	for (int r = 0; r < ROLE__COUNT; r++)
		assert_int_equal(theme_role_find(theme_role_key(r)), r);
	assert_int_equal(theme_role_find("no.such.role"), -1);
	/* Monochrome: selection and refusals still stand out. */
	assert_true(theme_mono_attrs(ROLE_SELECTION) & TATTR_REVERSE);
	assert_true(theme_mono_attrs(ROLE_STATUS_REFUSED) != 0);
}

static void test_find_and_list(void **state)
{
	(void)state;
	char a[512], b[512], path[1200];
	snprintf(a, sizeof a, "%s/a", tmpdir);
	snprintf(b, sizeof b, "%s/xdg", tmpdir);
	mkdir(a, 0755);
	mkdir(b, 0755);
	char bt[600];
	snprintf(bt, sizeof bt, "%s/ordertop", b);
	mkdir(bt, 0755);
	snprintf(bt, sizeof bt, "%s/ordertop/themes", b);
	mkdir(bt, 0755);
	write_file(a, "zeta.theme", "text = red\n");
	write_file(a, "alpha.theme", "text = red\n");
	write_file(a, "notatheme.txt", "x\n");
	write_file(bt, "alpha.theme", "text = blue\n");
	write_file(bt, "mid.theme", "text = blue\n");
	setenv("XDG_CONFIG_HOME", b, 1);

	char dirs[THEME_DIRS_MAX][THEME_PATH_MAX];
	int nd = theme_search_dirs(a, dirs, THEME_DIRS_MAX);
	assert_int_equal(nd, 4);
	assert_string_equal(dirs[0], a);
	assert_string_equal(dirs[1], bt);
	assert_string_equal(dirs[3], "themes");

	/* theme_dir comes first; XDG next. */
	assert_int_equal(theme_find(a, "alpha", path, sizeof path), 0);
	char want[1200];
	snprintf(want, sizeof want, "%s/alpha.theme", a);
	assert_string_equal(path, want);
	assert_int_equal(theme_find(a, "mid", path, sizeof path), 0);
	snprintf(want, sizeof want, "%s/mid.theme", bt);
	assert_string_equal(path, want);
	assert_int_equal(theme_find(a, "nope", path, sizeof path), -1);
	/* A path is taken as it is. */
	snprintf(want, sizeof want, "%s/zeta.theme", a);
	assert_int_equal(theme_find(NULL, want, path, sizeof path), 0);
	assert_string_equal(path, want);

	char names[16][THEME_NAME_MAX];
	int n = theme_list(a, names, 16);
	/* alpha (once), mid, zeta, plus whatever ./themes and DATADIR hold. */
	int seen_alpha = 0, seen_mid = 0, seen_zeta = 0;
	for (int i = 0; i < n; i++) {
		seen_alpha += strcmp(names[i], "alpha") == 0;
		seen_mid += strcmp(names[i], "mid") == 0;
		seen_zeta += strcmp(names[i], "zeta") == 0;
		if (i > 0)
			assert_true(strcmp(names[i - 1], names[i]) < 0);   /* sorted, unique */
	}
	assert_int_equal(seen_alpha, 1);
	assert_int_equal(seen_mid, 1);
	assert_int_equal(seen_zeta, 1);
	unsetenv("XDG_CONFIG_HOME");
}

/* The repository's themes/ directory, wherever the test runs from. */
static const char *themes_dir(void)
{
	static const char *cands[] = { "themes", "../themes", "../../themes", "../../../themes" };
	const char *src = getenv("ORDERTOP_SRCDIR");
	static char buf[600];
	if (src) {
		snprintf(buf, sizeof buf, "%s/themes", src);
		return buf;
	}
	for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
		snprintf(buf, sizeof buf, "%s/default.theme", cands[i]);
		if (access(buf, R_OK) == 0)
			return cands[i];
	}
	return NULL;
}

static void test_shipped_themes(void **state)
{
	(void)state;
	const char *dir = themes_dir();
	if (!dir)
		skip();
	static const char *names[] = { "default", "dark256", "light", "mono" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[700], err[512];
		struct theme t;
		snprintf(path, sizeof path, "%s/%s.theme", dir, names[i]);
		if (theme_load_file(&t, path, err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_string_equal(t.name, names[i]);
	}
	/* default.theme is the built-in, written out. */
	char path[700], err[512];
	struct theme f, b;
	snprintf(path, sizeof path, "%s/default.theme", dir);
	assert_int_equal(theme_load_file(&f, path, err, sizeof err), 0);
	theme_builtin(&b);
	for (int r = 0; r < ROLE__COUNT; r++)
		if (memcmp(&f.style[r], &b.style[r], sizeof f.style[r]) != 0)
			fail_msg("default.theme differs from the built-in at %s", theme_role_key(r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_style_basic),
		cmocka_unit_test(test_style_errors),
		cmocka_unit_test(test_map_256),
		cmocka_unit_test(test_map_16_and_8),
		cmocka_unit_test(test_index_rgb),
		cmocka_unit_test(test_parse_file_text),
		cmocka_unit_test(test_parse_errors_name_file_and_line),
		cmocka_unit_test_setup_teardown(test_load_file, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_builtin_fallback),
		cmocka_unit_test_setup_teardown(test_find_and_list, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_shipped_themes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
