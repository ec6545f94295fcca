/*
 * pane.c — the ring of lines behind a pane and its view: following the
 * tail, a selection that survives new lines, the count of lines that
 * arrived while not following, the filter, and the ring panes' default
 * seek / follow / click (see pane.h).  No drawing.
 */
#include "pane.h"

#include <stdlib.h>
#include <string.h>

int
pane_init(struct pane *p, const struct pane_def *def, int topic, size_t item_size, size_t cap,
	  pane_match_fn match)
{
	memset(p, 0, sizeof *p);
	p->def = def;
	p->topic = topic;
	p->follow = true;
	p->dirty = true;
	p->item_size = item_size;
	p->cap = cap;
	p->match = match;
	if (cap > 0) {
		p->items = calloc(cap, item_size);
		p->scratch = calloc(cap, sizeof *p->scratch);
		if (!p->items || !p->scratch) {
			free(p->items);
			free(p->scratch);
			p->items = NULL;
			p->scratch = NULL;
			p->cap = 0;
			return -1;
		}
	}
	return 0;
}

void
pane_free(struct pane *p)
{
	free(p->items);
	free(p->scratch);
	p->items = NULL;
	p->scratch = NULL;
	p->cap = p->count = 0;
}

static void *
slot(const struct pane *p, uint64_t seq)
{
	return p->items + (size_t)(seq % p->cap) * p->item_size;
}

const void *
pane_item(const struct pane *p, uint64_t seq)
{
	if (p->cap == 0 || seq >= p->next_seq || seq < p->next_seq - p->count)
		return NULL;
	return slot(p, seq);
}

static bool
matches(const struct pane *p, const void *item)
{
	return p->filter[0] == '\0' || !p->match || p->match(item, p->filter);
}

void
pane_add(struct pane *p, const void *item)
{
	if (p->cap == 0)
		return;
	memcpy(slot(p, p->next_seq), item, p->item_size);
	p->next_seq++;
	if (p->count < p->cap)
		p->count++;
	if (!p->follow && matches(p, item))
		p->unseen++;
	p->dirty = true;
}

/* Fills p->scratch with the seqs of matching lines, oldest first. */
static int
collect(struct pane *p)
{
	int n = 0;
	for (uint64_t s = p->next_seq - p->count; s < p->next_seq; s++)
		if (matches(p, slot(p, s)))
			p->scratch[n++] = s;
	return n;
}

/* First index whose seq is >= seq (n when none). */
static int
lower_bound(const uint64_t *a, int n, uint64_t seq)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (a[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
pane_view(struct pane *p, int rows, uint64_t *out, int *sel_row)
{
	*sel_row = -1;
	p->rows = rows;
	if (p->cap == 0 || rows <= 0)
		return 0;
	int n = collect(p);
	if (n == 0)
		return 0;
	int itop;
	if (p->follow) {
		itop = n > rows ? n - rows : 0;
	} else {
		int isel = lower_bound(p->scratch, n, p->sel_seq);
		if (isel >= n)
			isel = n - 1;
		itop = lower_bound(p->scratch, n, p->top_seq);
		if (itop >= n)
			itop = n - 1;
		if (isel < itop)
			itop = isel;
		if (isel >= itop + rows)
			itop = isel - rows + 1;
		if (itop + rows > n)
			itop = n > rows ? n - rows : 0;
		if (isel < itop)
			itop = isel;
		p->sel_seq = p->scratch[isel];
		p->top_seq = p->scratch[itop];
		*sel_row = isel - itop;
	}
	int k = 0;
	for (int i = itop; i < n && k < rows; i++)
		out[k++] = p->scratch[i];
	return k;
}

void
pane_unfollow(struct pane *p)
{
	if (!p->follow)
		return;
	p->follow = false;
	p->unseen = 0;
	if (p->cap == 0)
		return;
	int n = collect(p), rows = p->rows > 0 ? p->rows : 1;
	if (n == 0) {
		p->sel_seq = p->top_seq = p->next_seq;
		return;
	}
	p->sel_seq = p->scratch[n - 1];
	p->top_seq = p->scratch[n > rows ? n - rows : 0];
}

void
pane_follow(struct pane *p)
{
	p->follow = true;
	p->unseen = 0;
	p->dirty = true;
}

void
pane_scroll(struct pane *p, int delta)
{
	if (delta >= PANE_END) {
		pane_follow(p);
		return;
	}
	if (p->cap == 0)
		return;
	pane_unfollow(p);
	int n = collect(p);
	if (n == 0)
		return;
	int isel;
	if (delta <= PANE_HOME) {
		isel = 0;
	} else {
		isel = lower_bound(p->scratch, n, p->sel_seq);
		if (isel >= n)
			isel = n - 1;
		isel += delta;
	}
	if (isel < 0)
		isel = 0;
	if (isel >= n)
		isel = n - 1;
	p->sel_seq = p->scratch[isel];
	p->dirty = true;
}

void
pane_select_row(struct pane *p, int row)
{
	if (p->cap == 0)
		return;
	pane_unfollow(p);
	int n = collect(p);
	if (n == 0)
		return;
	int itop = lower_bound(p->scratch, n, p->top_seq), i = itop + row;
	if (i >= n)
		i = n - 1;
	if (i < 0)
		i = 0;
	p->sel_seq = p->scratch[i];
	p->dirty = true;
}

const void *
pane_selected(struct pane *p)
{
	if (p->follow || p->cap == 0)
		return NULL;
	return pane_item(p, p->sel_seq);
}

void
pane_set_filter(struct pane *p, const char *filter)
{
	size_t n = strlen(filter);
	if (n >= sizeof p->filter)
		n = sizeof p->filter - 1;
	memcpy(p->filter, filter, n);
	p->filter[n] = '\0';
	p->unseen = 0;
	p->dirty = true;
}

void
pane_ring_seek(struct dash *d, struct pane *p, int delta)
{
	(void)d;
	pane_scroll(p, delta);
}

void
pane_ring_follow(struct dash *d, struct pane *p)
{
	(void)d;
	pane_follow(p);
}

void
pane_ring_click(struct dash *d, struct pane *p, int row)
{
	(void)d;
	pane_select_row(p, row);
}

void
pane_clamp(struct pane *p, int n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (p->sel >= n)
		p->sel = n - 1;
	if (p->sel < 0)
		p->sel = 0;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + rows)
		p->top = p->sel - rows + 1;
	if (p->top > n - rows)
		p->top = n - rows;
	if (p->top < 0)
		p->top = 0;
}

bool
pane_text_match(const char *text, const char *filter)
{
	return filter[0] == '\0' || strcasestr(text, filter) != NULL;
}
