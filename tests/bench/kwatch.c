/*
 * kwatch.c — the benchmark's outside view of a pipeline.
 *
 *   kwatch -b B [-t orders.notified] -n N [--warmup SEC] [--ready FILE]
 *          [--progress FILE] [--timeout SEC] [--summary FILE] [--field NAME]
 *       Assigns every partition of the topic at its current end
 *       (read_committed), writes FILE for --ready, then counts records
 *       until N arrived.  Each record's end-to-end latency is its arrival
 *       here minus the created_at its payload carries (wall clock; --field
 *       names another top-level member), so it includes the last hop that
 *       ordertop's own e2e figure leaves out.
 *       --warmup SEC leaves out orders created in the first SEC seconds
 *       (from the first order seen).  --progress FILE is rewritten every
 *       200 ms with "count elapsed_s".  --timeline FILE writes, per second
 *       of creation time (from the first order seen), the orders created
 *       then and their latency p50/p99/max: "s,count,p50_ms,p99_ms,max_ms".
 *       Prints one JSON object.
 *
 *   kwatch -b B --commit-end GROUP TOPIC
 *       Commits, for consumer group GROUP, every partition of TOPIC at its
 *       current end: a new group then starts where the topic ends now,
 *       not at its start (ordertop's groups use auto.offset.reset=earliest).
 *
 * Exit: 0 done, 1 timeout or error, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include "flat_json.h"
#include "stats.h"
#include "timeline.h"

static atomic_bool stop;

static void on_signal(int sig) { (void)sig; atomic_store(&stop, true); }

static int64_t
wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static rd_kafka_t *
consumer_new(const char *brokers, const char *group, char **props, int n_props)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char why[512];
	const char *kv[] = {
		"bootstrap.servers", brokers, "group.id", group, "client.id", "kwatch",
		"enable.auto.commit", "false", "enable.partition.eof", "false",
		"isolation.level", "read_committed", "fetch.wait.max.ms", "10",
		"socket.nagle.disable", "true", NULL,
	};
	for (int i = 0; kv[i]; i += 2)
		if (rd_kafka_conf_set(conf, kv[i], kv[i + 1], why, sizeof why) != RD_KAFKA_CONF_OK) {
			fprintf(stderr, "kwatch: %s: %s\n", kv[i], why);
			return NULL;
		}
	for (int i = 0; i < n_props; i++) {
		char *eq = strchr(props[i], '=');
		*eq = '\0';
		rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, props[i], eq + 1, why, sizeof why);
		*eq = '=';
		if (r != RD_KAFKA_CONF_OK) {
			fprintf(stderr, "kwatch: -X %s: %s\n", props[i], why);
			return NULL;
		}
	}
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why);
	if (rk == NULL) {
		fprintf(stderr, "kwatch: %s\n", why);
		return NULL;
	}
	rd_kafka_poll_set_consumer(rk);
	return rk;
}

/* Every partition of topic, each at its high watermark. */
static rd_kafka_topic_partition_list_t *
topic_ends(rd_kafka_t *rk, const char *topic)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	int n = -1;
	for (int attempt = 0; attempt < 10 && n <= 0; attempt++) {
		if (rd_kafka_metadata(rk, 0, rkt, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
				n = md->topics[0].partition_cnt;
			rd_kafka_metadata_destroy(md);
		}
	}
	rd_kafka_topic_destroy(rkt);
	if (n <= 0) {
		fprintf(stderr, "kwatch: cannot read the partitions of '%s'\n", topic);
		return NULL;
	}
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++) {
		int64_t lo, hi;
		rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 10000);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "kwatch: end of %s [%d]: %s\n", topic, p, rd_kafka_err2str(e));
			rd_kafka_topic_partition_list_destroy(l);
			return NULL;
		}
		rd_kafka_topic_partition_list_add(l, topic, p)->offset = hi;
	}
	return l;
}

/* The payload's top-level member name, a number of ms; 0 when the record
 * does not have one (ordertop writes flat JSON; nothing else is read). */
static int64_t
payload_ms(const rd_kafka_message_t *m, const char *name)
{
	struct flat_member f[32];
	int n = flat_json_members(m->payload, m->len, f, 32);
	const struct flat_member *v = n > 0 ? flat_find(f, n, name) : NULL;
	return v && v->type == FLAT_NUMBER && v->number > 0 ? (int64_t)v->number : 0;
}

static void
write_file(const char *path, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fputs(text, f);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: kwatch -b BROKERS [-t TOPIC] -n N [--warmup SEC] [--ready FILE]\n"
	           "              [--progress FILE] [--timeline FILE] [--timeout SEC]\n"
	           "              [--summary FILE] [--field NAME] [-X K=V]\n"
	           "       kwatch -b BROKERS --commit-end GROUP TOPIC [-X K=V]\n");
}

int
main(int argc, char **argv)
{
	enum { O_WARM = 256, O_READY, O_PROG, O_TO, O_SUM, O_COMMIT, O_FIELD, O_TL };
	static const struct option lopts[] = {
		{ "warmup", required_argument, NULL, O_WARM },
		{ "ready", required_argument, NULL, O_READY },
		{ "progress", required_argument, NULL, O_PROG },
		{ "timeout", required_argument, NULL, O_TO },
		{ "summary", required_argument, NULL, O_SUM },
		{ "commit-end", required_argument, NULL, O_COMMIT },
		{ "field", required_argument, NULL, O_FIELD },
		{ "timeline", required_argument, NULL, O_TL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *brokers = NULL, *topic = "orders.notified", *ready = NULL, *progress = NULL;
	const char *summary = NULL, *commit_group = NULL, *field = "created_at";
	const char *timeline = NULL;
	char *props[32];
	int n_props = 0, c, timeout_s = 900;
	long long n = 0;
	double warmup = 0;

	while ((c = getopt_long(argc, argv, "b:t:n:X:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'b': brokers = optarg; break;
		case 't': topic = optarg; break;
		case 'n': n = atoll(optarg); break;
		case 'X':
			if (strchr(optarg, '=') == NULL || n_props == 32) {
				usage(stderr);
				return 2;
			}
			props[n_props++] = optarg;
			break;
		case O_WARM: warmup = atof(optarg); break;
		case O_READY: ready = optarg; break;
		case O_PROG: progress = optarg; break;
		case O_TO: timeout_s = atoi(optarg); break;
		case O_SUM: summary = optarg; break;
		case O_COMMIT: commit_group = optarg; break;
		case O_FIELD: field = optarg; break;
		case O_TL: timeline = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (brokers == NULL || brokers[0] == '\0' || brokers[0] == '-') {
		usage(stderr);
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (commit_group) {
		if (optind != argc - 1) {
			usage(stderr);
			return 2;
		}
		rd_kafka_t *rk = consumer_new(brokers, commit_group, props, n_props);
		if (rk == NULL)
			return 1;
		rd_kafka_topic_partition_list_t *l = topic_ends(rk, argv[optind]);
		int rc = 1;
		if (l) {
			rd_kafka_resp_err_t e = rd_kafka_commit(rk, l, 0);
			if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
				rc = 0;
			else
				fprintf(stderr, "kwatch: commit %s for %s: %s\n", argv[optind],
				        commit_group, rd_kafka_err2str(e));
			rd_kafka_topic_partition_list_destroy(l);
		}
		rd_kafka_destroy(rk);
		return rc;
	}
	if (n < 1) {
		usage(stderr);
		return 2;
	}

	char group[64];
	snprintf(group, sizeof group, "kwatch-%d", (int)getpid());
	rd_kafka_t *rk = consumer_new(brokers, group, props, n_props);
	if (rk == NULL)
		return 1;
	rd_kafka_topic_partition_list_t *l = topic_ends(rk, topic);
	if (l == NULL)
		return 1;
	rd_kafka_assign(rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (ready)
		write_file(ready, "ready\n");

	static struct latency_hist all, steady;
	struct timeline tl = { 0 };
	long long count = 0, no_created = 0;
	int64_t start = wall_us(), first_arrival = 0, last_arrival = 0, first_created = 0;
	int64_t min_created = 0, last_progress = 0;
	int64_t deadline = start + (int64_t)timeout_s * 1000000;

	while (!atomic_load(&stop) && count < n) {
		int64_t now = wall_us();
		if (now > deadline)
			break;
		if (progress && now - last_progress >= 200000) {
			char text[64];
			snprintf(text, sizeof text, "%lld %.3f\n", count,
			         first_arrival ? (double)(now - first_arrival) / 1e6 : 0.0);
			write_file(progress, text);
			last_progress = now;
		}
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL)
			continue;
		if (m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				fprintf(stderr, "kwatch: %s\n", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			continue;
		}
		now = wall_us();
		if (first_arrival == 0)
			first_arrival = now;
		last_arrival = now;
		count++;
		int64_t created_ms = payload_ms(m, field);
		rd_kafka_message_destroy(m);
		if (created_ms <= 0) {
			no_created++;
			continue;
		}
		int64_t created_us = created_ms * 1000;
		if (first_created == 0)
			first_created = created_us;
		if (min_created == 0 || created_us < min_created)
			min_created = created_us;
		uint64_t us = now > created_us ? (uint64_t)(now - created_us) : 0;
		hist_record_us(&all, us);
		if (timeline)
			timeline_add(&tl, created_us, us);
		if (created_us >= first_created + (int64_t)(warmup * 1e6))
			hist_record_us(&steady, us);
	}
	if (progress) {
		char text[64];
		snprintf(text, sizeof text, "%lld %.3f\n", count,
		         first_arrival ? (double)(last_arrival - first_arrival) / 1e6 : 0.0);
		write_file(progress, text);
	}

	if (timeline)
		timeline_write(&tl, timeline, min_created);
	timeline_free(&tl);

	FILE *f = summary ? fopen(summary, "w") : stdout;
	if (f == NULL) {
		fprintf(stderr, "kwatch: %s: %s\n", summary, strerror(errno));
		f = stdout;
	}
	double span = first_arrival && last_arrival > first_arrival
	              ? (double)(last_arrival - first_arrival) / 1e6 : 0;
	double span_created = min_created && last_arrival > min_created
	                      ? (double)(last_arrival - min_created) / 1e6 : 0;
	const struct latency_hist *h[2] = { &steady, &all };
	fprintf(f, "{\n  \"tool\": \"kwatch\",\n  \"topic\": \"%s\",\n  \"expected\": %lld,\n"
	        "  \"count\": %lld,\n  \"no_created\": %lld,\n", topic, n, count, no_created);
	fprintf(f, "  \"arrival_seconds\": %.3f,\n  \"seconds\": %.3f,\n  \"orders_per_sec\": %.1f,\n",
	        span, span_created, span_created > 0 ? (double)count / span_created : 0);
	for (int i = 0; i < 2; i++)
		fprintf(f, "  \"%s\": {\"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f, \"max\": %.2f, "
		        "\"count\": %llu},\n", i == 0 ? "latency_ms" : "latency_all_ms",
		        hist_percentile_ms(h[i], 50), hist_percentile_ms(h[i], 95),
		        hist_percentile_ms(h[i], 99), hist_max_ms(h[i]),
		        (unsigned long long)atomic_load(&h[i]->count));
	fprintf(f, "  \"warmup_s\": %.1f\n}\n", warmup);
	if (f != stdout)
		fclose(f);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return count >= n ? 0 : 1;
}
