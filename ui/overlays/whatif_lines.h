/*
 * whatif_lines.h — the what-if preview's text (whatif_preview.c), without
 * curses: the spans it offers, and a replay's report as lines (counts, per
 * rule, notes wrapped to the width, the examples), each order id and rule
 * text sanitized.
 */
#ifndef ORDERTOP_UI_WHATIF_LINES_H
#define ORDERTOP_UI_WHATIF_LINES_H

#include <stdbool.h>
#include <stdint.h>

#include "order.h"
#include "whatif_job.h"

#define WHATIF_SPANS      4
#define WHATIF_LINE_MAX   320
#define WHATIF_LINES_MAX  (8 + FRAUD_RULES_MAX + WHATIF_NOTES_MAX * 4 + 2 * WHATIF_EXAMPLES)
#define WHATIF_EXAMPLES_N (2 * WHATIF_EXAMPLES)

/* "last 10,000 orders", "last 100,000 orders", "last 15 minutes", "last 60
 * minutes"; span i (0-based, taken modulo) as of now_ms. */
const char *whatif_span_label(int i);
struct whatif_span whatif_span_of(int i, int64_t now_ms);

struct whatif_line {
	int role;    /* ROLE_* */
	int example; /* index of the example it shows (whatif_example_id), -1 */
	char text[WHATIF_LINE_MAX];
};

/* The report as lines of at most `width` columns (notes wrap); utf8: →
 * or ->.  How many. */
int whatif_lines(const struct whatif_report *r, int width, bool utf8, struct whatif_line *out,
		 int max);
/* Examples: approved → refused first, then refused → approved. */
int whatif_examples(const struct whatif_report *r);
/* Example i's order id (raw, for the detail) and whether it was refused. */
const char *whatif_example_id(const struct whatif_report *r, int i, bool *to_refused);

#endif
