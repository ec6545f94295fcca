/*
 * header.c — drawing the header (see header.h).  Line 1: who we talk to
 * and what drives the pipeline; line 2: counts and latency; then the
 * topic rates, as many per line as fit.
 */
#include "header.h"

#include <stdio.h>
#include <string.h>

#include "dash.h"
#include "draw.h"
#include "sparkline.h"
#include "text_sanitize.h"

#define RATE_TOPICS 6 /* orders .. dlq; the rules topic is control */
static const int rate_topics[RATE_TOPICS] = {
	TOPIC_ORDERS, TOPIC_VALID, TOPIC_REFUSED, TOPIC_NOTIFICATIONS, TOPIC_NOTIFIED, TOPIC_DLQ,
};
static const char *const rate_names[RATE_TOPICS] = {
	"orders", "valid", "refused", "notifs", "notified", "dlq",
};

static int
cells_per_line(int cols, int lines)
{
	int min_cell = lines < 20 ? 20 : 25;
	int n = cols / min_cell;
	if (n > RATE_TOPICS)
		n = RATE_TOPICS;
	if (n < 1)
		n = 1;
	return n;
}

int
header_height(int cols, int lines)
{
	int per = cells_per_line(cols, lines);
	return 2 + (RATE_TOPICS + per - 1) / per;
}

/* A "label value" pair; returns the new x. */
static int
pair(struct dash *d, WINDOW *w, int y, int x, int maxx, const char *label, const char *value,
     int vrole)
{
	if (x >= maxx)
		return x;
	if (label && *label) {
		x += draw_text(w, y, x, maxx - x, dash_attr(d, ROLE_HEADER_LABEL), label);
		if (x < maxx)
			x += draw_text(w, y, x, maxx - x, dash_attr(d, ROLE_HEADER_LABEL), " ");
	}
	x += draw_text(w, y, x, maxx - x, dash_attr(d, vrole), value);
	if (x + 2 <= maxx)
		x += draw_text(w, y, x, 2, dash_attr(d, ROLE_TEXT), "  ");
	return x;
}

static void
gen_text(const struct dash *d, char *buf, size_t len)
{
	const struct generator_status *g = &d->gen;
	char rate[32];
	if (!g->available) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (g->rate <= 0)
		snprintf(rate, sizeof rate, "max");
	else
		fmt_rate(rate, sizeof rate, g->rate);
	if (!g->on)
		snprintf(buf, len, "off (%s/s)", rate);
	else if (g->holding_back)
		snprintf(buf, len, "on %s/s, holding back", rate);
	else
		snprintf(buf, len, "on %s/s", rate);
	if (g->limit > 0) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, " %llu/%lld", (unsigned long long)g->generated,
			 (long long)g->limit);
	}
}

static void
line_top(struct dash *d, WINDOW *w, int cols)
{
	char bs[600], gen[96], up[32], rules[32];
	int x = 0, right = cols;

	if (d->paused) {
		const char *b = " PAUSED ";
		right -= draw_text_right(w, 0, cols, cols / 3, dash_attr(d, ROLE_BANNER_PAUSED), b);
		right -= 1;
	}
	x += draw_text(w, 0, x, right, dash_attr(d, ROLE_HEADER_TITLE), "ordertop");
	x += draw_text(w, 0, x, right - x, dash_attr(d, ROLE_TEXT), "  ");

	gen_text(d, gen, sizeof gen);
	snprintf(up, sizeof up, "%d/%d", d->brokers.up, d->brokers.total);
	snprintf(rules, sizeof rules, "v%llu", (unsigned long long)d->rules.current.version);

	/* What the fixed parts need; the bootstrap list gets the rest. */
	int fixed = text_width("embedded ") + text_width("up ") + text_width(up) + 2 +
		text_width("rules ") + text_width(rules) + 2 + text_width("gen ") +
		text_width(gen) + 2 + 2;
	int room = right - x - fixed;
	if (room < 6)
		room = 6;
	char safe[600];
	draw_sanitize(safe, sizeof safe, d->brokers.bootstraps, -1);
	draw_cut_right(bs, sizeof bs, safe, room, d->g->ellipsis);

	x += draw_text(w, 0, x, right - x, dash_attr(d, ROLE_HEADER_LABEL),
		       d->brokers.embedded ? "embedded " : "kafka ");
	x = pair(d, w, 0, x, right, NULL, bs, ROLE_HEADER_VALUE);
	bool down = d->brokers.up < d->brokers.total || d->brokers.total == 0;
	x = pair(d, w, 0, x, right, "up", up, down ? ROLE_ERROR : ROLE_HEADER_VALUE);
	x = pair(d, w, 0, x, right, "rules", rules, ROLE_HEADER_VALUE);
	x = pair(d, w, 0, x, right, "gen", gen,
		 d->gen.holding_back ? ROLE_BANNER_WARN : ROLE_HEADER_VALUE);
	(void)x;
}

static void
line_counts(struct dash *d, WINDOW *w, int cols)
{
	const struct stats_snapshot *s = &d->snap;
	char v[6][32], p50[32], p99[32];
	bool wide = cols >= 104;

	fmt_count(v[0], sizeof v[0], s->seen[TOPIC_ORDERS]);
	fmt_count(v[1], sizeof v[1], s->approved);
	fmt_count(v[2], sizeof v[2], s->refused);
	fmt_count(v[3], sizeof v[3], s->notified);
	fmt_count(v[4], sizeof v[4], s->dead_lettered);
	fmt_count(v[5], sizeof v[5], s->duplicates);
	fmt_ms(p50, sizeof p50, s->p50_ms[HOP_END_TO_END]);
	fmt_ms(p99, sizeof p99, s->p99_ms[HOP_END_TO_END]);

	int x = 0;
	x = pair(d, w, 1, x, cols, "orders", v[0], ROLE_HEADER_VALUE);
	x = pair(d, w, 1, x, cols, wide ? "approved" : "appr", v[1], ROLE_STATUS_APPROVED);
	x = pair(d, w, 1, x, cols, wide ? "refused" : "ref", v[2], ROLE_STATUS_REFUSED);
	x = pair(d, w, 1, x, cols, wide ? "notified" : "notif", v[3], ROLE_STATUS_NOTIFIED);
	x = pair(d, w, 1, x, cols, "dead", v[4],
		 s->dead_lettered ? ROLE_STATUS_DEAD : ROLE_HEADER_VALUE);
	x = pair(d, w, 1, x, cols, "e2e p50", p50, ROLE_HEADER_VALUE);
	x = pair(d, w, 1, x, cols, "p99", p99, ROLE_HEADER_VALUE);
	if (s->duplicates)
		x = pair(d, w, 1, x, cols, "dup", v[5], ROLE_ERROR);
	if (s->http_addr[0]) { /* --http: the intake's address and rates */
		char hv[128], rq[32], er[32];
		fmt_rate(rq, sizeof rq, s->http_rate);
		fmt_rate(er, sizeof er, s->http_error_rate);
		snprintf(hv, sizeof hv, "%s %s/s err %s/s", s->http_addr, rq, er);
		x = pair(d, w, 1, x, cols, "http", hv,
			 s->http_error_rate > 0 ? ROLE_BANNER_WARN : ROLE_HEADER_VALUE);
	}
	uint64_t dropped = evq_dropped(engine_events(d->e));
	if (dropped && wide) {
		char dv[32];
		fmt_count(dv, sizeof dv, dropped);
		x = pair(d, w, 1, x, cols, "not shown", dv, ROLE_DIM);
	}
	(void)x;
}

static void
line_rates(struct dash *d, WINDOW *w, int cols, int lines)
{
	int per = cells_per_line(cols, lines);
	int cw = cols / per;
	int name_w = 8;

	for (int i = 0; i < RATE_TOPICS; i++) {
		int t = rate_topics[i];
		int y = 2 + i / per, x = (i % per) * cw;
		char rate[32], spark[256];

		fmt_rate(rate, sizeof rate, d->snap.rate[t]);
		draw_text(w, y, x, name_w, dash_attr(d, ROLE_HEADER_LABEL), rate_names[i]);
		int rx = x + name_w + 6;
		draw_text_right(w, y, rx, 6, dash_attr(d, ROLE_HEADER_RATE), rate);
		draw_text(w, y, rx, 3, dash_attr(d, ROLE_DIM), "/s ");
		int sw = cw - (name_w + 6 + 3) - 1;
		if (sw > STATS_HISTORY)
			sw = STATS_HISTORY;
		if (sw > 0) {
			sparkline_render(spark, sizeof spark, d->snap.history[t], STATS_HISTORY, sw,
					 d->g);
			draw_text(w, y, rx + 3, sw, dash_attr(d, ROLE_SPARKLINE), spark);
		}
	}
}

void
header_draw(struct dash *d)
{
	WINDOW *w = d->win_header;
	if (!w)
		return;
	int cols = getmaxx(w);
	wbkgdset(w, dash_attr(d, ROLE_TEXT) | ' ');
	werase(w);
	line_top(d, w, cols);
	line_counts(d, w, cols);
	line_rates(d, w, cols, d->lines);
	wnoutrefresh(w);
}
