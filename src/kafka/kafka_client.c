/*
 * kafka_client.c — creating librdkafka handles with ordertop's defaults,
 * the user's properties on top, and logs and errors routed to log.h and
 * struct kafka_health.  See kafka_client.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "int_text.h"
#include "kafka_client.h"
#include "log.h"
#include "redact.h"

/* Properties ordertop sets per handle; a user value would break a role. */
static const char *managed_keys[] = {
	"group.id",          "transactional.id",     "enable.auto.commit",   "isolation.level",
	"bootstrap.servers", "metadata.broker.list", "enable.partition.eof",
};

static bool
is_managed_key(const char *key)
{
	for (size_t i = 0; i < sizeof managed_keys / sizeof managed_keys[0]; i++)
		if (strcmp(key, managed_keys[i]) == 0)
			return true;
	return false;
}

static void
client_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	int ours = level <= 3 ? LOG_ERROR
		: level == 4  ? LOG_WARN
		: level == 5  ? LOG_INFO
			      : LOG_DEBUG;
	log_msg(ours, rd_kafka_name(rk), "%s: %s", fac, buf);
}

/* A peer that is not a Kafka listener: its first bytes read as a huge
 * response size (SSH's banner, "HTTP"), or it hangs up on or never
 * answers the first request every client sends (ApiVersion). */
static bool
speaks_no_kafka(int err, const char *reason)
{
	return err == RD_KAFKA_RESP_ERR__BAD_MSG ||
		(err == RD_KAFKA_RESP_ERR__TRANSPORT &&
		 (strstr(reason, "Invalid response size") != NULL ||
		  strstr(reason, "in state APIVERSION_QUERY") != NULL));
}

static void
client_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka_health *h = opaque;
	char fatal[256];

	if (h == NULL)
		return;
	atomic_store(&h->last_error, err);
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, fatal, sizeof fatal);
		if (!atomic_flag_test_and_set(&h->fatal_once)) {
			snprintf(h->fatal_reason, sizeof h->fatal_reason, "%s: %s: %s",
				 rd_kafka_name(rk), rd_kafka_err2name(orig), fatal);
			redact_text(h->fatal_reason, sizeof h->fatal_reason);
			atomic_store(&h->fatal, true);
		}
		log_error("kafka", "%s: fatal error: %s: %s", rd_kafka_name(rk),
			  rd_kafka_err2name(orig), fatal);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
		if (!atomic_flag_test_and_set(&h->auth_once)) {
			snprintf(h->auth_reason, sizeof h->auth_reason, "%s", reason);
			redact_text(h->auth_reason, sizeof h->auth_reason);
			atomic_store(&h->auth_failed, true);
		}
		log_error("kafka", "%s: authentication failed: %s", rd_kafka_name(rk), reason);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		atomic_store(&h->all_brokers_down, true);
	if (speaks_no_kafka(err, reason) && !atomic_flag_test_and_set(&h->not_kafka_once)) {
		/* reason starts "host:port/name: ..." */
		size_t n = strcspn(reason, "/ ");
		snprintf(h->not_kafka_addr, sizeof h->not_kafka_addr, "%.*s", (int)n, reason);
		atomic_store(&h->not_kafka, true);
	}
	log_warn("kafka", "%s: %s: %s", rd_kafka_name(rk),
		 rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

/* Whether a broker state of librdkafka's says the broker is down (1), up
 * (0), or nothing (-1: INIT, not connected since it was last needed). */
static int
broker_state_down(const char *state)
{
	if (strcmp(state, "INIT") == 0)
		return -1;
	return strcmp(state, "DOWN") == 0 || strcmp(state, "TRY_CONNECT") == 0 ||
		strcmp(state, "CONNECT") == 0;
}

/* librdkafka's statistics: the brokers learnt from metadata (node id >= 0,
 * not the bootstrap addresses) and how many of them are connected.  A
 * broker not connected since it was last needed (INIT) keeps what was
 * seen of it before (up, at first). */
static int
client_stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	struct kafka_health *h = opaque;
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *b;
	int known = 0, up = 0;
	(void)rk;

	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(root, "brokers"))
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(b, "nodeid");
		const cJSON *state = cJSON_GetObjectItemCaseSensitive(b, "state");
		if (!cJSON_IsNumber(id) || id->valueint < 0 || !cJSON_IsString(state))
			continue;
		known++;
		int down = broker_state_down(state->valuestring);
		if (h != NULL && id->valueint < KAFKA_HEALTH_BROKERS_MAX) {
			if (down >= 0)
				h->broker_down[id->valueint] = (unsigned char)down;
			down = h->broker_down[id->valueint];
		}
		up += down <= 0;
	}
	cJSON_Delete(root);
	if (h != NULL && known > 0) {
		int was_up = atomic_exchange(&h->brokers_up, up);
		int was_known = atomic_exchange(&h->brokers_known, known);
		if (was_known > 0 && (was_up != up || was_known != known))
			log_warn("broker", "%d of %d broker(s) up", up, known);
	}
	return 0; /* librdkafka frees json */
}

static int
conf_set(rd_kafka_conf_t *conf, const char *key, const char *value, const char *origin, char *err,
	 size_t errlen)
{
	char why[512];

	if (rd_kafka_conf_set(conf, key, value, why, sizeof why) != RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "%s: %s", origin ? origin : key, why);
		return -1;
	}
	return 0;
}

rd_kafka_t *
kafka_client_new(const struct config *cfg, const char *bootstraps,
		 const struct kafka_client_opts *o, struct kafka_health *health, char *err,
		 size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	bool consumer = o->kind == KAFKA_GROUP_CONSUMER || o->kind == KAFKA_ASSIGN_CONSUMER;
	char client_id[128], why[512];
	struct {
		const char *k, *v;
	} defaults[24];
	size_t n = 0;

	snprintf(client_id, sizeof client_id, "ordertop-%s", o->name);
#define DFLT(key, val)                                                                             \
	do {                                                                                       \
		defaults[n].k = (key);                                                             \
		defaults[n].v = (val);                                                             \
		n++;                                                                               \
	} while (0)
	DFLT("client.id", client_id);
	DFLT("socket.nagle.disable", "true");
	DFLT("reconnect.backoff.max.ms", "5000");
	if (o->embedded)
		DFLT("topic.metadata.refresh.interval.ms", "10000");
	if (consumer) {
		DFLT("fetch.wait.max.ms", o->embedded ? "10" : "50");
		DFLT("auto.offset.reset", "earliest");
		DFLT("fetch.error.backoff.ms", "50");
	}
	switch (o->kind) {
	case KAFKA_PRODUCER:
		DFLT("enable.idempotence", "true");
		DFLT("linger.ms", o->no_linger ? "0" : "5");
		DFLT("compression.type", "lz4");
		break;
	case KAFKA_TXN_PRODUCER:
		DFLT("linger.ms", "2");
		DFLT("compression.type", "lz4");
		DFLT("transaction.timeout.ms", "30000");
		break;
	case KAFKA_GROUP_CONSUMER:
		if (o->embedded)
			DFLT("session.timeout.ms", "6000");
		else
			DFLT("session.timeout.ms", "10000");
		DFLT("heartbeat.interval.ms", "1000");
		break;
	case KAFKA_ASSIGN_CONSUMER:
	case KAFKA_ADMIN: break;
	}
#undef DFLT
	for (size_t i = 0; i < n; i++)
		if (conf_set(conf, defaults[i].k, defaults[i].v, NULL, err, errlen) < 0)
			goto fail;

	/* The user's properties win over our defaults, except the managed ones. */
	for (size_t i = 0; i < cfg->props.n; i++) {
		const struct kv *p = &cfg->props.items[i];
		if (is_managed_key(p->key))
			continue;
		redact_add_property(p->key, p->value);
		if (conf_set(conf, p->key, p->value, p->origin, err, errlen) < 0)
			goto fail;
	}

	if (conf_set(conf, "bootstrap.servers", bootstraps, NULL, err, errlen) < 0)
		goto fail;
	if (consumer) {
		if (conf_set(conf, "enable.auto.commit", "false", NULL, err, errlen) < 0 ||
		    conf_set(conf, "enable.partition.eof", o->partition_eof ? "true" : "false",
			     NULL, err, errlen) < 0 ||
		    conf_set(conf, "isolation.level", "read_committed", NULL, err, errlen) < 0)
			goto fail;
	}
	/* librdkafka's consumer wants a group.id even for assign(); an
	 * assign-only reader never joins it or commits to it, so it never
	 * shows up on the broker as a (lagging) group. */
	char reader_group[160];
	if (o->kind == KAFKA_ASSIGN_CONSUMER)
		snprintf(reader_group, sizeof reader_group, "%s-reader-%s-%d", cfg->group_prefix,
			 o->name, (int)getpid());
	if (consumer &&
	    conf_set(conf, "group.id", o->kind == KAFKA_GROUP_CONSUMER ? o->group_id : reader_group,
		     NULL, err, errlen) < 0)
		goto fail;
	if (o->kind == KAFKA_TXN_PRODUCER &&
	    conf_set(conf, "transactional.id", o->transactional_id, NULL, err, errlen) < 0)
		goto fail;

	rd_kafka_conf_set_log_cb(conf, client_log_cb);
	rd_kafka_conf_set_error_cb(conf, client_error_cb);
	rd_kafka_conf_set_opaque(conf, health);
	if (o->broker_stats) {
		/* connected to every broker, so each one's state is known */
		if (conf_set(conf, "statistics.interval.ms", "1000", NULL, err, errlen) < 0 ||
		    conf_set(conf, "enable.sparse.connections", "false", NULL, err, errlen) < 0)
			goto fail;
		rd_kafka_conf_set_stats_cb(conf, client_stats_cb);
	}
	if (o->dr_msg_cb != NULL)
		rd_kafka_conf_set_dr_msg_cb(conf, o->dr_msg_cb);
	if (o->rebalance_cb != NULL)
		rd_kafka_conf_set_rebalance_cb(conf, o->rebalance_cb);

	rd_kafka_t *rk = rd_kafka_new(consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, why,
				      sizeof why);
	if (rk == NULL) {
		snprintf(err, errlen, "%s: cannot create Kafka client: %s", o->name, why);
		goto fail;
	}
	if (consumer)
		rd_kafka_poll_set_consumer(rk);
	return rk;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

void
kafka_client_destroy(rd_kafka_t *rk, int flush_timeout_ms)
{
	if (rk == NULL)
		return;
	if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER) {
		rd_kafka_consumer_close(rk);
	} else {
		rd_kafka_resp_err_t e = rd_kafka_flush(rk, flush_timeout_ms);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("kafka", "%s: %d message(s) not delivered at shutdown: %s",
				 rd_kafka_name(rk), rd_kafka_outq_len(rk), rd_kafka_err2str(e));
	}
	rd_kafka_destroy(rk);
}

int
kafka_header_str(const rd_kafka_message_t *m, const char *name, char *buf, size_t len)
{
	rd_kafka_headers_t *hdrs;
	const void *val;
	size_t sz;

	if (len == 0 || rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    rd_kafka_header_get_last(hdrs, name, &val, &sz) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    val == NULL)
		return -1;
	if (sz >= len)
		sz = len - 1;
	memcpy(buf, val, sz);
	buf[sz] = '\0';
	return 0;
}

bool
kafka_record_value(const rd_kafka_message_t *m, const void **buf, size_t *len)
{
	rd_kafka_headers_t *hdrs;
	const void *val;
	size_t sz;

	/* a record without headers answers at once, without parsing */
	if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    rd_kafka_header_get_last(hdrs, HDR_RECORD, &val, &sz) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    val != NULL) {
		*buf = val;
		*len = sz;
		return true;
	}
	*buf = m->payload;
	*len = m->len;
	return false;
}

int64_t
kafka_header_int(const rd_kafka_message_t *m, const char *name, int64_t dflt)
{
	char buf[32], *end;

	if (kafka_header_str(m, name, buf, sizeof buf) < 0)
		return dflt;
	long long v = strtoll(buf, &end, 10);
	return (end == buf || *end != '\0') ? dflt : (int64_t)v;
}

size_t
kafka_source_text(char *buf, size_t len, const rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	char part[INT_TEXT_MAX], off[INT_TEXT_MAX];
	size_t tl = strlen(topic), pl = int_text(part, m->partition), ol = int_text(off, m->offset),
	       n = 0;
	const char *pieces[5] = { topic, "/", part, "/", off };
	size_t lens[5] = { tl, 1, pl, 1, ol };

	if (len == 0)
		return 0;
	for (int i = 0; i < 5; i++) {
		size_t c = lens[i] < len - 1 - n ? lens[i] : len - 1 - n;
		memcpy(buf + n, pieces[i], c);
		n += c;
	}
	buf[n] = '\0';
	return n;
}
