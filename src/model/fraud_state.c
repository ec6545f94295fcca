/*
 * fraud_state.c — the per-partition memory of the fraud rules: each user's
 * recent order times (velocity) and the recently decided order ids
 * (replay).  Both are bounded and allocated up front by fraud_state_new(),
 * so recording an order does not allocate in steady state.
 *
 * Users live in a fixed array of slots on an LRU list; when all slots are
 * taken the least recently seen user is forgotten and its slot reused.
 * Order ids live in a fixed FIFO ring; the oldest is forgotten first.
 * Each set is found through an open-addressing hash index (FNV-1a, linear
 * probing, load <= 1/2, backward-shift deletion so no tombstones pile up
 * under constant eviction).
 *
 * A user's history is a ring of times holding that user's newest `keep`
 * times.  Up to HISTORY_INLINE of them fit in the slot itself; a larger
 * keep (a velocity max_orders above HISTORY_INLINE) grows the ring on the
 * heap, by doubling, and the grown ring stays with the slot when the slot
 * is reused.  Memory is therefore at most max_users * keep * 8 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fraud_rules.h"
#include "fraud_state_internal.h"

#define NIL             UINT32_MAX
#define HISTORY_INLINE  8
#define STATE_SLOTS_MAX ((size_t)1 << 28)

struct cell {
	uint32_t hash;
	uint32_t slot1; /* slot index + 1; 0 = empty cell */
};

struct hindex {
	struct cell *cells;
	uint32_t mask;
};

/* Both slot kinds start with the key so the index can compare keys. */
struct user_slot {
	char id[ORDER_ID_MAX + 1];
	uint32_t hash;
	uint32_t prev, next;    /* LRU list; head = most recent */
	uint32_t start, n, cap; /* ring of times: oldest at start */
	int64_t *heap;          /* grown ring, or NULL: inline_ts */
	int64_t inline_ts[HISTORY_INLINE];
};

struct id_slot {
	char id[ORDER_ID_MAX + 1];
	uint32_t hash;
};

struct fraud_state {
	struct user_slot *users;
	uint32_t max_users, n_users;
	uint32_t lru_head, lru_tail;
	struct hindex user_index;

	struct id_slot *ids;
	uint32_t max_ids, n_ids, next_id; /* next_id: oldest when full */
	struct hindex id_index;
};

static uint32_t
hash_key(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static size_t
key_len(const char *s)
{
	return strnlen(s, ORDER_ID_MAX);
}

static int
hindex_init(struct hindex *ix, uint32_t max_entries)
{
	uint64_t size = 16;

	while (size < 2 * (uint64_t)max_entries)
		size <<= 1;
	ix->cells = calloc(size, sizeof *ix->cells);
	ix->mask = (uint32_t)(size - 1);
	return ix->cells != NULL ? 0 : -1;
}

/* Slot whose key (first member, stride bytes apart) equals key, or NIL. */
static uint32_t
hindex_find(const struct hindex *ix, const void *slots, size_t stride, uint32_t hash,
	    const char *key, size_t len)
{
	const char *base = slots;

	for (uint32_t i = hash & ix->mask;; i = (i + 1) & ix->mask) {
		const struct cell *c = &ix->cells[i];

		if (c->slot1 == 0)
			return NIL;
		if (c->hash == hash) {
			const char *k = base + (size_t)(c->slot1 - 1) * stride;

			if (memcmp(k, key, len) == 0 && k[len] == '\0')
				return c->slot1 - 1;
		}
	}
}

static void
hindex_insert(struct hindex *ix, uint32_t hash, uint32_t slot)
{
	uint32_t i = hash & ix->mask;

	while (ix->cells[i].slot1 != 0)
		i = (i + 1) & ix->mask;
	ix->cells[i].hash = hash;
	ix->cells[i].slot1 = slot + 1;
}

static void
hindex_remove(struct hindex *ix, uint32_t hash, uint32_t slot)
{
	uint32_t i = hash & ix->mask;

	while (ix->cells[i].slot1 != slot + 1) {
		if (ix->cells[i].slot1 == 0)
			return; /* not there: nothing to do */
		i = (i + 1) & ix->mask;
	}
	/* Backward shift: pull later members of the cluster into the hole
	 * unless that would move them before their home cell. */
	for (uint32_t j = i;;) {
		j = (j + 1) & ix->mask;
		if (ix->cells[j].slot1 == 0)
			break;
		uint32_t home = ix->cells[j].hash & ix->mask;
		if (((j - home) & ix->mask) >= ((j - i) & ix->mask)) {
			ix->cells[i] = ix->cells[j];
			i = j;
		}
	}
	ix->cells[i].slot1 = 0;
}

static uint32_t
clamp_size(size_t n, size_t dflt)
{
	if (n == 0)
		n = dflt;
	if (n > STATE_SLOTS_MAX)
		n = STATE_SLOTS_MAX;
	return (uint32_t)n;
}

struct fraud_state *
fraud_state_new(size_t max_users, size_t max_orders)
{
	struct fraud_state *st = calloc(1, sizeof *st);

	if (st == NULL)
		return NULL;
	st->max_users = clamp_size(max_users, FRAUD_STATE_DEFAULT_USERS);
	st->max_ids = clamp_size(max_orders, FRAUD_STATE_DEFAULT_ORDERS);
	st->lru_head = st->lru_tail = NIL;
	st->users = calloc(st->max_users, sizeof *st->users);
	st->ids = calloc(st->max_ids, sizeof *st->ids);
	if (st->users == NULL || st->ids == NULL ||
	    hindex_init(&st->user_index, st->max_users) != 0 ||
	    hindex_init(&st->id_index, st->max_ids) != 0) {
		fraud_state_free(st);
		return NULL;
	}
	return st;
}

void
fraud_state_free(struct fraud_state *st)
{
	if (st == NULL)
		return;
	if (st->users != NULL) {
		for (uint32_t i = 0; i < st->max_users; i++)
			free(st->users[i].heap);
	}
	free(st->users);
	free(st->ids);
	free(st->user_index.cells);
	free(st->id_index.cells);
	free(st);
}

/* ---- users: LRU list and history ring ---- */

static void
lru_unlink(struct fraud_state *st, uint32_t s)
{
	struct user_slot *u = &st->users[s];

	if (u->prev != NIL)
		st->users[u->prev].next = u->next;
	else
		st->lru_head = u->next;
	if (u->next != NIL)
		st->users[u->next].prev = u->prev;
	else
		st->lru_tail = u->prev;
}

static void
lru_push_front(struct fraud_state *st, uint32_t s)
{
	struct user_slot *u = &st->users[s];

	u->prev = NIL;
	u->next = st->lru_head;
	if (st->lru_head != NIL)
		st->users[st->lru_head].prev = s;
	st->lru_head = s;
	if (st->lru_tail == NIL)
		st->lru_tail = s;
}

static int64_t *
history(struct user_slot *u)
{
	return u->heap != NULL ? u->heap : u->inline_ts;
}

static const int64_t *
history_const(const struct user_slot *u)
{
	return u->heap != NULL ? u->heap : u->inline_ts;
}

/* Grows u's ring towards want entries; on failure the ring stays as is. */
static void
history_grow(struct user_slot *u, uint32_t want)
{
	uint32_t cap = u->cap * 2;
	int64_t *ts, *old = history(u);

	if (cap > want)
		cap = want;
	ts = malloc((size_t)cap * sizeof *ts);
	if (ts == NULL)
		return;
	for (uint32_t k = 0; k < u->n; k++)
		ts[k] = old[(u->start + k) % u->cap];
	free(u->heap);
	u->heap = ts;
	u->cap = cap;
	u->start = 0;
}

static void
history_push(struct user_slot *u, int64_t t, uint32_t keep)
{
	if (u->n == u->cap && u->cap < keep)
		history_grow(u, keep);
	if (u->n == u->cap) { /* full: the newest replaces the oldest */
		history(u)[u->start] = t;
		u->start = (u->start + 1) % u->cap;
	} else {
		history(u)[(u->start + u->n) % u->cap] = t;
		u->n++;
	}
	while (u->n > keep) { /* keep went down: forget the oldest */
		u->start = (u->start + 1) % u->cap;
		u->n--;
	}
}

static uint32_t
user_take_slot(struct fraud_state *st)
{
	uint32_t s;

	if (st->n_users < st->max_users)
		return st->n_users++;
	s = st->lru_tail; /* forget the least recently seen */
	lru_unlink(st, s);
	hindex_remove(&st->user_index, st->users[s].hash, s);
	return s;
}

int
fraud_state_recent_orders(const struct fraud_state *st, const char *user_id, int64_t now_ms,
			  int64_t window_ms, int limit)
{
	size_t len = key_len(user_id);
	uint32_t s;
	const struct user_slot *u;
	const int64_t *ts;
	int count = 0;

	if (len == 0 || limit <= 0)
		return 0;
	s = hindex_find(&st->user_index, st->users, sizeof *st->users, hash_key(user_id, len),
			user_id, len);
	if (s == NIL)
		return 0;
	u = &st->users[s];
	ts = history_const(u);
	/* Newest first; times may arrive out of order, so look at all. */
	for (uint32_t k = u->n; k-- > 0 && count < limit;) {
		uint32_t i = u->start + k; /* < 2 * cap: no division needed */
		int64_t t = ts[i < u->cap ? i : i - u->cap];

		if (t <= now_ms && now_ms - t < window_ms)
			count++;
	}
	return count;
}

static void
record_user(struct fraud_state *st, const char *user_id, int64_t now_ms, uint32_t keep)
{
	size_t len = key_len(user_id);
	uint32_t hash, s;
	struct user_slot *u;

	if (len == 0)
		return;
	hash = hash_key(user_id, len);
	s = hindex_find(&st->user_index, st->users, sizeof *st->users, hash, user_id, len);
	if (s != NIL) {
		lru_unlink(st, s);
		u = &st->users[s];
	} else {
		s = user_take_slot(st);
		u = &st->users[s];
		memcpy(u->id, user_id, len);
		u->id[len] = '\0';
		u->hash = hash;
		u->start = u->n = 0;
		if (u->heap == NULL)
			u->cap = HISTORY_INLINE;
		hindex_insert(&st->user_index, hash, s);
	}
	lru_push_front(st, s);
	history_push(u, now_ms, keep);
}

/* ---- order ids: FIFO ring ---- */

bool
fraud_state_seen_order(const struct fraud_state *st, const char *order_id)
{
	size_t len = key_len(order_id);

	if (len == 0)
		return false;
	return hindex_find(&st->id_index, st->ids, sizeof *st->ids, hash_key(order_id, len),
			   order_id, len) != NIL;
}

static void
record_order_id(struct fraud_state *st, const char *order_id)
{
	size_t len = key_len(order_id);
	uint32_t hash, s;
	struct id_slot *slot;

	if (len == 0)
		return;
	hash = hash_key(order_id, len);
	if (hindex_find(&st->id_index, st->ids, sizeof *st->ids, hash, order_id, len) != NIL)
		return; /* already remembered */
	s = st->next_id;
	slot = &st->ids[s];
	if (st->n_ids == st->max_ids)
		hindex_remove(&st->id_index, slot->hash, s);
	else
		st->n_ids++;
	memcpy(slot->id, order_id, len);
	slot->id[len] = '\0';
	slot->hash = hash;
	hindex_insert(&st->id_index, hash, s);
	st->next_id = (s + 1) % st->max_ids;
}

void
fraud_state_record(struct fraud_state *st, const char *user_id, const char *order_id,
		   int64_t now_ms, int keep)
{
	if (keep < 1)
		keep = 1;
	if (keep > FRAUD_STATE_KEEP_MAX)
		keep = FRAUD_STATE_KEEP_MAX;
	record_user(st, user_id, now_ms, (uint32_t)keep);
	record_order_id(st, order_id);
}

void
fraud_state_prefetch(const struct fraud_state *st, const char *user_id, const char *order_id)
{
	size_t ulen = key_len(user_id), ilen = key_len(order_id);

	if (ulen > 0) {
		uint32_t h = hash_key(user_id, ulen);
		const struct cell *c = &st->user_index.cells[h & st->user_index.mask];
		/* The cell is in the cache when fraud_state_prefetch_user()
		 * came first: then the slot it names (usually this user's, first
		 * in its probe), its key and its inline times. */
		if (c->slot1 != 0 && c->hash == h) {
			const char *u = (const char *)&st->users[c->slot1 - 1];
			for (size_t off = 0; off < sizeof st->users[0]; off += 64)
				__builtin_prefetch(u + off);
			__builtin_prefetch(u + sizeof st->users[0] -
					   1); /* a slot spans lines unaligned */
		}
	}
	if (ilen > 0) {
		__builtin_prefetch(
			&st->id_index.cells[hash_key(order_id, ilen) & st->id_index.mask]);
		if (st->n_ids == st->max_ids) /* the id to be forgotten */
			__builtin_prefetch(
				&st->id_index.cells[st->ids[st->next_id].hash & st->id_index.mask]);
	}
}

void
fraud_state_prefetch_user(const struct fraud_state *st, const char *user_id, size_t len)
{
	if (len > 0 && len <= ORDER_ID_MAX)
		__builtin_prefetch(
			&st->user_index.cells[hash_key(user_id, len) & st->user_index.mask]);
}

size_t
fraud_state_user_count(const struct fraud_state *st)
{
	return st->n_users;
}

size_t
fraud_state_order_count(const struct fraud_state *st)
{
	return st->n_ids;
}
