/*
 * timeline.h — latency over time for the benchmark tools (kwatch, limit):
 * collect (creation time, latency) pairs, then write per second of
 * creation time the count and latency p50/p99/max as CSV
 * ("s,count,p50_ms,p99_ms,max_ms").  Header-only: static functions.
 */
#ifndef BENCH_TIMELINE_H
#define BENCH_TIMELINE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct timeline_sample { int64_t created_us; uint32_t lat_us; };
struct timeline { struct timeline_sample *v; size_t n, cap; };

static inline void
timeline_add(struct timeline *t, int64_t created_us, uint64_t lat_us)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 65536;
		struct timeline_sample *v = realloc(t->v, cap * sizeof *v);
		if (v == NULL)
			return;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].created_us = created_us;
	t->v[t->n++].lat_us = lat_us > UINT32_MAX ? UINT32_MAX : (uint32_t)lat_us;
}

static inline int
timeline_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* t0: the creation time second 0 starts at. */
static inline void
timeline_write(const struct timeline *t, const char *path, int64_t t0)
{
	if (t->n == 0)
		return;
	int64_t last = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].created_us - t0 > last)
			last = t->v[i].created_us - t0;
	size_t secs = (size_t)(last / 1000000) + 1;
	size_t *cnt = calloc(secs, sizeof *cnt), *pos = calloc(secs + 1, sizeof *pos);
	size_t *fill = calloc(secs, sizeof *fill);
	uint32_t *lat = malloc(t->n * sizeof *lat);
	FILE *f = fopen(path, "w");
	if (cnt && pos && fill && lat && f) {
		for (size_t i = 0; i < t->n; i++)
			if (t->v[i].created_us >= t0)
				cnt[(size_t)((t->v[i].created_us - t0) / 1000000)]++;
		for (size_t k = 0; k < secs; k++)
			pos[k + 1] = pos[k] + cnt[k];
		for (size_t i = 0; i < t->n; i++) {
			if (t->v[i].created_us < t0)
				continue;
			size_t k = (size_t)((t->v[i].created_us - t0) / 1000000);
			lat[pos[k] + fill[k]++] = t->v[i].lat_us;
		}
		fprintf(f, "s,count,p50_ms,p99_ms,max_ms\n");
		for (size_t k = 0; k < secs; k++) {
			if (cnt[k] == 0)
				continue;
			uint32_t *v = lat + pos[k];
			qsort(v, cnt[k], sizeof *v, timeline_cmp_u32);
			fprintf(f, "%zu,%zu,%.2f,%.2f,%.2f\n", k, cnt[k], v[(cnt[k] - 1) / 2] / 1000.0,
			        v[(cnt[k] - 1) * 99 / 100] / 1000.0, v[cnt[k] - 1] / 1000.0);
		}
	}
	if (f)
		fclose(f);
	free(cnt);
	free(pos);
	free(fill);
	free(lat);
}

static inline void
timeline_free(struct timeline *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

#endif
