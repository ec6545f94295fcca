/*
 * engine.c — bringing the pipeline up and down, and the thread-safe
 * surface the dashboard and headless mode use (see engine.h).  Start-up
 * order matters: broker, topics, rules, then the monitor's assignment
 * (so it misses nothing), the fraud and notifier stages, and last the
 * generator.  Shutdown runs the other way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit.h"
#include "engine_internal.h"
#include "generator.h"
#include "log.h"
#include "rules_topic.h"
#include "thread_priority.h"
#include "topics.h"

static void
delivery_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct engine *e = m->_private;
	(void)rk;
	(void)opaque;
	if (e == NULL)
		return;             /* not an order: rule sets */
	if (m->err) {
		atomic_fetch_add(&e->stats.produce_errors, 1);
		log_error("producer", "order not delivered to '%s': %s",
		          rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
		return;
	}
	atomic_fetch_add(&e->stats.produced, 1);
	/* Set once: looked at before a (locked) compare-and-swap is tried. */
	if (atomic_load_explicit(&e->first_produced_ms, memory_order_relaxed) == 0) {
		int64_t zero = 0;
		atomic_compare_exchange_strong(&e->first_produced_ms, &zero, now_ms());
	}
}

struct engine *
engine_new(const struct config *cfg)
{
	struct engine *e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	e->cfg = cfg;
	stats_init(&e->stats);
	pthread_mutex_init(&e->rules_lock, NULL);
	pthread_mutex_init(&e->fatal_lock, NULL);
	pthread_mutex_init(&e->form_lock, NULL);
	ruleset_defaults(&e->rules);
	atomic_store(&e->gen_on, cfg->generator_on && (cfg->roles & ROLE_PRODUCER));
	atomic_store(&e->gen_rate, cfg->rate);
	/* Order ids unique per run: seconds since the epoch in base 36, and the pid. */
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char t36[16];
	int n = 0;
	for (uint64_t s = (uint64_t)now_ms() / 1000; s && n < 15; s /= 36)
		t36[n++] = digits[s % 36];
	for (int i = 0; i < n; i++)
		e->run_id[i] = t36[n - 1 - i];
	snprintf(e->run_id + n, sizeof e->run_id - (size_t)n, "%04x", (unsigned)getpid() & 0xffff);
	e->events = evq_new(8192);
	e->orders = order_table_new((size_t)cfg->table_size);
	/* The form's ids get their own prefix: the generator counts from 1 too. */
	char form_prefix[sizeof e->run_id + 2];
	snprintf(form_prefix, sizeof form_prefix, "%sf", e->run_id);
	e->form_ids = generator_new(cfg->seed, 0, form_prefix);
	if (!e->events || !e->orders || !e->form_ids) {
		engine_free(e);
		return NULL;
	}
	return e;
}

void
engine_set_fatal(struct engine *e, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&e->fatal_lock);
	if (!atomic_load(&e->has_fatal)) {
		va_start(ap, fmt);
		vsnprintf(e->fatal, sizeof e->fatal, fmt, ap);
		va_end(ap);
		atomic_store(&e->has_fatal, true);
		log_error("engine", "%s", e->fatal);
	}
	pthread_mutex_unlock(&e->fatal_lock);
}

const char *
engine_fatal_error(struct engine *e)
{
	return atomic_load(&e->has_fatal) ? e->fatal : NULL;
}

void engine_request_stop(struct engine *e) { atomic_store(&e->stop, true); }
bool engine_stopping(const struct engine *e) { return atomic_load(&e->stop); }
struct stats *engine_stats(struct engine *e) { return &e->stats; }
struct evq *engine_events(struct engine *e) { return e->events; }
struct order_table *engine_orders(struct engine *e) { return e->orders; }
const struct config *engine_config(const struct engine *e) { return e->cfg; }

int
engine_produce(struct engine *e, rd_kafka_t *rk, rd_kafka_topic_t *topic, int32_t partition,
               const void *key, size_t keylen, const void *val, size_t vallen,
               const char *const *hdrs, void *msg_opaque)
{
	if (topic == NULL) {
		log_error("producer", "cannot produce: no topic handle (%s)",
		          rd_kafka_err2str(rd_kafka_last_error()));
		return -1;
	}
	for (;;) {
		rd_kafka_headers_t *h = NULL;
		if (hdrs && hdrs[0]) {        /* no list at all costs less than an empty one */
			h = rd_kafka_headers_new(8);
			for (size_t i = 0; hdrs[i] && hdrs[i + 1]; i += 2)
				rd_kafka_header_add(h, hdrs[i], -1, hdrs[i + 1], -1);
		}
		rd_kafka_resp_err_t err = rd_kafka_producev(rk,
			RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
			RD_KAFKA_V_KEY(key, keylen), RD_KAFKA_V_VALUE((void *)val, vallen),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
			RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			return 0;                 /* the headers belong to librdkafka now */
		if (h)
			rd_kafka_headers_destroy(h);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			log_error("producer", "cannot produce to '%s': %s", rd_kafka_topic_name(topic),
			          rd_kafka_err2str(err));
			return -1;
		}
		if (engine_stopping(e))
			return -1;
		rd_kafka_poll(rk, 10);        /* make room: serve delivery reports */
	}
}

/* ---- rules ---- */

void
engine_rules_seen(struct engine *e, const struct ruleset *rs)
{
	pthread_mutex_lock(&e->rules_lock);
	if (!e->rules_known || rs->version >= e->rules.version) {
		e->rules = *rs;
		e->rules_known = true;
	}
	pthread_mutex_unlock(&e->rules_lock);
}

void
engine_rules_worker_applied(struct engine *e, const char *worker, uint64_t version,
                            int64_t at_ms)
{
	struct rules_status *rs = &e->rules_status;
	pthread_mutex_lock(&e->rules_lock);
	int i;
	for (i = 0; i < rs->n_workers; i++)
		if (strcmp(rs->workers[i].id, worker) == 0)
			break;
	if (i == rs->n_workers && i < ENGINE_WORKERS_MAX)
		snprintf(rs->workers[rs->n_workers++].id, sizeof rs->workers[0].id, "%s", worker);
	if (i < rs->n_workers) {
		rs->workers[i].applied_version = version;
		rs->workers[i].at_ms = at_ms;
	}
	pthread_mutex_unlock(&e->rules_lock);
}

void
engine_rules_status(struct engine *e, struct rules_status *out)
{
	pthread_mutex_lock(&e->rules_lock);
	*out = e->rules_status;
	out->current = e->rules;
	pthread_mutex_unlock(&e->rules_lock);
}

static int
publish_ruleset(struct engine *e, const struct ruleset *rs, char *err, size_t errlen)
{
	char *json = ruleset_to_json(rs);
	if (json == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *hdrs[] = { HDR_STAGE, "rules", NULL };
	int rc = engine_produce(e, e->producer, e->producer_topic[TOPIC_RULES], 0,
	                        RULES_KEY, strlen(RULES_KEY), json, strlen(json), hdrs, NULL);
	free(json);
	if (rc < 0) {
		snprintf(err, errlen, "cannot publish the rules to '%s'", e->cfg->topics[TOPIC_RULES]);
		return -1;
	}
	log_info("rules", "published rules version %" PRIu64, rs->version);
	return 0;
}

/* Applies change() to a copy of the rules in force and publishes it as the
 * next version; the local view follows at once. */
static int
change_rules(struct engine *e, int (*change)(struct ruleset *, const void *, char *, size_t),
             const void *arg, char *err, size_t errlen)
{
	pthread_mutex_lock(&e->rules_lock);
	struct ruleset next = e->rules;
	int rc = change(&next, arg, err, errlen);
	if (rc == 0) {
		next.version = e->rules.version + 1;
		rc = publish_ruleset(e, &next, err, errlen);
		if (rc == 0)
			e->rules = next;
	}
	pthread_mutex_unlock(&e->rules_lock);
	return rc;
}

static int
toggle_rule(struct ruleset *rs, const void *arg, char *err, size_t errlen)
{
	int rule = *(const int *)arg;
	if (rule < 0 || rule >= fraud_rule_count) {
		snprintf(err, errlen, "no rule %d (there are %d)", rule + 1, fraud_rule_count);
		return -1;
	}
	rs->rules[rule].enabled = !rs->rules[rule].enabled;
	return 0;
}

int
engine_rule_toggle(struct engine *e, int rule, char *err, size_t errlen)
{
	return change_rules(e, toggle_rule, &rule, err, errlen);
}

struct param_change { int rule; const char *param, *text; };

static int
set_param(struct ruleset *rs, const void *arg, char *err, size_t errlen)
{
	const struct param_change *c = arg;
	if (c->rule < 0 || c->rule >= fraud_rule_count) {
		snprintf(err, errlen, "no rule %d (there are %d)", c->rule + 1, fraud_rule_count);
		return -1;
	}
	return ruleset_set_param(rs, c->rule, c->param, c->text, err, errlen);
}

int
engine_rule_set_param(struct engine *e, int rule, const char *param, const char *text,
                      char *err, size_t errlen)
{
	struct param_change c = { rule, param, text };
	return change_rules(e, set_param, &c, err, errlen);
}

static void
startup_rules_record(void *arg, const struct rules_record *r)
{
	struct engine *e = arg;
	if (r->kind == RULES_RECORD_RULESET)
		engine_rules_seen(e, &r->ruleset);
	else if (r->kind == RULES_RECORD_WORKER)
		engine_rules_worker_applied(e, r->worker, r->applied_version, r->at_ms);
}

/* The rules in force: the newest on the topic; --rules FILE, when given,
 * is published on top as the next version. */
static int
rules_startup(struct engine *e, char *err, size_t errlen)
{
	const struct config *cfg = e->cfg;
	struct ruleset from_file;
	char why[512];

	if (cfg->rules_file && ruleset_load_file(cfg->rules_file, &from_file, err, errlen) < 0)
		return -1;
	struct kafka_client_opts o = { .kind = KAFKA_ASSIGN_CONSUMER, .name = "rules",
	                               .embedded = e->embedded != NULL };
	rd_kafka_t *reader = kafka_client_new(cfg, e->bootstraps, &o, &e->health, why, sizeof why);
	if (reader == NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (rules_reader_start(reader, cfg->topics[TOPIC_RULES]) == 0)
		rules_reader_catch_up(reader, cfg->topics[TOPIC_RULES], 10000,
		                      startup_rules_record, e);
	kafka_client_destroy(reader, 0);

	if (cfg->rules_file) {
		pthread_mutex_lock(&e->rules_lock);
		uint64_t next = e->rules.version + 1;
		if (from_file.version < next)
			from_file.version = next;
		int rc = publish_ruleset(e, &from_file, err, errlen);
		if (rc == 0) {
			e->rules = from_file;
			e->rules_known = true;
		}
		pthread_mutex_unlock(&e->rules_lock);
		if (rc < 0)
			return -1;
		rd_kafka_flush(e->producer, 10000);
	}
	log_info("rules", "rules version %" PRIu64 " in force", e->rules.version);
	return 0;
}

/* ---- start / stop ---- */

static int
write_bootstrap_file(const char *path, const char *bootstraps, char *err, size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fprintf(f, "%s\n", bootstraps) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		snprintf(err, errlen, "--bootstrap-file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Workers lower their own priority first thing (see engine_set_worker_nice),
 * so the librdkafka threads they start inherit it. */
struct worker_start {
	struct engine *e;
	void *(*fn)(void *);
};

static void *
worker_trampoline(void *arg)
{
	struct worker_start ws = *(struct worker_start *)arg;
	free(arg);
	if (ws.e->worker_nice_set)
		thread_priority_at_least(ws.e->worker_nice);
	return ws.fn(ws.e);
}

void
engine_set_worker_nice(struct engine *e, int delta)
{
	e->worker_nice = thread_priority_nice() + delta;
	e->worker_nice_set = true;
}

static int
start_worker(struct engine *e, enum worker_role w, void *(*fn)(void *), char *err, size_t errlen)
{
	struct worker_start *ws = malloc(sizeof *ws);
	if (ws == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ws->e = e;
	ws->fn = fn;
	int rc = pthread_create(&e->threads[w], NULL, worker_trampoline, ws);
	if (rc != 0) {
		free(ws);
		snprintf(err, errlen, "cannot start a worker thread: %s", strerror(rc));
		return -1;
	}
	/* Named for top -H and perf: "ot-fraud" beside librdkafka's "rdk:main". */
	static const char *const names[WORKER__COUNT] = {
		[WORKER_PRODUCER] = "ot-producer", [WORKER_FRAUD] = "ot-fraud",
		[WORKER_NOTIFIER] = "ot-notifier", [WORKER_MONITOR] = "ot-monitor",
	};
	pthread_setname_np(e->threads[w], names[w]);
	e->running[w] = true;
	return 0;
}

/* How long to wait for the brokers: --timeout, else as long as the run may
 * last headless (--duration, and --drain-timeout after it), else no limit
 * (the dashboard shows the retries; a signal stops them). */
static int
broker_wait_ms(const struct config *cfg)
{
	double s = 0;
	if (cfg->timeout > 0)
		s = cfg->timeout;
	else if (cfg->headless && cfg->duration > 0)
		s = cfg->duration + (cfg->drain ? cfg->drain_timeout : 0);
	else if (cfg->headless && cfg->drain)
		s = cfg->drain_timeout;
	return s > 0 ? (s * 1000 < INT32_MAX ? (int)(s * 1000) : INT32_MAX) : 0;
}

int
engine_start(struct engine *e, char *err, size_t errlen)
{
	const struct config *cfg = e->cfg;
	char why[512];

	if (cfg->audit_file && (e->audit = audit_open(cfg->audit_file, err, errlen)) == NULL)
		return -1;
	if (cfg->brokers == NULL) {
		e->embedded = embedded_broker_start(cfg, err, errlen);
		if (e->embedded == NULL)
			return -1;
		snprintf(e->bootstraps, sizeof e->bootstraps, "%s", embedded_broker_bootstraps(e->embedded));
		atomic_store(&e->brokers_total, embedded_broker_count(e->embedded));
		atomic_store(&e->brokers_up, embedded_broker_count(e->embedded));
	} else {
		snprintf(e->bootstraps, sizeof e->bootstraps, "%s", cfg->brokers);
	}

	struct kafka_client_opts po = { .kind = KAFKA_PRODUCER, .name = "producer",
	                                .embedded = e->embedded != NULL,
	                                .dr_msg_cb = delivery_report,
	                                .broker_stats = e->embedded == NULL };
	e->producer = kafka_client_new(cfg, e->bootstraps, &po, &e->health, err, errlen);
	if (e->producer == NULL)
		return -1;

	if (e->embedded == NULL) {
		log_info("broker", "connecting to %s", e->bootstraps);
		int n = topics_wait_for_brokers(e->producer, e->bootstraps, &e->health, &e->stop,
		                                broker_wait_ms(cfg), err, errlen);
		if (n < 0)
			return -1;
		atomic_store(&e->brokers_total, n);
		atomic_store(&e->brokers_up, n);
		if (topics_provision(e->producer, cfg, err, errlen) < 0)
			return -1;
	}
	static const enum topic_id produced[] = { TOPIC_ORDERS, TOPIC_RULES };
	for (size_t i = 0; i < sizeof produced / sizeof produced[0]; i++) {
		enum topic_id t = produced[i];
		e->producer_topic[t] = rd_kafka_topic_new(e->producer, cfg->topics[t], NULL);
		if (e->producer_topic[t] == NULL) {
			snprintf(err, errlen, "topic '%s': %s", cfg->topics[t],
			         rd_kafka_err2str(rd_kafka_last_error()));
			return -1;
		}
	}
	if (cfg->bootstrap_file &&
	    write_bootstrap_file(cfg->bootstrap_file, e->bootstraps, err, errlen) < 0)
		return -1;
	if (rules_startup(e, err, errlen) < 0)
		return -1;

	if ((cfg->roles & ROLE_MONITOR) || cfg->drain) {
		if (monitor_prepare(e, err, errlen) < 0 ||
		    start_worker(e, WORKER_MONITOR, monitor_worker_main, err, errlen) < 0)
			return -1;
	}
	if ((cfg->roles & ROLE_FRAUD) &&
	    start_worker(e, WORKER_FRAUD, fraud_worker_main, err, errlen) < 0)
		return -1;
	if ((cfg->roles & ROLE_NOTIFIER) &&
	    start_worker(e, WORKER_NOTIFIER, notifier_worker_main, err, errlen) < 0)
		return -1;
	if ((cfg->roles & ROLE_PRODUCER) &&
	    start_worker(e, WORKER_PRODUCER, producer_worker_main, err, errlen) < 0)
		return -1;
	(void)why;
	return 0;
}

void
engine_stop(struct engine *e)
{
	static const enum worker_role order[] = {
		WORKER_PRODUCER, WORKER_FRAUD, WORKER_NOTIFIER, WORKER_MONITOR,
	};
	engine_request_stop(e);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (e->running[order[i]]) {
			pthread_join(e->threads[order[i]], NULL);
			e->running[order[i]] = false;
		}
	}
	if (e->monitor) {           /* prepared, but its thread never ran */
		e->running[WORKER_MONITOR] = true;
		monitor_worker_main(e);
		e->running[WORKER_MONITOR] = false;
	}
	for (int t = 0; t < TOPIC__COUNT; t++) {
		if (e->producer_topic[t])
			rd_kafka_topic_destroy(e->producer_topic[t]);
		e->producer_topic[t] = NULL;
	}
	kafka_client_destroy(e->producer, 10000);
	e->producer = NULL;
	audit_close(e->audit);
	e->audit = NULL;
	embedded_broker_stop(e->embedded);
	e->embedded = NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	evq_free(e->events);
	order_table_free(e->orders);
	generator_free(e->form_ids);
	pthread_mutex_destroy(&e->rules_lock);
	pthread_mutex_destroy(&e->fatal_lock);
	pthread_mutex_destroy(&e->form_lock);
	free(e);
}

void
engine_tick(struct engine *e)
{
	stats_sample(&e->stats, now_ms());
	if (e->producer && !e->running[WORKER_PRODUCER])
		rd_kafka_poll(e->producer, 0);
	if (atomic_load(&e->health.fatal) && !atomic_load(&e->has_fatal)) {
		engine_set_fatal(e, "%s", e->health.fatal_reason);
		engine_request_stop(e);
	}
}

void
engine_broker_status(struct engine *e, struct broker_status *out)
{
	out->embedded = e->embedded != NULL || e->cfg->brokers == NULL;
	snprintf(out->bootstraps, sizeof out->bootstraps, "%s", e->bootstraps);
	out->up = e->embedded ? embedded_broker_up_count(e->embedded) : atomic_load(&e->brokers_up);
	out->total = atomic_load(&e->brokers_total);
	int known = atomic_load(&e->health.brokers_known);
	if (e->embedded == NULL && known > 0) {      /* the producer's statistics */
		out->up = atomic_load(&e->health.brokers_up);
		out->total = known > out->total ? known : out->total;
	}
}

int
engine_broker_set_up(struct engine *e, int broker_id, bool up, char *err, size_t errlen)
{
	if (e->embedded == NULL) {
		snprintf(err, errlen, "brokers can only be taken down on the embedded cluster");
		return -1;
	}
	return embedded_broker_set_up(e->embedded, broker_id, up, err, errlen);
}

/* ---- generator and intake ---- */

void
engine_generator_status(struct engine *e, struct generator_status *out)
{
	out->available = (e->cfg->roles & ROLE_PRODUCER) != 0;
	out->on = atomic_load(&e->gen_on) && !atomic_load(&e->gen_finished);
	out->rate = atomic_load(&e->gen_rate);
	out->holding_back = atomic_load(&e->gen_holding_back);
	out->generated = atomic_load(&e->stats.generated);
	out->limit = e->cfg->count;
}

void
engine_generator_set(struct engine *e, bool on)
{
	atomic_store(&e->gen_on, on && (e->cfg->roles & ROLE_PRODUCER));
	log_info("producer", "generator %s", on ? "on" : "off");
}

void
engine_generator_set_rate(struct engine *e, double rate)
{
	atomic_store(&e->gen_rate, rate < 0 ? 0 : rate);
}

/* The generator stops for good; --drain then waits for what it sent. */
void
engine_generator_finish(struct engine *e)
{
	atomic_store(&e->gen_finished, true);
}

int
engine_submit_order(struct engine *e, struct order *o, char *err, size_t errlen)
{
	if (e->producer == NULL || engine_stopping(e)) {
		snprintf(err, errlen, "the pipeline is not running");
		return -1;
	}
	if (o->order_id[0] == '\0') {
		pthread_mutex_lock(&e->form_lock);
		generator_order_id(e->form_ids, o->order_id, sizeof o->order_id);
		pthread_mutex_unlock(&e->form_lock);
	}
	o->created_at_ms = now_ms();
	/* Whatever the form checked, the order must read back as an order. */
	char *json = order_to_json(o);
	struct order check;
	int rc = json ? order_parse(json, strlen(json), &check, err, errlen) : -1;
	free(json);
	if (rc < 0)
		return -1;
	if (engine_publish_order(e, o, false) < 0) {
		snprintf(err, errlen, "cannot publish to '%s'", e->cfg->topics[TOPIC_ORDERS]);
		return -1;
	}
	log_info("intake", "order %s published", o->order_id);
	return 0;
}

bool
engine_drained(struct engine *e)
{
	struct order_table_counts c;
	if (!atomic_load(&e->gen_finished) || atomic_load(&e->gen_sending))
		return false;
	order_table_counts(e->orders, &c);
	return c.local_settled >= c.local_registered &&
	       (e->producer == NULL || rd_kafka_outq_len(e->producer) == 0);
}
