/*
 * xp_groups.c — the explorer's Consumer groups view: every group the
 * cluster lists (on the embedded broker: the ones it knows, with the
 * one-line note), sorted by lag, those falling behind in the error
 * colour, refreshed every few seconds; below, the selected group's
 * members (client id@host and the partitions assigned to each, as
 * "orders[0-2] notifications[1]", cut to the width) and per partition
 * the committed and end offsets and the lag in records and in time.
 * `R` plans an offset reset of the selected group.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dash.h"
#include "draw.h"
#include "xp.h"

#define REFRESH_MS 2000

static bool
behind(const struct explore_group *g)
{
	return g->lag >= XP_BEHIND_RECORDS || g->lag_ms >= XP_BEHIND_MS;
}

static const struct explore_group_list *sort_l;

static int
cmp_lag(const void *a, const void *b)
{
	const struct explore_group *ga = &sort_l->groups[*(const int *)a];
	const struct explore_group *gb = &sort_l->groups[*(const int *)b];
	if (ga->lag != gb->lag)
		return ga->lag < gb->lag ? 1 : -1;
	return strcmp(ga->name, gb->name);
}

static void
order(struct explorer *x)
{
	free(x->group_order);
	x->group_order = calloc(x->groups.n + 1, sizeof *x->group_order);
	if (x->group_order == NULL)
		return;
	for (size_t i = 0; i < x->groups.n; i++)
		x->group_order[i] = (int)i;
	sort_l = &x->groups;
	qsort(x->group_order, x->groups.n, sizeof *x->group_order, cmp_lag);
}

static struct explore_group *
selected(struct explorer *x)
{
	if (!x->have_groups || x->groups.n == 0 || x->group_order == NULL)
		return NULL;
	if (x->group_sel >= (int)x->groups.n)
		x->group_sel = (int)x->groups.n - 1;
	return &x->groups.groups[x->group_order[x->group_sel]];
}

static void
draw_detail(struct dash *d, const struct explore_group *g, WINDOW *win, int y, int x0, int h, int w)
{
	char line[1536], safe[1536], cm[32], end[32], lag[32], age[32];
	int row = 0;
	if (g->described) {
		for (int i = 0; i < g->n_members && row < h / 3; i++) {
			const struct explore_member *m = &g->members[i];
			char client[128], host[128], parts[1024];
			/* the id and host cut short enough to leave the partitions room */
			draw_sanitize(client, sizeof client, m->client_id, w > 100 ? 40 : 24);
			draw_sanitize(host, sizeof host, m->host, w > 100 ? 32 : 18);
			explore_tp_compact(m->assigned, m->n_assigned, parts, sizeof parts);
			snprintf(line, sizeof line, "member %s@%s  %s", client, host, parts);
			draw_sanitize(safe, sizeof safe, line, w - 2);
			draw_text(win, y + row++, x0 + 1, w - 2, dash_attr(d, ROLE_TEXT), safe);
		}
	}
	if (g->error[0] && row < h) {
		draw_sanitize(safe, sizeof safe, g->error, w - 2);
		draw_text(win, y + row++, x0 + 1, w - 2, dash_attr(d, ROLE_ERROR), safe);
	}
	if (row >= h)
		return;
	int tw = w - 56 < 12 ? 12 : w - 56 > 32 ? 32 : w - 56;
	snprintf(line, sizeof line, "%-*s %5s %12s %12s %10s %9s  %s", tw, "TOPIC", "PART",
		 "COMMITTED", "END", "LAG", "LAG-TIME", "OWNER");
	draw_text(win, y + row++, x0 + 1, w - 2, dash_attr(d, ROLE_COLUMN_HEADER), line);
	for (int i = 0; i < g->n_partitions && row < h; i++) {
		const struct explore_group_partition *p = &g->partitions[i];
		char topic[128];
		draw_sanitize(topic, sizeof topic, p->topic, tw);
		snprintf(cm, sizeof cm, "%" PRId64, p->committed);
		snprintf(end, sizeof end, "%" PRId64, p->end);
		snprintf(lag, sizeof lag, "%" PRId64, p->lag);
		if (p->lag_ms >= 0)
			fmt_age(age, sizeof age, p->lag_ms);
		else
			snprintf(age, sizeof age, "-");
		snprintf(line, sizeof line, "%-*s %5" PRId32 " %12s %12s %10s %9s  %s", tw, topic,
			 p->partition, p->committed < 0 ? "-" : cm, p->end < 0 ? "?" : end,
			 p->lag < 0 ? "?" : lag, age, p->owner ? p->owner : "-");
		draw_sanitize(safe, sizeof safe, line, w - 2);
		bool late = p->lag >= XP_BEHIND_RECORDS || p->lag_ms >= XP_BEHIND_MS;
		draw_text(win, y + row++, x0 + 1, w - 2,
			  dash_attr(d, late ? ROLE_ERROR : ROLE_TEXT), safe);
	}
}

static void
draw(struct dash *d, struct explorer *x, WINDOW *win, int y, int x0, int h, int w)
{
	char line[512], name[256], lag[32], age[32];
	if (!x->have_groups) {
		draw_text(win, y, x0 + 1, w - 2, dash_attr(d, ROLE_DIM), "no groups yet");
		return;
	}
	int n = (int)x->groups.n, row = 0;
	if (x->groups.note[0]) {
		draw_sanitize(line, sizeof line, x->groups.note, w - 2);
		draw_text(win, y + row++, x0 + 1, w - 2, dash_attr(d, ROLE_BANNER_WARN), line);
	}
	int list_h = n + 1 < h / 2 ? n + 1 : h / 2;
	if (list_h < 2)
		list_h = 2;
	int nw = w - 47 < 12 ? 12 : w - 47 > 40 ? 40 : w - 47;
	snprintf(line, sizeof line, "%-*s %-12s %7s %12s %9s", nw, "GROUP", "STATE", "MEMBERS",
		 "LAG", "LAG-TIME");
	draw_text(win, y + row++, x0 + 1, w - 2, dash_attr(d, ROLE_COLUMN_HEADER), line);
	xp_scroll(x->group_sel, &x->group_top, list_h - 1);
	for (int r = 0; r < list_h - 1 && x->group_top + r < n; r++) {
		int i = x->group_top + r;
		const struct explore_group *g = &x->groups.groups[x->group_order[i]];
		draw_sanitize(name, sizeof name, g->name, nw);
		snprintf(lag, sizeof lag, "%" PRId64, g->lag);
		if (g->lag_ms >= 0)
			fmt_age(age, sizeof age, g->lag_ms);
		else
			snprintf(age, sizeof age, "-");
		char members[16];
		snprintf(members, sizeof members, "%d", g->n_members);
		snprintf(line, sizeof line, "%-*s %-12s %7s %12s %9s%s", nw, name,
			 g->described ? g->state : "?", g->described ? members : "?", lag, age,
			 behind(g) ? "  behind" : "");
		struct draw_row dr;
		draw_row_begin(&dr, win, y + row + r, x0, w, i == x->group_sel,
			       dash_attr(d, ROLE_SELECTION));
		draw_row_put(&dr, dash_attr(d, behind(g) ? ROLE_ERROR : ROLE_TEXT), " ");
		draw_row_put(&dr, dash_attr(d, behind(g) ? ROLE_ERROR : ROLE_TEXT), line);
		draw_row_end(&dr);
	}
	struct explore_group *g = selected(x);
	if (g)
		draw_detail(d, g, win, y + row + list_h, x0, h - row - list_h, w);
}

static void
fetch(struct dash *d, struct explorer *x, bool force)
{
	if (x->groups_job && !force)
		return;
	if (!force && x->have_groups && mono_ms() - x->groups_at < REFRESH_MS)
		return;
	struct explore_job j = { .kind = EXPLORE_JOB_GROUPS };
	x->groups_job = xp_submit(d, &j);
	x->groups_at = mono_ms();
}

static void
reply(struct dash *d, struct explorer *x, struct explore_reply *r)
{
	(void)d;
	if (r->kind != EXPLORE_JOB_GROUPS || r->job != x->groups_job)
		return;
	x->groups_job = 0;
	x->groups_at = mono_ms();
	if (r->rc < 0) {
		xp_status(x, true, "groups: %s", r->err);
		return;
	}
	char keep[EXPLORE_NAME_MAX] = "";
	struct explore_group *g = selected(x);
	if (g)
		snprintf(keep, sizeof keep, "%s", g->name);
	explore_group_list_free(&x->groups);
	x->groups = r->groups;
	memset(&r->groups, 0, sizeof r->groups);
	x->have_groups = true;
	order(x);
	for (size_t i = 0; keep[0] && x->group_order && i < x->groups.n; i++)
		if (strcmp(x->groups.groups[x->group_order[i]].name, keep) == 0)
			x->group_sel = (int)i;
	if (x->view == XP_GROUPS && mono_ms() >= x->status_kept_until)
		xp_status(x, false, "%zu groups, sorted by lag, refreshed every %d s", x->groups.n,
			  REFRESH_MS / 1000);
}

static int
key(struct dash *d, struct explorer *x, int k)
{
	int n = x->have_groups ? (int)x->groups.n : 0;
	if (xp_move(k, &x->group_sel, n, 10))
		return DIRTY_PANES;
	if (k == 'R') {
		struct explore_group *g = selected(x);
		if (xp_read_only(d, "resetting a group's offsets"))
			return DIRTY_FOOTER;
		if (g == NULL)
			return DIRTY_PANES;
		snprintf(x->reset_group, sizeof x->reset_group, "%s", g->name);
		xp_prompt_open(x, XP_PROMPT_RESET_TO,
			       "reset to (earliest|latest|OFFSET|TIME|-15m):", "latest");
		return DIRTY_ALL;
	}
	return -1;
}

const struct xp_view xp_groups_view = {
	.name = "Groups",
	.hint = "R:reset offsets|Tab:view|x:pipeline|r:refresh",
	.draw = draw,
	.key = key,
	.reply = reply,
	.fetch = fetch,
};
