/*
 * xp_prompt.c — the explorer's one-line prompt (a topic filter, a jq
 * filter, where to start, a partition, a topic, where to move a group,
 * a `:` command): typed on the screen's last line, applied on Enter,
 * dropped on Esc.  What Enter does depends on what the prompt was for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dash.h"
#include "draw.h"
#include "keycode.h"
#include "xp.h"

static void
put_char(struct explorer *x, int key)
{
	char mb[KEYCODE_UTF8_MAX];
	int len = keycode_utf8(key, mb);
	if (x->prompt_len + (size_t)len < sizeof x->prompt_buf) {
		memcpy(x->prompt_buf + x->prompt_len, mb, (size_t)len);
		x->prompt_len += (size_t)len;
		x->prompt_buf[x->prompt_len] = '\0';
	}
}

static void
back_char(struct explorer *x)
{
	while (x->prompt_len > 0) {
		x->prompt_len--;
		if (((unsigned char)x->prompt_buf[x->prompt_len] & 0xC0) != 0x80)
			break;
	}
	x->prompt_buf[x->prompt_len] = '\0';
}

/* Enter: the text goes where the prompt was for.  0, or -1 when refused
 * (the prompt stays open with the reason in the status line). */
static int
apply(struct dash *d, struct explorer *x, enum xp_prompt_kind kind)
{
	char err[256];
	const char *t = x->prompt_buf;
	switch (kind) {
	case XP_PROMPT_TOPIC_FILTER:
		snprintf(x->topic_filter, sizeof x->topic_filter, "%s", t);
		x->topic_sel = x->topic_top = 0;
		break;
	case XP_PROMPT_JQ:
		snprintf(x->msg_jq, sizeof x->msg_jq, "%s", t);
		xp_messages_restart(d, x);
		break;
	case XP_PROMPT_START: {
		struct explore_start s;
		if (explore_start_parse(t, now_ms(), &s, err, sizeof err) < 0) {
			xp_status(x, true, "start: %s", err);
			return -1;
		}
		x->msg_start = s;
		snprintf(x->msg_start_text, sizeof x->msg_start_text, "%s", t);
		xp_messages_restart(d, x);
		break;
	}
	case XP_PROMPT_PARTITION: {
		char *end;
		long p = strtol(t, &end, 10);
		if (!t[0] || strcmp(t, "all") == 0) {
			x->msg_partition = -1;
		} else if (*end || p < 0 || p > 100000) {
			xp_status(x, true, "partition: a number, or \"all\"");
			return -1;
		} else {
			x->msg_partition = (int32_t)p;
		}
		xp_messages_restart(d, x);
		break;
	}
	case XP_PROMPT_TOPIC:
		if (t[0])
			xp_messages_show(d, x, t);
		break;
	case XP_PROMPT_RESET_TO: {
		struct explore_job j = { .kind = EXPLORE_JOB_RESET_PLAN };
		if (explore_start_parse(t, now_ms(), &j.start, err, sizeof err) < 0) {
			xp_status(x, true, "reset to: %s", err);
			return -1;
		}
		snprintf(j.group, sizeof j.group, "%s", x->reset_group);
		x->reset_job = xp_submit(d, &j);
		xp_status(x, false, "planning the reset of %.200s", x->reset_group);
		break;
	}
	case XP_PROMPT_TRANSFORM: {
		struct explore_job j = { .kind = EXPLORE_JOB_REDRIVE_PLAN };
		snprintf(j.topic, sizeof j.topic, "%s", d->cfg->topics[TOPIC_DLQ]);
		snprintf(j.jq, sizeof j.jq, "%s", x->redrive_where);
		snprintf(j.transform, sizeof j.transform, "%s", t);
		x->redrive_job = xp_submit(d, &j);
		xp_status(x, false, "planning the re-drive of %.200s", j.topic);
		break;
	}
	case XP_PROMPT_COMMAND: /* explorer.c runs it */
	case XP_PROMPT_NONE: break;
	}
	return 0;
}

int
xp_prompt_key(struct dash *d, struct explorer *x, int k)
{
	int key = keycode_char(k);
	enum xp_prompt_kind kind = x->prompt;
	if (key < 0) {
		if (k == KEY_BACKSPACE)
			back_char(x);
		else if (k == KEY_ENTER)
			goto enter;
		return DIRTY_PANES;
	}
	switch (key) {
	case 27:
		x->prompt = XP_PROMPT_NONE;
		curs_set(0);
		return DIRTY_ALL;
	case '\r':
	case '\n': goto enter;
	case 127:
	case 8: back_char(x); break;
	case 21:
		x->prompt_len = 0;
		x->prompt_buf[0] = '\0';
		break;
	default:
		if (key >= 32)
			put_char(x, key);
	}
	return DIRTY_PANES;
enter:
	x->prompt = XP_PROMPT_NONE;
	curs_set(0);
	if (apply(d, x, kind) < 0)
		x->prompt = kind, curs_set(1);
	return DIRTY_ALL;
}

void
xp_prompt_draw(struct dash *d, struct explorer *x, WINDOW *win, int y, int w)
{
	int cx = 0;
	draw_fill(win, y, 0, w, dash_attr(d, ROLE_TEXT));
	cx += draw_text(win, y, cx, w - cx, dash_attr(d, ROLE_FOOTER_KEY), x->prompt_label);
	cx += draw_text(win, y, cx, w - cx, dash_attr(d, ROLE_TEXT), " ");
	char safe[EXPLORE_JQ_MAX * 4];
	/* Keep the end of a long text in view. */
	draw_cut_left(safe, sizeof safe, x->prompt_buf, w - cx - 2, d->g->utf8 ? "…" : "...");
	cx += draw_text(win, y, cx, w - cx - 1, dash_attr(d, ROLE_FILTER), safe);
	wmove(win, y, cx < w ? cx : w - 1);
	leaveok(win, FALSE);
}
