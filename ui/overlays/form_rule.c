/*
 * form_rule.c — editing a fraud rule's parameters (`e`, or Enter in the
 * rules pane, on the selected rule): one field per parameter, checked with
 * ruleset_set_param() on a copy of the current rule set as it is typed;
 * Enter shows what the changed ones would do (whatif_preview.c), where p
 * publishes them as one new rule set version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "form_overlay.h"
#include "formbox.h"
#include "overlays.h"
#include "text_sanitize.h"

static int
check(struct dash *d, void *ctx, int field, const char *text, char *err, size_t errlen)
{
	(void)ctx;
	int rule = d->form_rule;
	struct ruleset copy = d->rules.current;
	if (field >= fraud_rule_defs[rule].n_params)
		return 0;
	return ruleset_set_param(&copy, rule, fraud_rule_defs[rule].params[field].name, text, err,
				 errlen);
}

int
form_rule_open(struct dash *d, int rule)
{
	if (rule < 0 || rule >= fraud_rule_count)
		return 0;
	const struct fraud_rule_def *def = &fraud_rule_defs[rule];
	if (def->n_params == 0) {
		dash_message(d, ROLE_ERROR, "rule %s has no parameters", def->id);
		return DIRTY_FOOTER;
	}
	struct formbox *fb = calloc(1, sizeof *fb);
	if (!fb)
		return 0;
	dash_refresh_engine(d);
	d->form_rule = rule;
	snprintf(fb->title, sizeof fb->title, "Rule %d: %s", rule + 1, def->id);
	fb->n = def->n_params;
	for (int k = 0; k < def->n_params && k < FORMBOX_FIELDS_MAX; k++) {
		char v[RULE_TEXT_MAX];
		fb->labels[k] = def->params[k].name;
		fb->widths[k] = def->params[k].type == PARAM_COUNTRIES ? 30 : 14;
		fb->maxlen[k] = RULE_TEXT_MAX - 1;
		ruleset_param_text(&d->rules.current, rule, k, v, sizeof v);
		text_sanitize(fb->init[k], sizeof fb->init[k], v, strlen(v), -1);
	}
	char name[160];
	text_sanitize(name, sizeof name, def->name, strlen(def->name), 60);
	snprintf(fb->note, sizeof fb->note, "%s", name);
	fb->check = check;
	if (formbox_open(fb, d) != 0) {
		free(fb);
		dash_message(d, ROLE_ERROR, "cannot open the rule form here (terminal too small?)");
		return DIRTY_FOOTER;
	}
	d->form = fb;
	d->ovl = &form_rule_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

/* Enter: the changed parameters, checked together, go to the what-if
 * preview (whatif_preview.c), which publishes them on p. */
static int
submit(struct dash *d)
{
	struct formbox *fb = d->form;
	int rule = d->form_rule, n = 0;
	const struct fraud_rule_def *def = &fraud_rule_defs[rule];
	struct ruleset copy = d->rules.current;
	char values[FORMBOX_FIELDS_MAX][FORMBOX_TEXT_MAX * 4];
	const char *names[FORMBOX_FIELDS_MAX], *texts[FORMBOX_FIELDS_MAX];
	char err[256];

	for (int k = 0; k < fb->n && k < FORMBOX_FIELDS_MAX; k++) {
		formbox_value(fb, k, values[n], sizeof values[n]);
		if (strcmp(values[n], fb->init[k]) == 0)
			continue;
		if (ruleset_set_param(&copy, rule, def->params[k].name, values[n], err,
				      sizeof err) != 0) {
			snprintf(fb->status, sizeof fb->status, "%s: %s", def->params[k].name, err);
			fb->status_role = ROLE_ERROR;
			return DIRTY_OVERLAY;
		}
		names[n] = def->params[k].name;
		texts[n] = values[n];
		n++;
	}
	if (n == 0) {
		form_overlay_close(d);
		dash_message(d, ROLE_FOOTER_MESSAGE, "rule %s: nothing changed", def->id);
		return DIRTY_ALL;
	}
	form_overlay_close(d);
	return whatif_preview_params(d, rule, n, names, texts) | DIRTY_ALL;
}

static int
key(struct dash *d, int k)
{
	return form_overlay_key(d, k, submit, "rule edit cancelled");
}

const struct overlay_def form_rule_def = {
	.name = "form_rule",
	.hint = "Tab:next field|S-Tab:previous|Enter:what if|Esc:cancel",
	.draw = form_overlay_draw,
	.key = key,
	.resize = form_overlay_resize,
	.close = form_overlay_close,
};
