/*
 * worker_fraud.c — the fraud role: consumes orders in a consumer group,
 * evaluates the fraud rules, and publishes, in one transaction with the
 * consumed offsets, the decided order (orders.valid or orders.refused) and
 * the customer notification.  Unreadable orders go to the dead-letter
 * topic.  With --order-map each record is first turned into an order by a
 * jq program (`empty` skips it); --decision-map and --notification-map
 * shape what is written, ordertop's own record then riding along in the
 * ordertop.record header for its readers.  Rule sets arrive on fraud.rules (from any process); each one is
 * applied between two orders and acknowledged with a worker record.
 *
 * The velocity and replay rules' memory (one fraud_state per partition)
 * is durable (fraud_store.h): restored from fraud.state when a partition
 * is assigned, its changes written there in each transaction, taken back
 * to the last commit when a transaction aborts.  --fraud-state memory
 * keeps it in this process only (restarts start empty).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decision.h"
#include "decided_json.h"
#include "flat_json.h"
#include "fraud_rules.h"
#include "fraud_state_internal.h"
#include "fraud_store.h"
#include "int_text.h"
#include "jq_map.h"
#include "json_writer.h"
#include "log.h"
#include "notification_json.h"
#include "order.h"
#include "pipeline.h"
#include "role.h"
#include "rules_topic.h"
#include "txn_stage.h"

struct fraud_worker {
	struct pipeline *p;
	char id[CONFIG_TOPIC_MAX];
	char decided_by[sizeof((struct decision *)0)->decided_by]; /* id, cut */
	struct ruleset rules;                                      /* the set in force */
	bool ack_pending;                                          /* tell others what we apply */
	rd_kafka_t *rules_reader;
	struct fraud_state **state; /* per input partition */
	int32_t n_state;
	struct fraud_store *store; /* NULL: --fraud-state memory */
	/* --order-map, --decision-map, --notification-map; NULL = none */
	struct jq_map *order_map, *decision_map, *notice_map;
	/* Counts for stats.h, added there by flush_counts() at each tick
	 * (every 64 orders or 10 ms) and at the end: not an atomic add or
	 * two per order. */
	struct {
		uint64_t in, dlq, approved, refused, skipped;
		uint64_t state_records, state_dropped;
	} counts;
};

static void
flush_counts(struct fraud_worker *fw)
{
	struct stats *s = &fw->p->stats;

	stats_add_pending(&s->fraud_in, &fw->counts.in);
	stats_add_pending(&s->fraud_dlq, &fw->counts.dlq);
	stats_add_pending(&s->fraud_approved, &fw->counts.approved);
	stats_add_pending(&s->fraud_refused, &fw->counts.refused);
	stats_add_pending(&s->fraud_skipped, &fw->counts.skipped);
	stats_add_pending(&s->fraud_state_records, &fw->counts.state_records);
	stats_add_pending(&s->fraud_state_dropped, &fw->counts.state_dropped);
}

static struct fraud_state *
state_for(struct fraud_worker *fw, int32_t partition)
{
	if (partition >= fw->n_state) {
		int32_t n = partition + 16;
		struct fraud_state **s = realloc(fw->state, (size_t)n * sizeof *s);
		if (s == NULL)
			return NULL;
		memset(s + fw->n_state, 0, (size_t)(n - fw->n_state) * sizeof *s);
		fw->state = s;
		fw->n_state = n;
	}
	if (fw->state[partition] == NULL) {
		/* per partition, allocated up front */
		fw->state[partition] = fraud_state_new((size_t)fw->p->cfg->velocity_users,
						       (size_t)fw->p->cfg->replay_ids);
		if (fw->state[partition] != NULL)
			fraud_state_set_horizon(fw->state[partition],
						(int64_t)fw->p->cfg->replay_horizon_s * 1000);
	}
	return fw->state[partition];
}

static void
forget_partition(struct fraud_worker *fw, int32_t partition)
{
	if (partition < fw->n_state && fw->state[partition]) {
		fraud_state_free(fw->state[partition]);
		fw->state[partition] = NULL;
	}
}

static void
apply_record(void *arg, const struct rules_record *r)
{
	struct fraud_worker *fw = arg;

	if (r->kind != RULES_RECORD_RULESET)
		return;
	rules_store_seen(&fw->p->rules, &r->ruleset);
	bool changed = r->ruleset.version != fw->rules.version;
	fw->rules = r->ruleset; /* the newest record wins */
	if (changed) {
		fw->ack_pending = true;
		log_info("fraud", "%s applies rules version %" PRIu64, fw->id, fw->rules.version);
	}
}

/* A record written through an output map: the map's result as the value,
 * ordertop's own record in the HDR_RECORD header.  hdrs is the trace list
 * (or NULL); its room for two more strings is used. */
static int
produce_mapped(struct txn_stage *st, struct jq_map *map, const char *topic, const char *key,
	       const char *json, size_t len, const char **hdrs, size_t n_hdrs)
{
	const char *out;
	size_t outlen;
	char why[JQ_MAP_ERR_MAX];

	enum jq_map_result r = jq_map_run(map, json, len, &out, &outlen, why, sizeof why);
	if (r == JQ_MAP_ERROR)
		log_warn("fraud", "output map for '%s': %s; written unmapped", topic, why);
	if (r != JQ_MAP_OK) { /* empty or failed: ordertop's own record */
		out = json;
		outlen = len;
	}
	hdrs[n_hdrs] = HDR_RECORD;
	hdrs[n_hdrs + 1] = json;
	hdrs[n_hdrs + 2] = NULL;
	return txn_stage_produce(st, topic, key, strlen(key), out, outlen, hdrs);
}

static int
fraud_process(struct txn_stage *st, const rd_kafka_message_t *m)
{
	struct fraud_worker *fw = txn_stage_arg(st);
	const struct config *cfg = fw->p->cfg;
	struct order o;
	struct flat_member members[ORDER_FLAT_MEMBERS_MAX];
	int n_members;
	struct decision d;
	char reason[160];

	fw->counts.in++;
	/* With a store, only a restored partition decides (see on_assign). */
	struct fraud_state *fs = fw->store == NULL                ? state_for(fw, m->partition)
		: m->partition >= 0 && m->partition < fw->n_state ? fw->state[m->partition]
								  : NULL;
	if (fs == NULL)
		return -1;
	fraud_evaluate_prefetch(fs, m->key, m->key_len); /* while the order is read */
	const void *in = m->payload;
	size_t inlen = m->len;
	if (fw->order_map != NULL) {
		char why[JQ_MAP_ERR_MAX];
		const char *mapped;
		switch (jq_map_run(fw->order_map, m->payload, m->len, &mapped, &inlen, why,
				   sizeof why)) {
		case JQ_MAP_EMPTY: fw->counts.skipped++; return 0;
		case JQ_MAP_ERROR:
			snprintf(reason, sizeof reason, "--order-map: %s", why);
			fw->counts.dlq++;
			return txn_stage_dead_letter(st, m, reason);
		case JQ_MAP_OK: in = mapped; break;
		}
	}
	if (order_parse_members(in, inlen, &o, members, &n_members, reason, sizeof reason) < 0) {
		if (fw->order_map != NULL) {
			char why[sizeof reason];
			memcpy(why, reason, sizeof why);
			snprintf(reason, sizeof reason, "--order-map result: %s", why);
		}
		fw->counts.dlq++;
		return txn_stage_dead_letter(st, m, reason);
	}

	rd_kafka_timestamp_type_t tstype;
	int64_t msg_ts = rd_kafka_message_timestamp(m, &tstype);
	int64_t event_ms = o.created_at_ms > 0 ? o.created_at_ms : msg_ts;
	fraud_evaluate(&fw->rules, fs, &o, event_ms, &d);
	d.decided_at_ms = now_ms();
	memcpy(d.decided_by, fw->decided_by, sizeof d.decided_by);
	/* Both records carry the creation time the latencies start from. */
	d.created_at_ms = event_ms > 0 ? event_ms : 0;
	d.created_at_added = o.created_at_ms <= 0 && d.created_at_ms > 0;

	struct json_writer decided_w, notice_w;
	size_t decided_len = 0, notice_len;
	json_writer_init(&decided_w);
	json_writer_init(&notice_w);
	const char *decided = NULL;
	if (decided_json_write(&decided_w, in, inlen, members, n_members, &d) == 0)
		decided = json_writer_text(&decided_w, &decided_len);
	notification_json_write(&notice_w, &o, &d);
	const char *notice = json_writer_text(&notice_w, &notice_len);
	if (decided == NULL || notice == NULL) {
		json_writer_discard(&decided_w);
		json_writer_discard(&notice_w);
		return -1;
	}

	/* --trace-headers: the payloads carry all the monitor reads; these
	 * are for following one order across topics with other tools. */
	char created[INT_TEXT_MAX], decided_ms[INT_TEXT_MAX];
	char source[CONFIG_TOPIC_MAX + 48];
	const char *trace[] = {
		HDR_ORDER_ID, o.order_id, HDR_CREATED_MS, created, HDR_DECIDED_MS, decided_ms,
		HDR_SOURCE,   source,     HDR_STAGE,      "fraud", HDR_REPLAY,     "1",
		NULL,         NULL,       NULL,           NULL, /* produce_mapped()'s HDR_RECORD */
	};
	size_t n_trace = 0; /* strings in use */
	const char *const *hdrs = NULL;
	if (cfg->trace_headers) {
		int_text(created, d.created_at_ms);
		int_text(decided_ms, d.decided_at_ms);
		kafka_source_text(source, sizeof source, m);
		bool replay = false;
		for (int i = 0; i < d.n_fired; i++)
			replay |= strcmp(d.fired[i].id, FRAUD_RULE_REPLAY_ID) == 0;
		if (!replay)
			trace[10] = NULL; /* the replay pair is last */
		n_trace = replay ? 12 : 10;
		hdrs = trace;
	}
	bool approved = d.status == ORDER_APPROVED;
	const char *out = cfg->topics[approved ? TOPIC_VALID : TOPIC_REFUSED];
	size_t keylen = strlen(o.user_id);
	int rc;
	if (fw->decision_map != NULL)
		rc = produce_mapped(st, fw->decision_map, out, o.user_id, decided, decided_len,
				    trace, n_trace);
	else
		rc = txn_stage_produce(st, out, o.user_id, keylen, decided, decided_len, hdrs);
	trace[n_trace] = NULL; /* the trace list as it was */
	if (rc == 0 && fw->notice_map != NULL)
		rc = produce_mapped(st, fw->notice_map, cfg->topics[TOPIC_NOTIFICATIONS], o.user_id,
				    notice, notice_len, trace, n_trace);
	else if (rc == 0)
		rc = txn_stage_produce(st, cfg->topics[TOPIC_NOTIFICATIONS], o.user_id, keylen,
				       notice, notice_len, hdrs);
	json_writer_discard(&decided_w);
	json_writer_discard(&notice_w);
	if (rc == 0 && approved)
		fw->counts.approved++;
	else if (rc == 0)
		fw->counts.refused++;
	return rc;
}

/* Between orders: apply new rule sets and acknowledge the one in force. */
static void
fraud_tick(struct txn_stage *st)
{
	struct fraud_worker *fw = txn_stage_arg(st);

	flush_counts(fw);
	rules_reader_poll(fw->rules_reader, apply_record, fw);
	if (!fw->ack_pending)
		return;
	char key[96];
	snprintf(key, sizeof key, "%s%s", RULES_KEY_WORKER_PREFIX, fw->id);
	char *json = rules_worker_json(fw->id, fw->rules.version, now_ms());
	if (json &&
	    txn_stage_produce(st, fw->p->cfg->topics[TOPIC_RULES], key, strlen(key), json,
			      strlen(json), NULL) == 0)
		fw->ack_pending = false;
	free(json);
}

/* The state's changes go in the transaction with the decisions. */
static int
fraud_before_commit(struct txn_stage *st)
{
	struct fraud_worker *fw = txn_stage_arg(st);

	if (fw->store == NULL)
		return 0;
	for (int32_t p = 0; p < fw->n_state; p++) {
		if (fw->state[p] == NULL || !fraud_state_changed(fw->state[p]))
			continue;
		long n = fraud_store_flush(st, fw->p->cfg->topics[TOPIC_STATE], p, fw->state[p]);
		if (n < 0)
			return -1;
		fw->counts.state_records += (uint64_t)n;
	}
	return 0;
}

static void
fraud_after_commit(struct txn_stage *st)
{
	struct fraud_worker *fw = txn_stage_arg(st);

	for (int32_t p = 0; p < fw->n_state; p++)
		if (fw->state[p] != NULL)
			fw->counts.state_dropped += fraud_state_commit(fw->state[p]);
}

static void
fraud_after_abort(struct txn_stage *st)
{
	struct fraud_worker *fw = txn_stage_arg(st);
	/* The aborted orders were recorded (replay, velocity) and will be
	 * evaluated again: back to what the last commit left. */
	for (int32_t p = 0; p < fw->n_state; p++)
		if (fw->state[p] != NULL)
			fraud_state_rollback(fw->state[p]);
	fw->ack_pending = true;
}

/* Before the partition's first order: its state as the changelog has it. */
static void
fraud_on_assign(struct txn_stage *st, int32_t partition)
{
	struct fraud_worker *fw = txn_stage_arg(st);
	char err[384];

	forget_partition(fw, partition);
	if (fw->store == NULL)
		return;
	struct fraud_state *fs = state_for(fw, partition);
	long n = fs != NULL ? fraud_store_restore(fw->store, partition, fs, err, sizeof err) : -1;
	if (fs == NULL)
		snprintf(err, sizeof err, "out of memory");
	if (n < 0) {
		forget_partition(fw, partition); /* its orders are not decided */
		if (!pipeline_stopping(fw->p))
			pipeline_set_fatal(fw->p,
					   "fraud: cannot restore partition %" PRId32
					   " of its state: %s",
					   partition, err);
		pipeline_request_stop(fw->p);
		return;
	}
	atomic_fetch_add(&fw->p->stats.fraud_state_restored, (uint64_t)n);
}

static void
fraud_on_revoke(struct txn_stage *st, int32_t partition)
{
	forget_partition(txn_stage_arg(st), partition);
}

static const struct txn_stage_ops fraud_ops = {
	.role = "fraud",
	.process = fraud_process,
	.before_commit = fraud_before_commit,
	.after_commit = fraud_after_commit,
	.after_abort = fraud_after_abort,
	.on_assign = fraud_on_assign,
	.on_revoke = fraud_on_revoke,
	.tick = fraud_tick,
};

static bool
fraud_runs_here(const struct config *cfg)
{
	return (cfg->roles & ROLE_FRAUD) != 0;
}

static void
fraud_main(struct pipeline *p, void *state)
{
	const struct config *cfg = p->cfg;
	struct fraud_worker fw = { .p = p };
	char group[CONFIG_TOPIC_MAX + 16], err[512];

	(void)state;
	snprintf(fw.id, sizeof fw.id, "%s-fraud-%s", cfg->group_prefix, cfg->instance);
	snprintf(fw.decided_by, sizeof fw.decided_by, "%s", fw.id);
	snprintf(group, sizeof group, "%s-fraud", cfg->group_prefix);
	rules_store_current(&p->rules, &fw.rules);
	fw.ack_pending = true;
	/* This thread's own compiled maps (config.c checked that they compile). */
	struct {
		const char *program;
		struct jq_map **map;
	} maps[] = {
		{ cfg->order_map, &fw.order_map },
		{ cfg->decision_map, &fw.decision_map },
		{ cfg->notification_map, &fw.notice_map },
	};
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
		if (maps[i].program == NULL)
			continue;
		*maps[i].map = jq_map_new(maps[i].program, err, sizeof err);
		if (*maps[i].map == NULL) {
			pipeline_set_fatal(p, "fraud: %s", err);
			pipeline_request_stop(p);
			goto out;
		}
	}

	struct kafka_client_opts ro = { .kind = KAFKA_ASSIGN_CONSUMER,
					.name = "fraud-rules",
					.embedded = p->embedded != NULL };
	fw.rules_reader = kafka_client_new(cfg, p->bootstraps, &ro, &p->health, err, sizeof err);
	if (fw.rules_reader == NULL) {
		pipeline_set_fatal(p, "%s", err);
		pipeline_request_stop(p);
		goto out;
	}
	/* Decide the first order with the newest rules, not the defaults. */
	if (rules_reader_start(fw.rules_reader, cfg->topics[TOPIC_RULES]) == 0)
		rules_reader_catch_up(fw.rules_reader, cfg->topics[TOPIC_RULES], 10000,
				      apply_record, &fw);

	if (!cfg->fraud_state_memory && (fw.store = fraud_store_new(p)) == NULL) {
		pipeline_set_fatal(p, "fraud: out of memory");
		pipeline_request_stop(p);
		goto out;
	}
	struct txn_stage_params params = {
		.input_topic = cfg->topics[TOPIC_ORDERS],
		.group_id = group,
		.transactional_id = fw.id,
		.arg = &fw,
		.outputs = { cfg->topics[TOPIC_VALID], cfg->topics[TOPIC_REFUSED],
			     cfg->topics[TOPIC_NOTIFICATIONS], cfg->topics[TOPIC_DLQ],
			     cfg->topics[TOPIC_RULES], cfg->topics[TOPIC_STATE] },
	};
	txn_stage_run(p, &fraud_ops, &params);
	flush_counts(&fw);

	kafka_client_destroy(fw.rules_reader, 0);
	fraud_store_free(fw.store);
	fw.store = NULL;
	for (int32_t i = 0; i < fw.n_state; i++)
		forget_partition(&fw, i);
	free(fw.state);
out:
	jq_map_free(fw.order_map);
	jq_map_free(fw.decision_map);
	jq_map_free(fw.notice_map);
}

const struct role role_fraud = {
	.name = "fraud",
	.thread_name = "ot-fraud",
	.runs_here = fraud_runs_here,
	.prepare = txn_stage_prepare,
	.main = fraud_main,
};
