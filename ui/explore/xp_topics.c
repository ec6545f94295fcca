/*
 * xp_topics.c — the explorer's Topics view: every topic (internal ones
 * with `i`), filtered by name (`/`) and sorted (`s`: name, records,
 * partitions); below, the selected topic's partitions (leader, replicas,
 * in-sync replicas, under-replicated ones in the error colour, low and
 * high watermarks, records) and its configs on a real cluster.  Enter
 * reads the topic's messages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dash.h"
#include "draw.h"
#include "xp.h"

#define REFRESH_MS 5000
#define SHOWN_MAX  4096

static const char *const sort_names[] = { "name", "records", "partitions" };

static const struct explorer *sort_x;

static int
cmp_topics(const void *a, const void *b)
{
	const struct explore_topic *ta = &sort_x->topics.topics[*(const int *)a];
	const struct explore_topic *tb = &sort_x->topics.topics[*(const int *)b];
	if (sort_x->topic_sort == 1 && ta->records != tb->records)
		return ta->records < tb->records ? 1 : -1;
	if (sort_x->topic_sort == 2 && ta->n_partitions != tb->n_partitions)
		return tb->n_partitions - ta->n_partitions;
	return strcmp(ta->name, tb->name);
}

/* The topics shown, in order: indices into x->topics. */
static int
shown(const struct explorer *x, int *idx)
{
	int n = 0;
	for (size_t i = 0; i < x->topics.n && n < SHOWN_MAX; i++)
		if (!x->topic_filter[0] ||
		    pane_text_match(x->topics.topics[i].name, x->topic_filter))
			idx[n++] = (int)i;
	sort_x = x;
	qsort(idx, (size_t)n, sizeof *idx, cmp_topics);
	return n;
}

static const struct explore_topic *
selected(struct explorer *x)
{
	static int idx[SHOWN_MAX];
	int n = shown(x, idx);
	if (n == 0)
		return NULL;
	if (x->topic_sel >= n)
		x->topic_sel = n - 1;
	return &x->topics.topics[idx[x->topic_sel]];
}

static void
ids_text(char *buf, size_t len, const int32_t *ids, int n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o + 1 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%" PRId32, i ? "," : "", ids[i]);
}

static void
draw_partitions(struct dash *d, const struct explore_topic *t, WINDOW *win, int y, int x0, int h,
		int w)
{
	char line[256];
	if (h < 2)
		return;
	snprintf(line, sizeof line, "%-6s %6s %-12s %-12s %12s %12s %12s", "PART", "LEADER",
		 "REPLICAS", "ISR", "LOW", "HIGH", "RECORDS");
	draw_text(win, y, x0 + 1, w - 2, dash_attr(d, ROLE_COLUMN_HEADER), line);
	for (int i = 0; i < t->n_partitions && i < h - 1; i++) {
		const struct explore_partition *p = &t->partitions[i];
		char reps[64], isr[64];
		ids_text(reps, sizeof reps, p->replicas, p->n_replicas);
		ids_text(isr, sizeof isr, p->isr, p->n_isr);
		snprintf(line, sizeof line,
			 "%-6" PRId32 " %6" PRId32 " %-12s %-12s %12" PRId64 " %12" PRId64
			 " %12" PRId64 "%s",
			 p->id, p->leader, reps, isr, p->low, p->high, p->records,
			 p->under_replicated ? "  under-replicated" : "");
		draw_text(
			win, y + 1 + i, x0 + 1, w - 2,
			dash_attr(d, p->under_replicated || p->leader < 0 ? ROLE_ERROR : ROLE_TEXT),
			line);
	}
}

static void
draw_configs(struct dash *d, const struct explorer *x, const struct explore_topic *t, WINDOW *win,
	     int y, int x0, int h, int w)
{
	char line[512], safe[512];
	if (h < 2 || w < 20)
		return;
	draw_text(win, y, x0, w, dash_attr(d, ROLE_COLUMN_HEADER), "CONFIG");
	if (!x->topics.configs_known) {
		snprintf(line, sizeof line, "%s",
			 x->topics.note[0] ? x->topics.note : "configs need a real cluster");
		draw_sanitize(safe, sizeof safe, line, w);
		draw_text(win, y + 1, x0, w, dash_attr(d, ROLE_DIM), safe);
		return;
	}
	int row = 1;
	for (int i = 0; i < t->n_configs && row < h; i++) {
		const struct explore_config_entry *c = &t->configs[i];
		if (c->is_default && row >= h / 2)
			continue; /* defaults only while there is room */
		snprintf(line, sizeof line, "%s=%s%s", c->name, c->value ? c->value : "-",
			 c->is_default ? "" : " *");
		draw_sanitize(safe, sizeof safe, line, w);
		draw_text(win, y + row++, x0, w, dash_attr(d, c->is_default ? ROLE_DIM : ROLE_TEXT),
			  safe);
	}
}

static void
draw(struct dash *d, struct explorer *x, WINDOW *win, int y, int x0, int h, int w)
{
	static int idx[SHOWN_MAX];
	char line[512], name[256], rec[32];
	if (!x->have_topics) {
		draw_text(win, y, x0 + 1, w - 2, dash_attr(d, ROLE_DIM), "no topics yet");
		return;
	}
	int n = shown(x, idx);
	int list_h = n + 1 < h / 2 ? n + 1 : h / 2;
	if (list_h < 3)
		list_h = h < 3 ? h : 3;
	snprintf(line, sizeof line, "%-40s %6s %3s %5s %12s   sort: %s%s%s%s", "TOPIC", "PARTS",
		 "RF", "URP", "RECORDS", sort_names[x->topic_sort],
		 x->topic_filter[0] ? "  filter: " : "", x->topic_filter,
		 x->show_internal ? "  +internal" : "");
	draw_text(win, y, x0 + 1, w - 2, dash_attr(d, ROLE_COLUMN_HEADER), line);
	xp_scroll(x->topic_sel, &x->topic_top, list_h - 1);
	for (int r = 0; r < list_h - 1 && x->topic_top + r < n; r++) {
		int i = x->topic_top + r;
		const struct explore_topic *t = &x->topics.topics[idx[i]];
		draw_sanitize(name, sizeof name, t->name, 40);
		if (t->records >= 0)
			snprintf(rec, sizeof rec, "%" PRId64, t->records);
		else
			snprintf(rec, sizeof rec, "?");
		snprintf(line, sizeof line, "%-40s %6d %3d %5d %12s%s", name, t->n_partitions,
			 t->replication_factor, t->under_replicated, rec,
			 t->internal ? "  internal" : "");
		struct draw_row row;
		draw_row_begin(&row, win, y + 1 + r, x0, w, i == x->topic_sel,
			       dash_attr(d, ROLE_SELECTION));
		draw_row_put(&row, dash_attr(d, t->under_replicated ? ROLE_ERROR : ROLE_TEXT), " ");
		draw_row_put(&row, dash_attr(d, t->under_replicated ? ROLE_ERROR : ROLE_TEXT),
			     line);
		draw_row_end(&row);
	}
	const struct explore_topic *t =
		n ? &x->topics.topics[idx[x->topic_sel < n ? x->topic_sel : 0]] : NULL;
	if (t == NULL)
		return;
	int py = y + list_h + 1, ph = h - list_h - 1;
	if (w >= 140) {
		draw_partitions(d, t, win, py, x0, ph, 90);
		draw_configs(d, x, t, win, py, x0 + 92, ph, w - 93);
	} else {
		int cfg_h = x->topics.configs_known ? ph / 3 : 2;
		draw_partitions(d, t, win, py, x0, ph - cfg_h, w);
		draw_configs(d, x, t, win, py + ph - cfg_h, x0 + 1, cfg_h, w - 2);
	}
}

static void
fetch(struct dash *d, struct explorer *x, bool force)
{
	if (x->topics_job && !force)
		return; /* one at a time */
	if (!force && x->have_topics && mono_ms() - x->topics_at < REFRESH_MS)
		return;
	struct explore_job j = { .kind = EXPLORE_JOB_TOPICS, .internal = x->show_internal };
	x->topics_job = xp_submit(d, &j);
	x->topics_at = mono_ms();
}

static void
reply(struct dash *d, struct explorer *x, struct explore_reply *r)
{
	(void)d;
	if (r->kind != EXPLORE_JOB_TOPICS || r->job != x->topics_job)
		return;
	x->topics_job = 0;
	x->topics_at = mono_ms();
	if (r->rc < 0) {
		xp_status(x, true, "topics: %s", r->err);
		return;
	}
	explore_topic_list_free(&x->topics);
	x->topics = r->topics;
	memset(&r->topics, 0, sizeof r->topics);
	x->have_topics = true;
	if (x->view == XP_TOPICS)
		xp_status(x, false, "%zu topics%s", x->topics.n,
			  x->show_internal ? " (internal ones shown)" : " (i: show internal ones)");
}

static int
key(struct dash *d, struct explorer *x, int k)
{
	static int idx[SHOWN_MAX];
	int n = x->have_topics ? shown(x, idx) : 0;
	if (xp_move(k, &x->topic_sel, n, 10))
		return DIRTY_PANES;
	switch (k) {
	case '/':
		xp_prompt_open(x, XP_PROMPT_TOPIC_FILTER, "topic filter:", x->topic_filter);
		return DIRTY_ALL;
	case 's': x->topic_sort = (x->topic_sort + 1) % 3; return DIRTY_PANES;
	case 'i':
		x->show_internal = !x->show_internal;
		fetch(d, x, true);
		return DIRTY_ALL;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		const struct explore_topic *t = selected(x);
		if (t)
			xp_messages_show(d, x, t->name);
		return DIRTY_ALL;
	}
	case 'P': {
		const struct explore_topic *t = selected(x);
		if (xp_read_only(d, "produce"))
			return DIRTY_FOOTER;
		return xp_produce_open(d, t ? t->name : "");
	}
	}
	return -1;
}

const struct xp_view xp_topics_view = {
	.name = "Topics",
	.hint = "Enter:messages|/:filter|s:sort|i:internal|P:produce|Tab:view|x:pipeline|r:refresh",
	.draw = draw,
	.key = key,
	.reply = reply,
	.fetch = fetch,
};
