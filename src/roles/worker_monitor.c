/*
 * worker_monitor.c — the monitor role: reads every pipeline topic with
 * assign() and read_committed (no consumer group, no committed offsets, so
 * it never shows up as a lagging group), and turns what it sees into the
 * order table, the counters and latencies of stats.h, display events for
 * the dashboard, and the --audit trail.  It also follows fraud.rules (the
 * rule set in force and what each fraud worker applies) and, every few
 * seconds, how many brokers answer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "decision.h"
#include "embedded_broker.h"
#include "evq.h"
#include "fraud_rules.h"
#include "log.h"
#include "order.h"
#include "order_table.h"
#include "pipeline.h"
#include "role.h"
#include "rules_topic.h"
#include "text_sanitize.h"
#include "topics.h"

#define MONITOR_BATCH_MAX 256 /* records consumed at a time */

/* The record an observation's strings point into, as read. */
union observed_record {
	struct order order;
	struct decided decided;
	struct notice notice;
	char order_id[ORDER_ID_MAX + 1]; /* an id alone: dead letters, orders hops */
};

struct monitor {
	struct pipeline *p;
	rd_kafka_t *consumer;
	rd_kafka_queue_t *queue; /* the consumer's, read in batches */
	int64_t last_broker_check;
	/* Headless without --audit nobody reads display events or an order's
	 * details: nothing is shown, notifications (which only the panes and
	 * the audit trail use) are not read at all, records of the orders
	 * topic are only counted (see handle_message()), and the table is told
	 * an order's id, time and state but not its user, item, total or
	 * rules. */
	bool lean;
	/* Lean, but with the HTTP API on, whose GET /orders/ID answers the
	 * timeline: an orders record gives its order's id (as written, not
	 * parsed) and where it sat, for the orders hop; nothing more. */
	bool orders_hop;
	rd_kafka_topic_t *topic_handle[TOPIC__COUNT]; /* learnt as records come */
	/* The display budget: records per topic turned into display lines
	 * in the current 100 ms window. */
	int64_t budget_window_ms;
	int budget_used[TOPIC__COUNT];
	/* The clocks, read once per consumed batch (a fraction of a ms), not
	 * for every record: wall (the table's times) and monotonic. */
	int64_t batch_wall_ms, batch_mono_ms;
	/* What a consumed batch adds to the counters and latencies of stats.h,
	 * added there once the batch is read (flush_counts()): an atomic add
	 * per counter and batch, not several per record. */
	struct {
		uint64_t seen[TOPIC__COUNT];
		uint64_t approved, refused, notified, dead_lettered;
	} counts;
	struct hist_batch hop[HOP__COUNT];
	/* A consumed batch's observations, made into the order table under
	 * one lock once the batch is read (see observe_batch()); each points
	 * into its record as read, kept here until then. */
	size_t n_obs;
	struct order_observation obs[MONITOR_BATCH_MAX];
	union observed_record rec[MONITOR_BATCH_MAX];
	int obs_flags[MONITOR_BATCH_MAX];
};

/* The dashboard shows a few dozen lines of each stream.  Beyond this many
 * records per topic and 100 ms (2,000/s), a record still counts, moves its
 * order in the table and feeds the latencies, but is not turned into a
 * display line: the panes thin out (the header counts "not shown") and
 * the pipeline keeps its speed (an order not shown has no JSON in its
 * detail view).  Never with --audit, which records every message. */
#define DISPLAY_BUDGET_PER_100MS 200

static bool
display_budget_take(struct monitor *mon, int t)
{
	int64_t now = mon->batch_mono_ms;
	if (now - mon->budget_window_ms >= 100) {
		mon->budget_window_ms = now;
		memset(mon->budget_used, 0, sizeof mon->budget_used);
	}
	return mon->budget_used[t]++ < DISPLAY_BUDGET_PER_100MS;
}

static int
topic_of(struct monitor *mon, rd_kafka_topic_t *rkt)
{
	for (int t = 0; t < TOPIC__COUNT; t++)
		if (mon->topic_handle[t] == rkt)
			return t;
	const char *name = rd_kafka_topic_name(rkt);
	for (int t = 0; t < TOPIC__COUNT; t++)
		if (strcmp(mon->p->cfg->topics[t], name) == 0) {
			mon->topic_handle[t] = rkt;
			return t;
		}
	return -1;
}

static void
record_latency(struct monitor *mon, enum hop h, int64_t from_ms, int64_t to_ms)
{
	if (from_ms > 0 && to_ms >= from_ms)
		hist_batch_record_us(&mon->hop[h], (uint64_t)(to_ms - from_ms) * 1000);
}

/* The batch's counts and latencies into stats.h, before its observations
 * settle orders (what --drain waits for), so that a drained run's counts
 * are complete. */
static void
flush_counts(struct monitor *mon)
{
	struct stats *s = &mon->p->stats;

	for (int t = 0; t < TOPIC__COUNT; t++)
		stats_add_pending(&s->seen[t], &mon->counts.seen[t]);
	stats_add_pending(&s->approved, &mon->counts.approved);
	stats_add_pending(&s->refused, &mon->counts.refused);
	stats_add_pending(&s->notified, &mon->counts.notified);
	stats_add_pending(&s->dead_lettered, &mon->counts.dead_lettered);
	for (int h = 0; h < HOP__COUNT; h++)
		hist_batch_flush(&mon->hop[h]);
}

static void
rules_record(struct rules_store *rs, const struct rules_record *r)
{
	if (r->kind == RULES_RECORD_RULESET)
		rules_store_seen(rs, &r->ruleset);
	else if (r->kind == RULES_RECORD_WORKER)
		rules_store_worker_applied(rs, r->worker, r->applied_version, r->at_ms);
}

/* A decision record: counted and its decide latency recorded.  Unless it
 * is a replay (a decision of an order id decided already: whichever of
 * the two topics the monitor reads first, the original decision is the
 * one the row keeps) it is then observed as its order's decision, where a
 * second one counts as a duplicate (observe_batch()). */
static void
count_decision(struct monitor *mon, int t, const struct decided *d, int64_t ts)
{
	if (t == TOPIC_VALID)
		mon->counts.approved++;
	else
		mon->counts.refused++;
	record_latency(mon, HOP_DECIDE, d->created_ms, d->decided_ms ? d->decided_ms : ts);
}

/* Counted in observe_batch(), where a second one of an order is a
 * duplicate rather than another order notified. */
static void
count_notified(struct monitor *mon, const struct notice *n, int64_t ts)
{
	record_latency(mon, HOP_NOTIFY, n->decided_ms, ts);
	record_latency(mon, HOP_END_TO_END, n->created_ms, ts);
}

/* Turns the record into the event shown in its pane: the summary line is
 * ours, except after a closing ": " (unreadable orders and dead letters)
 * where the raw payload follows, sanitized. */
static void
show_event(struct pipeline *p, struct event *ev, const rd_kafka_message_t *m, const char *summary)
{
	size_t used = strlen(summary);
	if (m->key)
		text_sanitize(ev->key, sizeof ev->key, m->key, m->key_len, EV_KEY_MAX / 2);
	if (used >= 2 && summary[used - 1] == ' ' && summary[used - 2] == ':') {
		int cols = text_sanitize(ev->summary, sizeof ev->summary, summary, used, -1);
		size_t l = strlen(ev->summary);
		if (m->payload && l + 8 < sizeof ev->summary)
			text_sanitize(ev->summary + l, sizeof ev->summary - l, m->payload, m->len,
				      EV_SUMMARY_MAX / 2 - cols > 8 ? EV_SUMMARY_MAX / 2 - cols
								    : 8);
	} else {
		text_sanitize(ev->summary, sizeof ev->summary, summary, used, EV_SUMMARY_MAX / 2);
	}
	evq_push(p->events, ev);
}

static bool leading_order_id(const rd_kafka_message_t *m, const char **id, size_t *len);

/* mon->orders_hop: the orders hop of a record ordertop wrote, from its
 * leading order id; anything else (another client's layout) is read. */
static void
observe_order_position(const rd_kafka_message_t *m, struct order_observation *obs,
		       union observed_record *rec)
{
	const char *id;
	size_t len;
	char reason[160];

	if (leading_order_id(m, &id, &len)) {
		memcpy(rec->order_id, id, len);
		rec->order_id[len] = '\0';
		obs->order_id = rec->order_id;
	} else if (order_parse(m->payload, m->len, &rec->order, reason, sizeof reason) == 0) {
		obs->order_id = rec->order.order_id;
	}
}

/*
 * One record: its payload is read (ordertop's records carry the order id
 * and the times the latencies start from), the counters and latencies
 * follow it, what it tells the order table joins the batch's observations
 * (observe_batch()), and, when it is shown, it becomes a display event.
 * Headless without --audit nothing is shown; on the dashboard the display
 * budget decides.  The message lives until its batch is observed.
 */
static void
handle_message(struct monitor *mon, const rd_kafka_message_t *m)
{
	struct pipeline *p = mon->p;
	int t = topic_of(mon, m->rkt);
	if (t < 0)
		return;
	rd_kafka_timestamp_type_t tstype;
	int64_t ts = rd_kafka_message_timestamp(m, &tstype);
	/* Shown: a display event, whose id and status --audit records too. */
	bool show = !mon->lean && (p->audit != NULL || display_budget_take(mon, t));
	struct event ev = { .topic = (uint8_t)t,
			    .partition = m->partition,
			    .offset = m->offset,
			    .ts_ms = ts,
			    .status = ORDER_NEW };
	struct order_observation *obs = &mon->obs[mon->n_obs];
	*obs = (struct order_observation){ .topic = (enum topic_id)t,
					   .partition = m->partition,
					   .offset = m->offset,
					   .ts_ms = ts,
					   .total = -1 };
	union observed_record *rec = &mon->rec[mon->n_obs];
	char summary[EV_SUMMARY_MAX * 2], reason[160];

	mon->counts.seen[t]++;
	summary[0] = '\0';

	switch (t) {
	case TOPIC_ORDERS: {
		/* Lean, an order on its topic tells nothing that is reported:
		 * what headless reports of orders (counts, latencies, in flight,
		 * --drain) comes from the decision and notified records and from
		 * this process's own registrations; the order's details and where
		 * it sat on the topic are for the dashboard's detail view. */
		if (mon->orders_hop) {
			observe_order_position(m, obs, rec);
			break;
		}
		if (mon->lean)
			break;
		struct order *o = &rec->order;
		if (order_parse(m->payload, m->len, o, reason, sizeof reason) < 0) {
			snprintf(summary, sizeof summary, "unreadable (%s): ", reason);
			break;
		}
		if (show)
			snprintf(ev.order_id, sizeof ev.order_id, "%s", o->order_id);
		if (show)
			snprintf(summary, sizeof summary, "%s %s %" PRId64 " x %s = %.2f %s%s%s",
				 o->order_id, o->user_id, o->quantity, o->item, order_total(o),
				 o->currency, o->country[0] ? " ship " : "", o->country);
		obs->order_id = o->order_id;
		obs->user_id = o->user_id;
		obs->item = o->item;
		obs->total = order_total(o);
		obs->created_ms = o->created_at_ms ? o->created_at_ms : ts;
		if (show) {
			obs->json = m->payload;
			obs->json_len = m->len;
		}
		break;
	}
	case TOPIC_VALID:
	case TOPIC_REFUSED: {
		struct decided *d = &rec->decided;
		const void *val;
		size_t len;
		kafka_record_value(m, &val, &len); /* past a --decision-map */
		if (decided_parse(val, len, d) < 0)
			break;
		ev.status = t == TOPIC_VALID ? ORDER_APPROVED : ORDER_REFUSED;
		if (show)
			snprintf(ev.order_id, sizeof ev.order_id, "%s", d->order_id);
		if (show)
			snprintf(summary, sizeof summary, "%s %s %.2f%s%s", d->order_id,
				 order_status_name(ev.status), d->total, d->fired[0] ? " " : "",
				 d->fired);
		count_decision(mon, t, d, ts);
		if (d->replay)
			break; /* not its order's decision */
		obs->order_id = d->order_id;
		obs->created_ms = d->created_ms;
		if (mon->lean)
			break; /* the rest is for the dashboard's rows */
		obs->user_id = d->user_id;
		obs->item = d->item;
		obs->total = d->total;
		obs->rules_version = d->rules_version;
		obs->fired = d->fired;
		break;
	}
	case TOPIC_NOTIFICATIONS:
	case TOPIC_NOTIFIED: {
		struct notice *n = &rec->notice;
		const void *val;
		size_t len;
		kafka_record_value(m, &val, &len); /* past a --notification-map */
		if (notice_parse(val, len, n, reason, sizeof reason) < 0 ||
		    (t == TOPIC_NOTIFICATIONS && !notice_is_decision(n))) {
			/* what the notifier leaves alone, shown as it came */
			snprintf(summary, sizeof summary, "foreign, not notified: ");
			break;
		}
		if (show)
			snprintf(ev.order_id, sizeof ev.order_id, "%s", n->order_id);
		if (n->replay && t == TOPIC_NOTIFIED) {
			/* a replay decision's: not its order notified again */
			if (show)
				snprintf(summary, sizeof summary, "%s %s notified of a replay (%s)",
					 n->order_id, n->user_id, n->decision);
			break;
		}
		obs->order_id = n->order_id;
		obs->user_id = mon->lean ? NULL : n->user_id;
		obs->created_ms = n->created_ms;
		if (t == TOPIC_NOTIFIED) {
			ev.status = ORDER_NOTIFIED;
			if (show)
				snprintf(summary, sizeof summary, "%s %s notified (%s)",
					 n->order_id, n->user_id, n->decision);
			count_notified(mon, n, ts);
		} else {
			int s = order_status_parse(n->status);
			ev.status = s < 0 ? ORDER_NEW : (uint8_t)s;
			if (show)
				snprintf(summary, sizeof summary, "%s %s %s %.2f", n->order_id,
					 n->user_id, n->status, n->total);
		}
		break;
	}
	case TOPIC_DLQ: {
		char why[256] = "unknown reason";
		kafka_header_str(m, HDR_DLQ_REASON, why, sizeof why);
		ev.status = ORDER_DEAD_LETTERED;
		snprintf(summary, sizeof summary, "%s: ", why);
		mon->counts.dead_lettered++;
		if (kafka_header_str(m, HDR_ORDER_ID, rec->order_id, sizeof rec->order_id) == 0) {
			snprintf(ev.order_id, sizeof ev.order_id, "%s", rec->order_id);
			obs->order_id = rec->order_id;
		}
		break;
	}
	case TOPIC_RULES: {
		struct rules_record r;
		if (rules_record_parse(m, &r, reason, sizeof reason) == 0)
			rules_record(&p->rules, &r);
		snprintf(summary, sizeof summary, "%s",
			 r.kind == RULES_RECORD_RULESET          ? "rule set "
				 : r.kind == RULES_RECORD_WORKER ? "worker applies "
								 : "");
		if (r.kind == RULES_RECORD_RULESET)
			snprintf(summary + strlen(summary), sizeof summary - strlen(summary),
				 "version %" PRIu64, r.ruleset.version);
		else if (r.kind == RULES_RECORD_WORKER)
			snprintf(summary + strlen(summary), sizeof summary - strlen(summary),
				 "%s: version %" PRIu64, r.worker, r.applied_version);
		break;
	}
	}

	if (obs->order_id != NULL)
		mon->n_obs++;
	if (show)
		show_event(p, &ev, m, summary);
	else if (!mon->lean)
		evq_note_dropped(p->events);
	if (p->audit)
		audit_write(p->audit, m, ev.order_id,
			    ev.status != ORDER_NEW || t == TOPIC_ORDERS
				    ? order_status_name(ev.status)
				    : NULL);
}

/* The batch's observations, in the order read, under one lock of the
 * table (three per order; the generator registers under the same lock),
 * then what they changed: a second decision of an order counts as a
 * duplicate, an order reaching its final state marks the time. */
static void
observe_batch(struct monitor *mon)
{
	struct pipeline *p = mon->p;

	if (mon->n_obs == 0)
		return;
	order_table_observe_batch(p->orders, mon->obs, mon->n_obs, mon->batch_wall_ms,
				  mon->obs_flags);
	uint64_t notified = 0;
	for (size_t i = 0; i < mon->n_obs; i++) {
		const struct order_observation *obs = &mon->obs[i];
		int flags = mon->obs_flags[i];
		bool decision = obs->topic == TOPIC_VALID || obs->topic == TOPIC_REFUSED;
		if (decision && (flags & OBS_DUPLICATE)) {
			atomic_fetch_add(&p->stats.duplicates, 1);
			log_warn("monitor", "order %s was decided more than once", obs->order_id);
		}
		if (obs->topic == TOPIC_NOTIFIED && (flags & OBS_DUPLICATE)) {
			atomic_fetch_add(&p->stats.duplicates, 1);
			log_warn("monitor", "order %s was notified more than once", obs->order_id);
		} else if (obs->topic == TOPIC_NOTIFIED) {
			notified++;
		}
		if (flags & OBS_FINAL)
			atomic_store(&p->last_final_ms, mon->batch_wall_ms);
	}
	if (notified > 0)
		atomic_fetch_add(&p->stats.notified, notified);
	mon->n_obs = 0;
}

/* Assigns every partition of every pipeline topic, at its current end (or
 * start with --from-beginning; fraud.rules always from the start). */
static int
assign_all(struct monitor *mon, char *err, size_t errlen)
{
	const struct config *cfg = mon->p->cfg;
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(32);
	int rc = 0;

	for (int t = 0; t < TOPIC__COUNT && rc == 0; t++) {
		if (mon->lean && t == TOPIC_NOTIFICATIONS)
			continue; /* only the dashboard and the audit show it */
		if (t == TOPIC_STATE)
			continue; /* the fraud role's own memory, not orders */
		int n = topics_partition_count(mon->consumer, cfg->topics[t], 10000);
		if (n <= 0) {
			snprintf(err, errlen, "monitor: cannot read the partitions of '%s'",
				 cfg->topics[t]);
			rc = -1;
			break;
		}
		for (int p = 0; p < n; p++) {
			int64_t lo = 0, hi = 0;
			int64_t off = RD_KAFKA_OFFSET_BEGINNING;
			if (t != TOPIC_RULES && !cfg->from_beginning) {
				rd_kafka_resp_err_t e = topics_watermarks(
					mon->consumer, cfg->topics[t], p, &lo, &hi, 15000);
				if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
					snprintf(err, errlen, "monitor: end of '%s' [%d]: %s",
						 cfg->topics[t], p, rd_kafka_err2str(e));
					rc = -1;
					break;
				}
				off = hi;
			}
			rd_kafka_topic_partition_list_add(l, cfg->topics[t], p)->offset = off;
		}
	}
	if (rc == 0) {
		rd_kafka_resp_err_t e = rd_kafka_assign(mon->consumer, l);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "monitor: assign: %s", rd_kafka_err2str(e));
			rc = -1;
		}
	}
	rd_kafka_topic_partition_list_destroy(l);
	return rc;
}

static void
check_brokers(struct monitor *mon)
{
	struct pipeline *p = mon->p;
	if (p->embedded) {
		atomic_store(&p->brokers_up, embedded_broker_up_count(p->embedded));
		return;
	}
	const struct rd_kafka_metadata *md;
	if (rd_kafka_metadata(mon->consumer, 0, NULL, &md, 1000) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	int up = md->broker_cnt;
	rd_kafka_metadata_destroy(md);
	int before = atomic_exchange(&p->brokers_up, up);
	if (up > atomic_load(&p->brokers_total))
		atomic_store(&p->brokers_total, up);
	if (before != up)
		log_warn("broker", "%d of %d broker(s) up", up, atomic_load(&p->brokers_total));
}

static bool
monitor_runs_here(const struct config *cfg)
{
	return (cfg->roles & ROLE_MONITOR) || cfg->drain;
}

/* Creates the consumer and assigns it at the topics' current ends, before
 * any role's thread starts, so nothing produced after that is missed; the
 * orders this process sends are then registered for it to settle. */
static int
monitor_prepare(struct pipeline *p, void **state, char *err, size_t errlen)
{
	struct monitor *mon = calloc(1, sizeof *mon);
	struct kafka_client_opts o = { .kind = KAFKA_ASSIGN_CONSUMER,
				       .name = "monitor",
				       .embedded = p->embedded != NULL };
	if (mon == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mon->p = p;
	mon->lean = p->cfg->headless && p->audit == NULL;
	mon->orders_hop = mon->lean && p->cfg->http != NULL;
	mon->consumer = kafka_client_new(p->cfg, p->bootstraps, &o, &p->health, err, errlen);
	if (mon->consumer == NULL || assign_all(mon, err, errlen) < 0) {
		kafka_client_destroy(mon->consumer, 0);
		free(mon);
		return -1;
	}
	mon->queue = rd_kafka_queue_get_consumer(mon->consumer);
	for (int h = 0; h < HOP__COUNT; h++)
		hist_batch_init(&mon->hop[h], &p->stats.hop[h]);
	p->tracks_local = true;
	*state = mon;
	return 0;
}

/* The order id of a record ordertop wrote, which starts with it
 * ({"order_id":"...); false for anything else.  Only a hint for
 * prefetch_orders(): the payload is read properly afterwards. */
static bool
leading_order_id(const rd_kafka_message_t *m, const char **id, size_t *len)
{
	static const char prefix[] = "{\"order_id\":\"";
	const size_t pl = sizeof prefix - 1;
	if (m->err || m->payload == NULL || m->len <= pl || memcmp(m->payload, prefix, pl) != 0)
		return false;
	const char *start = (const char *)m->payload + pl;
	size_t room = m->len - pl < ORDER_ID_MAX + 1 ? m->len - pl : ORDER_ID_MAX + 1;
	const char *end = memchr(start, '"', room);
	if (end == NULL || memchr(start, '\\', (size_t)(end - start)) != NULL)
		return false;
	*id = start;
	*len = (size_t)(end - start);
	return true;
}

/* Most of the monitor's time per record went to cache misses in the
 * order table (its index slot, then its entry, each written by another
 * thread or long ago): fetched for the whole batch at once, they overlap. */
static void
prefetch_orders(struct monitor *mon, rd_kafka_message_t *const *batch, size_t n)
{
	const char *ids[MONITOR_BATCH_MAX];
	size_t lens[MONITOR_BATCH_MAX], k = 0;
	for (size_t i = 0; i < n && k < MONITOR_BATCH_MAX; i++) {
		if (mon->lean && !mon->orders_hop && !batch[i]->err &&
		    topic_of(mon, batch[i]->rkt) == TOPIC_ORDERS)
			continue; /* only counted: see handle_message() */
		if (leading_order_id(batch[i], &ids[k], &lens[k]))
			k++;
	}
	order_table_prefetch(mon->p->orders, ids, lens, k);
}

static void
monitor_main(struct pipeline *p, void *state)
{
	struct monitor *mon = state;
	int64_t last_flush = mono_ms();

	while (!pipeline_stopping(p)) {
		rd_kafka_message_t *batch[MONITOR_BATCH_MAX];
		ssize_t n = rd_kafka_consume_batch_queue(mon->queue, 100, batch,
							 sizeof batch / sizeof batch[0]);
		if (n > 0) {
			mon->batch_wall_ms = now_ms();
			mon->batch_mono_ms = mono_ms();
			prefetch_orders(mon, batch, (size_t)n);
		}
		for (ssize_t i = 0; i < n; i++) {
			rd_kafka_message_t *m = batch[i];
			if (m->err) {
				if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
					log_warn("monitor", "%s", rd_kafka_message_errstr(m));
			} else {
				handle_message(mon, m);
			}
		}
		flush_counts(mon);
		observe_batch(mon); /* before the payloads go */
		for (ssize_t i = 0; i < n; i++)
			rd_kafka_message_destroy(batch[i]);
		int64_t now = mono_ms();
		if (now - mon->last_broker_check >= 2000) {
			check_brokers(mon);
			mon->last_broker_check = now;
		}
		if (now - last_flush >= 1000) {
			audit_flush(p->audit);
			last_flush = now;
		}
	}
}

static void
monitor_free(void *state)
{
	struct monitor *mon = state;

	rd_kafka_queue_destroy(mon->queue);
	kafka_client_destroy(mon->consumer, 0);
	free(mon);
}

const struct role role_monitor = {
	.name = "monitor",
	.thread_name = "ot-monitor",
	.runs_here = monitor_runs_here,
	.prepare = monitor_prepare,
	.main = monitor_main,
	.free = monitor_free,
};
