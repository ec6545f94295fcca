/*
 * pane_rules.c — the fraud rules, numbered 1-9 as the keys that toggle
 * them: on/off (glyph and word), id, parameters (ruleset_param_text), and
 * below them the version of the rule set each fraud worker has applied
 * (workers behind the newest version stand out).  Space (or 1-9) toggles
 * a rule at once, Enter edits its parameters (form_rule.c, which shows
 * what the change would do first), w shows what toggling the selected rule
 * would do before publishing it (whatif_preview.c).
 */
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "overlays.h"
#include "panes.h"
#include "text_sanitize.h"

int
pane_rules_rows(struct dash *d)
{
	int w = d->rules.n_workers > 0 ? d->rules.n_workers : 1;
	return fraud_rule_count + 1 + w;
}

int
pane_rules_selected(struct dash *d)
{
	int s = dash_pane(d, PANE_RULES)->sel;
	if (s < 0 || s >= fraud_rule_count)
		s = 0;
	return s;
}

int
pane_rules_toggle(struct dash *d, int rule)
{
	char err[256];
	if (rule < 0 || rule >= fraud_rule_count) {
		dash_message(d, ROLE_ERROR, "no rule %d (rules are 1-%d)", rule + 1,
			     fraud_rule_count < 9 ? fraud_rule_count : 9);
		return DIRTY_FOOTER;
	}
	bool was = d->rules.current.rules[rule].enabled;
	if (engine_rule_toggle(d->e, rule, err, sizeof err) != 0) {
		dash_message(d, ROLE_ERROR, "rule %s: %s", fraud_rule_defs[rule].id, err);
		return DIRTY_FOOTER;
	}
	dash_message(d, ROLE_FOOTER_MESSAGE, "rule %d %s turned %s (new rule set published)",
		     rule + 1, fraud_rule_defs[rule].id, was ? "off" : "on");
	dash_pane(d, PANE_RULES)->sel = rule;
	dash_refresh_engine(d);
	dash_mark_pane(d, PANE_RULES);
	return DIRTY_FOOTER | DIRTY_HEADER;
}

static void
params_text(struct dash *d, int rule, char *buf, size_t len)
{
	const struct fraud_rule_def *def = &fraud_rule_defs[rule];
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < def->n_params && used + 1 < len; k++) {
		char v[RULE_TEXT_MAX], safe[RULE_TEXT_MAX * 4];
		ruleset_param_text(&d->rules.current, rule, k, v, sizeof v);
		text_sanitize(safe, sizeof safe, v, strlen(v), 40);
		int n = snprintf(buf + used, len - used, "%s%s=%s", k ? " " : "",
				 def->params[k].name, safe);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void
draw(struct dash *d, struct pane *p, WINDOW *win, int y, int x, int h, int w)
{
	int n = fraud_rule_count;
	const struct rules_status *rs = &d->rules;
	int wrows = rs->n_workers > 0 ? rs->n_workers : 1;
	int total = n + 1 + wrows;

	snprintf(p->title, sizeof p->title, "Rules v%llu", (unsigned long long)rs->current.version);
	/* Scroll so the selected rule shows; the worker lines come after. */
	if (p->sel >= n)
		p->sel = n - 1;
	if (p->sel < 0)
		p->sel = 0;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + h)
		p->top = p->sel - h + 1;
	if (p->top > total - h)
		p->top = total - h > p->sel ? p->sel : (total - h < 0 ? 0 : total - h);
	if (p->top < 0)
		p->top = 0;
	p->rows = h;

	int idw = 0;
	for (int i = 0; i < n; i++) {
		int l = text_width(fraud_rule_defs[i].id);
		if (l > idw)
			idw = l;
	}
	if (idw > w / 2)
		idw = w / 2;

	for (int row = 0; row < h; row++) {
		int line = p->top + row;
		struct draw_row r;
		if (line < n) {
			const struct rule_setting *s = &rs->current.rules[line];
			bool focused = d->focus_pane == PANE_RULES;
			draw_row_begin(&r, win, y + row, x, w, focused && line == p->sel,
				       dash_attr(d, ROLE_SELECTION));
			char num[8], params[512];
			snprintf(num, sizeof num, "%c", line < 9 ? '1' + line : ' ');
			int role = s->enabled ? ROLE_RULE_ON : ROLE_RULE_OFF;
			draw_row_col(&r, dash_attr(d, ROLE_FOOTER_KEY), num, 1);
			draw_row_col(&r, dash_attr(d, ROLE_TEXT), " ", 1);
			draw_row_put(&r, dash_attr(d, role), s->enabled ? d->g->on : d->g->off);
			draw_row_col(&r, dash_attr(d, role), s->enabled ? " on " : " off", 5);
			draw_row_col(&r, dash_attr(d, s->enabled ? ROLE_TEXT : ROLE_RULE_OFF),
				     fraud_rule_defs[line].id, idw);
			draw_row_col(&r, dash_attr(d, ROLE_TEXT), " ", 1);
			params_text(d, line, params, sizeof params);
			draw_row_put(&r, dash_attr(d, ROLE_DIM), params);
			draw_row_end(&r);
		} else if (line == n) {
			draw_text(win, y + row, x, w, dash_attr(d, ROLE_COLUMN_HEADER),
				  "applied by the fraud workers");
		} else if (line - n - 1 < wrows) {
			int k = line - n - 1;
			if (rs->n_workers == 0) {
				draw_text(win, y + row, x, w, dash_attr(d, ROLE_DIM),
					  "(no fraud worker has reported yet)");
				continue;
			}
			char id[128], v[64], ago[32];
			text_sanitize(id, sizeof id, rs->workers[k].id,
				      strnlen(rs->workers[k].id, sizeof rs->workers[k].id), 30);
			bool behind = rs->workers[k].applied_version < rs->current.version;
			fmt_age(ago, sizeof ago,
				rs->workers[k].at_ms > 0 ? now_ms() - rs->workers[k].at_ms : 0);
			snprintf(v, sizeof v, " v%llu %s ",
				 (unsigned long long)rs->workers[k].applied_version,
				 behind ? "behind" : d->g->status[ORDER_APPROVED]);
			draw_row_begin(&r, win, y + row, x, w, false, 0);
			draw_row_put(&r, dash_attr(d, ROLE_TEXT), id);
			draw_row_put(&r, dash_attr(d, behind ? ROLE_RULE_BEHIND : ROLE_RULE_ON), v);
			draw_row_put(&r, dash_attr(d, ROLE_DIM), ago);
			draw_row_put(&r, dash_attr(d, ROLE_DIM), " ago");
			draw_row_end(&r);
		}
	}
}

static void
seek(struct dash *d, struct pane *p, int delta)
{
	(void)d;
	if (delta <= PANE_HOME)
		p->sel = 0;
	else if (delta >= PANE_END)
		p->sel = fraud_rule_count - 1;
	else
		p->sel += delta;
	if (p->sel >= fraud_rule_count)
		p->sel = fraud_rule_count - 1;
	if (p->sel < 0)
		p->sel = 0;
	p->dirty = true;
}

static void
click(struct dash *d, struct pane *p, int row)
{
	(void)d;
	int line = p->top + row;
	if (line < fraud_rule_count) {
		p->sel = line;
		p->dirty = true;
	}
}

static int
key(struct dash *d, struct pane *p, int k)
{
	if (k == ' ')
		return pane_rules_toggle(d, p->sel);
	if (k == '\r' || k == '\n')
		return form_rule_open(d, p->sel);
	if (k == 'w')
		return whatif_preview_toggle(d, p->sel);
	return -1;
}

const struct pane_def pane_rules_def = {
	.name = "rules",
	.draw = draw,
	.key = key,
	.seek = seek,
	.click = click,
	.hint = "1-9:toggle|e:edit|w:what if toggled",
};
