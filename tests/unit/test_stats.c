/*
 * test_stats.c — latency histograms (percentiles within the documented
 * 1.5% of the true value, exact counts under concurrent recording; a
 * hist_batch adds exactly what recording one by one does), rates and
 * history from stats_sample(), snapshots, and the clocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* The documented bound: sqrt(1.03) - 1, plus a hair for rounding. */
#define HIST_REL_ERR 0.0150

static void
assert_within(double got, double want, double rel)
{
	if (fabs(got - want) > rel * want) {
		print_error("got %.6f, want %.6f (+-%.2f%%)\n", got, want,
		            rel * 100);
		fail();
	}
}

static struct latency_hist *
hist_new(void)
{
	struct latency_hist *h = calloc(1, sizeof *h);

	assert_non_null(h);
	return h;
}

static void
test_hist_empty(void **state)
{
	struct latency_hist *h = hist_new();

	(void)state;
	assert_true(hist_percentile_ms(h, 50) == 0.0);
	assert_true(hist_percentile_ms(h, 100) == 0.0);
	assert_true(hist_max_ms(h) == 0.0);
	free(h);
}

/* 1..100000 us once each: the value at rank r is r us. */
static void
test_hist_uniform_percentiles(void **state)
{
	struct latency_hist *h = hist_new();
	static const double ps[] = { 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100 };
	uint64_t us;
	size_t i;

	(void)state;
	for (us = 1; us <= 100000; us++)
		hist_record_us(h, us);
	assert_int_equal(atomic_load(&h->count), 100000);
	for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
		double want_us = ceil(ps[i] / 100.0 * 100000);

		assert_within(hist_percentile_ms(h, ps[i]), want_us / 1000.0,
		              HIST_REL_ERR);
	}
	assert_true(hist_max_ms(h) == 100.0);
	assert_true(hist_percentile_ms(h, 100) <= 100.0);
	free(h);
}

/* Every value from 1 us to an hour lands within the bound. */
static void
test_hist_every_value_within_bound(void **state)
{
	struct latency_hist *h = hist_new();
	double v;

	(void)state;
	for (v = 1; v < 3.6e9; v *= 1.0071) {
		uint64_t us = (uint64_t)v;

		hist_reset(h);
		hist_record_us(h, us);
		hist_record_us(h, us * 2);  /* so the max does not cap p50 */
		assert_within(hist_percentile_ms(h, 50), (double)us / 1000.0,
		              HIST_REL_ERR);
	}
	free(h);
}

/* A skewed distribution: 90% fast, 9% slower, 1% very slow. */
static void
test_hist_skewed(void **state)
{
	struct latency_hist *h = hist_new();
	int i;

	(void)state;
	for (i = 0; i < 9000; i++)
		hist_record_us(h, 2000);
	for (i = 0; i < 900; i++)
		hist_record_us(h, 40000);
	for (i = 0; i < 100; i++)
		hist_record_us(h, 1500000);
	assert_within(hist_percentile_ms(h, 50), 2.0, HIST_REL_ERR);
	assert_within(hist_percentile_ms(h, 90), 2.0, HIST_REL_ERR);
	assert_within(hist_percentile_ms(h, 95), 40.0, HIST_REL_ERR);
	assert_within(hist_percentile_ms(h, 99), 40.0, HIST_REL_ERR);
	assert_within(hist_percentile_ms(h, 99.5), 1500.0, HIST_REL_ERR);
	assert_true(hist_max_ms(h) == 1500.0);
	free(h);
}

static void
test_hist_edges(void **state)
{
	struct latency_hist *h = hist_new();

	(void)state;
	hist_record_us(h, 0);
	assert_true(hist_percentile_ms(h, 50) == 0.0);   /* capped at max 0 */
	hist_record_us(h, 1);
	assert_true(hist_percentile_ms(h, 100) == 0.001);
	/* Beyond the last bucket: counted, max exact, percentile capped. */
	hist_record_us(h, UINT64_C(100000000000));
	assert_int_equal(atomic_load(&h->count), 3);
	assert_true(hist_max_ms(h) == 100000000.0);
	assert_true(hist_percentile_ms(h, 100) > 0.0);
	assert_true(hist_percentile_ms(h, 100) <= hist_max_ms(h));
	/* Out-of-range p is clamped. */
	assert_true(hist_percentile_ms(h, -5) == hist_percentile_ms(h, 0));
	assert_true(hist_percentile_ms(h, 500) == hist_percentile_ms(h, 100));
	hist_reset(h);
	assert_int_equal(atomic_load(&h->count), 0);
	assert_true(hist_max_ms(h) == 0.0);
	assert_true(hist_percentile_ms(h, 99) == 0.0);
	free(h);
}

/* ---- recording in batches ---- */

static void
assert_hist_equal(const struct latency_hist *a, const struct latency_hist *b)
{
	for (size_t k = 0; k < HIST_BUCKETS; k++)
		if (atomic_load(&a->buckets[k]) != atomic_load(&b->buckets[k])) {
			print_error("bucket %zu: %" PRIu64 " != %" PRIu64 "\n", k,
			            (uint64_t)atomic_load(&a->buckets[k]),
			            (uint64_t)atomic_load(&b->buckets[k]));
			fail();
		}
	assert_int_equal(atomic_load(&a->count), atomic_load(&b->count));
	assert_int_equal(atomic_load(&a->max_us), atomic_load(&b->max_us));
}

/* Runs of latencies as the monitor records them (whole milliseconds
 * around a typical value, now and then far off, so that more buckets are
 * met than a batch holds), flushed at random points: the histogram is the
 * one hist_record_us() makes, and nothing shows before a flush. */
static void
test_hist_batch_equals_one_by_one(void **state)
{
	struct latency_hist *one = hist_new(), *batched = hist_new();
	struct hist_batch b;
	unsigned seed = 7;

	(void)state;
	hist_batch_init(&b, batched);
	for (int run = 0; run < 2000; run++) {
		int n = rand_r(&seed) % 300;
		uint64_t typical = 1 + (uint64_t)(rand_r(&seed) % 80);
		for (int i = 0; i < n; i++) {
			uint64_t ms = rand_r(&seed) % 10 == 0 ? (uint64_t)(rand_r(&seed) % 100000)
			                                      : typical + (uint64_t)(rand_r(&seed) % 20);
			uint64_t us = ms * 1000 + (run % 3 == 0 ? (uint64_t)(rand_r(&seed) % 1000) : 0);
			hist_record_us(one, us);
			hist_batch_record_us(&b, us);
		}
		if (rand_r(&seed) % 4 == 0) {
			assert_true(atomic_load(&batched->count) <= atomic_load(&one->count));
			continue;              /* a run left to the next flush */
		}
		hist_batch_flush(&b);
		assert_hist_equal(one, batched);
	}
	hist_batch_flush(&b);
	assert_hist_equal(one, batched);
	assert_true(atomic_load(&one->count) > 100000);
	hist_batch_flush(&b);           /* flushing nothing changes nothing */
	assert_hist_equal(one, batched);

	/* Before its flush, a batch's latencies are not in the histogram. */
	hist_batch_record_us(&b, 5000);
	assert_int_equal(atomic_load(&batched->count), atomic_load(&one->count));
	free(one);
	free(batched);
}

/* ---- concurrent recording ---- */

#define THREADS 4
#define PER_THREAD 100000

static void *
recorder(void *p)
{
	struct stats *s = p;
	uint64_t i;

	for (i = 0; i < PER_THREAD; i++) {
		hist_record_us(&s->hop[HOP_DECIDE], 1 + i % 5000);
		atomic_fetch_add_explicit(&s->seen[TOPIC_ORDERS], 1,
		                          memory_order_relaxed);
	}
	return NULL;
}

/* The same, each thread with a batch of its own flushed every 256. */
static void *
batch_recorder(void *p)
{
	struct stats *s = p;
	struct hist_batch b;

	hist_batch_init(&b, &s->hop[HOP_NOTIFY]);
	for (uint64_t i = 0; i < PER_THREAD; i++) {
		hist_batch_record_us(&b, 1 + i % 5000);
		if (i % 256 == 255)
			hist_batch_flush(&b);
	}
	hist_batch_flush(&b);
	return NULL;
}

static void *
snapshotter(void *p)
{
	struct stats *s = p;
	struct stats_snapshot *snap = malloc(sizeof *snap);
	int i;

	for (i = 0; i < 50; i++)
		stats_snapshot(s, snap);
	free(snap);
	return NULL;
}

static void
test_concurrent_recording(void **state)
{
	struct stats *s = malloc(sizeof *s);
	struct stats_snapshot *snap = malloc(sizeof *snap);
	pthread_t th[THREADS + 1];
	uint64_t sum = 0;
	size_t b;
	int i;

	(void)state;
	stats_init(s);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, recorder, s), 0);
	assert_int_equal(pthread_create(&th[THREADS], NULL, snapshotter, s), 0);
	for (i = 0; i <= THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, batch_recorder, s), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);

	for (b = 0; b < HIST_BUCKETS; b++)
		sum += atomic_load(&s->hop[HOP_DECIDE].buckets[b]);
	assert_int_equal(sum, (uint64_t)THREADS * PER_THREAD);
	assert_int_equal(atomic_load(&s->hop[HOP_DECIDE].count),
	                 (uint64_t)THREADS * PER_THREAD);
	sum = 0;
	for (b = 0; b < HIST_BUCKETS; b++)
		sum += atomic_load(&s->hop[HOP_NOTIFY].buckets[b]);
	assert_int_equal(sum, (uint64_t)THREADS * PER_THREAD);
	assert_int_equal(atomic_load(&s->hop[HOP_NOTIFY].count),
	                 (uint64_t)THREADS * PER_THREAD);
	assert_int_equal(atomic_load(&s->hop[HOP_NOTIFY].max_us), 5000);
	assert_true(hist_max_ms(&s->hop[HOP_DECIDE]) == 5.0);

	stats_snapshot(s, snap);
	assert_int_equal(snap->seen[TOPIC_ORDERS], (uint64_t)THREADS * PER_THREAD);
	assert_within(snap->p50_ms[HOP_DECIDE], 2.5, HIST_REL_ERR);
	assert_within(snap->p99_ms[HOP_DECIDE], 4.95, HIST_REL_ERR);
	assert_true(snap->max_ms[HOP_DECIDE] == 5.0);
	assert_within(snap->p50_ms[HOP_NOTIFY], 2.5, HIST_REL_ERR);
	assert_true(snap->p50_ms[HOP_END_TO_END] == 0.0);
	free(snap);
	free(s);
}

/* ---- sampling ---- */

static void
test_sample_rates_and_history(void **state)
{
	struct stats *s = malloc(sizeof *s);
	struct stats_snapshot *snap = malloc(sizeof *snap);
	int i;

	(void)state;
	stats_init(s);
	atomic_fetch_add(&s->seen[TOPIC_ORDERS], 7);  /* before the baseline */
	stats_sample(s, 1000);                          /* baseline only */
	stats_snapshot(s, snap);
	assert_true(snap->rate[TOPIC_ORDERS] == 0.0);
	assert_true(snap->history[TOPIC_ORDERS][STATS_HISTORY - 1] == 0.0f);

	atomic_fetch_add(&s->seen[TOPIC_ORDERS], 500);
	atomic_fetch_add(&s->seen[TOPIC_VALID], 250);
	stats_sample(s, 2000);
	stats_snapshot(s, snap);
	assert_true(snap->rate[TOPIC_ORDERS] == 500.0);
	assert_true(snap->rate[TOPIC_VALID] == 250.0);
	assert_true(snap->rate[TOPIC_DLQ] == 0.0);
	assert_true(snap->seen[TOPIC_ORDERS] == 507);

	atomic_fetch_add(&s->seen[TOPIC_ORDERS], 100);
	stats_sample(s, 2500);                          /* half a second */
	stats_sample(s, 2500);                          /* no time: ignored */
	stats_snapshot(s, snap);
	assert_true(snap->rate[TOPIC_ORDERS] == 200.0);
	assert_true(snap->rate[TOPIC_VALID] == 0.0);
	/* Oldest first: the newest two at the end. */
	assert_true(snap->history[TOPIC_ORDERS][STATS_HISTORY - 2] == 500.0f);
	assert_true(snap->history[TOPIC_ORDERS][STATS_HISTORY - 1] == 200.0f);
	assert_true(snap->history[TOPIC_ORDERS][0] == 0.0f);
	assert_true(snap->history[TOPIC_VALID][STATS_HISTORY - 2] == 250.0f);

	/* Wrap the ring: 1..STATS_HISTORY+5 per second. */
	for (i = 1; i <= STATS_HISTORY + 5; i++) {
		atomic_fetch_add(&s->seen[TOPIC_NOTIFIED], (uint64_t)i);
		stats_sample(s, 2500 + 1000 * i);
	}
	stats_snapshot(s, snap);
	for (i = 0; i < STATS_HISTORY; i++)
		assert_true(snap->history[TOPIC_NOTIFIED][i] == (float)(i + 6));
	assert_true(snap->rate[TOPIC_NOTIFIED] == STATS_HISTORY + 5);
	free(snap);
	free(s);
}

struct sample_race {
	struct stats *s;
	atomic_bool   done;
};

static void *
sampler(void *p)
{
	struct sample_race *r = p;
	int i;

	for (i = 1; i <= 2000; i++) {
		atomic_fetch_add(&r->s->seen[TOPIC_VALID], 3);
		stats_sample(r->s, 1000 * i);
	}
	atomic_store(&r->done, true);
	return NULL;
}

/* A snapshot on one thread while another samples (for TSan). */
static void
test_sample_vs_snapshot(void **state)
{
	struct sample_race r;
	struct stats_snapshot *snap = malloc(sizeof *snap);
	pthread_t th;
	int i;

	(void)state;
	r.s = malloc(sizeof *r.s);
	stats_init(r.s);
	atomic_init(&r.done, false);
	assert_int_equal(pthread_create(&th, NULL, sampler, &r), 0);
	while (!atomic_load(&r.done)) {
		stats_snapshot(r.s, snap);
		for (i = 0; i < STATS_HISTORY; i++)
			assert_true(snap->history[TOPIC_VALID][i] == 0.0f ||
			            snap->history[TOPIC_VALID][i] == 3.0f);
	}
	pthread_join(th, NULL);
	stats_snapshot(r.s, snap);
	assert_true(snap->rate[TOPIC_VALID] == 3.0);
	free(snap);
	free(r.s);
}

static void
test_clocks(void **state)
{
	int64_t w = now_ms(), m = mono_ms();
	uint64_t u = mono_us();

	(void)state;
	assert_true(w > INT64_C(1600000000000));          /* after 2020 */
	assert_true(m >= 0);
	assert_true(u / 1000 >= (uint64_t)m);
	assert_true(u / 1000 - (uint64_t)m < 1000);
	assert_true(mono_ms() >= m);
}

/* The coarse clock never goes back and stays within a few timer ticks
 * behind the precise one, across 20 ms of reads. */
static void
test_mono_ms_coarse_follows_mono_ms(void **state)
{
	(void)state;
	int64_t last = mono_ms_coarse(), start = mono_ms();
	while (mono_ms() - start < 20) {
		int64_t c = mono_ms_coarse(), m = mono_ms();
		assert_true(c >= last);
		assert_true(c <= m);
		assert_true(m - c < 50);
		last = c;
	}
	assert_true(last > start - 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mono_ms_coarse_follows_mono_ms),
		cmocka_unit_test(test_hist_empty),
		cmocka_unit_test(test_hist_uniform_percentiles),
		cmocka_unit_test(test_hist_every_value_within_bound),
		cmocka_unit_test(test_hist_skewed),
		cmocka_unit_test(test_hist_edges),
		cmocka_unit_test(test_hist_batch_equals_one_by_one),
		cmocka_unit_test(test_concurrent_recording),
		cmocka_unit_test(test_sample_rates_and_history),
		cmocka_unit_test(test_sample_vs_snapshot),
		cmocka_unit_test(test_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
