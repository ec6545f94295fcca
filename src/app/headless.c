/*
 * headless.c — the run loop when there is no dashboard (see headless.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "engine.h"
#include "headless.h"
#include "log.h"
#include "summary.h"

static const char *end_reason = "stopped";

static void
status_line(struct engine *e, double elapsed)
{
	struct stats_snapshot s;
	struct broker_status b;
	struct order_table_counts c;
	struct rules_status rs;
	struct generator_status g;

	stats_snapshot(engine_stats(e), &s);
	engine_broker_status(e, &b);
	order_table_counts(engine_orders(e), &c);
	engine_rules_status(e, &rs);
	engine_generator_status(e, &g);
	char poison[48] = ""; /* only when there were any */
	if (s.forced_dead_letters > 0)
		snprintf(poison, sizeof poison, " | poison %" PRIu64, s.forced_dead_letters);
	char dropped[64] = ""; /* fraud state forgotten for memory */
	if (s.fraud_state_dropped > 0)
		snprintf(dropped, sizeof dropped, " | state dropped %" PRIu64,
			 s.fraud_state_dropped);
	fprintf(stderr,
		"ordertop %6.1fs | produced %" PRIu64 " approved %" PRIu64 " refused %" PRIu64
		" notified %" PRIu64 " dlq %" PRIu64 " dup %" PRIu64 " | %.0f orders/s"
		" | e2e p50 %.1f p99 %.1f ms | brokers %d/%d | rules v%" PRIu64
		" | in flight %" PRIu64 "%s%s%s\n",
		elapsed, s.produced, s.approved, s.refused, s.notified, s.dead_lettered,
		s.duplicates, s.rate[TOPIC_ORDERS], s.p50_ms[HOP_END_TO_END],
		s.p99_ms[HOP_END_TO_END], b.up, b.total, rs.current.version,
		c.local_registered - c.local_final, g.holding_back ? " (holding back)" : "", poison,
		dropped);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int
headless_run(struct engine *e, const struct config *cfg)
{
	int64_t start = mono_ms(), last_status = start, drain_started = 0;
	int rc = 0;

	end_reason = "stopped";
	while (!engine_stopping(e)) {
		sleep_ms(50);
		int64_t now = mono_ms();
		double elapsed = (double)(now - start) / 1000.0;
		if (now - last_status >= 1000) {
			engine_tick(e);
			if (cfg->log_level >= LOG_WARN)
				status_line(e, elapsed);
			last_status = now;
		}
		if (engine_fatal_error(e)) {
			end_reason = "fatal";
			rc = 1;
			break;
		}
		if (cfg->duration > 0 && elapsed >= cfg->duration && drain_started == 0) {
			if (!cfg->drain) {
				end_reason = "duration";
				break;
			}
			engine_generator_finish(e);
		}
		if (cfg->drain) {
			struct generator_status g;
			engine_generator_status(e, &g);
			if (drain_started == 0 && g.finished) {
				drain_started = now;
				log_info("headless", "generator finished; draining");
			}
			if (drain_started && engine_drained(e)) {
				end_reason = "drained";
				break;
			}
			if (drain_started &&
			    now - drain_started > (int64_t)(cfg->drain_timeout * 1000)) {
				struct order_table_counts c;
				order_table_counts(engine_orders(e), &c);
				log_error("headless",
					  "drain timed out after %.0f s: %" PRIu64
					  " order(s) have no final state",
					  cfg->drain_timeout, c.local_registered - c.local_final);
				end_reason = "drain-timeout";
				rc = 1;
				break;
			}
		}
	}
	if (engine_stopping(e) && rc == 0 && strcmp(end_reason, "stopped") == 0)
		end_reason = engine_fatal_error(e) ? "fatal" : "signal";
	if (engine_fatal_error(e))
		rc = 1;
	engine_tick(e);
	status_line(e, (double)(mono_ms() - start) / 1000.0);
	return rc;
}

static cJSON *
latency_json(const struct stats_snapshot *s, enum hop h)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "p50", s->p50_ms[h]);
	cJSON_AddNumberToObject(j, "p95", s->p95_ms[h]);
	cJSON_AddNumberToObject(j, "p99", s->p99_ms[h]);
	cJSON_AddNumberToObject(j, "max", s->max_ms[h]);
	return j;
}

int
headless_write_summary(struct engine *e, const char *path, const char *why, char *err,
		       size_t errlen)
{
	struct stats_snapshot s;
	struct order_table_counts c;
	struct broker_status b;
	struct rules_status rs;

	int64_t first, last;

	stats_snapshot(engine_stats(e), &s);
	order_table_counts(engine_orders(e), &c);
	engine_broker_status(e, &b);
	engine_rules_status(e, &rs);
	engine_run_span(e, &first, &last);

	double seconds = first > 0 && last > first ? (double)(last - first) / 1000.0 : 0;
	uint64_t finished = c.local_registered > 0 ? c.local_final : s.notified;

	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "produced", (double)s.produced);
	cJSON_AddNumberToObject(j, "generated", (double)s.generated);
	cJSON_AddNumberToObject(j, "approved", (double)s.approved);
	cJSON_AddNumberToObject(j, "refused", (double)s.refused);
	cJSON_AddNumberToObject(j, "notified", (double)s.notified);
	cJSON_AddNumberToObject(j, "dead_lettered", (double)s.dead_lettered);
	cJSON_AddNumberToObject(j, "duplicates", (double)s.duplicates);
	cJSON_AddNumberToObject(j, "lost", (double)(c.local_registered - c.local_final));
	cJSON_AddNumberToObject(j, "seconds", seconds);
	cJSON_AddNumberToObject(j, "orders_per_sec", seconds > 0 ? (double)finished / seconds : 0);
	cJSON_AddItemToObject(j, "latency_ms", latency_json(&s, HOP_END_TO_END));
	cJSON *hops = cJSON_AddObjectToObject(j, "hop_latency_ms");
	cJSON_AddItemToObject(hops, "decide", latency_json(&s, HOP_DECIDE));
	cJSON_AddItemToObject(hops, "notify", latency_json(&s, HOP_NOTIFY));
	cJSON_AddNumberToObject(j, "produce_errors", (double)s.produce_errors);
	cJSON_AddNumberToObject(j, "fraud_processed", (double)s.fraud_in);
	cJSON_AddNumberToObject(j, "notify_failed", (double)s.notify_failed);
	cJSON_AddNumberToObject(j, "skipped", (double)s.fraud_skipped);
	cJSON_AddNumberToObject(j, "foreign", (double)s.notify_foreign);
	cJSON_AddNumberToObject(j, "txn_commits", (double)s.txn_commits);
	cJSON_AddNumberToObject(j, "txn_aborts", (double)s.txn_aborts);
	cJSON_AddNumberToObject(j, "forced_dead_letters", (double)s.forced_dead_letters);
	cJSON *state = cJSON_AddObjectToObject(j, "fraud_state");
	cJSON_AddNumberToObject(state, "records", (double)s.fraud_state_records);
	cJSON_AddNumberToObject(state, "restored", (double)s.fraud_state_restored);
	cJSON_AddNumberToObject(state, "dropped", (double)s.fraud_state_dropped);
	cJSON_AddNumberToObject(j, "rules_version", (double)rs.current.version);
	cJSON *broker = cJSON_AddObjectToObject(j, "broker");
	cJSON_AddBoolToObject(broker, "embedded", b.embedded);
	cJSON_AddStringToObject(broker, "bootstraps", b.bootstraps);
	cJSON_AddNumberToObject(broker, "up", b.up);
	cJSON_AddNumberToObject(broker, "total", b.total);
	cJSON_AddStringToObject(j, "end", why ? why : end_reason);
	if (engine_fatal_error(e))
		cJSON_AddStringToObject(j, "error", engine_fatal_error(e));

	char *text = cJSON_Print(j);
	cJSON_Delete(j);
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = summary_write(path, text, err, errlen);
	free(text);
	return rc;
}
