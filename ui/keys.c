/*
 * keys.c — where a key goes (see keys.h): the open overlay, the filter
 * prompt, the focused pane, then the key table and its actions.  Adding a
 * key is adding a row: { key, action }, and a help line in help.c.
 */
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "explorer.h"
#include "footer.h"
#include "keycode.h"
#include "overlays.h"
#include "panes.h"
#include "term.h"

/* ---- actions ---- */

static int
act_quit(struct dash *d, int key)
{
	(void)key;
	d->quit = true;
	d->exit_code = 0;
	return 0;
}

static int
act_help(struct dash *d, int key)
{
	(void)key;
	return help_open(d);
}

static int
focus_next(struct dash *d, int dir)
{
	int n = d->lay.n;
	if (n == 0)
		return 0;
	d->focus = ((d->focus + dir) % n + n) % n;
	int pane = d->lay.slot[d->focus].pane;
	d->focus_pane = pane == LAYOUT_TABS ? d->tab_pane : pane;
	return DIRTY_PANES | DIRTY_FOOTER;
}

static int
act_focus(struct dash *d, int key)
{
	return focus_next(d, key == KEY_BTAB ? -1 : 1);
}

static int
act_zoom(struct dash *d, int key)
{
	(void)key;
	d->zoom = !d->zoom;
	return DIRTY_LAYOUT | DIRTY_ALL;
}

static int
act_pause(struct dash *d, int key)
{
	(void)key;
	dash_pause(d, !d->paused);
	return DIRTY_ALL;
}

static int
act_order_form(struct dash *d, int key)
{
	(void)key;
	return form_order_open(d);
}

static int
act_rule(struct dash *d, int key)
{
	return pane_rules_toggle(d, key - '1');
}

static int
act_edit(struct dash *d, int key)
{
	(void)key;
	return form_rule_open(d, pane_rules_selected(d));
}

static int
act_gen(struct dash *d, int key)
{
	(void)key;
	if (!d->gen.available) {
		dash_message(d, ROLE_ERROR, "the generator does not run in this process");
		return DIRTY_FOOTER;
	}
	engine_generator_set(d->e, !d->gen.on);
	dash_refresh_engine(d);
	dash_message(d, ROLE_FOOTER_MESSAGE, "generator %s", d->gen.on ? "on" : "off");
	return DIRTY_FOOTER | DIRTY_HEADER;
}

static const double rate_ladder[] = {
	1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000,
};
#define LADDER_N ((int)(sizeof rate_ladder / sizeof rate_ladder[0]))

static int
act_rate(struct dash *d, int key)
{
	double r = d->gen.rate, next = r;
	if (!d->gen.available) {
		dash_message(d, ROLE_ERROR, "the generator does not run in this process");
		return DIRTY_FOOTER;
	}
	if (key == '-' || key == '_') {
		if (r <= 0) {
			next = rate_ladder[LADDER_N - 1];
		} else {
			next = rate_ladder[0];
			for (int i = LADDER_N - 1; i >= 0; i--)
				if (rate_ladder[i] < r) {
					next = rate_ladder[i];
					break;
				}
		}
	} else {
		if (r <= 0)
			next = 0;
		else {
			next = 0; /* past the ladder: as fast as possible */
			for (int i = 0; i < LADDER_N; i++)
				if (rate_ladder[i] > r) {
					next = rate_ladder[i];
					break;
				}
		}
	}
	engine_generator_set_rate(d->e, next);
	dash_refresh_engine(d);
	if (next <= 0)
		dash_message(d, ROLE_FOOTER_MESSAGE, "generator rate: as fast as possible");
	else
		dash_message(d, ROLE_FOOTER_MESSAGE, "generator rate: %g orders/s", next);
	return DIRTY_FOOTER | DIRTY_HEADER;
}

static int
act_theme(struct dash *d, int key)
{
	(void)key;
	term_next_theme(d);
	return DIRTY_ALL | DIRTY_CLEAR;
}

static int
act_broker(struct dash *d, int key)
{
	char err[256];
	(void)key;
	if (!d->brokers.embedded) {
		dash_message(d, ROLE_ERROR, "broker fault injection needs the embedded cluster");
		return DIRTY_FOOTER;
	}
	bool up = d->broker2_down;
	if (engine_broker_set_up(d->e, 2, up, err, sizeof err) != 0) {
		dash_message(d, ROLE_ERROR, "broker 2: %s", err);
		return DIRTY_FOOTER;
	}
	d->broker2_down = !up;
	dash_message(d, ROLE_FOOTER_MESSAGE, "embedded broker 2 is %s", up ? "up again" : "down");
	dash_refresh_engine(d);
	return DIRTY_FOOTER | DIRTY_HEADER;
}

static int
act_redraw(struct dash *d, int key)
{
	(void)key;
	(void)d;
	return DIRTY_LAYOUT | DIRTY_ALL | DIRTY_CLEAR;
}

static int
act_scroll(struct dash *d, int key)
{
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p || !p->def->seek)
		return 0;
	int page = p->rows > 1 ? p->rows - 1 : 1;
	int delta = 0;
	switch (key) {
	case KEY_UP:
	case 'k': delta = -1; break;
	case KEY_DOWN:
	case 'j': delta = 1; break;
	case KEY_PPAGE: delta = -page; break;
	case KEY_NPAGE:
	case ' ': delta = page; break;
	case KEY_HOME: delta = PANE_HOME; break;
	case KEY_END:
	case 'G': delta = PANE_END; break;
	default: return 0;
	}
	p->def->seek(d, p, delta);
	p->dirty = true;
	return DIRTY_FOOTER;
}

static int
act_follow(struct dash *d, int key)
{
	(void)key;
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p || !p->def->follow)
		return 0;
	if (d->paused)
		dash_pause(d, false);
	p->def->follow(d, p);
	p->dirty = true;
	return DIRTY_FOOTER;
}

static int
act_filter(struct dash *d, int key)
{
	(void)key;
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p || (p->cap == 0 && !p->def->filter_changed)) {
		dash_message(d, ROLE_FOOTER_MESSAGE, "this pane has no filter");
		return DIRTY_FOOTER;
	}
	footer_prompt_start(d);
	return DIRTY_FOOTER;
}

static int
act_escape(struct dash *d, int key)
{
	(void)key;
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (p && p->filter[0]) {
		pane_set_filter(p, "");
		if (p->def->filter_changed)
			p->def->filter_changed(d, p);
		return DIRTY_FOOTER;
	}
	if (d->zoom) {
		d->zoom = false;
		return DIRTY_LAYOUT | DIRTY_ALL;
	}
	return 0;
}

static int
act_enter(struct dash *d, int key)
{
	(void)key;
	char id[ORDER_ID_MAX + 1];
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p || !p->def->selected_order)
		return 0;
	if (!p->def->selected_order(d, p, id, sizeof id)) {
		dash_message(d, ROLE_FOOTER_MESSAGE, "select an order first (%s)",
			     d->g->utf8 ? "↑/↓" : "up/down");
		return DIRTY_FOOTER;
	}
	return detail_open(d, id);
}

static int
act_tab(struct dash *d, int key)
{
	const struct layout *l = &d->lay;
	if (l->n_tabs == 0) {
		dash_message(d, ROLE_FOOTER_MESSAGE, "every topic has its own pane at this size");
		return DIRTY_FOOTER;
	}
	int cur = 0;
	for (int i = 0; i < l->n_tabs; i++)
		if (l->tabs[i] == d->tab_pane)
			cur = i;
	cur = (cur + (key == '[' ? -1 : 1) + l->n_tabs) % l->n_tabs;
	bool focused_tabs = d->focus < l->n && l->slot[d->focus].pane == LAYOUT_TABS;
	d->tab_pane = l->tabs[cur];
	if (focused_tabs)
		d->focus_pane = d->tab_pane;
	dash_mark_pane(d, d->tab_pane);
	return DIRTY_PANES | DIRTY_FOOTER;
}

static int
act_explore(struct dash *d, int key)
{
	(void)key;
	if (d->ovl)
		return 0;
	return explorer_toggle(d);
}

struct key_action {
	int key;
	int (*fn)(struct dash *d, int key);
};

static const struct key_action actions[] = {
	{ 'q', act_quit },        { KEY_F(10), act_quit },   { KEYCODE_CTRL('c'), act_quit },
	{ '?', act_help },        { KEY_F(1), act_help },    { '\t', act_focus },
	{ KEY_BTAB, act_focus },  { 'z', act_zoom },         { 'Z', act_pause },
	{ 'n', act_order_form },  { '1', act_rule },         { '2', act_rule },
	{ '3', act_rule },        { '4', act_rule },         { '5', act_rule },
	{ '6', act_rule },        { '7', act_rule },         { '8', act_rule },
	{ '9', act_rule },        { 'e', act_edit },         { 'g', act_gen },
	{ '+', act_rate },        { '=', act_rate },         { '-', act_rate },
	{ 't', act_theme },       { 'b', act_broker },       { KEYCODE_CTRL('l'), act_redraw },
	{ KEY_UP, act_scroll },   { 'k', act_scroll },       { KEY_DOWN, act_scroll },
	{ 'j', act_scroll },      { KEY_PPAGE, act_scroll }, { KEY_NPAGE, act_scroll },
	{ KEY_HOME, act_scroll }, { KEY_END, act_scroll },   { 'G', act_scroll },
	{ 'F', act_follow },      { '/', act_filter },       { 27, act_escape },
	{ '\r', act_enter },      { '\n', act_enter },       { KEY_ENTER, act_enter },
	{ '[', act_tab },         { ']', act_tab },          { 'x', act_explore },
};

/* The keys of the table that also work on the explorer's screen. */
static bool
explorer_global(int key)
{
	return key == 'q' || key == KEY_F(10) || key == KEYCODE_CTRL('c') || key == '?' ||
		key == KEY_F(1) || key == KEYCODE_CTRL('l') || key == 't' || key == 'x';
}

/* A key in normal mode (no overlay, no prompt). */
static int
dispatch(struct dash *d, int key)
{
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (p && p->def->key) {
		int r = p->def->key(d, p, key);
		if (r >= 0)
			return r;
	}
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].key == key)
			return actions[i].fn(d, key);
	return 0;
}

/* KEY_MOUSE: reads the event; acts on it when no overlay or prompt is open. */
static int
mouse(struct dash *d)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return 0;
	if (d->ovl || d->prompt || d->too_small || d->explore_on)
		return 0;
	int s = layout_slot_at(&d->lay, ev.y, ev.x);
	if (s < 0)
		return 0;
	const struct slot *sl = &d->lay.slot[s];
	int pane = sl->pane == LAYOUT_TABS ? d->tab_pane : sl->pane;
	struct pane *p = dash_pane(d, pane);
	int dirty = 0;
	if (d->focus != s) {
		d->focus = s;
		d->focus_pane = pane;
		dirty |= DIRTY_PANES | DIRTY_FOOTER;
	}
	if (ev.bstate & (BUTTON4_PRESSED)) {
		if (p->def->seek)
			p->def->seek(d, p, -3);
		p->dirty = true;
		return dirty | DIRTY_FOOTER;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & (BUTTON5_PRESSED)) {
		if (p->def->seek)
			p->def->seek(d, p, 3);
		p->dirty = true;
		return dirty | DIRTY_FOOTER;
	}
#endif
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) {
		if (ev.y > sl->y && ev.y < sl->y + sl->h - 1 && p->def->click) {
			p->def->click(d, p, ev.y - sl->y - 1);
			p->dirty = true;
		}
		if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
			dirty |= act_enter(d, '\r');
		dirty |= DIRTY_FOOTER;
	}
	return dirty;
}

static bool
is_quit_key(int key)
{
	return key == 'q' || key == KEY_F(10) || key == KEYCODE_CTRL('c');
}

int
keys_handle(struct dash *d, int key)
{
	if (key == KEY_MOUSE)
		return mouse(d);
	if (d->too_small && !(d->ovl && d->ovl->keys_when_small)) {
		if (is_quit_key(key))
			d->quit = true;
		return 0;
	}
	int dirty;
	if (d->ovl)
		dirty = d->ovl->key(d, key);
	else if (d->prompt)
		dirty = footer_prompt_key(d, key);
	else if (d->explore_on) {
		dirty = explorer_key(d, key);
		if (dirty < 0)
			dirty = explorer_global(key) ? dispatch(d, key) : 0;
	} else
		dirty = dispatch(d, key);
	return dirty | DIRTY_FOOTER;
}
