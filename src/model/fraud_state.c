/*
 * fraud_state.c — the per-partition memory of the fraud rules: each user's
 * recent order times (velocity) and the recently decided order ids
 * (replay), with an undo log of the open transaction's changes.  Both sets
 * are bounded and allocated up front by fraud_state_new(), so recording an
 * order does not allocate in steady state.
 *
 * Users live in a fixed array of slots on an LRU list; when all slots are
 * taken the least recently seen user is forgotten (dropped for memory) and
 * its slot reused.  Order ids are numbered as they are recorded and live in
 * a ring indexed by that number; the oldest is forgotten first.  Each set
 * is found through an open-addressing hash index (FNV-1a, linear probing,
 * load <= 1/2, backward-shift deletion so no tombstones pile up under
 * constant eviction).
 *
 * A user's history is a ring of times holding that user's newest `keep`
 * times.  Up to HISTORY_INLINE of them fit in the slot itself; a larger
 * keep (a velocity max_orders above HISTORY_INLINE) grows the ring on the
 * heap, by doubling, and the grown ring stays with the slot when the slot
 * is reused.  Memory is therefore at most max_users * keep * 8 bytes.
 *
 * Undo: every change appends an undo_op (and the times it overwrote to an
 * arena); fraud_state_rollback() applies them newest first, each one
 * finding the state exactly as its change left it.  Users changed in the
 * open transaction carry the transaction's epoch: they are the first
 * n_dirty users of the LRU list, which is what fraud_state_flush() writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fraud_changelog.h"
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
	uint32_t prev, next;    /* LRU list (head = most recent); free list: next */
	uint32_t start, n, cap; /* ring of times: oldest at start */
	uint32_t epoch;         /* == st->epoch: changed in the open transaction */
	int64_t *heap;          /* grown ring, or NULL: inline_ts */
	int64_t inline_ts[HISTORY_INLINE];
};

struct id_slot {
	char id[ORDER_ID_MAX + 1];
	uint32_t hash;
	int64_t t;       /* the order's time */
	uint64_t bucket; /* number of the first id of its changelog bucket */
};

enum undo_kind {
	UNDO_USER_TOUCH, /* an order of a known user */
	UNDO_USER_NEW,   /* a user taken in */
	UNDO_USER_GONE,  /* the LRU tail forgotten (memory or expiry) */
	UNDO_ID_ADD,     /* an id recorded */
	UNDO_ID_GONE,    /* the oldest id forgotten (memory or horizon) */
};

struct undo_op {
	uint8_t kind;
	bool fresh;  /* USER_NEW: the slot was never used (else: free list) */
	bool memory; /* *_GONE: dropped for memory, not expired */
	uint32_t slot;
	uint32_t prev, next; /* USER_TOUCH: the LRU neighbours before */
	uint32_t n_saved;    /* times saved in the arena at arena_off */
	uint32_t arena_off;
	uint32_t hash;             /* *_GONE */
	int64_t t;                 /* ID_GONE */
	uint64_t bucket;           /* ID_GONE */
	char id[ORDER_ID_MAX + 1]; /* *_GONE */
};

struct fraud_state {
	struct user_slot *users;
	uint32_t max_users, n_users, n_taken; /* live; slots ever used */
	uint32_t lru_head, lru_tail, free_head;
	struct hindex user_index;

	struct id_slot *ids;
	uint32_t max_ids;
	uint64_t oldest_seq, next_seq; /* live ids: [oldest_seq, next_seq) */
	struct hindex id_index;

	int64_t high_ms; /* newest order time recorded */
	int64_t horizon_ms;
	uint64_t dropped, expired; /* entries forgotten for memory / by age */

	/* The open transaction. */
	bool restoring; /* no undo log, no counts */
	uint32_t epoch;
	uint32_t n_dirty;     /* users with epoch == st->epoch */
	uint64_t txn_seq;     /* next_seq at its start */
	uint64_t bucket;      /* the bucket new ids go in */
	int64_t txn_high_ms;  /* high_ms at its start */
	uint64_t txn_dropped; /* dropped at its start */
	uint64_t txn_expired;
	struct undo_op *undo;
	size_t n_undo, cap_undo;
	int64_t *arena;
	size_t n_arena, cap_arena;
	uint32_t *scratch; /* max_users: the dirty users, for a flush */
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
	st->lru_head = st->lru_tail = st->free_head = NIL;
	st->horizon_ms = FRAUD_STATE_DEFAULT_HORIZON_MS;
	st->high_ms = st->txn_high_ms = INT64_MIN;
	st->epoch = 1;
	st->bucket = UINT64_MAX;
	st->users = calloc(st->max_users, sizeof *st->users);
	st->ids = calloc(st->max_ids, sizeof *st->ids);
	st->scratch = calloc(st->max_users, sizeof *st->scratch);
	if (st->users == NULL || st->ids == NULL || st->scratch == NULL ||
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
	free(st->scratch);
	free(st->undo);
	free(st->arena);
	free(st->user_index.cells);
	free(st->id_index.cells);
	free(st);
}

void
fraud_state_set_horizon(struct fraud_state *st, int64_t horizon_ms)
{
	st->horizon_ms = horizon_ms > 0 ? horizon_ms : FRAUD_STATE_DEFAULT_HORIZON_MS;
}

/* ---- the undo log ---- */

/* A new undo op, or NULL while restoring or when memory ran out (the
 * change then cannot be undone: a rollback after it restores less). */
static struct undo_op *
undo_push(struct fraud_state *st, enum undo_kind kind)
{
	if (st->restoring)
		return NULL;
	if (st->n_undo == st->cap_undo) {
		size_t cap = st->cap_undo ? st->cap_undo * 2 : 1024;
		struct undo_op *u = realloc(st->undo, cap * sizeof *u);
		if (u == NULL)
			return NULL;
		st->undo = u;
		st->cap_undo = cap;
	}
	struct undo_op *op = &st->undo[st->n_undo++];
	op->kind = (uint8_t)kind;
	op->n_saved = 0;
	return op;
}

/* Room for n times in the arena; their offset, or UINT32_MAX. */
static uint32_t
arena_take(struct fraud_state *st, size_t n)
{
	if (st->n_arena + n > st->cap_arena) {
		size_t cap = st->cap_arena ? st->cap_arena : 1024;
		while (cap < st->n_arena + n)
			cap *= 2;
		int64_t *a = realloc(st->arena, cap * sizeof *a);
		if (a == NULL)
			return UINT32_MAX;
		st->arena = a;
		st->cap_arena = cap;
	}
	uint32_t off = (uint32_t)st->n_arena;
	st->n_arena += n;
	return off;
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

/* Links s between prev and next (NIL: the list's ends). */
static void
lru_link(struct fraud_state *st, uint32_t s, uint32_t prev, uint32_t next)
{
	struct user_slot *u = &st->users[s];

	u->prev = prev;
	u->next = next;
	if (prev != NIL)
		st->users[prev].next = s;
	else
		st->lru_head = s;
	if (next != NIL)
		st->users[next].prev = s;
	else
		st->lru_tail = s;
}

static void
lru_push_front(struct fraud_state *st, uint32_t s)
{
	lru_link(st, s, NIL, st->lru_head);
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

/* The k-th oldest time of u. */
static int64_t
history_at(const struct user_slot *u, uint32_t k)
{
	uint32_t i = u->start + k; /* < 2 * cap: no division needed */
	return history_const(u)[i < u->cap ? i : i - u->cap];
}

static int64_t
history_newest(const struct user_slot *u)
{
	int64_t t = INT64_MIN;
	for (uint32_t k = 0; k < u->n; k++) {
		int64_t v = history_at(u, k);
		if (v > t)
			t = v;
	}
	return t;
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

/* Forgets u's oldest time, saving it in the op's arena run. */
static void
history_drop_oldest(struct fraud_state *st, struct user_slot *u, struct undo_op *op)
{
	if (op != NULL && op->arena_off != UINT32_MAX)
		st->arena[op->arena_off + op->n_saved++] = history(u)[u->start];
	u->start = u->start + 1 == u->cap ? 0 : u->start + 1;
	u->n--;
}

/* Appends t (the oldest times beyond keep go, saved for undo). */
static void
history_push(struct fraud_state *st, struct user_slot *u, int64_t t, uint32_t keep,
	     struct undo_op *op)
{
	if (u->n == u->cap && u->cap < keep)
		history_grow(u, keep);
	uint32_t drops = u->n + 1 > keep ? u->n + 1 - keep : 0;
	if (u->n == u->cap && drops == 0)
		drops = 1; /* could not grow */
	if (op != NULL)
		op->arena_off = drops > 0 ? arena_take(st, drops) : 0;
	if (u->n == u->cap) /* full: make room */
		history_drop_oldest(st, u, op), drops--;
	uint32_t i = u->start + u->n;
	history(u)[i < u->cap ? i : i - u->cap] = t;
	u->n++;
	while (drops-- > 0 && u->n > 0) /* keep went down: forget the oldest */
		history_drop_oldest(st, u, op);
}

static void
mark_dirty(struct fraud_state *st, struct user_slot *u)
{
	if (!st->restoring && u->epoch != st->epoch) {
		u->epoch = st->epoch;
		st->n_dirty++;
	}
}

/* Forgets the LRU tail; its slot goes on the free list. */
static void
user_forget_tail(struct fraud_state *st, bool memory)
{
	uint32_t s = st->lru_tail;
	struct user_slot *u = &st->users[s];
	struct undo_op *op = undo_push(st, UNDO_USER_GONE);

	if (op != NULL) {
		op->slot = s;
		op->memory = memory;
		op->hash = u->hash;
		memcpy(op->id, u->id, sizeof op->id);
		op->arena_off = arena_take(st, u->n);
		if (op->arena_off != UINT32_MAX) {
			for (uint32_t k = 0; k < u->n; k++)
				st->arena[op->arena_off + k] = history_at(u, k);
			op->n_saved = u->n;
		}
	}
	if (u->epoch == st->epoch && !st->restoring) {
		u->epoch = 0;
		st->n_dirty--;
	}
	lru_unlink(st, s);
	hindex_remove(&st->user_index, u->hash, s);
	u->next = st->free_head;
	st->free_head = s;
	st->n_users--;
	if (memory)
		st->dropped++;
	else
		st->expired++;
}

/* A slot for a new user: a free one, a never used one, or the least
 * recently seen user's.  *fresh: never used. */
static uint32_t
user_take_slot(struct fraud_state *st, bool *fresh)
{
	*fresh = false;
	if (st->free_head == NIL && st->n_taken < st->max_users) {
		*fresh = true;
		return st->n_taken++;
	}
	if (st->free_head == NIL)
		user_forget_tail(st, true);
	uint32_t s = st->free_head;
	st->free_head = st->users[s].next;
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

/* The user's slot, taken in when new (and made the most recent either way). */
static struct user_slot *
user_touch(struct fraud_state *st, const char *user_id, size_t len, struct undo_op **opp)
{
	uint32_t hash = hash_key(user_id, len), s;
	struct user_slot *u;
	struct undo_op *op;

	s = hindex_find(&st->user_index, st->users, sizeof *st->users, hash, user_id, len);
	if (s != NIL) {
		u = &st->users[s];
		if ((op = undo_push(st, UNDO_USER_TOUCH)) != NULL) {
			op->slot = s;
			op->prev = u->prev;
			op->next = u->next;
		}
		lru_unlink(st, s);
	} else {
		bool fresh;
		s = user_take_slot(st, &fresh);
		if ((op = undo_push(st, UNDO_USER_NEW)) != NULL) {
			op->slot = s;
			op->fresh = fresh;
		}
		u = &st->users[s];
		memcpy(u->id, user_id, len);
		u->id[len] = '\0';
		u->hash = hash;
		u->start = u->n = 0;
		u->epoch = 0;
		if (u->heap == NULL)
			u->cap = HISTORY_INLINE;
		hindex_insert(&st->user_index, hash, s);
		st->n_users++;
	}
	lru_push_front(st, s);
	mark_dirty(st, u);
	*opp = op;
	return u;
}

static void
record_user(struct fraud_state *st, const char *user_id, int64_t now_ms, uint32_t keep)
{
	size_t len = key_len(user_id);
	struct undo_op *op;

	if (len == 0)
		return;
	struct user_slot *u = user_touch(st, user_id, len, &op);
	/* a new user's times need no saving: its undo frees the slot */
	history_push(st, u, now_ms, keep, op != NULL && op->kind == UNDO_USER_TOUCH ? op : NULL);
}

/* Users whose newest time is two windows behind the newest order time
 * cannot count in any window to come (orders that late aside). */
static void
expire_users(struct fraud_state *st, int64_t window_ms)
{
	if (window_ms <= 0 || st->high_ms == INT64_MIN)
		return;
	int64_t before = st->high_ms - 2 * window_ms;
	while (st->lru_tail != NIL && history_newest(&st->users[st->lru_tail]) < before)
		user_forget_tail(st, false);
}

/* ---- order ids: a ring numbered by seq ---- */

static struct id_slot *
id_at(const struct fraud_state *st, uint64_t seq)
{
	return &st->ids[seq % st->max_ids];
}

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
id_forget_oldest(struct fraud_state *st, bool memory)
{
	struct id_slot *slot = id_at(st, st->oldest_seq);
	struct undo_op *op = undo_push(st, UNDO_ID_GONE);

	if (op != NULL) {
		op->memory = memory;
		op->hash = slot->hash;
		op->t = slot->t;
		op->bucket = slot->bucket;
		memcpy(op->id, slot->id, sizeof op->id);
	}
	if (slot->id[0] != '\0')
		hindex_remove(&st->id_index, slot->hash, (uint32_t)(st->oldest_seq % st->max_ids));
	st->oldest_seq++;
	if (memory)
		st->dropped++;
	else
		st->expired++;
}

/* Appends an id (not remembered yet) as number next_seq. */
static void
id_append(struct fraud_state *st, const char *order_id, size_t len, uint32_t hash, int64_t t,
	  uint64_t bucket)
{
	if (st->next_seq - st->oldest_seq == st->max_ids)
		id_forget_oldest(st, true);
	struct id_slot *slot = id_at(st, st->next_seq);
	memcpy(slot->id, order_id, len);
	slot->id[len] = '\0';
	slot->hash = hash;
	slot->t = t;
	slot->bucket = bucket;
	if (len > 0)
		hindex_insert(&st->id_index, hash, (uint32_t)(st->next_seq % st->max_ids));
	st->next_seq++;
	undo_push(st, UNDO_ID_ADD);
}

static void
record_order_id(struct fraud_state *st, const char *order_id, int64_t t)
{
	size_t len = key_len(order_id);
	uint32_t hash;

	if (len == 0)
		return;
	hash = hash_key(order_id, len);
	if (hindex_find(&st->id_index, st->ids, sizeof *st->ids, hash, order_id, len) != NIL)
		return; /* already remembered */
	if (st->bucket == UINT64_MAX || st->next_seq - st->bucket >= FRAUD_CHANGELOG_BUCKET_MAX)
		st->bucket = st->next_seq;
	id_append(st, order_id, len, hash, t, st->bucket);
}

static void
expire_ids(struct fraud_state *st)
{
	if (st->high_ms == INT64_MIN)
		return;
	int64_t before = st->high_ms - st->horizon_ms;
	while (st->oldest_seq < st->next_seq && id_at(st, st->oldest_seq)->t < before)
		id_forget_oldest(st, false);
}

void
fraud_state_record(struct fraud_state *st, const char *user_id, const char *order_id,
		   int64_t now_ms, int keep, int64_t window_ms)
{
	if (keep < 1)
		keep = 1;
	if (keep > FRAUD_STATE_KEEP_MAX)
		keep = FRAUD_STATE_KEEP_MAX;
	if (now_ms > st->high_ms)
		st->high_ms = now_ms;
	/* What expired goes first: an id past the horizon is not one
	 * dropped for memory to make room. */
	expire_users(st, window_ms);
	expire_ids(st);
	record_user(st, user_id, now_ms, (uint32_t)keep);
	record_order_id(st, order_id, now_ms);
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
		if (st->next_seq - st->oldest_seq == st->max_ids) /* the id to be forgotten */
			__builtin_prefetch(&st->id_index.cells[id_at(st, st->oldest_seq)->hash &
							       st->id_index.mask]);
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
	return (size_t)(st->next_seq - st->oldest_seq);
}

/* ---- transactions ---- */

static void
txn_start(struct fraud_state *st)
{
	st->n_undo = st->n_arena = 0;
	if (++st->epoch == 0)
		st->epoch = 1;
	st->n_dirty = 0;
	st->bucket = UINT64_MAX;
	st->txn_seq = st->next_seq;
	st->txn_high_ms = st->high_ms;
	st->txn_dropped = st->dropped;
	st->txn_expired = st->expired;
}

uint64_t
fraud_state_commit(struct fraud_state *st)
{
	uint64_t dropped = st->dropped - st->txn_dropped;
	txn_start(st);
	return dropped;
}

bool
fraud_state_changed(const struct fraud_state *st)
{
	return st->n_undo > 0 || st->high_ms != st->txn_high_ms;
}

static void
undo_user(struct fraud_state *st, const struct undo_op *op)
{
	uint32_t s = op->slot;
	struct user_slot *u = &st->users[s];

	switch (op->kind) {
	case UNDO_USER_TOUCH:
		lru_unlink(st, s);
		lru_link(st, s, op->prev, op->next);
		u->n--; /* the time it added, then the times it pushed out */
		for (uint32_t k = op->n_saved; k-- > 0;) {
			u->start = u->start == 0 ? u->cap - 1 : u->start - 1;
			history(u)[u->start] = st->arena[op->arena_off + k];
			u->n++;
		}
		break;
	case UNDO_USER_NEW:
		lru_unlink(st, s);
		hindex_remove(&st->user_index, u->hash, s);
		st->n_users--;
		if (op->fresh) {
			st->n_taken--;
		} else {
			u->next = st->free_head;
			st->free_head = s;
		}
		break;
	case UNDO_USER_GONE:
		st->free_head = u->next; /* s: the newest op freed it last */
		memcpy(u->id, op->id, sizeof u->id);
		u->hash = op->hash;
		if (u->heap == NULL)
			u->cap = HISTORY_INLINE;
		u->start = 0;
		u->n = op->n_saved;
		for (uint32_t k = 0; k < op->n_saved; k++)
			history(u)[k] = st->arena[op->arena_off + k];
		hindex_insert(&st->user_index, u->hash, s);
		lru_link(st, s, st->lru_tail, NIL);
		st->n_users++;
		break;
	}
}

void
fraud_state_rollback(struct fraud_state *st)
{
	for (size_t i = st->n_undo; i-- > 0;) {
		const struct undo_op *op = &st->undo[i];
		struct id_slot *slot;

		switch (op->kind) {
		case UNDO_ID_ADD:
			slot = id_at(st, --st->next_seq);
			if (slot->id[0] != '\0')
				hindex_remove(&st->id_index, slot->hash,
					      (uint32_t)(st->next_seq % st->max_ids));
			break;
		case UNDO_ID_GONE:
			slot = id_at(st, --st->oldest_seq);
			memcpy(slot->id, op->id, sizeof slot->id);
			slot->hash = op->hash;
			slot->t = op->t;
			slot->bucket = op->bucket;
			if (slot->id[0] != '\0')
				hindex_insert(&st->id_index, slot->hash,
					      (uint32_t)(st->oldest_seq % st->max_ids));
			break;
		default: undo_user(st, op); break;
		}
	}
	st->high_ms = st->txn_high_ms;
	st->dropped = st->txn_dropped;
	st->expired = st->txn_expired;
	txn_start(st);
}

/* ---- the open transaction as changelog records ---- */

/* Room for len bytes of value text. */
static char *
value_buffer(char **buf, size_t *cap, size_t len)
{
	if (len > *cap) {
		char *b = realloc(*buf, len);
		if (b == NULL)
			return NULL;
		*buf = b;
		*cap = len;
	}
	return *buf;
}

static int
flush_user(struct fraud_state *st, int32_t partition, const struct user_slot *u, char **vbuf,
	   size_t *vcap, fraud_state_emit_fn emit, void *arg)
{
	char key[FRAUD_CHANGELOG_KEY_MAX];
	int64_t times[HISTORY_INLINE], *tv = times;
	size_t klen = fraud_changelog_user_key(key, sizeof key, partition, u->id, key_len(u->id));
	char *val = value_buffer(vbuf, vcap, (size_t)u->n * FRAUD_CHANGELOG_TIME_TEXT + 1);

	if (u->n > HISTORY_INLINE)
		tv = malloc((size_t)u->n * sizeof *tv);
	if (val == NULL || tv == NULL)
		return -1;
	for (uint32_t k = 0; k < u->n; k++)
		tv[k] = history_at(u, k);
	size_t vlen = fraud_changelog_times_write(val, tv, u->n);
	if (tv != times)
		free(tv);
	(void)st;
	return emit(arg, key, klen, val, vlen);
}

/* The ids numbered from..next_seq-1, one record per bucket. */
static int
flush_buckets(struct fraud_state *st, int32_t partition, uint64_t from, char **vbuf, size_t *vcap,
	      fraud_state_emit_fn emit, void *arg)
{
	char key[FRAUD_CHANGELOG_KEY_MAX];
	size_t per_id = FRAUD_CHANGELOG_TIME_TEXT + 8 + ORDER_ID_MAX + 1;
	char *val = value_buffer(vbuf, vcap, 64 + FRAUD_CHANGELOG_BUCKET_MAX * per_id);

	if (val == NULL)
		return -1;
	for (uint64_t seq = from; seq < st->next_seq;) {
		uint64_t bucket = id_at(st, seq)->bucket, end = seq;
		while (end < st->next_seq && id_at(st, end)->bucket == bucket)
			end++;
		size_t vlen = (size_t)snprintf(val, 64, "%llu %llu\n", (unsigned long long)seq,
					       (unsigned long long)(end - seq));
		for (uint64_t i = seq; i < end; i++) {
			const struct id_slot *slot = id_at(st, i);
			size_t len = key_len(slot->id);
			vlen += (size_t)snprintf(val + vlen, per_id,
						 "%lld %zu:", (long long)slot->t, len);
			memcpy(val + vlen, slot->id, len);
			vlen += len;
			val[vlen++] = '\n';
		}
		size_t klen = fraud_changelog_bucket_key(key, sizeof key, partition, bucket);
		if (emit(arg, key, klen, val, vlen) != 0)
			return -1;
		seq = end;
	}
	return 0;
}

int
fraud_state_flush(struct fraud_state *st, int32_t partition, fraud_state_emit_fn emit, void *arg)
{
	char key[FRAUD_CHANGELOG_KEY_MAX], *vbuf = NULL;
	size_t klen, vcap = 0;
	int rc = -1;

	if (!fraud_state_changed(st))
		return 0;
	/* Users forgotten, before those that came back. */
	for (size_t i = 0; i < st->n_undo; i++) {
		const struct undo_op *op = &st->undo[i];
		if (op->kind != UNDO_USER_GONE)
			continue;
		klen = fraud_changelog_user_key(key, sizeof key, partition, op->id,
						key_len(op->id));
		if (emit(arg, key, klen, NULL, 0) != 0)
			goto out;
	}
	/* The changed users are the first n_dirty of the LRU list: least
	 * recent first, so that a restore ends in the same order. */
	uint32_t n = 0;
	for (uint32_t s = st->lru_head; s != NIL && n < st->n_dirty; s = st->users[s].next)
		st->scratch[n++] = s;
	while (n-- > 0)
		if (flush_user(st, partition, &st->users[st->scratch[n]], &vbuf, &vcap, emit,
			       arg) != 0)
			goto out;
	uint64_t from = st->txn_seq > st->oldest_seq ? st->txn_seq : st->oldest_seq;
	if (flush_buckets(st, partition, from, &vbuf, &vcap, emit, arg) != 0)
		goto out;
	/* Buckets of earlier transactions whose ids are all forgotten. */
	uint64_t live =
		st->oldest_seq < st->next_seq ? id_at(st, st->oldest_seq)->bucket : UINT64_MAX;
	uint64_t last = UINT64_MAX;
	for (size_t i = 0; i < st->n_undo; i++) {
		const struct undo_op *op = &st->undo[i];
		if (op->kind != UNDO_ID_GONE || op->bucket >= st->txn_seq || op->bucket == live ||
		    op->bucket == last)
			continue;
		last = op->bucket;
		klen = fraud_changelog_bucket_key(key, sizeof key, partition, op->bucket);
		if (emit(arg, key, klen, NULL, 0) != 0)
			goto out;
	}
	char meta[96];
	klen = fraud_changelog_meta_key(key, sizeof key, partition);
	size_t mlen = fraud_changelog_meta_write(meta, sizeof meta, st->next_seq, st->oldest_seq,
						 st->high_ms);
	rc = emit(arg, key, klen, meta, mlen);
out:
	free(vbuf);
	return rc;
}

/* ---- restoring ---- */

void
fraud_state_restore_user(struct fraud_state *st, const char *user_id, size_t len,
			 const int64_t *times, size_t n)
{
	struct undo_op *op;

	if (len == 0 || len > ORDER_ID_MAX)
		return;
	st->restoring = true;
	struct user_slot *u = user_touch(st, user_id, len, &op);
	u->start = u->n = 0;
	uint32_t keep = n < 1 ? 1 : n > FRAUD_STATE_KEEP_MAX ? FRAUD_STATE_KEEP_MAX : (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		history_push(st, u, times[i], keep, NULL);
		if (times[i] > st->high_ms)
			st->high_ms = times[i];
	}
}

void
fraud_state_restore_forget_user(struct fraud_state *st, const char *user_id, size_t len)
{
	if (len == 0 || len > ORDER_ID_MAX)
		return;
	uint32_t s = hindex_find(&st->user_index, st->users, sizeof *st->users,
				 hash_key(user_id, len), user_id, len);
	if (s == NIL)
		return;
	lru_unlink(st, s);
	hindex_remove(&st->user_index, st->users[s].hash, s);
	st->users[s].next = st->free_head;
	st->free_head = s;
	st->n_users--;
}

void
fraud_state_restore_ids_from(struct fraud_state *st, uint64_t seq)
{
	st->restoring = true;
	for (uint64_t i = st->oldest_seq; i < st->next_seq; i++) {
		struct id_slot *slot = id_at(st, i);
		if (slot->id[0] != '\0')
			hindex_remove(&st->id_index, slot->hash, (uint32_t)(i % st->max_ids));
	}
	st->oldest_seq = st->next_seq = seq;
}

void
fraud_state_restore_id(struct fraud_state *st, const char *order_id, size_t len, int64_t t,
		       uint64_t seq, uint64_t bucket)
{
	if (len > ORDER_ID_MAX || seq < st->next_seq)
		return;
	st->restoring = true;
	if (st->oldest_seq == st->next_seq || seq - st->next_seq >= st->max_ids)
		fraud_state_restore_ids_from(st, seq); /* nothing kept before it */
	while (st->next_seq < seq)                     /* a gap: numbers kept, no id */
		id_append(st, "", 0, 0, t, bucket);
	uint32_t hash = hash_key(order_id, len);
	if (hindex_find(&st->id_index, st->ids, sizeof *st->ids, hash, order_id, len) != NIL)
		len = 0;
	id_append(st, order_id, len, hash, t, bucket);
	if (t > st->high_ms)
		st->high_ms = t;
}

void
fraud_state_restore_done(struct fraud_state *st, uint64_t next_seq, int64_t high_ms)
{
	if (next_seq > st->next_seq && next_seq - st->next_seq <= st->max_ids)
		while (st->next_seq < next_seq)
			id_append(st, "", 0, 0, high_ms, next_seq);
	if (high_ms > st->high_ms)
		st->high_ms = high_ms;
	st->restoring = false;
	txn_start(st);
}
