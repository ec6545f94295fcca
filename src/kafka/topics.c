/*
 * topics.c — broker readiness and topic provisioning on a real cluster
 * (CreateTopics; the embedded cluster creates its topics itself).  A
 * cluster whose controller is none of its brokers cannot serve the Admin
 * API (another process's embedded cluster names broker 0, which does not
 * exist: CreateTopics would wait for it until it times out); its missing
 * topics are asked for by name instead, which creates them where the
 * cluster creates topics automatically, and ordertop says so.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "log.h"
#include "stats.h"
#include "topics.h"

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* " (HOST:PORT does not speak ...)" when an address answered in something
 * else than Kafka's protocol, else "". */
static void
not_kafka_hint(struct kafka_health *health, char *buf, size_t len)
{
	buf[0] = '\0';
	if (atomic_load(&health->not_kafka))
		snprintf(buf, len,
			 ": %s does not speak the Kafka protocol (is it a Kafka "
			 "listener? is security.protocol right?)",
			 health->not_kafka_addr);
}

int
topics_wait_for_brokers(rd_kafka_t *rk, const char *bootstraps, struct kafka_health *health,
			const atomic_bool *stop, int timeout_ms, char *err, size_t errlen)
{
	int backoff_ms = 500, attempt = 0;
	int64_t deadline = timeout_ms > 0 ? mono_ms() + timeout_ms : INT64_MAX;
	char hint[320];

	for (;;) {
		const struct rd_kafka_metadata *md = NULL;
		int64_t left = deadline - mono_ms();
		rd_kafka_resp_err_t e = rd_kafka_metadata(
			rk, 0, NULL, &md, left < 2000 ? (int)(left > 1 ? left : 1) : 2000);
		if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md->broker_cnt > 0) {
			int n = md->broker_cnt;
			rd_kafka_metadata_destroy(md);
			if (attempt > 0)
				log_info("broker", "brokers at %s answer now (%d broker(s))",
					 bootstraps, n);
			return n;
		}
		if (md)
			rd_kafka_metadata_destroy(md);
		/* Error callbacks (authentication failures among them) are
		 * served by poll, not by the metadata call. */
		rd_kafka_poll(rk, 100);
		if (atomic_load(&health->auth_failed)) {
			snprintf(err, errlen, "authentication failed: %s", health->auth_reason);
			return -1;
		}
		if (atomic_load(&health->fatal)) {
			snprintf(err, errlen, "%s", health->fatal_reason);
			return -1;
		}
		not_kafka_hint(health, hint, sizeof hint);
		if (mono_ms() >= deadline) {
			snprintf(err, errlen, "no broker reachable at %s within %.0f s%s",
				 bootstraps, timeout_ms / 1000.0, hint);
			return -1;
		}
		attempt++;
		log_warn("broker", "cannot reach the brokers at %s (%s)%s; retrying in %.1f s",
			 bootstraps, rd_kafka_err2str(e), hint, backoff_ms / 1000.0);
		for (int waited = 0; waited < backoff_ms && mono_ms() < deadline; waited += 100) {
			rd_kafka_poll(rk, 0);
			if (atomic_load(&health->auth_failed))
				break;
			if (atomic_load(stop)) {
				snprintf(err, errlen,
					 "stopped while waiting for the brokers at %s%s",
					 bootstraps, hint);
				return -1;
			}
			sleep_ms(100);
		}
		if (backoff_ms < 10000)
			backoff_ms *= 2;
	}
}

/* Metadata of one topic without creating it: an all-topics request. */
static int
find_topic(const struct rd_kafka_metadata *md, const char *name)
{
	for (int i = 0; i < md->topic_cnt; i++)
		if (strcmp(md->topics[i].topic, name) == 0)
			return i;
	return -1;
}

/* Answers that pass while a new topic or partition leader settles. */
static bool
settling(rd_kafka_resp_err_t e)
{
	return e == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
		e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__TIMED_OUT ||
		e == RD_KAFKA_RESP_ERR__TRANSPORT;
}

rd_kafka_resp_err_t
topics_watermarks(rd_kafka_t *rk, const char *topic, int32_t partition, int64_t *lo, int64_t *hi,
		  int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	for (;;) {
		rd_kafka_resp_err_t e =
			rd_kafka_query_watermark_offsets(rk, topic, partition, lo, hi, 5000);
		if (e == RD_KAFKA_RESP_ERR_NO_ERROR || mono_ms() >= deadline ||
		    (e != RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION && !settling(e)))
			return e;
		sleep_ms(200);
	}
}

bool
topics_cluster_is_mock(rd_kafka_t *rk)
{
	const struct rd_kafka_metadata *md;
	bool found = false;

	if (rd_kafka_metadata(rk, 0, NULL, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return false;
	int32_t controller = rd_kafka_controllerid(rk, 0);
	for (int b = 0; b < md->broker_cnt; b++)
		found |= md->brokers[b].id == controller;
	rd_kafka_metadata_destroy(md);
	return !found;
}

/* A topic that was just created reaches each broker's metadata cache at its
 * own pace: a broker that has not heard of it yet answers "unknown topic",
 * so transient answers are asked again until the deadline. */
int
topics_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	int64_t deadline = mono_ms() + timeout_ms;
	int n = -1;

	if (rkt == NULL)
		return -1;
	for (;;) {
		const struct rd_kafka_metadata *md;
		int64_t left = deadline - mono_ms();
		rd_kafka_resp_err_t e =
			rd_kafka_metadata(rk, 0, rkt, &md, left > 1000 ? (int)left : 1000);
		if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
			e = md->topic_cnt == 1 ? md->topics[0].err
					       : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
			if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md->topics[0].partition_cnt > 0)
				n = md->topics[0].partition_cnt;
			rd_kafka_metadata_destroy(md);
		}
		if (n > 0 || mono_ms() >= deadline ||
		    (e != RD_KAFKA_RESP_ERR_NO_ERROR && !settling(e)))
			break;
		sleep_ms(200);
	}
	rd_kafka_topic_destroy(rkt);
	return n;
}

/* state_parts: the fraud state's changelog is partitioned like the orders. */
static int
create_topics(rd_kafka_t *rk, const struct config *cfg, const int *missing, int n_missing,
	      int state_parts, char *err, size_t errlen)
{
	rd_kafka_NewTopic_t *nt[TOPIC__COUNT];
	char why[256];
	int rc = 0;

	for (int i = 0; i < n_missing; i++) {
		int t = missing[i];
		int parts = t == TOPIC_RULES ? 1 : t == TOPIC_STATE ? state_parts : cfg->partitions;
		nt[i] = rd_kafka_NewTopic_new(cfg->topics[t], parts, cfg->replication_factor, why,
					      sizeof why);
		if (nt[i] == NULL) {
			snprintf(err, errlen, "topic '%s': %s", cfg->topics[t], why);
			rd_kafka_NewTopic_destroy_array(nt, (size_t)i);
			return -1;
		}
		if (t == TOPIC_RULES || t == TOPIC_STATE)
			rd_kafka_NewTopic_set_config(nt[i], "cleanup.policy", "compact");
	}

	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *opts =
		rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_AdminOptions_set_operation_timeout(opts, 15000, NULL, 0);
	rd_kafka_AdminOptions_set_request_timeout(opts, 20000, NULL, 0);
	rd_kafka_CreateTopics(rk, nt, (size_t)n_missing, opts, q);
	rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);

	if (ev == NULL) {
		snprintf(err, errlen, "creating topics timed out");
		rc = -1;
	} else if (rd_kafka_event_error(ev)) {
		snprintf(err, errlen, "cannot create topics: %s", rd_kafka_event_error_string(ev));
		rc = -1;
	} else {
		const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
		size_t cnt;
		const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(res, &cnt);
		for (size_t i = 0; i < cnt; i++) {
			rd_kafka_resp_err_t e = rd_kafka_topic_result_error(tr[i]);
			const char *name = rd_kafka_topic_result_name(tr[i]);
			if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
				log_info("topics", "created topic '%s'", name);
			} else if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
				log_info("topics", "topic '%s' exists", name);
			} else if (e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
				   e == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED) {
				snprintf(err, errlen,
					 "not authorized to create topic '%s' (%s): create it "
					 "beforehand or grant CREATE on it",
					 name, rd_kafka_err2name(e));
				rc = -1;
				break;
			} else {
				const char *msg = rd_kafka_topic_result_error_string(tr[i]);
				snprintf(err, errlen, "cannot create topic '%s': %s", name,
					 msg ? msg : rd_kafka_err2str(e));
				rc = -1;
				break;
			}
		}
	}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(opts);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy_array(nt, (size_t)n_missing);
	return rc;
}

/* The missing topics, by automatic creation: a metadata request for a
 * topic by name from a producer creates it where the cluster allows it. */
static int
auto_create_topics(rd_kafka_t *rk, const struct config *cfg, const int *missing, int n_missing,
		   const char *why, char *err, size_t errlen)
{
	char names[TOPIC__COUNT * (CONFIG_TOPIC_MAX + 4)] = "";
	size_t used = 0;

	for (int i = 0; i < n_missing; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s'%s'", i ? ", " : "",
					 cfg->topics[missing[i]]);
	log_warn("topics",
		 "%s; automatic topic creation instead (the cluster's default "
		 "partition count applies) for %s",
		 why, names);
	for (int i = 0; i < n_missing; i++) {
		const char *name = cfg->topics[missing[i]];
		int n = topics_partition_count(rk, name, 10000);
		if (n <= 0) {
			snprintf(err, errlen,
				 "cannot create topic '%s': %s, and the cluster did not "
				 "create it automatically; create it beforehand",
				 name, why);
			return -1;
		}
		log_info("topics", "topic '%s' created automatically with %d partition(s)", name,
			 n);
	}
	return 0;
}

/* Every topic must be visible (and so describable) by now. */
static int
check_topics(rd_kafka_t *rk, const struct config *cfg, char *err, size_t errlen)
{
	for (int t = 0; t < TOPIC__COUNT; t++) {
		const struct rd_kafka_metadata *md;
		rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, cfg->topics[t], NULL);
		rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
		rd_kafka_topic_destroy(rkt);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "topic '%s': metadata: %s", cfg->topics[t],
				 rd_kafka_err2str(e));
			return -1;
		}
		e = md->topic_cnt == 1 ? md->topics[0].err
				       : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
		/* A new topic's partitions need a leader before they can be used. */
		for (int p = 0; e == RD_KAFKA_RESP_ERR_NO_ERROR && p < md->topics[0].partition_cnt;
		     p++)
			if (md->topics[0].partitions[p].leader < 0 ||
			    md->topics[0].partitions[p].err ==
				    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
				e = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
		rd_kafka_metadata_destroy(md);
		if (e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
			snprintf(err, errlen, "not authorized to access topic '%s' (%s)",
				 cfg->topics[t], rd_kafka_err2name(e));
			return -1;
		}
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "topic '%s': %s", cfg->topics[t],
				 rd_kafka_err2str(e));
			return -1;
		}
	}
	return 0;
}

int
topics_provision(rd_kafka_t *rk, const struct config *cfg, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md;
	int missing[TOPIC__COUNT], n_missing = 0;
	rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, 10000);
	bool has_controller = false;
	int state_parts = cfg->partitions;

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "cannot list topics: %s", rd_kafka_err2str(e));
		return -1;
	}
	int orders = find_topic(md, cfg->topics[TOPIC_ORDERS]);
	if (orders >= 0 && md->topics[orders].partition_cnt > 0)
		state_parts = md->topics[orders].partition_cnt;
	for (int t = 0; t < TOPIC__COUNT; t++) {
		int i = find_topic(md, cfg->topics[t]);
		if (i < 0) {
			missing[n_missing++] = t;
			continue;
		}
		int want = t == TOPIC_RULES ? 1 : t == TOPIC_STATE ? state_parts : cfg->partitions;
		if (md->topics[i].partition_cnt != want)
			log_info("topics", "topic '%s' exists with %d partition(s); left as it is",
				 cfg->topics[t], md->topics[i].partition_cnt);
	}
	int32_t controller = rd_kafka_controllerid(rk, 0); /* as of that answer */
	for (int b = 0; b < md->broker_cnt; b++)
		has_controller |= md->brokers[b].id == controller;
	rd_kafka_metadata_destroy(md);

	if (n_missing > 0) {
		if (!has_controller) {
			char why[160];
			snprintf(why, sizeof why,
				 "no Admin API to create topics (the cluster's "
				 "controller, %d, is none of its brokers)",
				 (int)controller);
			if (auto_create_topics(rk, cfg, missing, n_missing, why, err, errlen) < 0)
				return -1;
		} else if (create_topics(rk, cfg, missing, n_missing, state_parts, err, errlen) <
			   0) {
			return -1;
		}
	}

	/* New topics take a moment to appear in every broker's metadata. */
	int64_t deadline = mono_ms() + 20000;
	for (;;) {
		int rc = check_topics(rk, cfg, err, errlen);
		if (rc == 0 || mono_ms() > deadline || strstr(err, "not authorized"))
			return rc;
		sleep_ms(250);
	}
}
