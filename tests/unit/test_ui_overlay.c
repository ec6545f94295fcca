/*
 * test_ui_overlay.c — the overlay table and where keys go (ui/overlay.h,
 * ui/keys.c) without a terminal: every overlay kind has what the loop
 * calls; the fatal notice stays open to the end and any key quits, even
 * when the terminal is too small; too small, only the quit keys work; help
 * closes on any key; the filter prompt takes the keys while open; footer
 * messages are sanitized.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "keycode.h"
#include "keys.h"
#include "log.h"
#include "overlays.h"
#include "panes.h"

static struct dash *new_dash(void)
{
	struct dash *d = calloc(1, sizeof *d);
	assert_non_null(d);
	d->cols = 80;
	d->lines = 24;
	return d;
}

static void test_table(void **state)
{
	(void)state;
	const struct overlay_def *all[] = {
		&help_def, &detail_def, &form_order_def, &form_rule_def, &fatal_def,
		&whatif_preview_def,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_non_null(all[i]->name);
		assert_non_null(all[i]->draw);
		assert_non_null(all[i]->key);
		assert_non_null(strchr(all[i]->hint, ':'));
	}
	assert_non_null(help_def.close);
	assert_non_null(detail_def.close);
	assert_non_null(detail_def.tick);
	assert_non_null(form_order_def.close);
	assert_non_null(form_order_def.resize);
	assert_non_null(form_rule_def.close);
	assert_non_null(form_rule_def.resize);
	assert_null(fatal_def.close);         /* ui_run prints it after the loop */
	assert_non_null(whatif_preview_def.close);
	assert_non_null(whatif_preview_def.fd);   /* the loop wakes on its job */
	assert_non_null(whatif_preview_def.pump);
	assert_true(fatal_def.keys_when_small);
	assert_false(help_def.keys_when_small);
}

static void test_fatal(void **state)
{
	(void)state;
	struct dash *d = new_dash();
	fatal_open(d, "broker \x1b[2Jgone");
	assert_ptr_equal(d->ovl, &fatal_def);
	assert_int_equal(d->exit_code, 1);
	assert_true(d->dirty & DIRTY_OVERLAY);
	assert_non_null(strstr(d->fatal, "fatal: broker "));
	assert_null(strchr(d->fatal, '\x1b'));
	d->too_small = true;
	keys_handle(d, 'x');
	assert_true(d->quit);
	free(d);
}

static void test_too_small(void **state)
{
	(void)state;
	struct dash *d = new_dash();
	d->too_small = true;
	assert_int_equal(keys_handle(d, '?'), 0);
	assert_int_equal(keys_handle(d, 'n'), 0);
	assert_null(d->ovl);
	assert_false(d->quit);
	keys_handle(d, 'q');
	assert_true(d->quit);
	free(d);
}

static void test_help(void **state)
{
	(void)state;
	struct dash *d = new_dash();
	help_open(d);
	assert_ptr_equal(d->ovl, &help_def);
	int dirty = keys_handle(d, 'j');
	assert_null(d->ovl);
	assert_true(dirty & DIRTY_PANES);
	assert_true(dirty & DIRTY_FOOTER);
	free(d);
}

static void test_prompt(void **state)
{
	(void)state;
	struct dash *d = new_dash();
	assert_int_equal(pane_init(&d->panes[PANE_LOG], &pane_log_def, -1,
	                           sizeof(struct log_line), 8, pane_log_match), 0);
	d->focus_pane = PANE_LOG;
	d->prompt = true;
	keys_handle(d, 'q');                   /* typed, not quit */
	keys_handle(d, keycode_encode(OK, 0x20ac));   /* € */
	assert_false(d->quit);
	assert_string_equal(d->panes[PANE_LOG].filter, "q\xe2\x82\xac");
	pane_free(&d->panes[PANE_LOG]);
	free(d);
}

static void test_message(void **state)
{
	(void)state;
	struct dash *d = new_dash();
	dash_message(d, ROLE_ERROR, "bad %s", "\x1b[2Jname");
	assert_null(strchr(d->msg, '\x1b'));
	assert_non_null(strstr(d->msg, "bad "));
	assert_int_equal(d->msg_role, ROLE_ERROR);
	assert_true(d->dirty & DIRTY_FOOTER);
	free(d);
}

int main(void)
{
	log_to_stderr(false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fatal),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
