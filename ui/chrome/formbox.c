/*
 * formbox.c — the form dialog (see formbox.h).
 *
 * Layout inside the box (one row per field):
 *     label   [field.............]  error beside the field
 *     ...
 *     note
 *     the full error, or the status line
 */
#include "formbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "text_sanitize.h"

#define ERR_W_WANTED 36

static void
geometry(struct formbox *fb, struct dash *d, int *h, int *w, int *y, int *x)
{
	*h = fb->n + 6;
	*w = 2 + fb->label_w + 2 + fb->field_w + 2 + ERR_W_WANTED + 2;
	if (*w > d->cols)
		*w = d->cols;
	if (*h > d->lines)
		*h = d->lines;
	*y = (d->lines - *h) / 2;
	*x = (d->cols - *w) / 2;
}

static int
make_windows(struct formbox *fb, struct dash *d)
{
	int h, w, y, x;
	geometry(fb, d, &h, &w, &y, &x);
	fb->win = newwin(h, w, y, x);
	if (!fb->win)
		return -1;
	keypad(fb->win, TRUE);
	int sw = fb->field_w;
	if (2 + fb->label_w + 2 + sw > w - 1)
		sw = w - 1 - (2 + fb->label_w + 2);
	if (sw < 4)
		sw = 4;
	fb->sub = derwin(fb->win, fb->n, sw, 2, 2 + fb->label_w + 2);
	if (!fb->sub) {
		delwin(fb->win);
		fb->win = NULL;
		return -1;
	}
	set_form_win(fb->form, fb->win);
	set_form_sub(fb->form, fb->sub);
	fb->posted = post_form(fb->form) == E_OK;
	return 0;
}

static void
free_windows(struct formbox *fb)
{
	if (fb->posted) {
		/* The field being edited keeps its text only once validated. */
		form_driver(fb->form, REQ_VALIDATION);
		unpost_form(fb->form);
	}
	fb->posted = false;
	if (fb->sub)
		delwin(fb->sub);
	if (fb->win)
		delwin(fb->win);
	fb->sub = fb->win = NULL;
}

static void
paint_fields(struct formbox *fb, struct dash *d)
{
	int cur = formbox_current(fb);
	for (int i = 0; i < fb->n; i++) {
		attr_t a = dash_attr(d, i == cur ? ROLE_FORM_FIELD_FOCUS : ROLE_FORM_FIELD);
		if (fb->errors[i][0])
			a = dash_attr(d, i == cur ? ROLE_FORM_FIELD_FOCUS : ROLE_ERROR) |
				A_UNDERLINE;
		set_field_back(fb->fields[i], a);
		set_field_fore(fb->fields[i], a);
	}
}

int
formbox_open(struct formbox *fb, struct dash *d)
{
	fb->label_w = 0;
	fb->field_w = 0;
	for (int i = 0; i < fb->n; i++) {
		int lw = text_width(fb->labels[i]);
		if (lw > fb->label_w)
			fb->label_w = lw;
		if (fb->widths[i] > fb->field_w)
			fb->field_w = fb->widths[i];
	}
	for (int i = 0; i < fb->n; i++) {
		FIELD *f = new_field(1, fb->widths[i], i, 0, 0, 0);
		if (!f) {
			for (int k = 0; k < i; k++)
				free_field(fb->fields[k]);
			return -1;
		}
		field_opts_off(f, O_AUTOSKIP | O_STATIC | O_BLANK);
		set_max_field(f, fb->maxlen[i] > 0 ? fb->maxlen[i] : FORMBOX_TEXT_MAX - 1);
		set_field_buffer(f, 0, fb->init[i]);
		set_field_pad(f, ' ');
		fb->fields[i] = f;
		fb->errors[i][0] = '\0';
		fb->checked[i] = false;
	}
	fb->fields[fb->n] = NULL;
	fb->form = new_form(fb->fields);
	if (!fb->form) {
		for (int k = 0; k < fb->n; k++)
			free_field(fb->fields[k]);
		return -1;
	}
	if (make_windows(fb, d) != 0) {
		free_form(fb->form);
		for (int k = 0; k < fb->n; k++)
			free_field(fb->fields[k]);
		fb->form = NULL;
		return -1;
	}
	form_driver(fb->form, REQ_END_FIELD);
	fb->fresh = true;
	fb->status[0] = '\0';
	paint_fields(fb, d);
	curs_set(1);
	return 0;
}

void
formbox_close(struct formbox *fb)
{
	if (!fb->form)
		return;
	free_windows(fb);
	free_form(fb->form);
	fb->form = NULL;
	for (int i = 0; i < fb->n; i++) {
		free_field(fb->fields[i]);
		fb->fields[i] = NULL;
	}
	curs_set(0);
}

void
formbox_relayout(struct formbox *fb, struct dash *d)
{
	if (!fb->form)
		return;
	int cur = formbox_current(fb);
	free_windows(fb);
	make_windows(fb, d);
	if (fb->posted && cur >= 0) {
		set_current_field(fb->form, fb->fields[cur]);
		form_driver(fb->form, REQ_END_FIELD);
	}
}

int
formbox_current(const struct formbox *fb)
{
	if (!fb->form)
		return -1;
	return field_index(current_field(fb->form));
}

void
formbox_value(struct formbox *fb, int field, char *buf, size_t len)
{
	if (fb->posted)
		form_driver(fb->form, REQ_VALIDATION);
	const char *s = field_buffer(fb->fields[field], 0);
	if (!s)
		s = "";
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Checks one field; true when valid. */
static bool
check(struct formbox *fb, struct dash *d, int i)
{
	char text[FORMBOX_TEXT_MAX * 4], err[FORMBOX_ERR_MAX];
	formbox_value(fb, i, text, sizeof text);
	err[0] = '\0';
	fb->checked[i] = true;
	if (fb->check && fb->check(d, fb->ctx, i, text, err, sizeof err) != 0) {
		if (!err[0])
			snprintf(err, sizeof err, "invalid");
		text_sanitize(fb->errors[i], sizeof fb->errors[i], err, strlen(err), -1);
		return false;
	}
	fb->errors[i][0] = '\0';
	return true;
}

static void
move_to(struct formbox *fb, int req)
{
	form_driver(fb->form, req);
	form_driver(fb->form, REQ_END_FIELD);
	fb->fresh = true;
}

enum formbox_result
formbox_key(struct formbox *fb, struct dash *d, int key)
{
	if (!fb->form || !fb->posted)
		return key == 27 ? FORMBOX_CANCEL : FORMBOX_CONTINUE;
	int cur = formbox_current(fb);
	int c = keycode_char(key);
	fb->status[0] = '\0';

	switch (key) {
	case 27: return FORMBOX_CANCEL;
	case KEYCODE_CTRL('c'): return FORMBOX_QUIT;
	case '\t':
	case KEY_DOWN:
	case KEY_BTAB:
	case KEY_UP: {
		if (!check(fb, d, cur)) {
			snprintf(fb->status, sizeof fb->status, "%s", fb->errors[cur]);
			fb->status_role = ROLE_ERROR;
			break;
		}
		bool back = key == KEY_BTAB || key == KEY_UP;
		move_to(fb, back ? REQ_PREV_FIELD : REQ_NEXT_FIELD);
		break;
	}
	case '\r':
	case '\n':
	case KEY_ENTER: {
		int bad = -1;
		if (!check(fb, d, cur))
			bad = cur;
		for (int i = 0; i < fb->n; i++)
			if (!check(fb, d, i) && bad < 0)
				bad = i;
		if (bad >= 0) {
			if (bad != cur) {
				set_current_field(fb->form, fb->fields[bad]);
				form_driver(fb->form, REQ_END_FIELD);
			}
			snprintf(fb->status, sizeof fb->status, "not sent: %s", fb->errors[bad]);
			fb->status_role = ROLE_ERROR;
			break;
		}
		return FORMBOX_SUBMIT;
	}
	case KEY_BACKSPACE:
	case 127:
	case 8:
		form_driver(fb->form, REQ_DEL_PREV);
		fb->fresh = false;
		break;
	case KEY_DC:
		form_driver(fb->form, REQ_DEL_CHAR);
		fb->fresh = false;
		break;
	case KEY_LEFT:
		form_driver(fb->form, REQ_PREV_CHAR);
		fb->fresh = false;
		break;
	case KEY_RIGHT:
		form_driver(fb->form, REQ_NEXT_CHAR);
		fb->fresh = false;
		break;
	case KEY_HOME:
	case KEYCODE_CTRL('a'):
		form_driver(fb->form, REQ_BEG_FIELD);
		fb->fresh = false;
		break;
	case KEY_END:
	case KEYCODE_CTRL('e'):
		form_driver(fb->form, REQ_END_FIELD);
		fb->fresh = false;
		break;
	case KEYCODE_CTRL('u'):
		form_driver(fb->form, REQ_CLR_FIELD);
		fb->fresh = false;
		break;
	default:
		if (c >= 32 && c != 127) {
			if (fb->fresh)
				form_driver(fb->form, REQ_CLR_FIELD);
			fb->fresh = false;
			form_driver_w(fb->form, OK, (wchar_t)c);
		}
		break;
	}
	/* Once a field has been checked, keep its error current as it is typed. */
	cur = formbox_current(fb);
	if (cur >= 0 && fb->checked[cur])
		check(fb, d, cur);
	paint_fields(fb, d);
	return FORMBOX_CONTINUE;
}

void
formbox_draw(struct formbox *fb, struct dash *d)
{
	if (!fb->form)
		return;
	if (!fb->win) {
		make_windows(fb, d);
		if (!fb->win)
			return;
	}
	WINDOW *w = fb->win;
	int h = getmaxy(w), wd = getmaxx(w);
	attr_t b = dash_attr(d, ROLE_OVERLAY_BORDER);

	wbkgdset(w, dash_attr(d, ROLE_OVERLAY) | ' ');
	draw_box(w, b, d->g->utf8);
	char t[96];
	snprintf(t, sizeof t, " %s ", fb->title);
	draw_fill(w, 0, 2, text_width(t), b);
	draw_text(w, 0, 2, wd - 4, dash_attr(d, ROLE_OVERLAY_TITLE), t);
	draw_fill(w, 1, 1, wd - 2, dash_attr(d, ROLE_OVERLAY));
	if (!fb->posted) {
		draw_text(w, 2, 2, wd - 4, dash_attr(d, ROLE_ERROR),
			  "terminal too small for this form");
		wnoutrefresh(w);
		return;
	}
	int cur = formbox_current(fb);
	int ex = 2 + fb->label_w + 2 + getmaxx(fb->sub) + 1;
	for (int i = 0; i < fb->n; i++) {
		int y = 2 + i;
		draw_fill(w, y, 1, fb->label_w + 3, dash_attr(d, ROLE_OVERLAY));
		draw_text(w, y, 2, fb->label_w,
			  dash_attr(d, i == cur ? ROLE_OVERLAY_TITLE : ROLE_FORM_LABEL),
			  fb->labels[i]);
		if (ex < wd - 1) {
			draw_fill(w, y, ex, wd - 1 - ex, dash_attr(d, ROLE_OVERLAY));
			if (fb->errors[i][0]) {
				char e[FORMBOX_ERR_MAX * 2];
				snprintf(e, sizeof e, "%s %s", d->g->status[ORDER_REFUSED],
					 fb->errors[i]);
				draw_text(w, y, ex + 1, wd - 2 - ex, dash_attr(d, ROLE_ERROR), e);
			}
		}
	}
	draw_fill(w, h - 3, 1, wd - 2, dash_attr(d, ROLE_OVERLAY));
	draw_fill(w, h - 2, 1, wd - 2, dash_attr(d, ROLE_OVERLAY));
	draw_text(w, h - 3, 2, wd - 4, dash_attr(d, ROLE_DIM), fb->note);
	if (fb->status[0])
		draw_text(w, h - 2, 2, wd - 4, dash_attr(d, fb->status_role), fb->status);
	else if (cur >= 0 && fb->errors[cur][0]) {
		char e[FORMBOX_ERR_MAX * 2];
		snprintf(e, sizeof e, "%s", fb->errors[cur]);
		draw_text(w, h - 2, 2, wd - 4, dash_attr(d, ROLE_ERROR), e);
	} else {
		draw_text(w, h - 2, 2, wd - 4, dash_attr(d, ROLE_DIM),
			  "Tab next  S-Tab previous  Enter submit  Esc cancel");
	}
	touchwin(w);
	pos_form_cursor(fb->form);
	wcursyncup(fb->sub);
	wnoutrefresh(w);
}
