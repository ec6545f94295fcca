/*
 * order_table.h — the monitor's table of orders and where each stands:
 * status, total, the rules that fired, and the timeline of the topics it
 * was seen on.  Bounded: when full, the oldest finished order is forgotten
 * first.  It finds duplicates (an order decided twice) and counts how many
 * of this process's own orders (registered by the producer) have reached a
 * final state, which is what --drain waits for.  Thread-safe (one mutex).
 */
#ifndef ORDERTOP_ORDER_TABLE_H
#define ORDERTOP_ORDER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "order.h"

#define ORDER_FIRED_TEXT_MAX 96

struct order_row {
	char order_id[ORDER_ID_MAX + 1];
	char user_id[ORDER_ID_MAX + 1];
	char item[ORDER_ITEM_MAX + 1];
	double total;
	uint8_t status;   /* enum order_status, furthest seen */
	uint8_t decision; /* ORDER_APPROVED / ORDER_REFUSED / ORDER_NEW */
	bool local;       /* produced by this process */
	uint8_t source;   /* enum order_source: which intake of it */
	uint64_t rules_version;
	char fired[ORDER_FIRED_TEXT_MAX]; /* "total_limit,velocity" */
	int64_t created_ms;               /* order's created_at (or first seen) */
	int64_t updated_ms;               /* last change, wall clock */
};

/* Where the order was seen on one topic. */
struct order_stage {
	bool seen;
	int32_t partition;
	int64_t offset;
	int64_t ts_ms;
};

struct order_detail {
	struct order_row row;
	struct order_stage stage[TOPIC__COUNT];
	char *json; /* the order's JSON as received; malloc'd, caller frees */
};

/* What one message tells the table. */
struct order_observation {
	enum topic_id topic;
	const char *order_id;
	const char *user_id; /* may be NULL */
	const char *item;    /* may be NULL */
	double total;        /* < 0 when unknown */
	int64_t created_ms;  /* 0 when unknown */
	uint64_t rules_version;
	const char *fired; /* may be NULL */
	int32_t partition;
	int64_t offset;
	int64_t ts_ms;
	const void *json; /* the payload, kept for orders-topic messages */
	size_t json_len;
};

/* What the observation changed (bits). */
enum {
	OBS_NEW = 1 << 0,       /* first time this order was seen */
	OBS_ADVANCED = 1 << 1,  /* status moved forward */
	OBS_FINAL = 1 << 2,     /* reached NOTIFIED or DEAD_LETTERED now */
	OBS_DUPLICATE = 1 << 3, /* decided (or notified) a second time */
};

struct order_table;

struct order_table *order_table_new(size_t capacity);
void order_table_free(struct order_table *t);

/* The producer registers each order it sends (before or after sending
 * it: an order observed already becomes local then, final or not); the
 * source is ORDER_SOURCE_OTHER here, the batch's entries say theirs. */
void order_table_register_local(struct order_table *t, const char *order_id, const char *user_id,
				const char *item, double total, int64_t created_ms);
/* The same for n orders under one lock: the generator registers a batch
 * at a time, so that its thread and the monitor's do not pass the table's
 * lock back and forth for every order. */
struct local_order {
	const char *order_id, *user_id, *item;
	double total;
	int64_t created_ms;
	enum order_source source;
};
void order_table_register_local_batch(struct order_table *t, const struct local_order *o, size_t n);
/* Where the row's order came from: "generator", "form", "http" (an
 * intake of this process), "this process" (registered without one), or
 * "other client". */
const char *order_table_source_name(const struct order_row *row);
int order_table_observe(struct order_table *t, const struct order_observation *obs, int64_t now_ms);
/* n observations in order under one lock, flags[i] what obs[i] changed:
 * exactly what n calls of order_table_observe() do.  The monitor observes
 * a consumed batch at a time (three observations per order, one lock). */
void order_table_observe_batch(struct order_table *t, const struct order_observation *obs, size_t n,
			       int64_t now_ms, int *flags);
/* A hint, before observing a batch: the orders with these ids (lens[i]
 * bytes each) are about to be observed, so their index slots and entries
 * are fetched into the cache together.  Changes nothing; no lock taken. */
void order_table_prefetch(const struct order_table *t, const char *const *ids, const size_t *lens,
			  size_t n);

/* Newest first (by last update); returns the number of rows copied. */
size_t order_table_recent(struct order_table *t, struct order_row *rows, size_t max);
/* 0 and *out filled, or -1 when the order is not (or no longer) known. */
int order_table_detail(struct order_table *t, const char *order_id, struct order_detail *out);

/* The same without the JSON (out->json is NULL): 0 when known, -2 when
 * it was known and has been evicted (approximately: ~0.5% of ids never
 * seen answer -2 too), -1 otherwise. */
int order_table_lookup(struct order_table *t, const char *order_id, struct order_detail *out);

struct order_table_counts {
	uint64_t local_registered;         /* orders this process produced */
	uint64_t local_final;              /* ... that reached a final state */
	uint64_t local_settled;            /* ... final and, unless dead-lettered, with
	                             * their decision seen (what --drain waits for) */
	uint64_t local_evicted_unfinished; /* forgotten before finishing */
	size_t size, capacity;
	uint64_t unfinished; /* all orders in the table not yet final */
};
void order_table_counts(struct order_table *t, struct order_table_counts *out);
/* local_registered - local_final, without taking the table's lock (the
 * generator asks before every order). */
uint64_t order_table_local_in_flight(struct order_table *t);

/* Order ids of local orders not final yet (for --drain's "lost" report). */
size_t order_table_local_unfinished(struct order_table *t, char (*ids)[ORDER_ID_MAX + 1],
				    size_t max);

#endif
