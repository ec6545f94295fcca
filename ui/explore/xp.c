/*
 * xp.c — the helpers every file of the explorer shares (xp.h): its state
 * from the dash, queueing a job on the worker, the status line, the
 * --read-only refusal, moving a selection, opening the prompt.
 */
#include "xp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"

struct explorer *
xp_get(struct dash *d)
{
	return d->explorer;
}

void
xp_status(struct explorer *x, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->status, sizeof x->status, fmt, ap);
	va_end(ap);
	x->status_error = error;
}

uint64_t
xp_submit(struct dash *d, struct explore_job *j)
{
	struct explorer *x = d->explorer;
	if (x == NULL || x->w == NULL) {
		free(j->value);
		j->value = NULL;
		return 0;
	}
	uint64_t id = explore_worker_submit(x->w, j);
	if (id == 0)
		dash_message(d, ROLE_ERROR, "the explorer is busy; try again");
	return id;
}

bool
xp_read_only(struct dash *d, const char *what)
{
	char text[256];
	if (!d->cfg->read_only)
		return false;
	config_read_only_text(what, text, sizeof text);
	dash_message(d, ROLE_ERROR, "%s", text);
	return true;
}

bool
xp_move(int key, int *sel, int n, int page)
{
	int s = *sel;
	switch (key) {
	case KEY_UP:
	case 'k': s--; break;
	case KEY_DOWN:
	case 'j': s++; break;
	case KEY_PPAGE: s -= page; break;
	case KEY_NPAGE: s += page; break;
	case KEY_HOME: s = 0; break;
	case KEY_END:
	case 'G': s = n - 1; break;
	default: return false;
	}
	if (s >= n)
		s = n - 1;
	if (s < 0)
		s = 0;
	*sel = s;
	return true;
}

void
xp_scroll(int sel, int *top, int rows)
{
	if (rows < 1)
		rows = 1;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + rows)
		*top = sel - rows + 1;
	if (*top < 0)
		*top = 0;
}

void
xp_prompt_open(struct explorer *x, enum xp_prompt_kind kind, const char *label, const char *init)
{
	x->prompt = kind;
	snprintf(x->prompt_label, sizeof x->prompt_label, "%s", label);
	snprintf(x->prompt_buf, sizeof x->prompt_buf, "%s", init ? init : "");
	x->prompt_len = strlen(x->prompt_buf);
	curs_set(1);
}
