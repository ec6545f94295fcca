/*
 * stats.h — the pipeline's numbers: exact counters (atomics, updated by the
 * workers), latency histograms (log-bucketed, lock-free recording), and
 * once-a-second samples that turn counters into rates and sparkline
 * history.  A snapshot is a plain struct the UI and the headless status
 * line read without locks.
 */
#ifndef ORDERTOP_STATS_H
#define ORDERTOP_STATS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>
#include "clock.h"
#include "config.h"

/* Latency in microseconds, buckets of ~3% width from 1 us to ~1 hour. */
#define HIST_BUCKETS 800

struct latency_hist {
	_Atomic uint64_t count;
	_Atomic uint64_t max_us;
	_Atomic uint64_t buckets[HIST_BUCKETS];
};

void hist_record_us(struct latency_hist *h, uint64_t us);

/*
 * Latencies one thread records in a run (the monitor: a consumed batch),
 * added to the shared histogram at hist_batch_flush(): one atomic add per
 * bucket they fell in, not two per latency.  Latencies cluster in a few
 * buckets; HIST_BATCH_SLOTS of them are held at a time, and a latency in
 * a bucket that takes a held one's slot adds the held one first.  Readers
 * see a latency only once it is flushed.
 */
#define HIST_BATCH_SLOTS 32

struct hist_batch {
	struct latency_hist *h;
	uint64_t count, max_us;
	uint64_t last_us;     /* the latest latency and its bucket: */
	uint16_t last_bucket; /* the same value is common, log() is not free */
	uint16_t bucket[HIST_BATCH_SLOTS];
	uint32_t n[HIST_BATCH_SLOTS];
};

void hist_batch_init(struct hist_batch *b, struct latency_hist *h);
void hist_batch_record_us(struct hist_batch *b, uint64_t us);
void hist_batch_flush(struct hist_batch *b);

/* p in [0,100]; milliseconds; 0 when empty. */
double hist_percentile_ms(const struct latency_hist *h, double p);
double hist_max_ms(const struct latency_hist *h);
/* Latencies recorded at or below us (to the bucket's ~3% width), and the
 * sum of all, in seconds, from the buckets' values: a Prometheus histogram. */
uint64_t hist_count_at_most_us(const struct latency_hist *h, uint64_t us);
double hist_sum_seconds(const struct latency_hist *h);
void hist_reset(struct latency_hist *h);

/* Adds what one thread counted (*pending) to a shared counter and zeroes
 * it: one atomic add for many events. */
static inline void
stats_add_pending(_Atomic uint64_t *counter, uint64_t *pending)
{
	if (*pending != 0)
		atomic_fetch_add(counter, *pending);
	*pending = 0;
}

/* The hops an order makes, for per-hop latency. */
enum hop {
	HOP_DECIDE = 0, /* orders -> orders.valid/refused (decision time) */
	HOP_NOTIFY,     /* decision -> notification delivered (notified) */
	HOP_END_TO_END, /* created_at -> notified */
	HOP__COUNT
};

#define STATS_HISTORY 60 /* seconds of rate history */

struct stats {
	/* Producer side (this process) */
	_Atomic uint64_t produced; /* delivered to the orders topic */
	_Atomic uint64_t produce_errors;
	_Atomic uint64_t generated; /* by the generator (subset of produced) */
	/* Fraud side (this process) */
	_Atomic uint64_t fraud_in, fraud_approved, fraud_refused, fraud_dlq;
	_Atomic uint64_t fraud_skipped; /* --order-map gave no order (empty) */
	_Atomic uint64_t txn_commits, txn_aborts;
	/* The fraud state: changelog records written, entries restored, and
	 * entries (users, order ids) forgotten for memory before they expired */
	_Atomic uint64_t fraud_state_records, fraud_state_restored, fraud_state_dropped;
	/* Inputs a stage dead-lettered because it could not process them
	 * (outputs too large, transactions aborting on them) */
	_Atomic uint64_t forced_dead_letters;
	/* Notifier side (this process) */
	_Atomic uint64_t notify_delivered, notify_failed, notify_retries;
	_Atomic uint64_t notify_foreign; /* records on notifications that are no decision */
	/* Monitor side: what is seen on the topics (read_committed) */
	_Atomic uint64_t seen[TOPIC__COUNT];
	_Atomic uint64_t approved, refused, notified, dead_lettered;
	_Atomic uint64_t duplicates;
	struct latency_hist hop[HOP__COUNT];
	/* HTTP API (src/http): requests answered, of them 4xx/5xx */
	_Atomic uint64_t http_requests, http_errors;

	/* Filled by stats_sample(), once a second, by one thread only. */
	int64_t last_sample_ms;
	uint64_t last_seen[TOPIC__COUNT];
	double rate[TOPIC__COUNT];                  /* msgs/s, last second */
	float history[TOPIC__COUNT][STATS_HISTORY]; /* ring of rates */
	int history_pos;
	uint64_t last_http[2];
	double http_rate[2];         /* requests/s, errors/s */
	char http_addr[64];          /* "" = no HTTP API */
	pthread_mutex_t sample_lock; /* guards the sampled fields above */
};

struct stats_snapshot {
	uint64_t produced, produce_errors, generated;
	uint64_t fraud_in, fraud_approved, fraud_refused, fraud_dlq, fraud_skipped;
	uint64_t txn_commits, txn_aborts, forced_dead_letters;
	uint64_t fraud_state_records, fraud_state_restored, fraud_state_dropped;
	uint64_t notify_delivered, notify_failed, notify_retries, notify_foreign;
	uint64_t seen[TOPIC__COUNT];
	uint64_t approved, refused, notified, dead_lettered, duplicates;
	double p50_ms[HOP__COUNT], p95_ms[HOP__COUNT], p99_ms[HOP__COUNT], max_ms[HOP__COUNT];
	double rate[TOPIC__COUNT];
	float history[TOPIC__COUNT][STATS_HISTORY]; /* oldest first */
	uint64_t http_requests, http_errors;
	double http_rate, http_error_rate;
	char http_addr[64];
};

void stats_init(struct stats *s);
/* Turns counters into rates; call about once a second from one thread. */
void stats_sample(struct stats *s, int64_t now_ms);
/* The HTTP API's address, for the dashboard's header. */
void stats_set_http_addr(struct stats *s, const char *addr);
/* Safe from the sampling thread (rates/history) and any other (counters). */
void stats_snapshot(struct stats *s, struct stats_snapshot *out);

#endif
