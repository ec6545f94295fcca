/*
 * engine.c — bringing the pipeline up and down, and the thread-safe
 * surface the dashboard and headless mode use (see engine.h).  The engine
 * owns the pipeline context (pipeline.h) and knows each role only through
 * its table entry (role.h).  Start-up order matters: broker, topics,
 * rules, then every role's prepare() (the monitor's assignment, so it
 * misses nothing), then the roles' threads in table order: monitor, fraud
 * and notifier stages, and last the generator.  Shutdown runs the other
 * way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "embedded_broker.h"
#include "engine.h"
#include "generator.h"
#include "log.h"
#include "order_json.h"
#include "order_table.h"
#include "pipeline.h"
#include "role.h"
#include "rules_topic.h"
#include "ruleset_json.h"
#include "thread_priority.h"
#include "topics.h"

/* The roles, in the order they start. */
static const struct role *const engine_roles[] = {
	&role_monitor,
	&role_fraud,
	&role_notifier,
	&role_producer,
};
#define ENGINE_ROLES (sizeof engine_roles / sizeof engine_roles[0])

/* One role in this process: prepared (state made), then running. */
struct role_slot {
	struct engine *e;
	const struct role *role;
	void *state;
	bool prepared, running;
	pthread_t thread;
};

struct engine {
	struct pipeline p;
	struct role_slot roles[ENGINE_ROLES];
	int worker_nice;            /* engine_set_worker_nice(): the */
	bool worker_nice_set;       /* roles' threads' nice value */
	struct generator *form_ids; /* order ids for the form (under form_lock) */
	pthread_mutex_t form_lock;
	/* engine_open_intake(): serves the intake producer's delivery reports. */
	pthread_t deliveries;
	bool deliveries_running;
};

struct engine *
engine_new(const struct config *cfg)
{
	struct engine *e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	if (pipeline_init(&e->p, cfg) < 0) {
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->form_lock, NULL);
	/* The form's ids get their own prefix: the generator counts from 1 too. */
	char form_prefix[sizeof e->p.run_id + 2];
	snprintf(form_prefix, sizeof form_prefix, "%sf", e->p.run_id);
	e->form_ids = generator_new(cfg->seed, 0, form_prefix);
	if (e->form_ids == NULL) {
		engine_free(e);
		return NULL;
	}
	for (size_t i = 0; i < ENGINE_ROLES; i++)
		e->roles[i] = (struct role_slot){ .e = e, .role = engine_roles[i] };
	return e;
}

const char *
engine_fatal_error(struct engine *e)
{
	return pipeline_fatal_error(&e->p);
}
void
engine_request_stop(struct engine *e)
{
	pipeline_request_stop(&e->p);
}
bool
engine_stopping(const struct engine *e)
{
	return pipeline_stopping(&e->p);
}
struct stats *
engine_stats(struct engine *e)
{
	return &e->p.stats;
}
struct evq *
engine_events(struct engine *e)
{
	return e->p.events;
}
struct order_table *
engine_orders(struct engine *e)
{
	return e->p.orders;
}
const struct config *
engine_config(const struct engine *e)
{
	return e->p.cfg;
}

void
engine_run_span(struct engine *e, int64_t *first_produced_ms, int64_t *last_final_ms)
{
	*first_produced_ms = atomic_load(&e->p.first_produced_ms);
	*last_final_ms = atomic_load(&e->p.last_final_ms);
}

/* ---- rules ---- */

void
engine_rules_status(struct engine *e, struct rules_status *out)
{
	rules_store_status(&e->p.rules, out);
}

/* Publishes a rule set on the shared producer, never waiting: a full local
 * queue is an error for the caller to show. */
static int
publish_ruleset(void *arg, const struct ruleset *rs, char *err, size_t errlen)
{
	struct pipeline *p = arg;
	char *json = ruleset_json(rs);
	if (json == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *hdrs[] = { HDR_STAGE, "rules", NULL };
	rd_kafka_resp_err_t rc =
		pipeline_produce(p->producer, p->producer_topic[TOPIC_RULES], 0, RULES_KEY_RULESET,
				 strlen(RULES_KEY_RULESET), json, strlen(json), hdrs, NULL, NULL);
	free(json);
	if (rc != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot publish the rules to '%s': %s",
			 p->cfg->topics[TOPIC_RULES], rd_kafka_err2str(rc));
		return -1;
	}
	log_info("rules", "published rules version %" PRIu64, rs->version);
	return 0;
}

/* Changes the rules in force and publishes them as the next version. */
static int
change_rules(struct engine *e, rules_change_fn change, const void *arg, char *err, size_t errlen)
{
	if (e->p.cfg->read_only) {
		config_read_only_text("changing the fraud rules", err, errlen);
		return -1;
	}
	if (e->p.producer == NULL) {
		snprintf(err, errlen, "the pipeline is not running");
		return -1;
	}
	return rules_store_change(&e->p.rules, change, arg, publish_ruleset, &e->p, err, errlen);
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

struct param_change {
	int rule;
	const char *param, *text;
};

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
engine_rule_set_param(struct engine *e, int rule, const char *param, const char *text, char *err,
		      size_t errlen)
{
	struct param_change c = { rule, param, text };
	return change_rules(e, set_param, &c, err, errlen);
}

struct rule_update {
	int rule, enabled;
	const char *const *names, *const *texts;
	size_t n;
};

static int
update_rule(struct ruleset *rs, const void *arg, char *err, size_t errlen)
{
	const struct rule_update *u = arg;
	if (u->rule < 0 || u->rule >= fraud_rule_count) {
		snprintf(err, errlen, "no rule %d (there are %d)", u->rule + 1, fraud_rule_count);
		return -1;
	}
	if (u->enabled >= 0)
		rs->rules[u->rule].enabled = u->enabled != 0;
	for (size_t i = 0; i < u->n; i++) {
		char why[256];
		if (ruleset_set_param(rs, u->rule, u->names[i], u->texts[i], why, sizeof why) < 0) {
			snprintf(err, errlen, "rule %s, parameter %s: %s",
				 fraud_rule_defs[u->rule].id, u->names[i], why);
			return -1;
		}
	}
	return 0;
}

int
engine_rule_update(struct engine *e, int rule, int enabled, const char *const *names,
		   const char *const *texts, size_t n, char *err, size_t errlen)
{
	struct rule_update u = { rule, enabled, names, texts, n };
	return change_rules(e, update_rule, &u, err, errlen);
}

/* --rules FILE: the whole set, numbered the next version unless the file's
 * own version is higher. */
static int
replace_rules(struct ruleset *rs, const void *arg, char *err, size_t errlen)
{
	uint64_t next = rs->version;
	(void)err;
	(void)errlen;
	*rs = *(const struct ruleset *)arg;
	if (rs->version < next)
		rs->version = next;
	return 0;
}

static void
startup_rules_record(void *arg, const struct rules_record *r)
{
	struct rules_store *rs = arg;
	if (r->kind == RULES_RECORD_RULESET)
		rules_store_seen(rs, &r->ruleset);
	else if (r->kind == RULES_RECORD_WORKER)
		rules_store_worker_applied(rs, r->worker, r->applied_version, r->at_ms);
}

/* The rules in force: the newest on the topic; --rules FILE, when given,
 * is published on top as the next version. */
static int
rules_startup(struct engine *e, char *err, size_t errlen)
{
	struct pipeline *p = &e->p;
	const struct config *cfg = p->cfg;
	struct ruleset from_file, now;
	char why[512];

	if (cfg->rules_file && ruleset_load_file(cfg->rules_file, &from_file, err, errlen) < 0)
		return -1;
	struct kafka_client_opts o = { .kind = KAFKA_ASSIGN_CONSUMER,
				       .name = "rules",
				       .embedded = p->embedded != NULL };
	rd_kafka_t *reader = kafka_client_new(cfg, p->bootstraps, &o, &p->health, why, sizeof why);
	if (reader == NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (rules_reader_start(reader, cfg->topics[TOPIC_RULES]) == 0)
		rules_reader_catch_up(reader, cfg->topics[TOPIC_RULES], 10000, startup_rules_record,
				      &p->rules);
	kafka_client_destroy(reader, 0);

	if (cfg->rules_file) {
		if (change_rules(e, replace_rules, &from_file, err, errlen) < 0)
			return -1;
		rd_kafka_flush(p->producer, 10000);
	}
	rules_store_current(&p->rules, &now);
	log_info("rules", "rules version %" PRIu64 " in force", now.version);
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

/* --bootstrap-file is written once this process's stages have their first
 * assignment (the embedded cluster forms a group in 3 s): a client that
 * starts when it appears has its first orders decided as fast as later
 * ones, instead of their waiting for the group to form. */
static void
bootstrap_file_now(struct pipeline *p)
{
	char err[512];

	if (write_bootstrap_file(p->cfg->bootstrap_file, p->bootstraps, err, sizeof err) < 0) {
		pipeline_set_fatal(p, "%s", err);
		pipeline_request_stop(p);
		return;
	}
	log_info("broker", "bootstrap servers written to %s", p->cfg->bootstrap_file);
}

void
engine_set_worker_nice(struct engine *e, int delta)
{
	e->worker_nice = thread_priority_nice() + delta;
	e->worker_nice_set = true;
}

/* Roles lower their own priority first thing (see engine_set_worker_nice),
 * so the librdkafka threads they start inherit it. */
static void *
role_thread(void *arg)
{
	struct role_slot *s = arg;
	if (s->e->worker_nice_set)
		thread_priority_at_least(s->e->worker_nice);
	s->role->main(&s->e->p, s->state);
	return NULL;
}

static int
start_role(struct role_slot *s, char *err, size_t errlen)
{
	int rc = pthread_create(&s->thread, NULL, role_thread, s);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the %s role's thread: %s", s->role->name,
			 strerror(rc));
		return -1;
	}
	/* Named for top -H and perf: "ot-fraud" beside librdkafka's "rdk:main". */
	pthread_setname_np(s->thread, s->role->thread_name);
	s->running = true;
	return 0;
}

/* The shared producer and its handles of the topics it writes. */
static int
open_producer(struct pipeline *p, char *err, size_t errlen)
{
	struct kafka_client_opts po = { .kind = KAFKA_PRODUCER,
					.name = "producer",
					.embedded = p->embedded != NULL,
					.dr_msg_cb = pipeline_delivery_report,
					.broker_stats = p->embedded == NULL };
	p->producer = kafka_client_new(p->cfg, p->bootstraps, &po, &p->health, err, errlen);
	return p->producer ? 0 : -1;
}

static int
open_producer_topics(struct pipeline *p, char *err, size_t errlen)
{
	static const enum topic_id produced[] = { TOPIC_ORDERS, TOPIC_RULES };
	for (size_t i = 0; i < sizeof produced / sizeof produced[0]; i++) {
		enum topic_id t = produced[i];
		p->producer_topic[t] = rd_kafka_topic_new(p->producer, p->cfg->topics[t], NULL);
		if (p->producer_topic[t] == NULL) {
			snprintf(err, errlen, "topic '%s': %s", p->cfg->topics[t],
				 rd_kafka_err2str(rd_kafka_last_error()));
			return -1;
		}
	}
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
	struct pipeline *p = &e->p;
	const struct config *cfg = p->cfg;

	if (cfg->audit_file && (p->audit = audit_open(cfg->audit_file, err, errlen)) == NULL)
		return -1;
	if (cfg->brokers == NULL) {
		p->embedded = embedded_broker_start(cfg, err, errlen);
		if (p->embedded == NULL)
			return -1;
		snprintf(p->bootstraps, sizeof p->bootstraps, "%s",
			 embedded_broker_bootstraps(p->embedded));
		atomic_store(&p->brokers_total, embedded_broker_count(p->embedded));
		atomic_store(&p->brokers_up, embedded_broker_count(p->embedded));
	} else {
		snprintf(p->bootstraps, sizeof p->bootstraps, "%s", cfg->brokers);
	}
	if (open_producer(p, err, errlen) < 0)
		return -1;
	if (p->embedded == NULL) {
		log_info("broker", "connecting to %s", p->bootstraps);
		int n = topics_wait_for_brokers(p->producer, p->bootstraps, &p->health, &p->stop,
						broker_wait_ms(cfg), err, errlen);
		if (n < 0)
			return -1;
		atomic_store(&p->brokers_total, n);
		atomic_store(&p->brokers_up, n);
		if (topics_provision(p->producer, cfg, err, errlen) < 0)
			return -1;
		p->mock_cluster = topics_cluster_is_mock(p->producer);
	}
	if (open_producer_topics(p, err, errlen) < 0)
		return -1;
	if (rules_startup(e, err, errlen) < 0)
		return -1;

	for (size_t i = 0; i < ENGINE_ROLES; i++) {
		struct role_slot *s = &e->roles[i];
		if (!s->role->runs_here(cfg))
			continue;
		if (s->role->prepare && s->role->prepare(p, &s->state, err, errlen) < 0)
			return -1;
		s->prepared = true;
	}
	if (cfg->bootstrap_file && p->stages_local > 0)
		p->stages_ready = bootstrap_file_now;
	else if (cfg->bootstrap_file &&
		 write_bootstrap_file(cfg->bootstrap_file, p->bootstraps, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < ENGINE_ROLES; i++)
		if (e->roles[i].prepared && start_role(&e->roles[i], err, errlen) < 0)
			return -1;
	return 0;
}

void
engine_stop(struct engine *e)
{
	struct pipeline *p = &e->p;

	engine_request_stop(e);
	if (e->deliveries_running)
		pthread_join(e->deliveries, NULL);
	e->deliveries_running = false;
	if (p->intake_gate)
		intake_gate_flush(p->intake_gate); /* nothing waits past the stop */
	if (p->intake_orders)
		rd_kafka_topic_destroy(p->intake_orders);
	p->intake_orders = NULL;
	kafka_client_destroy(p->intake, 10000); /* its last answers go to the gate */
	p->intake = NULL;
	pipeline_close_intake_gate(p);
	for (size_t i = ENGINE_ROLES; i-- > 0;) {
		struct role_slot *s = &e->roles[i];
		if (s->running)
			pthread_join(s->thread, NULL);
		if (s->prepared && s->role->free)
			s->role->free(s->state);
		s->running = s->prepared = false;
		s->state = NULL;
	}
	for (int t = 0; t < TOPIC__COUNT; t++) {
		if (p->producer_topic[t])
			rd_kafka_topic_destroy(p->producer_topic[t]);
		p->producer_topic[t] = NULL;
	}
	kafka_client_destroy(p->producer, 10000);
	p->producer = NULL;
	audit_close(p->audit);
	p->audit = NULL;
	embedded_broker_stop(p->embedded);
	p->embedded = NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	pipeline_destroy(&e->p);
	generator_free(e->form_ids);
	pthread_mutex_destroy(&e->form_lock);
	free(e);
}

void
engine_tick(struct engine *e)
{
	struct pipeline *p = &e->p;

	stats_sample(&p->stats, now_ms());
	if (p->producer && !p->producer_served)
		rd_kafka_poll(p->producer, 0);
	if (atomic_load(&p->health.fatal) && !atomic_load(&p->has_fatal)) {
		pipeline_set_fatal(p, "%s", p->health.fatal_reason);
		pipeline_request_stop(p);
	}
}

void
engine_broker_status(struct engine *e, struct broker_status *out)
{
	struct pipeline *p = &e->p;

	out->embedded = p->embedded != NULL || p->cfg->brokers == NULL;
	snprintf(out->bootstraps, sizeof out->bootstraps, "%s", p->bootstraps);
	out->up = p->embedded ? embedded_broker_up_count(p->embedded) : atomic_load(&p->brokers_up);
	out->total = atomic_load(&p->brokers_total);
	int known = atomic_load(&p->health.brokers_known);
	if (p->embedded == NULL && known > 0) { /* the producer's statistics */
		out->up = atomic_load(&p->health.brokers_up);
		out->total = known > out->total ? known : out->total;
	}
}

int
engine_broker_set_up(struct engine *e, int broker_id, bool up, char *err, size_t errlen)
{
	if (e->p.embedded == NULL) {
		snprintf(err, errlen, "brokers can only be taken down on the embedded cluster");
		return -1;
	}
	return embedded_broker_set_up(e->p.embedded, broker_id, up, err, errlen);
}

/* ---- generator and intake ---- */

void
engine_generator_status(struct engine *e, struct generator_status *out)
{
	struct pipeline *p = &e->p;

	out->available = (p->cfg->roles & ROLE_PRODUCER) != 0;
	out->finished = atomic_load(&p->gen_finished);
	out->on = atomic_load(&p->gen_on) && !out->finished;
	out->rate = atomic_load(&p->gen_rate);
	out->holding_back = atomic_load(&p->gen_holding_back);
	out->generated = atomic_load(&p->stats.generated);
	out->limit = p->cfg->count;
}

void
engine_generator_set(struct engine *e, bool on)
{
	atomic_store(&e->p.gen_on, on && (e->p.cfg->roles & ROLE_PRODUCER));
	log_info("producer", "generator %s", on ? "on" : "off");
}

void
engine_generator_set_rate(struct engine *e, double rate)
{
	atomic_store(&e->p.gen_rate, rate < 0 ? 0 : rate);
}

/* The generator stops for good; --drain then waits for what it sent. */
void
engine_generator_finish(struct engine *e)
{
	atomic_store(&e->p.gen_finished, true);
}

/* What every intake does before producing: the id, the time, and a check
 * that the order reads back as an order. */
static int
intake_prepare(struct engine *e, struct order *o, char *err, size_t errlen)
{
	struct pipeline *p = &e->p;

	if (e->p.cfg->read_only) {
		config_read_only_text("submitting an order", err, errlen);
		return -1;
	}
	if (p->producer == NULL || pipeline_stopping(p)) {
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
	char *json = order_json(o);
	struct order check;
	int rc = json ? order_parse(json, strlen(json), &check, err, errlen) : -1;
	free(json);
	return rc;
}

int
engine_submit_order(struct engine *e, struct order *o, char *err, size_t errlen)
{
	struct pipeline *p = &e->p;

	if (intake_prepare(e, o, err, errlen) < 0)
		return -1;
	/* Never waits: a full local queue is the caller's to show. */
	rd_kafka_resp_err_t pe = pipeline_produce_order(p, o, false, NULL);
	if (pe != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot publish to '%s': %s", p->cfg->topics[TOPIC_ORDERS],
			 rd_kafka_err2str(pe));
		return -1;
	}
	pipeline_register_local(p, o, 1, ORDER_SOURCE_FORM);
	log_info("intake", "order %s published", o->order_id);
	return 0;
}

int
engine_submit_order_cb(struct engine *e, struct order *o, enum order_source source, bool batch,
		       engine_delivered_fn *done, void *arg, char *err, size_t errlen)
{
	struct pipeline *p = &e->p;

	if (intake_prepare(e, o, err, errlen) < 0)
		return -1;
	struct pipeline_ack *ack = malloc(sizeof *ack);
	if (ack == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*ack = (struct pipeline_ack){ .p = p, .done = done, .arg = arg };
	rd_kafka_resp_err_t pe =
		pipeline_produce_order_ack(p, o, order_source_name(source), batch, ack);
	if (pe != RD_KAFKA_RESP_ERR_NO_ERROR) {
		free(ack);
		snprintf(err, errlen, "cannot publish to '%s': %s", p->cfg->topics[TOPIC_ORDERS],
			 rd_kafka_err2str(pe));
		return -1;
	}
	pipeline_register_local(p, o, 1, source);
	return 0;
}

static void *
deliveries_thread(void *arg)
{
	struct pipeline *p = arg;
	while (!pipeline_stopping(p))
		rd_kafka_poll(p->intake, 100);
	return NULL;
}

int
engine_open_intake(struct engine *e, char *err, size_t errlen)
{
	struct pipeline *p = &e->p;
	struct kafka_client_opts po = { .kind = KAFKA_PRODUCER,
					.name = "intake",
					.embedded = p->embedded != NULL,
					.no_linger = true,
					.dr_msg_cb = pipeline_delivery_report };

	if (p->producer == NULL || p->intake != NULL)
		return 0;
	p->intake = kafka_client_new(p->cfg, p->bootstraps, &po, &p->health, err, errlen);
	if (p->intake == NULL)
		return -1;
	if (pipeline_open_intake_gate(p) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->intake_orders = rd_kafka_topic_new(p->intake, p->cfg->topics[TOPIC_ORDERS], NULL);
	if (p->intake_orders == NULL) {
		snprintf(err, errlen, "topic '%s': %s", p->cfg->topics[TOPIC_ORDERS],
			 rd_kafka_err2str(rd_kafka_last_error()));
		return -1;
	}
	int rc = pthread_create(&e->deliveries, NULL, deliveries_thread, p);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the intake's delivery reports' thread: %s",
			 strerror(rc));
		return -1;
	}
	pthread_setname_np(e->deliveries, "ot-intake-dr");
	e->deliveries_running = true;
	return 0;
}

bool
engine_ready(struct engine *e, char *why, size_t whylen)
{
	struct pipeline *p = &e->p;
	struct broker_status b;

	engine_broker_status(e, &b);
	if (pipeline_fatal_error(p)) {
		snprintf(why, whylen, "%s", pipeline_fatal_error(p));
		return false;
	}
	if (p->producer == NULL || pipeline_stopping(p)) {
		snprintf(why, whylen, "the pipeline is not running");
		return false;
	}
	if (b.up == 0) {
		snprintf(why, whylen, "no broker reachable (%d known)", b.total);
		return false;
	}
	int assigned = atomic_load(&p->stages_assigned);
	if (assigned < p->stages_local) {
		snprintf(why, whylen, "%d of %d consumer stages have their partitions assigned",
			 assigned, p->stages_local);
		return false;
	}
	snprintf(why, whylen, "ready");
	return true;
}

size_t
engine_consumer_lag(struct engine *e, struct pipeline_lag_row *rows, size_t max)
{
	return pipeline_lag_get(&e->p, rows, max);
}

bool
engine_drained(struct engine *e)
{
	struct pipeline *p = &e->p;
	struct order_table_counts c;

	if (!atomic_load(&p->gen_finished) || atomic_load(&p->gen_sending))
		return false;
	order_table_counts(p->orders, &c);
	return c.local_settled >= c.local_registered &&
		(p->producer == NULL || rd_kafka_outq_len(p->producer) == 0) &&
		(p->intake == NULL || rd_kafka_outq_len(p->intake) == 0);
}
