/*
 * order_table.c — the monitor's bounded table of orders (see order_table.h).
 *
 * Entries live in one array allocated up front (capacity entries), so an
 * observation allocates nothing except the copy of an order's JSON kept
 * from the orders topic.  An open-addressing index (FNV-1a, linear probing,
 * at most half full, backward-shift deletion so there are no tombstones,
 * each slot holding the hash beside the entry index) maps order ids to
 * entries.  Two intrusive doubly linked lists order the
 * entries by last update, newest first: one of all entries (for
 * order_table_recent and, when nothing is final, eviction) and one of the
 * final entries only (evicted first).
 *
 * Rules, beyond the header:
 * - status is the furthest state seen, in enum order_status order (an
 *   order notified before its decision is seen stays NOTIFIED); the
 *   decision fields come from the first decision message; a later one at
 *   another (topic, partition, offset) is a duplicate and changes nothing.
 * - stage[topic] keeps where the order was first seen on that topic.
 * - OBS_NEW is the first observation of an order, even when the producer
 *   registered it before.
 * - row.total < 0 means the total is not known yet.
 * - Ids longer than ORDER_ID_MAX are cut to it.
 * - Evicted ids are remembered, approximately, in two generations of a
 *   Bloom filter (each holds the last `capacity` evictions; ~0.5% false
 *   positives), so that a lookup can tell "forgotten" from "never seen".
 */
#include "order_table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIL             UINT32_MAX
#define OT_CAPACITY_MAX (1u << 30)

enum {
	L_RECENT = 0,
	L_FINAL = 1
};

struct ot_entry {
	struct order_row row;
	struct order_stage stage[TOPIC__COUNT];
	char *json; /* from the orders topic, or NULL */
	size_t json_len;
	uint32_t hash;
	uint32_t prev[2], next[2]; /* L_RECENT, L_FINAL links */
	int8_t decided_topic;      /* first decision's topic, -1 none */
	bool observed;             /* seen on a topic at least once */
	bool has_total;
	bool created_known; /* created_ms is the order's own */
	bool final;
	bool settled; /* local, final and (unless dead-lettered) decided */
};

struct ot_list {
	uint32_t head, tail; /* newest, oldest */
};

struct order_table {
	pthread_mutex_t lock;
	struct ot_entry *e;
	size_t cap, size;
	/* SLOT(hash, entry index); 0 = empty.  Written under the lock; atomic
	 * (relaxed) only so that order_table_prefetch() may read a slot
	 * without it: a stale slot only prefetches the wrong entry. */
	_Atomic uint64_t *slots;
	size_t mask; /* number of slots - 1 */
	struct ot_list list[2];
	size_t n_final;
	/* Written under the lock (count_locked()); read without it by
	 * order_table_local_in_flight(). */
	_Atomic uint64_t local_registered, local_final;
	uint64_t local_settled;
	uint64_t local_evicted_unfinished;
	/* Evicted ids: bloom[gen] bit sets of bloom_mask + 1 bits; the
	 * current generation is cleared and swapped after cap insertions. */
	uint64_t *bloom[2];
	size_t bloom_mask, bloom_added;
	int bloom_gen;
};

#define BLOOM_K 4

/* ---- helpers ---- */

static uint32_t
fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Copies at most max bytes of src and terminates (dst holds max + 1). */
static void
copy_cut(char *dst, const char *src, size_t max)
{
	size_t n = strnlen(src, max);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One more on a counter that only changes under the table's lock: a plain
 * load and a release store, not a locked add (which would wait for every
 * earlier store, such as those filling a cold entry, to reach the cache). */
static void
count_locked(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_release);
}

static bool
is_final_status(int s)
{
	return s == ORDER_NOTIFIED || s == ORDER_DEAD_LETTERED;
}

static void
list_unlink(struct order_table *t, int l, uint32_t i)
{
	struct ot_entry *e = &t->e[i];

	if (e->prev[l] != NIL)
		t->e[e->prev[l]].next[l] = e->next[l];
	else
		t->list[l].head = e->next[l];
	if (e->next[l] != NIL)
		t->e[e->next[l]].prev[l] = e->prev[l];
	else
		t->list[l].tail = e->prev[l];
	e->prev[l] = e->next[l] = NIL;
}

static void
list_push_front(struct order_table *t, int l, uint32_t i)
{
	struct ot_entry *e = &t->e[i];

	e->prev[l] = NIL;
	e->next[l] = t->list[l].head;
	if (t->list[l].head != NIL)
		t->e[t->list[l].head].prev[l] = i;
	else
		t->list[l].tail = i;
	t->list[l].head = i;
}

static void
list_move_front(struct order_table *t, int l, uint32_t i)
{
	if (t->list[l].head == i)
		return;
	list_unlink(t, l, i);
	list_push_front(t, l, i);
}

/* An index slot holds the entry's hash beside its index, so probing past
 * other ids and shifting slots never touch (cold) entries. */
#define SLOT(hash, idx) (((uint64_t)(hash) << 32) | ((uint64_t)(idx) + 1))
#define SLOT_HASH(v)    ((uint32_t)((v) >> 32))
#define SLOT_ENTRY(v)   ((uint32_t)(v)-1)

static uint64_t
slot_get(const struct order_table *t, size_t i)
{
	return atomic_load_explicit(&t->slots[i], memory_order_relaxed);
}

static void
slot_set(struct order_table *t, size_t i, uint64_t v)
{
	atomic_store_explicit(&t->slots[i], v, memory_order_relaxed);
}

/* The entry with this id, or NIL; *slot is where it is or would go. */
static uint32_t
index_find(const struct order_table *t, const char *id, size_t n, uint32_t h, size_t *slot)
{
	size_t i = h & t->mask;
	uint64_t v;

	while ((v = slot_get(t, i)) != 0) {
		if (SLOT_HASH(v) == h) {
			const struct ot_entry *e = &t->e[SLOT_ENTRY(v)];
			if (memcmp(e->row.order_id, id, n) == 0 && e->row.order_id[n] == '\0') {
				*slot = i;
				return SLOT_ENTRY(v);
			}
		}
		i = (i + 1) & t->mask;
	}
	*slot = i;
	return NIL;
}

/* Removes entry idx from the index, shifting later probes back. */
static void
index_remove(struct order_table *t, uint32_t idx)
{
	size_t i = t->e[idx].hash & t->mask, j, home;

	while (SLOT_ENTRY(slot_get(t, i)) != idx)
		i = (i + 1) & t->mask;
	j = i;
	for (;;) {
		j = (j + 1) & t->mask;
		uint64_t v = slot_get(t, j);
		if (v == 0)
			break;
		home = SLOT_HASH(v) & t->mask;
		/* Move it into the hole unless its home lies in (i, j]. */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			slot_set(t, i, v);
			i = j;
		}
	}
	slot_set(t, i, 0);
}

/* The i-th bit of an id's hash in the eviction filter. */
static size_t
bloom_bit(const struct order_table *t, uint32_t h, int i)
{
	uint64_t x = (uint64_t)h * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0xbf58476d1ce4e5b9ull;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 29;
	return (size_t)x & t->bloom_mask;
}

static void
bloom_add(struct order_table *t, uint32_t h)
{
	if (t->bloom_added >= t->cap) {
		t->bloom_gen ^= 1;
		memset(t->bloom[t->bloom_gen], 0, (t->bloom_mask + 1) / 8);
		t->bloom_added = 0;
	}
	uint64_t *b = t->bloom[t->bloom_gen];
	for (int i = 0; i < BLOOM_K; i++) {
		size_t bit = bloom_bit(t, h, i);
		b[bit / 64] |= 1ull << (bit % 64);
	}
	t->bloom_added++;
}

static bool
bloom_has(const struct order_table *t, uint32_t h)
{
	for (int g = 0; g < 2; g++) {
		int i;
		for (i = 0; i < BLOOM_K; i++) {
			size_t bit = bloom_bit(t, h, i);
			if (!(t->bloom[g][bit / 64] & (1ull << (bit % 64))))
				break;
		}
		if (i == BLOOM_K)
			return true;
	}
	return false;
}

/* Forgets one entry (the stalest final one, else the stalest) and
 * returns its index, now free. */
static uint32_t
evict_one(struct order_table *t)
{
	uint32_t idx =
		t->list[L_FINAL].tail != NIL ? t->list[L_FINAL].tail : t->list[L_RECENT].tail;
	struct ot_entry *e = &t->e[idx];

	if (e->row.local && !e->final)
		t->local_evicted_unfinished++;
	if (e->row.local && e->final && !e->settled)
		t->local_settled++; /* its decision can no longer be seen */
	bloom_add(t, e->hash);
	index_remove(t, idx);
	list_unlink(t, L_RECENT, idx);
	if (e->final) {
		list_unlink(t, L_FINAL, idx);
		t->n_final--;
	}
	free(e->json);
	e->json = NULL;
	t->size--;
	return idx;
}

/* The entry for id, created (evicting when full) if unknown. */
static uint32_t
lookup_or_create(struct order_table *t, const char *id, int64_t now)
{
	size_t n = strnlen(id, ORDER_ID_MAX), slot;
	uint32_t h = fnv1a(id, n), idx;
	struct ot_entry *e;

	idx = index_find(t, id, n, h, &slot);
	if (idx != NIL)
		return idx;

	if (t->size == t->cap) {
		idx = evict_one(t);
		/* The shift may have moved the free slot; probe again. */
		index_find(t, id, n, h, &slot);
	} else {
		idx = (uint32_t)t->size; /* never-used entries are at the end */
	}
	e = &t->e[idx];
	memset(e, 0, sizeof *e);
	memcpy(e->row.order_id, id, n);
	e->row.order_id[n] = '\0';
	e->row.total = -1;
	e->row.status = ORDER_NEW;
	e->row.decision = ORDER_NEW;
	e->row.created_ms = now;
	e->hash = h;
	e->decided_topic = -1;
	e->prev[L_FINAL] = e->next[L_FINAL] = NIL;
	slot_set(t, slot, SLOT(h, idx));
	list_push_front(t, L_RECENT, idx);
	t->size++;
	return idx;
}

/* Fills what the entry lacks from what a message or the producer says. */
static void
fill_details(struct ot_entry *e, const char *user_id, const char *item, double total,
	     int64_t created_ms)
{
	if (user_id != NULL && user_id[0] != '\0' && e->row.user_id[0] == '\0')
		copy_cut(e->row.user_id, user_id, ORDER_ID_MAX);
	if (item != NULL && item[0] != '\0' && e->row.item[0] == '\0')
		copy_cut(e->row.item, item, ORDER_ITEM_MAX);
	if (total >= 0 && !e->has_total) {
		e->row.total = total;
		e->has_total = true;
	}
	if (created_ms > 0 && !e->created_known) {
		e->row.created_ms = created_ms;
		e->created_known = true;
	}
}

/* Records a later status; returns OBS_* bits. */
static int
advance(struct order_table *t, uint32_t idx, int status)
{
	struct ot_entry *e = &t->e[idx];
	int res = 0;

	if (status <= e->row.status)
		return 0;
	e->row.status = (uint8_t)status;
	res |= OBS_ADVANCED;
	if (is_final_status(status) && !e->final) {
		e->final = true;
		t->n_final++;
		list_push_front(t, L_FINAL, idx);
		if (e->row.local)
			count_locked(&t->local_final);
		res |= OBS_FINAL;
	}
	return res;
}

/* A local order is settled once final and, unless dead-lettered, decided:
 * what --drain waits for.  The monitor reads the topics independently, so
 * an order's notified record can come before its decision. */
static void
settle(struct order_table *t, struct ot_entry *e)
{
	if (e->row.local && !e->settled && e->final &&
	    (e->row.status == ORDER_DEAD_LETTERED || e->decided_topic >= 0)) {
		e->settled = true;
		t->local_settled++;
	}
}

static void
touch(struct order_table *t, uint32_t idx, int64_t now)
{
	t->e[idx].row.updated_ms = now;
	list_move_front(t, L_RECENT, idx);
	if (t->e[idx].final)
		list_move_front(t, L_FINAL, idx);
}

static void
keep_json(struct ot_entry *e, const void *json, size_t len)
{
	if (e->json != NULL || json == NULL || len == 0 || len > ORDER_JSON_MAX)
		return;
	e->json = malloc(len + 1);
	if (e->json == NULL)
		return;
	memcpy(e->json, json, len);
	e->json[len] = '\0';
	e->json_len = len;
}

/* ---- API ---- */

struct order_table *
order_table_new(size_t capacity)
{
	struct order_table *t;
	size_t nslots = 16;

	if (capacity == 0)
		capacity = 1;
	if (capacity > OT_CAPACITY_MAX)
		capacity = OT_CAPACITY_MAX;
	while (nslots < capacity * 2)
		nslots *= 2;

	t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	size_t nbits = 1u << 16;
	while (nbits < capacity * 16)
		nbits *= 2;
	t->e = calloc(capacity, sizeof *t->e);
	t->slots = calloc(nslots, sizeof *t->slots);
	t->bloom[0] = calloc(nbits / 64, sizeof(uint64_t));
	t->bloom[1] = calloc(nbits / 64, sizeof(uint64_t));
	if (t->e == NULL || t->slots == NULL || t->bloom[0] == NULL || t->bloom[1] == NULL) {
		free(t->e);
		free(t->slots);
		free(t->bloom[0]);
		free(t->bloom[1]);
		free(t);
		return NULL;
	}
	t->bloom_mask = nbits - 1;
	t->cap = capacity;
	t->mask = nslots - 1;
	t->list[L_RECENT].head = t->list[L_RECENT].tail = NIL;
	t->list[L_FINAL].head = t->list[L_FINAL].tail = NIL;
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void
order_table_free(struct order_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->size; i++)
		free(t->e[i].json);
	pthread_mutex_destroy(&t->lock);
	free(t->bloom[0]);
	free(t->bloom[1]);
	free(t->slots);
	free(t->e);
	free(t);
}

/*
 * Two passes over the batch, so that its cache misses overlap instead of
 * each stalling its observation: the index slots first, then the entries
 * those slots name (read without the lock; see struct order_table), whole,
 * since an observation writes across the entry.
 */
void
order_table_prefetch(const struct order_table *t, const char *const *ids, const size_t *lens,
		     size_t n)
{
	enum {
		CHUNK = 64
	};
	uint32_t h[CHUNK];

	for (size_t from = 0; from < n; from += CHUNK) {
		size_t m = n - from < CHUNK ? n - from : CHUNK;
		for (size_t k = 0; k < m; k++) {
			size_t len = lens[from + k] < ORDER_ID_MAX ? lens[from + k] : ORDER_ID_MAX;
			h[k] = fnv1a(ids[from + k], len);
			__builtin_prefetch(&t->slots[h[k] & t->mask]);
		}
		for (size_t k = 0; k < m; k++) {
			uint64_t v = slot_get(t, h[k] & t->mask);
			if (v == 0 || SLOT_HASH(v) != h[k] || SLOT_ENTRY(v) >= t->cap)
				continue; /* a new order, or another first in its probe */
			const char *e = (const char *)&t->e[SLOT_ENTRY(v)];
			for (size_t off = 0; off < sizeof t->e[0]; off += 64)
				__builtin_prefetch(e + off, 1);
		}
	}
}

void
order_table_register_local(struct order_table *t, const char *order_id, const char *user_id,
			   const char *item, double total, int64_t created_ms)
{
	struct local_order o = { order_id, user_id, item, total, created_ms, ORDER_SOURCE_OTHER };
	order_table_register_local_batch(t, &o, 1);
}

const char *
order_table_source_name(const struct order_row *row)
{
	if (!row->local)
		return order_source_name(ORDER_SOURCE_OTHER);
	if (row->source == ORDER_SOURCE_OTHER)
		return "this process";
	return order_source_name((enum order_source)row->source);
}

void
order_table_register_local_batch(struct order_table *t, const struct local_order *o, size_t n)
{
	int64_t now = wall_ms();

	/* New orders, mostly: their probes start at slots no cache holds.
	 * Fetched together before the lock, not one miss after another
	 * under it (the monitor waits for the same lock). */
	for (size_t i = 0; i < n; i++)
		if (o[i].order_id != NULL)
			__builtin_prefetch(&t->slots[fnv1a(o[i].order_id,
							   strnlen(o[i].order_id, ORDER_ID_MAX)) &
						     t->mask]);
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < n; i++) {
		if (o[i].order_id == NULL || o[i].order_id[0] == '\0')
			continue;
		uint32_t idx = lookup_or_create(t, o[i].order_id, now);
		struct ot_entry *e = &t->e[idx];
		if (!e->row.local) {
			e->row.local = true;
			count_locked(&t->local_registered);
			if (e->final)
				count_locked(&t->local_final);
			settle(t, e);
		}
		e->row.source = (uint8_t)o[i].source;
		fill_details(e, o[i].user_id, o[i].item, o[i].total, o[i].created_ms);
		touch(t, idx, now);
	}
	pthread_mutex_unlock(&t->lock);
}

/* One observation, the lock held; returns OBS_* bits. */
static int
observe_locked(struct order_table *t, const struct order_observation *obs, int64_t now)
{
	struct order_stage *st;
	struct ot_entry *e;
	uint32_t idx;
	bool was_seen, redelivery;
	int res = 0, topic;

	if (obs == NULL || obs->order_id == NULL || obs->order_id[0] == '\0')
		return 0;
	topic = (int)obs->topic;
	if (topic < TOPIC_ORDERS || topic > TOPIC_DLQ)
		return 0; /* fraud.rules and the like are not orders */

	idx = lookup_or_create(t, obs->order_id, now);
	e = &t->e[idx];
	if (!e->observed) {
		e->observed = true;
		res |= OBS_NEW;
	}

	st = &e->stage[topic];
	was_seen = st->seen;
	redelivery = was_seen && st->partition == obs->partition && st->offset == obs->offset;
	if (!was_seen) {
		st->seen = true;
		st->partition = obs->partition;
		st->offset = obs->offset;
		st->ts_ms = obs->ts_ms;
	}
	fill_details(e, obs->user_id, obs->item, obs->total, obs->created_ms);

	switch (topic) {
	case TOPIC_ORDERS: keep_json(e, obs->json, obs->json_len); break;
	case TOPIC_VALID:
	case TOPIC_REFUSED:
		if (e->decided_topic < 0) {
			int d = topic == TOPIC_VALID ? ORDER_APPROVED : ORDER_REFUSED;

			e->decided_topic = (int8_t)topic;
			e->row.decision = (uint8_t)d;
			e->row.rules_version = obs->rules_version;
			if (obs->fired != NULL)
				copy_cut(e->row.fired, obs->fired, ORDER_FIRED_TEXT_MAX - 1);
			res |= advance(t, idx, d);
		} else if (!(e->decided_topic == topic && redelivery)) {
			res |= OBS_DUPLICATE;
		}
		break;
	case TOPIC_NOTIFIED:
		if (was_seen && !redelivery)
			res |= OBS_DUPLICATE;
		res |= advance(t, idx, ORDER_NOTIFIED);
		break;
	case TOPIC_DLQ: res |= advance(t, idx, ORDER_DEAD_LETTERED); break;
	default: /* TOPIC_NOTIFICATIONS: only the stage */ break;
	}
	settle(t, e);
	touch(t, idx, now);
	return res;
}

int
order_table_observe(struct order_table *t, const struct order_observation *obs, int64_t now)
{
	int flags;
	order_table_observe_batch(t, obs, 1, now, &flags);
	return flags;
}

void
order_table_observe_batch(struct order_table *t, const struct order_observation *obs, size_t n,
			  int64_t now, int *flags)
{
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < n; i++)
		flags[i] = observe_locked(t, &obs[i], now);
	pthread_mutex_unlock(&t->lock);
}

size_t
order_table_recent(struct order_table *t, struct order_row *rows, size_t max)
{
	size_t n = 0;
	uint32_t i;

	pthread_mutex_lock(&t->lock);
	for (i = t->list[L_RECENT].head; i != NIL && n < max; i = t->e[i].next[L_RECENT])
		rows[n++] = t->e[i].row;
	pthread_mutex_unlock(&t->lock);
	return n;
}

/* 0: found; -1: not known (-2: forgotten, when evicted is wanted). */
static int
find_detail(struct order_table *t, const char *order_id, struct order_detail *out, bool with_json,
	    bool evicted)
{
	const struct ot_entry *e;
	size_t n, slot;
	uint32_t idx, h;

	if (order_id == NULL)
		return -1;
	n = strnlen(order_id, ORDER_ID_MAX);
	h = fnv1a(order_id, n);
	pthread_mutex_lock(&t->lock);
	idx = index_find(t, order_id, n, h, &slot);
	if (idx == NIL) {
		int rc = evicted && bloom_has(t, h) ? -2 : -1;
		pthread_mutex_unlock(&t->lock);
		return rc;
	}
	e = &t->e[idx];
	out->row = e->row;
	memcpy(out->stage, e->stage, sizeof out->stage);
	out->json = NULL;
	if (with_json && e->json != NULL) {
		out->json = malloc(e->json_len + 1);
		if (out->json != NULL)
			memcpy(out->json, e->json, e->json_len + 1);
	}
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int
order_table_detail(struct order_table *t, const char *order_id, struct order_detail *out)
{
	return find_detail(t, order_id, out, true, false);
}

int
order_table_lookup(struct order_table *t, const char *order_id, struct order_detail *out)
{
	return find_detail(t, order_id, out, false, true);
}

void
order_table_counts(struct order_table *t, struct order_table_counts *out)
{
	pthread_mutex_lock(&t->lock);
	out->local_registered = atomic_load(&t->local_registered);
	out->local_final = atomic_load(&t->local_final);
	out->local_settled = t->local_settled;
	out->local_evicted_unfinished = t->local_evicted_unfinished;
	out->size = t->size;
	out->capacity = t->cap;
	out->unfinished = t->size - t->n_final;
	pthread_mutex_unlock(&t->lock);
}

uint64_t
order_table_local_in_flight(struct order_table *t)
{
	/* final first: registered only grows, and an order is counted
	 * registered before final (both under the lock, stores that release),
	 * so the difference never wraps */
	uint64_t final = atomic_load_explicit(&t->local_final, memory_order_acquire);
	return atomic_load_explicit(&t->local_registered, memory_order_acquire) - final;
}

/* Oldest first. */
size_t
order_table_local_unfinished(struct order_table *t, char (*ids)[ORDER_ID_MAX + 1], size_t max)
{
	size_t n = 0;
	uint32_t i;

	pthread_mutex_lock(&t->lock);
	for (i = t->list[L_RECENT].tail; i != NIL && n < max; i = t->e[i].prev[L_RECENT]) {
		const struct ot_entry *e = &t->e[i];

		if (e->row.local && !e->final)
			memcpy(ids[n++], e->row.order_id, ORDER_ID_MAX + 1);
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}
