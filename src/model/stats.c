/*
 * stats.c — the pipeline's counters, latency histograms and rate samples.
 *
 * Histograms: bucket b holds latencies in [1.03^b, 1.03^(b+1)) us
 * (b = floor(ln(us) / ln(1.03)); 0 and 1 us go to bucket 0; values past
 * the last bucket, about 5 hours, to the last one).  Recording is two
 * relaxed atomic adds and a CAS loop for the maximum, so workers never
 * lock.  A percentile is found by scanning the buckets and reported as the
 * bucket's geometric middle 1.03^(b+0.5), capped at the exact maximum:
 * for any latency >= 1 us it is within 1.5% (sqrt(1.03) - 1) of the true
 * value at that rank; bucket 0 is reported as 1 us.  A hist_batch gathers
 * one thread's latencies and adds them a bucket at a time.
 *
 * Rates and their history are written by stats_sample() and read by
 * stats_snapshot(), possibly on different threads, under sample_lock.
 */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define HIST_LN_BASE 0.029558802241544403 /* ln(1.03) */

static size_t
hist_bucket(uint64_t us)
{
	double b;

	if (us <= 1)
		return 0;
	b = log((double)us) / HIST_LN_BASE;
	if (b >= HIST_BUCKETS - 1)
		return HIST_BUCKETS - 1;
	return (size_t)b;
}

/* The value a bucket stands for, in microseconds. */
static double
hist_bucket_value_us(size_t b)
{
	if (b == 0)
		return 1.0;
	return exp(((double)b + 0.5) * HIST_LN_BASE);
}

static void
hist_add_max(struct latency_hist *h, uint64_t us)
{
	uint64_t max = atomic_load_explicit(&h->max_us, memory_order_relaxed);

	while (us > max &&
	       !atomic_compare_exchange_weak_explicit(&h->max_us, &max, us, memory_order_relaxed,
						      memory_order_relaxed))
		;
}

void
hist_record_us(struct latency_hist *h, uint64_t us)
{
	atomic_fetch_add_explicit(&h->buckets[hist_bucket(us)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	hist_add_max(h, us);
}

void
hist_batch_init(struct hist_batch *b, struct latency_hist *h)
{
	memset(b, 0, sizeof *b);
	b->h = h;
}

static void
hist_batch_add_slot(struct hist_batch *b, size_t slot)
{
	atomic_fetch_add_explicit(&b->h->buckets[b->bucket[slot]], b->n[slot],
				  memory_order_relaxed);
	b->n[slot] = 0;
}

void
hist_batch_record_us(struct hist_batch *b, uint64_t us)
{
	/* last_us 0 after init is right too: 0 us is bucket 0 */
	size_t k = us == b->last_us ? b->last_bucket : hist_bucket(us);
	size_t slot = k % HIST_BATCH_SLOTS;

	if (b->n[slot] != 0 && b->bucket[slot] != k)
		hist_batch_add_slot(b, slot);
	b->bucket[slot] = (uint16_t)k;
	b->last_us = us;
	b->last_bucket = (uint16_t)k;
	b->n[slot]++;
	b->count++;
	if (us > b->max_us)
		b->max_us = us;
}

void
hist_batch_flush(struct hist_batch *b)
{
	if (b->count == 0)
		return;
	for (size_t slot = 0; slot < HIST_BATCH_SLOTS; slot++)
		if (b->n[slot] != 0)
			hist_batch_add_slot(b, slot);
	atomic_fetch_add_explicit(&b->h->count, b->count, memory_order_relaxed);
	hist_add_max(b->h, b->max_us);
	b->count = b->max_us = 0;
}

double
hist_percentile_ms(const struct latency_hist *h, double p)
{
	uint64_t counts[HIST_BUCKETS];
	uint64_t total = 0, rank, seen = 0;
	double max_us, v;
	size_t b;

	/* Sum what the buckets hold rather than trusting `count`: recorders
	 * may be between their two adds. */
	for (b = 0; b < HIST_BUCKETS; b++) {
		counts[b] = atomic_load_explicit(&h->buckets[b], memory_order_relaxed);
		total += counts[b];
	}
	if (total == 0)
		return 0.0;
	if (!(p > 0.0))
		p = 0.0;
	if (p > 100.0)
		p = 100.0;
	rank = (uint64_t)ceil(p / 100.0 * (double)total);
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	for (b = 0; b < HIST_BUCKETS; b++) {
		seen += counts[b];
		if (seen >= rank)
			break;
	}
	if (b == HIST_BUCKETS)
		b = HIST_BUCKETS - 1;
	v = hist_bucket_value_us(b);
	max_us = (double)atomic_load_explicit(&h->max_us, memory_order_relaxed);
	if (v > max_us)
		v = max_us;
	return v / 1000.0;
}

double
hist_max_ms(const struct latency_hist *h)
{
	return (double)atomic_load_explicit(&h->max_us, memory_order_relaxed) / 1000.0;
}

uint64_t
hist_count_at_most_us(const struct latency_hist *h, uint64_t us)
{
	size_t last = hist_bucket(us);
	uint64_t n = 0;

	for (size_t b = 0; b <= last && b < HIST_BUCKETS; b++)
		n += atomic_load_explicit(&h->buckets[b], memory_order_relaxed);
	return n;
}

double
hist_sum_seconds(const struct latency_hist *h)
{
	double sum = 0;

	for (size_t b = 0; b < HIST_BUCKETS; b++) {
		uint64_t n = atomic_load_explicit(&h->buckets[b], memory_order_relaxed);
		if (n != 0)
			sum += (double)n * hist_bucket_value_us(b) / 1e6;
	}
	return sum;
}

void
hist_reset(struct latency_hist *h)
{
	size_t b;

	for (b = 0; b < HIST_BUCKETS; b++)
		atomic_store_explicit(&h->buckets[b], 0, memory_order_relaxed);
	atomic_store_explicit(&h->count, 0, memory_order_relaxed);
	atomic_store_explicit(&h->max_us, 0, memory_order_relaxed);
}

void
stats_init(struct stats *s)
{
	/* Before any thread sees it: plain stores are fine. */
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->sample_lock, NULL);
}

/*
 * The first call only takes the baseline; later ones compute the rate
 * over the time since the previous call (calls with no time elapsed are
 * ignored) and append it to the history.
 */
void
stats_sample(struct stats *s, int64_t now)
{
	uint64_t seen[TOPIC__COUNT], http[2];
	double secs;
	int t;

	for (t = 0; t < TOPIC__COUNT; t++)
		seen[t] = atomic_load_explicit(&s->seen[t], memory_order_relaxed);
	http[0] = atomic_load_explicit(&s->http_requests, memory_order_relaxed);
	http[1] = atomic_load_explicit(&s->http_errors, memory_order_relaxed);

	pthread_mutex_lock(&s->sample_lock);
	if (s->last_sample_ms == 0) {
		memcpy(s->last_seen, seen, sizeof seen);
		memcpy(s->last_http, http, sizeof http);
		s->last_sample_ms = now;
		pthread_mutex_unlock(&s->sample_lock);
		return;
	}
	if (now <= s->last_sample_ms) {
		pthread_mutex_unlock(&s->sample_lock);
		return;
	}
	secs = (double)(now - s->last_sample_ms) / 1000.0;
	for (t = 0; t < TOPIC__COUNT; t++) {
		s->rate[t] = (double)(seen[t] - s->last_seen[t]) / secs;
		s->history[t][s->history_pos] = (float)s->rate[t];
		s->last_seen[t] = seen[t];
	}
	for (t = 0; t < 2; t++) {
		s->http_rate[t] = (double)(http[t] - s->last_http[t]) / secs;
		s->last_http[t] = http[t];
	}
	s->history_pos = (s->history_pos + 1) % STATS_HISTORY;
	s->last_sample_ms = now;
	pthread_mutex_unlock(&s->sample_lock);
}

#define LOAD(field) atomic_load_explicit(&s->field, memory_order_relaxed)

void
stats_snapshot(struct stats *s, struct stats_snapshot *out)
{
	int t, i, h;

	memset(out, 0, sizeof *out);
	out->produced = LOAD(produced);
	out->produce_errors = LOAD(produce_errors);
	out->generated = LOAD(generated);
	out->fraud_in = LOAD(fraud_in);
	out->fraud_approved = LOAD(fraud_approved);
	out->fraud_refused = LOAD(fraud_refused);
	out->fraud_dlq = LOAD(fraud_dlq);
	out->fraud_skipped = LOAD(fraud_skipped);
	out->txn_commits = LOAD(txn_commits);
	out->txn_aborts = LOAD(txn_aborts);
	out->forced_dead_letters = LOAD(forced_dead_letters);
	out->fraud_state_records = LOAD(fraud_state_records);
	out->fraud_state_restored = LOAD(fraud_state_restored);
	out->fraud_state_dropped = LOAD(fraud_state_dropped);
	out->notify_delivered = LOAD(notify_delivered);
	out->notify_failed = LOAD(notify_failed);
	out->notify_retries = LOAD(notify_retries);
	out->notify_foreign = LOAD(notify_foreign);
	for (t = 0; t < TOPIC__COUNT; t++)
		out->seen[t] = LOAD(seen[t]);
	out->approved = LOAD(approved);
	out->refused = LOAD(refused);
	out->notified = LOAD(notified);
	out->dead_lettered = LOAD(dead_lettered);
	out->duplicates = LOAD(duplicates);
	out->http_requests = LOAD(http_requests);
	out->http_errors = LOAD(http_errors);

	for (h = 0; h < HOP__COUNT; h++) {
		out->p50_ms[h] = hist_percentile_ms(&s->hop[h], 50.0);
		out->p95_ms[h] = hist_percentile_ms(&s->hop[h], 95.0);
		out->p99_ms[h] = hist_percentile_ms(&s->hop[h], 99.0);
		out->max_ms[h] = hist_max_ms(&s->hop[h]);
	}

	pthread_mutex_lock(&s->sample_lock);
	for (t = 0; t < TOPIC__COUNT; t++) {
		out->rate[t] = s->rate[t];
		for (i = 0; i < STATS_HISTORY; i++)
			out->history[t][i] = s->history[t][(s->history_pos + i) % STATS_HISTORY];
	}
	out->http_rate = s->http_rate[0];
	out->http_error_rate = s->http_rate[1];
	memcpy(out->http_addr, s->http_addr, sizeof out->http_addr);
	pthread_mutex_unlock(&s->sample_lock);
}

void
stats_set_http_addr(struct stats *s, const char *addr)
{
	pthread_mutex_lock(&s->sample_lock);
	snprintf(s->http_addr, sizeof s->http_addr, "%s", addr ? addr : "");
	pthread_mutex_unlock(&s->sample_lock);
}

#undef LOAD
