/*
 * whatif_lines.c — the what-if preview's text (see whatif_lines.h).
 */
#include "whatif_lines.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_sanitize.h"
#include "theme.h"

static const struct {
	const char *label;
	int64_t last, minutes;
} spans[WHATIF_SPANS] = {
	{ "last 10,000 orders", 10000, 0 },
	{ "last 100,000 orders", 100000, 0 },
	{ "last 15 minutes", 0, 15 },
	{ "last 60 minutes", 0, 60 },
};

static int
span_index(int i)
{
	return ((i % WHATIF_SPANS) + WHATIF_SPANS) % WHATIF_SPANS;
}

const char *
whatif_span_label(int i)
{
	return spans[span_index(i)].label;
}

struct whatif_span
whatif_span_of(int i, int64_t now_ms)
{
	int k = span_index(i);
	struct whatif_span s = { .last = spans[k].last, .since_ms = -1 };
	if (spans[k].minutes > 0)
		s.since_ms = now_ms - spans[k].minutes * 60000;
	return s;
}

int
whatif_examples(const struct whatif_report *r)
{
	return r->r.n_to_refused + r->r.n_to_approved;
}

const char *
whatif_example_id(const struct whatif_report *r, int i, bool *to_refused)
{
	if (i < 0 || i >= whatif_examples(r))
		return NULL;
	bool refused = i < r->r.n_to_refused;
	if (to_refused)
		*to_refused = refused;
	return refused ? r->r.to_refused[i].order_id
		       : r->r.to_approved[i - r->r.n_to_refused].order_id;
}

struct out {
	struct whatif_line *l;
	int n, max, width;
};

static void add(struct out *o, int role, int example, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
add(struct out *o, int role, int example, const char *fmt, ...)
{
	if (o->n >= o->max)
		return;
	struct whatif_line *l = &o->l[o->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->role = role;
	l->example = example;
}

/* A note (our own text, rule ids) sanitized and wrapped at spaces. */
static void
add_wrapped(struct out *o, int role, const char *first, const char *s)
{
	char safe[WHATIF_LINE_MAX];
	text_sanitize(safe, sizeof safe, s, strlen(s), -1);
	const char *p = safe;
	int width = o->width - (int)strlen(first);
	if (width < 10)
		width = 10;
	bool lead = true;
	while (*p) {
		int n = (int)strlen(p);
		if (n > width) {
			n = width;
			while (n > 0 && p[n] != ' ')
				n--;
			if (n == 0)
				n = width;
		}
		add(o, role, -1, "%s%.*s", lead ? first : "      ", n, p);
		p += n;
		while (*p == ' ')
			p++;
		lead = false;
	}
}

static void
span_text(char *buf, size_t len, int64_t ms)
{
	double s = (double)ms / 1000.0;
	if (s < 120)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.0f min", s / 60);
	else if (s < 172800)
		snprintf(buf, len, "%.1f h", s / 3600);
	else
		snprintf(buf, len, "%.1f days", s / 86400);
}

int
whatif_lines(const struct whatif_report *rep, int width, bool utf8, struct whatif_line *lines,
	     int max)
{
	struct out o = { .l = lines, .max = max, .width = width };
	const struct whatif_result *r = &rep->r;
	const char *arrow = utf8 ? "→" : "->";
	char span[32], extra[64] = "";

	span_text(span, sizeof span, r->orders ? r->last_ms - r->first_ms : 0);
	if (rep->unreadable)
		snprintf(extra, sizeof extra, ", %" PRIu64 " unreadable skipped", rep->unreadable);
	add(&o, ROLE_TEXT, -1, "%" PRIu64 " orders replayed, spanning %s%s", r->orders, span,
	    extra);
	add(&o, r->approved_to_refused ? ROLE_STATUS_REFUSED : ROLE_TEXT, -1,
	    "approved %s refused  %" PRIu64, arrow, r->approved_to_refused);
	add(&o, r->refused_to_approved ? ROLE_STATUS_APPROVED : ROLE_TEXT, -1,
	    "refused %s approved  %" PRIu64, arrow, r->refused_to_approved);
	add(&o, ROLE_DIM, -1,
	    "unchanged           %" PRIu64 " (%" PRIu64 " approved, %" PRIu64 " refused)",
	    r->still_approved + r->still_refused, r->still_approved, r->still_refused);
	bool any = false;
	for (int i = 0; i < fraud_rule_count; i++) {
		if (!r->fires_more[i] && !r->fires_less[i])
			continue;
		if (!any)
			add(&o, ROLE_COLUMN_HEADER, -1, "per rule");
		any = true;
		add(&o, ROLE_TEXT, -1, "  %-18s fires on %" PRIu64 " more, %" PRIu64 " fewer",
		    fraud_rule_defs[i].id, r->fires_more[i], r->fires_less[i]);
	}
	for (int i = 0; i < rep->n_notes; i++)
		add_wrapped(&o, ROLE_BANNER_WARN, "note: ", rep->notes[i]);
	int n = whatif_examples(rep);
	if (n > 0)
		add(&o, ROLE_COLUMN_HEADER, -1, "examples (Enter: the order's detail)");
	for (int i = 0; i < n; i++) {
		bool refused = false;
		const char *id = whatif_example_id(rep, i, &refused);
		const struct whatif_example *ex =
			refused ? &r->to_refused[i] : &r->to_approved[i - r->n_to_refused];
		char sid[ORDER_ID_MAX * 4 + 1], rule[sizeof ex->rule * 4];
		text_sanitize(sid, sizeof sid, id, strlen(id), 40);
		text_sanitize(rule, sizeof rule, ex->rule, strnlen(ex->rule, sizeof ex->rule), 24);
		add(&o, refused ? ROLE_STATUS_REFUSED : ROLE_STATUS_APPROVED, i,
		    "  %s  %s %s %s%s%s%s", sid, refused ? "approved" : "refused", arrow,
		    refused ? "refused" : "approved", rule[0] ? "  (" : "", rule,
		    rule[0] ? ")" : "");
	}
	return o.n;
}
