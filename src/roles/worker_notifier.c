/*
 * worker_notifier.c — the notifier role: consumes notifications in its own
 * consumer group, tells the customer (the log, and --notify-exec PROG when
 * given), and publishes that the customer was notified (orders.notified),
 * in one transaction with the consumed offsets.  Only decisions are acted
 * on: a record that is not one (another system's status update, anything
 * unreadable) is foreign, counted and left alone.  A notification that
 * PROG could not deliver after its retries goes to the dead-letter topic
 * with the reason.  A notification shaped by --notification-map is read
 * from its ordertop.record header, and the notified record is shaped by
 * the same map.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dead_letter.h"
#include "decision.h"
#include "int_text.h"
#include "jq_map.h"
#include "json_writer.h"
#include "log.h"
#include "notified_json.h"
#include "notify_exec.h"
#include "pipeline.h"
#include "role.h"
#include "txn_stage.h"

/* A notification waiting for PROG, with what its outputs need. */
struct pending {
	struct notice notice;
	char *payload;
	size_t len;
	char source[CONFIG_TOPIC_MAX + 48]; /* --trace-headers */
	char src_topic[CONFIG_TOPIC_MAX + 1];
	int32_t partition;
	int64_t offset;
};

struct notifier {
	struct pipeline *p;
	struct notify_exec *exec; /* NULL: the log only */
	struct jq_map *map;       /* --notification-map, or NULL */
	struct pending *batch;
	size_t n, cap;
};

static int
publish_notified(struct txn_stage *st, const struct pending *p, const char *channel, int attempts)
{
	struct pipeline *pl = txn_stage_pipeline(st);
	struct notifier *nt = txn_stage_arg(st);
	const struct config *cfg = pl->cfg;
	const struct notice *n = &p->notice;
	struct json_writer w;
	size_t len;
	json_writer_init(&w);
	notified_json_write(&w, n, now_ms(), channel, attempts);
	const char *json = json_writer_text(&w, &len);
	if (json == NULL) {
		json_writer_discard(&w);
		return -1;
	}
	char created[INT_TEXT_MAX], decided[INT_TEXT_MAX];
	const char *trace[] = {
		HDR_ORDER_ID, n->order_id, HDR_CREATED_MS, created,   HDR_DECIDED_MS,
		decided,      HDR_SOURCE,  p->source,      HDR_STAGE, "notifier",
		NULL,         NULL,        NULL,
	};
	const char *const *hdrs = NULL;
	const char *value = json;
	size_t vlen = len;
	if (cfg->trace_headers) {
		int_text(created, n->created_ms);
		int_text(decided, n->decided_ms);
		hdrs = trace;
	}
	if (nt->map != NULL) {
		char why[JQ_MAP_ERR_MAX];
		enum jq_map_result r =
			jq_map_run(nt->map, json, len, &value, &vlen, why, sizeof why);
		if (r == JQ_MAP_ERROR)
			log_warn("notify", "--notification-map on order %s: %s; written unmapped",
				 n->order_id, why);
		if (r != JQ_MAP_OK) {
			value = json;
			vlen = len;
		}
		const char **extra = cfg->trace_headers ? &trace[10] : &trace[0];
		extra[0] = HDR_RECORD;
		extra[1] = json;
		extra[2] = NULL;
		hdrs = trace;
	}
	int rc = txn_stage_produce(st, cfg->topics[TOPIC_NOTIFIED], n->user_id, strlen(n->user_id),
				   value, vlen, hdrs);
	json_writer_discard(&w);
	if (rc == 0)
		atomic_fetch_add(&pl->stats.notify_delivered, 1);
	return rc;
}

/* What publishing the notified record needs besides the notice. */
static void
fill_pending(struct pending *p, const rd_kafka_message_t *m, bool trace_headers)
{
	if (p->notice.decided_ms == 0) { /* another client's notification */
		rd_kafka_timestamp_type_t tstype;
		p->notice.decided_ms = rd_kafka_message_timestamp(m, &tstype);
	}
	if (trace_headers)
		kafka_source_text(p->source, sizeof p->source, m);
}

/* Where the notification came from, for a dead letter after PROG failed. */
static void
fill_pending_source(struct pending *p, const rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	size_t tl = strnlen(topic, sizeof p->src_topic - 1);
	memcpy(p->src_topic, topic, tl);
	p->src_topic[tl] = '\0';
	p->partition = m->partition;
	p->offset = m->offset;
}

static int
notifier_process(struct txn_stage *st, const rd_kafka_message_t *m)
{
	struct notifier *nt = txn_stage_arg(st);
	struct pending p; /* filled as far as its use needs: ~800 bytes */
	char reason[160];
	const void *rec;
	size_t reclen;

	kafka_record_value(m, &rec, &reclen);
	if (notice_parse(rec, reclen, &p.notice, reason, sizeof reason) < 0 ||
	    !notice_is_decision(&p.notice)) {
		atomic_fetch_add(&nt->p->stats.notify_foreign, 1);
		log_debug("notify", "%s [%" PRId32 "] @%" PRId64 " is no decision, not notified",
			  rd_kafka_topic_name(m->rkt), m->partition, m->offset);
		return 0;
	}
	fill_pending(&p, m, nt->p->cfg->trace_headers);
	log_debug("notify", "order %s for %s: %s", p.notice.order_id, p.notice.user_id,
		  p.notice.status);
	if (nt->exec == NULL)
		return publish_notified(st, &p, "log", 1);
	fill_pending_source(&p, m);

	if (nt->n == nt->cap) {
		size_t cap = nt->cap ? nt->cap * 2 : 64;
		struct pending *b = realloc(nt->batch, cap * sizeof *b);
		if (b == NULL)
			return -1;
		nt->batch = b;
		nt->cap = cap;
	}
	p.payload = malloc(m->len + 1);
	if (p.payload == NULL)
		return -1;
	memcpy(p.payload, m->payload, m->len);
	p.payload[m->len] = '\0';
	p.len = m->len;
	nt->batch[nt->n++] = p;
	return 0;
}

static void
batch_clear(struct notifier *nt)
{
	for (size_t i = 0; i < nt->n; i++)
		free(nt->batch[i].payload);
	nt->n = 0;
}

/* Runs PROG for the whole batch, in parallel, then publishes the outcome. */
static int
notifier_before_commit(struct txn_stage *st)
{
	struct notifier *nt = txn_stage_arg(st);
	struct pipeline *pl = nt->p;
	int rc = 0;

	if (nt->n == 0)
		return 0;
	struct notify_job *jobs = calloc(nt->n, sizeof *jobs);
	if (jobs == NULL)
		return -1;
	for (size_t i = 0; i < nt->n; i++) {
		jobs[i].json = nt->batch[i].payload;
		jobs[i].len = nt->batch[i].len;
	}
	notify_exec_run(nt->exec, jobs, nt->n, &pl->stop);
	for (size_t i = 0; i < nt->n && rc == 0; i++) {
		struct pending *p = &nt->batch[i];
		if (jobs[i].attempts > 1)
			atomic_fetch_add(&pl->stats.notify_retries,
					 (uint64_t)(jobs[i].attempts - 1));
		if (jobs[i].ok) {
			rc = publish_notified(st, p, "exec", jobs[i].attempts);
			continue;
		}
		if (pipeline_stopping(pl)) {
			rc = -1; /* not delivered: abort, so it is retried next run */
			break;
		}
		atomic_fetch_add(&pl->stats.notify_failed, 1);
		char reason[256];
		snprintf(reason, sizeof reason,
			 "notification not delivered after %d attempt(s): %s", jobs[i].attempts,
			 jobs[i].error);
		log_warn("notify", "order %s: %s", p->notice.order_id, reason);
		struct dead_letter dl = {
			.reason = reason,
			.stage = "notifier",
			.src_topic = p->src_topic,
			.partition = p->partition,
			.offset = p->offset,
			.order_id = p->notice.order_id,
			.key = p->notice.user_id,
			.key_len = strlen(p->notice.user_id),
			.val = p->payload,
			.val_len = p->len,
		};
		rc = txn_stage_dead_letter_record(st, &dl);
	}
	free(jobs);
	batch_clear(nt);
	return rc;
}

static void
notifier_after_abort(struct txn_stage *st)
{
	batch_clear(txn_stage_arg(st));
}

static const struct txn_stage_ops notifier_ops = {
	.role = "notifier",
	.process = notifier_process,
	.before_commit = notifier_before_commit,
	.after_abort = notifier_after_abort,
};

static bool
notifier_runs_here(const struct config *cfg)
{
	return (cfg->roles & ROLE_NOTIFIER) != 0;
}

static void
notifier_main(struct pipeline *p, void *state)
{
	const struct config *cfg = p->cfg;
	struct notifier nt = { .p = p };
	char group[CONFIG_TOPIC_MAX + 16], txn_id[CONFIG_TOPIC_MAX + 64];

	(void)state;
	snprintf(group, sizeof group, "%s-notifier", cfg->group_prefix);
	snprintf(txn_id, sizeof txn_id, "%s-notifier-%s", cfg->group_prefix, cfg->instance);
	if (cfg->notification_map) {
		char err[JQ_MAP_ERR_MAX];
		nt.map = jq_map_new(cfg->notification_map, err, sizeof err);
		if (nt.map == NULL) {
			pipeline_set_fatal(p, "notifier: %s", err);
			pipeline_request_stop(p);
			return;
		}
	}
	if (cfg->notify_exec) {
		nt.exec = notify_exec_new(cfg->notify_exec, cfg->notify_concurrency,
					  cfg->notify_timeout_ms, cfg->notify_retries);
		if (nt.exec == NULL) {
			pipeline_set_fatal(p, "notifier: cannot use --notify-exec '%s'",
					   cfg->notify_exec);
			pipeline_request_stop(p);
			jq_map_free(nt.map);
			return;
		}
		log_info("notify", "delivering notifications through '%s' (%d at a time)",
			 cfg->notify_exec, cfg->notify_concurrency);
	}
	struct txn_stage_params params = {
		.input_topic = cfg->topics[TOPIC_NOTIFICATIONS],
		.group_id = group,
		.transactional_id = txn_id,
		.arg = &nt,
		/* A transaction must not outlive PROG's batch by much. */
		.max_msgs = nt.exec ? cfg->notify_concurrency * 4 : 0,
		.outputs = { cfg->topics[TOPIC_NOTIFIED], cfg->topics[TOPIC_DLQ] },
	};
	txn_stage_run(p, &notifier_ops, &params);
	batch_clear(&nt);
	free(nt.batch);
	notify_exec_free(nt.exec);
	jq_map_free(nt.map);
}

const struct role role_notifier = {
	.name = "notifier",
	.thread_name = "ot-notifier",
	.runs_here = notifier_runs_here,
	.prepare = txn_stage_prepare,
	.main = notifier_main,
};
