/*
 * http_metrics.c — GET /metrics: the pipeline's counters in Prometheus'
 * text exposition format 0.0.4.  The counts are the ones --summary
 * writes (stats_snapshot), so the two agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include "engine.h"
#include "http.h"
#include "pipeline.h"
#include "stats.h"

/* The latency histogram's bounds, seconds. */
static const double latency_bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
};

#define HTTP_COUNTS_MAX 128

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, quote and newline escaped. */
static void
label(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void
counter(FILE *f, const char *name, const char *help, uint64_t v)
{
	family(f, name, "counter", help);
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

static void
latency(FILE *f, const struct latency_hist *h)
{
	const char *name = "ordertop_e2e_latency_seconds";
	family(f, name, "histogram", "order created to customer notified");
	for (size_t i = 0; i < sizeof latency_bounds / sizeof latency_bounds[0]; i++)
		fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name, latency_bounds[i],
			(unsigned long long)hist_count_at_most_us(
				h, (uint64_t)(latency_bounds[i] * 1e6)));
	unsigned long long count = atomic_load(&h->count);
	/* +Inf is the count: buckets are summed a moment earlier, never above it */
	fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name, count);
	fprintf(f, "%s_sum %.6f\n%s_count %llu\n", name, hist_sum_seconds(h), name, count);
}

int
http_metrics_get(struct http_request *r)
{
	struct engine *e = r->engine;
	const struct config *cfg = engine_config(e);
	struct stats_snapshot s;
	struct rules_status rs;
	struct broker_status b;
	char *text = NULL;
	size_t len = 0;

	FILE *f = open_memstream(&text, &len);
	if (f == NULL) {
		http_reply_error(r, 500, NULL, 0, "out of memory");
		return HTTP_REPLY;
	}
	stats_snapshot(engine_stats(e), &s);
	engine_rules_status(e, &rs);
	engine_broker_status(e, &b);

	counter(f, "ordertop_orders_produced_total",
		"orders delivered to the orders topic by "
		"this process",
		s.produced);
	counter(f, "ordertop_orders_generated_total", "orders made by the generator", s.generated);
	counter(f, "ordertop_produce_errors_total", "orders the broker did not take",
		s.produce_errors);
	family(f, "ordertop_orders_decided_total", "counter", "decisions seen by the monitor");
	fprintf(f, "ordertop_orders_decided_total{decision=\"approved\"} %llu\n",
		(unsigned long long)s.approved);
	fprintf(f, "ordertop_orders_decided_total{decision=\"refused\"} %llu\n",
		(unsigned long long)s.refused);
	counter(f, "ordertop_orders_notified_total", "notified orders seen by the monitor",
		s.notified);
	family(f, "ordertop_dead_letters_total", "counter",
	       "dead-lettered orders seen by the "
	       "monitor");
	fprintf(f, "ordertop_dead_letters_total{topic=\"");
	label(f, cfg->topics[TOPIC_DLQ]);
	fprintf(f, "\"} %llu\n", (unsigned long long)s.dead_lettered);
	counter(f, "ordertop_duplicates_total", "orders decided or notified twice", s.duplicates);
	latency(f, &engine_stats(e)->hop[HOP_END_TO_END]);

	struct pipeline_lag_row lag[PIPELINE_LAG_MAX];
	size_t nlag = engine_consumer_lag(e, lag, PIPELINE_LAG_MAX);
	family(f, "ordertop_consumer_lag_records", "gauge",
	       "records behind the high watermark, "
	       "per consumer group and partition of this process");
	for (size_t i = 0; i < nlag; i++) {
		fprintf(f, "ordertop_consumer_lag_records{group=\"");
		label(f, lag[i].group);
		fprintf(f, "\",topic=\"");
		label(f, cfg->topics[lag[i].topic]);
		fprintf(f, "\",partition=\"%d\"} %lld\n", (int)lag[i].partition,
			(long long)lag[i].lag);
	}
	family(f, "ordertop_transactions_total", "counter",
	       "transactions of this process's stages");
	fprintf(f, "ordertop_transactions_total{result=\"commit\"} %llu\n",
		(unsigned long long)s.txn_commits);
	fprintf(f, "ordertop_transactions_total{result=\"abort\"} %llu\n",
		(unsigned long long)s.txn_aborts);
	family(f, "ordertop_rules_version", "gauge", "the rule set version in force");
	fprintf(f, "ordertop_rules_version %llu\n", (unsigned long long)rs.current.version);
	family(f, "ordertop_brokers_up", "gauge", "brokers reachable");
	fprintf(f, "ordertop_brokers_up %d\n", b.up);
	family(f, "ordertop_brokers", "gauge", "brokers known");
	fprintf(f, "ordertop_brokers %d\n", b.total);

	struct http_count hc[HTTP_COUNTS_MAX];
	size_t nhc = http_counts_list(r->counts, hc, HTTP_COUNTS_MAX);
	family(f, "ordertop_http_requests_total", "counter", "HTTP requests answered");
	for (size_t i = 0; i < nhc; i++) {
		if (hc[i].status)
			fprintf(f, "ordertop_http_requests_total{method=\"%s\",code=\"%d\"} %llu\n",
				hc[i].method, hc[i].status, (unsigned long long)hc[i].n);
		else
			fprintf(f,
				"ordertop_http_requests_total{method=\"%s\",code=\"other\"} %llu\n",
				hc[i].method, (unsigned long long)hc[i].n);
	}
	if (fclose(f) != 0 || text == NULL) {
		free(text);
		http_reply_error(r, 500, NULL, 0, "out of memory");
		return HTTP_REPLY;
	}
	http_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
	return HTTP_REPLY;
}
