/*
 * footer.c — the footer line (see footer.h).  Hints are "key:what" pairs
 * drawn greedily; "F1 help" comes first and "q quit" always fits.
 */
#include "footer.h"

#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "overlay.h"
#include "text_sanitize.h"

struct hint {
	const char *key, *what;
};

static int
add_hint(struct hint *h, int n, int max, const char *key, const char *what)
{
	if (n < max) {
		h[n].key = key;
		h[n].what = what;
		n++;
	}
	return n;
}

/* Parses "k:what|k:what" into hints. */
static int
add_hints(struct hint *h, int n, int max, const char *spec, char store[][48], int *nstore,
	  bool tabs)
{
	while (spec && *spec && n < max && *nstore < 16) {
		const char *bar = strchr(spec, '|');
		size_t len = bar ? (size_t)(bar - spec) : strlen(spec);
		char *s = store[(*nstore)++];
		if (len >= 48)
			len = 47;
		memcpy(s, spec, len);
		s[len] = '\0';
		char *colon = strchr(s, ':');
		if (colon) {
			*colon = '\0';
			if (tabs || strcmp(s, "[ ]") != 0) /* no tabs on big screens */
				n = add_hint(h, n, max, s, colon + 1);
		}
		spec = bar ? bar + 1 : NULL;
	}
	return n;
}

static int
hint_width(const struct hint *h)
{
	return text_width(h->key) + 1 + text_width(h->what) + 2;
}

static int
draw_hint(struct dash *d, WINDOW *w, int x, int maxx, const struct hint *h)
{
	x += draw_text(w, 0, x, maxx - x, dash_attr(d, ROLE_FOOTER_KEY), h->key);
	x += draw_text(w, 0, x, maxx - x, dash_attr(d, ROLE_FOOTER_TEXT), " ");
	x += draw_text(w, 0, x, maxx - x, dash_attr(d, ROLE_FOOTER_TEXT), h->what);
	x += draw_text(w, 0, x, maxx - x, dash_attr(d, ROLE_FOOTER_TEXT), "  ");
	return x;
}

static int
collect(struct dash *d, struct hint *h, int max, char store[][48], int *nstore)
{
	int n = 0;
	if (d->ovl)
		return add_hints(h, n, max, d->ovl->hint, store, nstore, false);
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (d->explore_on && d->explore_hint)
		return add_hints(h, n, max, d->explore_hint, store, nstore, false);
	n = add_hint(h, n, max, "F1", "help");
	if (d->paused)
		n = add_hint(h, n, max, "Z", "resume");
	if (p && !p->follow && !d->paused)
		n = add_hint(h, n, max, "F", "follow");
	if (p && p->filter[0])
		n = add_hint(h, n, max, "Esc", "clear filter");
	if (d->zoom)
		n = add_hint(h, n, max, "z", "unzoom");
	if (p && p->def->hint)
		n = add_hints(h, n, max, p->def->hint, store, nstore, d->lay.n_tabs > 0);
	n = add_hint(h, n, max, "Tab", "pane");
	n = add_hint(h, n, max, "n", "order");
	if (!d->zoom)
		n = add_hint(h, n, max, "z", "zoom");
	if (!d->paused)
		n = add_hint(h, n, max, "Z", "pause");
	n = add_hint(h, n, max, "g", d->gen.on ? "gen off" : "gen on");
	n = add_hint(h, n, max, "+-", "rate");
	n = add_hint(h, n, max, "t", "theme");
	return n;
}

static void
draw_prompt(struct dash *d, WINDOW *w, int cols)
{
	int x = 0;
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_KEY), "Filter:");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_TEXT), " ");
	char safe[PANE_FILTER_MAX * 4];
	draw_sanitize(safe, sizeof safe, d->prompt_buf, -1);
	x += draw_text(w, 0, x, cols - x - 1, dash_attr(d, ROLE_FILTER), safe);
	int cx = x;
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FILTER), " ");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_TEXT), "  ");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_KEY), "Enter");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_TEXT), " keep  ");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_KEY), "Esc");
	x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_TEXT), " clear");
	wmove(w, 0, cx < cols ? cx : cols - 1);
}

void
footer_draw(struct dash *d)
{
	WINDOW *w = d->win_footer;
	if (!w)
		return;
	int cols = getmaxx(w);
	wbkgdset(w, dash_attr(d, ROLE_FOOTER_TEXT) | ' ');
	werase(w);
	if (d->prompt && !d->ovl) {
		draw_prompt(d, w, cols);
		wnoutrefresh(w);
		return;
	}
	int x = 0;
	if (d->msg[0] && mono_ms() < d->msg_until_ms) {
		x += draw_text(w, 0, x, cols, dash_attr(d, d->msg_role), d->msg);
		x += draw_text(w, 0, x, cols - x, dash_attr(d, ROLE_FOOTER_TEXT), "   ");
	} else {
		d->msg[0] = '\0';
	}
	struct hint h[32];
	char store[16][48];
	int nstore = 0;
	int n = collect(d, h, 32, store, &nstore);
	struct hint quit = { "q", "quit" };
	bool with_quit = !d->ovl;
	int reserve = with_quit ? hint_width(&quit) : 0;
	for (int i = 0; i < n; i++) {
		int hw = hint_width(&h[i]);
		if (x + hw > cols - reserve)
			continue;
		x = draw_hint(d, w, x, cols, &h[i]);
	}
	if (with_quit && x + reserve <= cols)
		x = draw_hint(d, w, x, cols, &quit);
	(void)x;
	wnoutrefresh(w);
}

void
footer_prompt_start(struct dash *d)
{
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p)
		return;
	d->prompt = true;
	snprintf(d->prompt_buf, sizeof d->prompt_buf, "%s", p->filter);
	snprintf(d->prompt_saved, sizeof d->prompt_saved, "%s", p->filter);
	curs_set(1);
	d->dirty |= DIRTY_FOOTER;
}

static void
apply(struct dash *d, const char *text)
{
	struct pane *p = dash_pane(d, dash_focused_pane(d));
	if (!p)
		return;
	pane_set_filter(p, text);
	if (p->def->filter_changed)
		p->def->filter_changed(d, p);
	p->dirty = true;
}

int
footer_prompt_key(struct dash *d, int k)
{
	size_t n = strlen(d->prompt_buf);
	int key = keycode_char(k);
	if (key < 0) {
		if (k == KEY_BACKSPACE)
			goto backspace;
		if (k == KEY_ENTER)
			goto done;
		return DIRTY_FOOTER;
	}
	switch (key) {
	case 27: /* Esc: clear and leave */
		d->prompt_buf[0] = '\0';
		apply(d, "");
		goto done;
	case '\r':
	case '\n': goto done;
	case 127:
	case 8: goto backspace;
	case 21: /* Ctrl-U */
		d->prompt_buf[0] = '\0';
		apply(d, d->prompt_buf);
		return DIRTY_FOOTER;
	default:
		if (key < 32)
			return DIRTY_FOOTER;
		{
			char mb[KEYCODE_UTF8_MAX];
			int len = keycode_utf8(key, mb);
			if (n + (size_t)len < sizeof d->prompt_buf) {
				memcpy(d->prompt_buf + n, mb, (size_t)len);
				d->prompt_buf[n + (size_t)len] = '\0';
				apply(d, d->prompt_buf);
			}
		}
		return DIRTY_FOOTER;
	}
backspace:
	while (n > 0) {
		n--;
		if (((unsigned char)d->prompt_buf[n] & 0xC0) != 0x80)
			break;
	}
	d->prompt_buf[n] = '\0';
	apply(d, d->prompt_buf);
	return DIRTY_FOOTER;
done:
	d->prompt = false;
	curs_set(0);
	return DIRTY_FOOTER;
}
