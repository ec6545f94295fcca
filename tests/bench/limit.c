/*
 * limit.c — the benchmark's yardstick: the least a C program has to do to
 * move ordertop's traffic through ordertop's topology, with librdkafka and
 * nothing else (no JSON, no rules, no order table, no headers).
 *
 *   gen ──> orders ──> fraud ──> orders.valid | orders.refused
 *                         └────> notifications ──> notifier ──> orders.notified ──> sink
 *
 * gen      an idempotent producer, keys "userNNNN" (5000 users), values of
 *          -s bytes (180) of JSON-like text that starts with the creation
 *          time, at -r orders/s or as fast as the pipeline takes them,
 *          holding back while --max-in-flight orders are unfinished (like
 *          ordertop's generator);
 * fraud    a group consumer + transactional producer: per input, a decision
 *          (input + 135 bytes; every 10th to orders.refused) and a
 *          notification (200 bytes); commits after --txn-max-msgs inputs,
 *          --txn-max-ms, or when a poll comes back empty after 10 ms — ordertop's
 *          txn_stage loop, call for call;
 * notifier the same loop, one notified record (205 bytes) per input;
 * sink     assign()s orders.notified at its end, read_committed, counts to
 *          N and records latency (creation -> arrival at the sink).
 *
 * The sizes are the means of ordertop's records at its generator's mix
 * (2,000 orders: orders 179 bytes, decisions 314, notifications 201,
 * notified 203).
 *
 * Client settings are ordertop's (kafka_client.c): nagle off, lz4,
 * linger 5 ms (gen) / 2 ms (stages), idempotence, fetch.wait.max.ms 10
 * (--fetch-wait-ms; ordertop uses 50 on a real cluster), session 6 s.
 * --plain is the non-transactional variant (idempotent producers, async
 * offset commits at the same batch boundaries).
 *
 * --like-ordertop adds the Kafka traffic ordertop puts on top of this
 * topology, and nothing of its own work: a monitor that assign()s orders,
 * orders.valid, orders.refused and orders.notified, read_committed, and
 * reads each record's creation time from its payload, as ordertop's
 * headless monitor does (without JSON: here the time starts the payload).
 * The benchmark reports ordertop against this too: what is left of the
 * gap there is ordertop's own work.  --trace-headers adds the headers
 * `ordertop --trace-headers` writes on every record (order id, created
 * time, and after fraud the decided time; the notifier reads two back;
 * ordertop adds source and stage), to measure what they cost.
 *
 * Consumers start at the topics' current ends (the stages' rebalance
 * callback assigns explicit end offsets), so it can share a broker with
 * earlier runs and ordertop.  Orders/s is N / (first produce -> last
 * notified record at the sink).  Output: one JSON object (--summary FILE,
 * default stdout).  Exit 0 when all N arrived, 1 otherwise, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include "int_text.h"     /* how ordertop writes header values, for --trace-headers */
#include "kafka_client.h" /* ordertop's header names and readers */
#include "stats.h"        /* ordertop's latency histogram, for equal percentiles */
#include "timeline.h"

#define MAX_PROPS 64
#define MAX_PARTS 256
#define USERS 5000

enum { T_ORDERS, T_VALID, T_REFUSED, T_NOTIFICATIONS, T_NOTIFIED, T__COUNT };
static const char *const topic_base[T__COUNT] = {
	"orders", "orders.valid", "orders.refused", "notifications", "orders.notified",
};

static struct {
	const char *brokers;
	long long   n;
	double      rate;            /* 0 = max */
	double      duration;        /* with a rate: n = rate * duration */
	int         size, dsize, nsize, fsize;
	bool        txn;
	int         txn_max_msgs, txn_max_ms;
	long long   max_in_flight;
	double      warmup;          /* s: latencies of orders created earlier are left out */
	const char *group_prefix;
	const char *summary;
	const char *timeline;
	int         fetch_wait_ms;
	int         timeout_s;
	bool        quiet;
	bool        trace_headers;   /* --trace-headers */
	bool        monitor;         /* --like-ordertop */
	char        topics[T__COUNT][256];
	const char *props[MAX_PROPS][2];
	int         n_props;
} opt = {
	.n = 100000, .size = 180, .dsize = 315, .nsize = 200, .fsize = 205, .txn = true,
	.txn_max_msgs = 5000, .txn_max_ms = 100, .max_in_flight = 10000, .warmup = -1,
	.fetch_wait_ms = 10, .timeout_s = 900,
};

static atomic_bool       stop_all;
static atomic_bool       failed;
static atomic_llong      generated, notified_seen, decided, txn_commits, delivery_errors;
static atomic_int        ready;            /* stages, sink (and monitor) assigned */
static _Atomic int64_t   t_first_us;       /* first produce call */
static _Atomic int64_t   t_last_us;        /* last notified record at the sink */
static struct latency_hist lat_all, lat_steady;
static struct timeline   lat_timeline;       /* sink thread only */
static char              group_prefix_buf[128];

static void
say(const char *fmt, ...)
{
	if (opt.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "limit: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "limit: error: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	atomic_store(&failed, true);
	atomic_store(&stop_all, true);
}

static void
on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_all, true);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* ---- clients ---- */

static void
error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		char why[256];
		rd_kafka_fatal_error(rk, why, sizeof why);
		fail("%s: fatal: %s", rd_kafka_name(rk), why);
		return;
	}
	if (!opt.quiet)
		fprintf(stderr, "limit: %s: %s: %s\n", rd_kafka_name(rk),
		        rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	if (level <= 4 && !opt.quiet)
		fprintf(stderr, "limit: %s: %s: %s\n", rd_kafka_name(rk), fac, buf);
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err && atomic_fetch_add(&delivery_errors, 1) < 5)
		fprintf(stderr, "limit: delivery to %s failed: %s\n",
		        rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
}

/* kv: NULL-terminated key, value pairs of this role's settings; -X wins. */
static rd_kafka_t *
client_new(rd_kafka_type_t type, const char *name, const char *const *kv,
           void (*rebalance)(rd_kafka_t *, rd_kafka_resp_err_t,
                             rd_kafka_topic_partition_list_t *, void *),
           void *opaque)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char why[512], id[64];
	snprintf(id, sizeof id, "limit-%s", name);
	const char *common[] = {
		"client.id", id, "socket.nagle.disable", "true", "reconnect.backoff.max.ms", "5000",
		"bootstrap.servers", opt.brokers, NULL,
	};
	for (int pass = 0; pass < 3; pass++) {
		if (pass < 2) {
			const char *const *l = pass == 0 ? common : kv;
			for (int i = 0; l && l[i]; i += 2)
				if (rd_kafka_conf_set(conf, l[i], l[i + 1], why, sizeof why) != RD_KAFKA_CONF_OK) {
					fprintf(stderr, "limit: %s=%s: %s\n", l[i], l[i + 1], why);
					exit(2);
				}
		} else {
			for (int i = 0; i < opt.n_props; i++)
				if (rd_kafka_conf_set(conf, opt.props[i][0], opt.props[i][1], why,
				                      sizeof why) != RD_KAFKA_CONF_OK) {
					fprintf(stderr, "limit: -X %s=%s: %s\n", opt.props[i][0],
					        opt.props[i][1], why);
					exit(2);
				}
		}
	}
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_conf_set_log_cb(conf, log_cb);
	if (type == RD_KAFKA_PRODUCER)
		rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	if (rebalance)
		rd_kafka_conf_set_rebalance_cb(conf, rebalance);
	rd_kafka_conf_set_opaque(conf, opaque);
	rd_kafka_t *rk = rd_kafka_new(type, conf, why, sizeof why);
	if (rk == NULL) {
		fprintf(stderr, "limit: %s: %s\n", name, why);
		exit(1);
	}
	if (type == RD_KAFKA_CONSUMER)
		rd_kafka_poll_set_consumer(rk);
	return rk;
}

static int
partition_count(rd_kafka_t *rk, const char *topic)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	int n = -1;
	for (int attempt = 0; attempt < 10 && n <= 0 && !atomic_load(&stop_all); attempt++) {
		if (rd_kafka_metadata(rk, 0, rkt, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
				n = md->topics[0].partition_cnt;
			rd_kafka_metadata_destroy(md);
		}
		if (n <= 0)
			sleep_ms(250);
	}
	rd_kafka_topic_destroy(rkt);
	return n;
}

/* Each element's offset := the partition's high watermark. */
static int
set_end_offsets(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *l)
{
	for (int i = 0; i < l->cnt; i++) {
		int64_t lo, hi;
		rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(
			rk, l->elems[i].topic, l->elems[i].partition, &lo, &hi, 10000);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fail("end of %s [%d]: %s", l->elems[i].topic, (int)l->elems[i].partition,
			     rd_kafka_err2str(e));
			return -1;
		}
		l->elems[i].offset = hi;
	}
	return 0;
}

/* ---- payloads ---- */

static const char filler[] =
	",\"item\":\"espresso-machine\",\"quantity\":2,\"unit_price\":599.00,"
	"\"currency\":\"USD\",\"country\":\"GB\",\"card_country\":\"GB\",\"status\":"
	"\"APPROVED\",\"total\":1198.00,\"rules_fired\":[],\"rules_version\":0,"
	"\"decided_by\":\"limit-fraud\",\"message\":\"Your order was approved.\"";

/* The first 20 characters are the creation time in microseconds. */
static size_t
make_value(char *buf, int size, uint64_t created_us, uint64_t seq, int user,
           const char *tag)
{
	int n = snprintf(buf, (size_t)size + 1, "%020" PRIu64 "{\"%s\":\"lim-%" PRIu64
	                 "\",\"user_id\":\"user%04d\"", created_us, tag, seq, user);
	if (n > size)
		n = size;
	for (size_t f = 0; n < size; n++, f = (f + 1) % (sizeof filler - 1))
		buf[n] = filler[f];
	return (size_t)size;
}

static uint64_t
created_of(const void *payload, size_t len)
{
	uint64_t v = 0;
	const char *p = payload;
	if (len < 20)
		return 0;
	for (int i = 0; i < 20; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	return v;
}

/* ---- --trace-headers: ordertop's tracing headers ---- */

enum { H_ORDER_ID, H_CREATED, H_DECIDED, H__COUNT };
static const char *const header_name[H__COUNT] = {
	HDR_ORDER_ID, HDR_CREATED_MS, HDR_DECIDED_MS,
};

/* A record's header values, as long as ordertop's (times in ms since the
 * epoch, ids of the same shape); NULL ones are left out. */
struct trace {
	const char *v[H__COUNT];
	char        buf[H__COUNT][4 + INT_TEXT_MAX];
};

/* Written as ordertop writes its header values (int_text). */
static const char *
trace_int(struct trace *t, int h, int64_t v)
{
	char *b = t->buf[h];
	if (h == H_ORDER_ID) {
		memcpy(b, "lim-", 4);
		b += 4;
	}
	int_text(b, v);
	return t->v[h] = t->buf[h];
}

/* The wall-clock time of a monotonic time in us (what created_of() reads). */
static int64_t
wall_ms_of(uint64_t mono)
{
	return now_ms() - ((int64_t)mono_us() - (int64_t)mono) / 1000;
}

/* As pipeline_produce() with a stop flag: new headers on each attempt,
 * waits out a full queue.  tr NULL: no headers (the plain limit). */
static int
produce(rd_kafka_t *rk, const char *topic, const void *key, size_t keylen,
        const void *val, size_t len, const struct trace *tr)
{
	for (;;) {
		rd_kafka_headers_t *h = NULL;
		if (tr) {
			h = rd_kafka_headers_new(8);
			for (int i = 0; i < H__COUNT; i++)
				if (tr->v[i])
					rd_kafka_header_add(h, header_name[i], -1, tr->v[i], -1);
		}
		rd_kafka_resp_err_t err = rd_kafka_producev(rk,
			RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(RD_KAFKA_PARTITION_UA),
			RD_KAFKA_V_KEY((void *)key, keylen), RD_KAFKA_V_VALUE((void *)val, len),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
			RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			return 0;
		if (h)
			rd_kafka_headers_destroy(h);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			fail("produce to %s: %s", topic, rd_kafka_err2str(err));
			return -1;
		}
		if (atomic_load(&stop_all))
			return -1;
		rd_kafka_poll(rk, 10);
	}
}

/* ---- the two consume-transform-produce stages ---- */

struct stage {
	const char *name;
	int         in_topic;
	bool        fraud;           /* else notifier */
	rd_kafka_t *producer, *consumer;
	bool        in_txn, announced;
	int64_t     txn_started_ms;
	int         txn_inputs;
	bool        touched[MAX_PARTS];
	int64_t     next[MAX_PARTS];
	char        buf[2][4096];
};

static rd_kafka_topic_partition_list_t *
stage_offsets(struct stage *st)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(4);
	for (int p = 0; p < MAX_PARTS; p++)
		if (st->touched[p])
			rd_kafka_topic_partition_list_add(l, opt.topics[st->in_topic], p)->offset =
				st->next[p];
	return l;
}

static void
stage_commit(struct stage *st)
{
	if (!st->in_txn)
		return;
	rd_kafka_topic_partition_list_t *offsets = stage_offsets(st);
	if (opt.txn) {
		rd_kafka_error_t *error = NULL;
		if (offsets->cnt > 0) {
			rd_kafka_consumer_group_metadata_t *cgmd =
				rd_kafka_consumer_group_metadata(st->consumer);
			error = rd_kafka_send_offsets_to_transaction(st->producer, offsets, cgmd, 30000);
			rd_kafka_consumer_group_metadata_destroy(cgmd);
		}
		if (error == NULL)
			error = rd_kafka_commit_transaction(st->producer, 30000);
		if (error) {
			fail("%s: commit: %s", st->name, rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
		}
	} else if (offsets->cnt > 0) {
		rd_kafka_commit(st->consumer, offsets, 1);
	}
	atomic_fetch_add(&txn_commits, 1);
	rd_kafka_topic_partition_list_destroy(offsets);
	memset(st->touched, 0, sizeof st->touched);
	st->in_txn = false;
}

static int
stage_begin(struct stage *st)
{
	if (st->in_txn)
		return 0;
	if (opt.txn) {
		rd_kafka_error_t *error = rd_kafka_begin_transaction(st->producer);
		if (error) {
			fail("%s: begin_transaction: %s", st->name, rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
			return -1;
		}
	}
	st->in_txn = true;
	st->txn_started_ms = mono_ms();
	st->txn_inputs = 0;
	return 0;
}

static void
stage_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct stage *st = opaque;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		set_end_offsets(rk, parts);
		rd_kafka_assign(rk, parts);
		if (!st->announced) {
			st->announced = true;
			atomic_fetch_add(&ready, 1);
		}
		return;
	}
	stage_commit(st);
	rd_kafka_assign(rk, NULL);
}

static void
stage_process(struct stage *st, const rd_kafka_message_t *m)
{
	if (m->err) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			say("%s: consume: %s", st->name, rd_kafka_message_errstr(m));
		return;
	}
	if (stage_begin(st) < 0)
		return;
	if (m->partition >= 0 && m->partition < MAX_PARTS) {
		st->touched[m->partition] = true;
		st->next[m->partition] = m->offset + 1;
	}
	st->txn_inputs++;
	uint64_t created = created_of(m->payload, m->len);
	struct trace tr = { 0 }, *trp = NULL;
	if (opt.trace_headers) {
		trp = &tr;
		trace_int(&tr, H_ORDER_ID, m->offset);
		if (st->fraud) {
			trace_int(&tr, H_CREATED, wall_ms_of(created));
			trace_int(&tr, H_DECIDED, now_ms());
		} else {                   /* ordertop's notifier passes these on */
			trace_int(&tr, H_CREATED, kafka_header_int(m, HDR_CREATED_MS, 0));
			trace_int(&tr, H_DECIDED, kafka_header_int(m, HDR_DECIDED_MS, 0));
		}
	}
	if (st->fraud) {
		/* decision: the order and 50 bytes more; notification: 170 bytes */
		size_t in = m->len < (size_t)opt.dsize ? m->len : (size_t)opt.dsize;
		memcpy(st->buf[0], m->payload, in);
		for (size_t i = in, f = 0; i < (size_t)opt.dsize; i++, f = (f + 1) % (sizeof filler - 1))
			st->buf[0][i] = filler[f];
		make_value(st->buf[1], opt.nsize, created, (uint64_t)m->offset, 0, "notice");
		bool refused = (m->offset % 10) == 9;
		if (produce(st->producer, opt.topics[refused ? T_REFUSED : T_VALID], m->key,
		            m->key_len, st->buf[0], (size_t)opt.dsize, trp) == 0 &&
		    produce(st->producer, opt.topics[T_NOTIFICATIONS], m->key, m->key_len,
		            st->buf[1], (size_t)opt.nsize, trp) == 0)
			atomic_fetch_add(&decided, 1);
	} else {
		make_value(st->buf[0], opt.fsize, created, (uint64_t)m->offset, 0, "notified");
		produce(st->producer, opt.topics[T_NOTIFIED], m->key, m->key_len, st->buf[0],
		        (size_t)opt.fsize, trp);
	}
}

static void *
stage_main(void *arg)
{
	struct stage *st = arg;
	while (!atomic_load(&stop_all)) {
		rd_kafka_poll(st->producer, 0);
		int timeout = 100;
		if (st->in_txn) {              /* 10 ms without input commits, as in txn_stage.c */
			int64_t left = st->txn_started_ms + opt.txn_max_ms - mono_ms();
			timeout = left < 0 ? 0 : left > 10 ? 10 : (int)left;
		}
		rd_kafka_message_t *m = rd_kafka_consumer_poll(st->consumer, timeout);
		if (m) {
			stage_process(st, m);
			rd_kafka_message_destroy(m);
		}
		if (st->in_txn &&
		    (m == NULL || st->txn_inputs >= opt.txn_max_msgs ||
		     mono_ms() - st->txn_started_ms >= opt.txn_max_ms))
			stage_commit(st);
	}
	if (!atomic_load(&failed))
		stage_commit(st);
	return NULL;
}

static void
stage_init(struct stage *st, const char *name, int in_topic, bool fraud)
{
	char group[192], txn_id[192], fw[16];
	memset(st, 0, sizeof *st);
	st->name = name;
	st->in_topic = in_topic;
	st->fraud = fraud;
	snprintf(group, sizeof group, "%s-%s", opt.group_prefix, name);
	snprintf(txn_id, sizeof txn_id, "%s-%s-txn", opt.group_prefix, name);
	snprintf(fw, sizeof fw, "%d", opt.fetch_wait_ms);
	const char *pkv_txn[] = {
		"linger.ms", "2", "compression.type", "lz4", "transaction.timeout.ms", "30000",
		"transactional.id", txn_id, NULL,
	};
	const char *pkv_plain[] = {
		"linger.ms", "2", "compression.type", "lz4", "enable.idempotence", "true", NULL,
	};
	const char *ckv[] = {
		"group.id", group, "fetch.wait.max.ms", fw, "auto.offset.reset", "earliest",
		"fetch.error.backoff.ms", "50", "session.timeout.ms", "6000",
		"heartbeat.interval.ms", "1000", "enable.auto.commit", "false",
		"enable.partition.eof", "false", "isolation.level", "read_committed", NULL,
	};
	st->producer = client_new(RD_KAFKA_PRODUCER, name, opt.txn ? pkv_txn : pkv_plain, NULL, NULL);
	st->consumer = client_new(RD_KAFKA_CONSUMER, name, ckv, stage_rebalance, st);
	if (opt.txn) {
		for (int attempt = 0;; attempt++) {
			rd_kafka_error_t *error = rd_kafka_init_transactions(st->producer, 10000);
			if (error == NULL)
				break;
			bool retry = rd_kafka_error_is_retriable(error) ||
			             rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__TIMED_OUT;
			if (!retry || attempt >= 10) {
				fail("%s: init_transactions: %s", name, rd_kafka_error_string(error));
				rd_kafka_error_destroy(error);
				return;
			}
			rd_kafka_error_destroy(error);
			sleep_ms(200);
		}
	}
	/* Metadata of the output topics now, not at the first commit. */
	if (fraud) {
		partition_count(st->producer, opt.topics[T_VALID]);
		partition_count(st->producer, opt.topics[T_REFUSED]);
		partition_count(st->producer, opt.topics[T_NOTIFICATIONS]);
	} else {
		partition_count(st->producer, opt.topics[T_NOTIFIED]);
	}
	rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(sub, opt.topics[in_topic], RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t e = rd_kafka_subscribe(st->consumer, sub);
	rd_kafka_topic_partition_list_destroy(sub);
	if (e)
		fail("%s: subscribe: %s", name, rd_kafka_err2str(e));
}

static void
stage_close(struct stage *st)
{
	if (st->consumer) {
		rd_kafka_consumer_close(st->consumer);
		rd_kafka_destroy(st->consumer);
	}
	if (st->producer) {
		rd_kafka_flush(st->producer, 10000);
		rd_kafka_destroy(st->producer);
	}
}

/* ---- sink ---- */

struct sink {
	rd_kafka_t *consumer;
	long long   count;
};

static void
sink_prepare(struct sink *sk)
{
	char fw[16], group[192];
	snprintf(fw, sizeof fw, "%d", opt.fetch_wait_ms);
	snprintf(group, sizeof group, "%s-sink", opt.group_prefix);
	const char *ckv[] = {
		"group.id", group, "fetch.wait.max.ms", fw, "enable.auto.commit", "false",
		"enable.partition.eof", "false", "isolation.level", "read_committed", NULL,
	};
	sk->consumer = client_new(RD_KAFKA_CONSUMER, "sink", ckv, NULL, NULL);
	int n = partition_count(sk->consumer, opt.topics[T_NOTIFIED]);
	if (n <= 0) {
		fail("sink: cannot read the partitions of %s", opt.topics[T_NOTIFIED]);
		return;
	}
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++)
		rd_kafka_topic_partition_list_add(l, opt.topics[T_NOTIFIED], p);
	if (set_end_offsets(sk->consumer, l) == 0)
		rd_kafka_assign(sk->consumer, l);
	rd_kafka_topic_partition_list_destroy(l);
	atomic_fetch_add(&ready, 1);
}

static void *
sink_main(void *arg)
{
	struct sink *sk = arg;
	int64_t steady_from = -1;
	while (!atomic_load(&stop_all) && sk->count < opt.n) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(sk->consumer, 100);
		if (m == NULL)
			continue;
		if (m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				say("sink: %s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			continue;
		}
		int64_t now = (int64_t)mono_us();
		uint64_t created = created_of(m->payload, m->len);
		if (created > 0 && (int64_t)created <= now) {
			uint64_t us = (uint64_t)(now - (int64_t)created);
			hist_record_us(&lat_all, us);
			if (opt.timeline)
				timeline_add(&lat_timeline, (int64_t)created, us);
			if (steady_from < 0) {
				int64_t first = atomic_load(&t_first_us);
				if (first > 0)
					steady_from = first + (int64_t)(opt.warmup * 1e6);
			}
			if (steady_from >= 0 && (int64_t)created >= steady_from)
				hist_record_us(&lat_steady, us);
		}
		sk->count++;
		atomic_store(&notified_seen, sk->count);
		atomic_store(&t_last_us, now);
		rd_kafka_message_destroy(m);
	}
	atomic_store(&stop_all, true);
	return NULL;
}

/* ---- --like-ordertop: the monitor's reading ---- */

static rd_kafka_t       *mon_consumer;
static rd_kafka_queue_t *mon_queue;

static void
monitor_prepare(void)
{
	char fw[16], group[192];
	snprintf(fw, sizeof fw, "%d", opt.fetch_wait_ms);
	snprintf(group, sizeof group, "%s-monitor", opt.group_prefix);   /* never joined */
	const char *ckv[] = {
		"group.id", group, "fetch.wait.max.ms", fw, "enable.auto.commit", "false",
		"enable.partition.eof", "false",
		"isolation.level", "read_committed", NULL,
	};
	mon_consumer = client_new(RD_KAFKA_CONSUMER, "monitor", ckv, NULL, NULL);
	static const int read[] = { T_ORDERS, T_VALID, T_REFUSED, T_NOTIFIED };
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
	for (size_t i = 0; i < sizeof read / sizeof read[0]; i++) {
		int n = partition_count(mon_consumer, opt.topics[read[i]]);
		if (n <= 0) {
			fail("monitor: cannot read the partitions of %s", opt.topics[read[i]]);
			rd_kafka_topic_partition_list_destroy(l);
			return;
		}
		for (int p = 0; p < n; p++)
			rd_kafka_topic_partition_list_add(l, opt.topics[read[i]], p);
	}
	if (set_end_offsets(mon_consumer, l) == 0)
		rd_kafka_assign(mon_consumer, l);
	rd_kafka_topic_partition_list_destroy(l);
	mon_queue = rd_kafka_queue_get_consumer(mon_consumer);
	atomic_fetch_add(&ready, 1);
}

/* Per record the creation time its payload starts with (ordertop's
 * monitor reads its created_at, by JSON). */
static void *
monitor_main(void *arg)
{
	(void)arg;
	long long seen = 0;
	uint64_t sum = 0;
	while (!atomic_load(&stop_all)) {
		rd_kafka_message_t *batch[256];
		ssize_t n = rd_kafka_consume_batch_queue(mon_queue, 100, batch, 256);
		for (ssize_t i = 0; i < n; i++) {
			rd_kafka_message_t *m = batch[i];
			uint64_t created = m->err ? 0 : created_of(m->payload, m->len);
			if (created) {
				seen++;
				sum += created;
			}
			rd_kafka_message_destroy(m);
		}
	}
	say("monitor: %lld records with a creation time (checksum %" PRIu64 ")", seen, sum);
	return NULL;
}

/* ---- generator ---- */

static void *
gen_main(void *arg)
{
	rd_kafka_t *p = arg;
	char val[4096], key[16];
	uint64_t rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)getpid();
	double tokens = 0;
	int64_t last = (int64_t)mono_us();
	long long n = 0;

	while (!atomic_load(&stop_all) && n < opt.n) {
		rd_kafka_poll(p, 0);
		if (opt.max_in_flight > 0 &&
		    n - atomic_load(&notified_seen) >= opt.max_in_flight) {
			rd_kafka_poll(p, 5);
			continue;
		}
		int64_t now = (int64_t)mono_us();
		int batch;
		if (opt.rate <= 0) {
			batch = 256;
		} else {
			tokens += opt.rate * (double)(now - last) / 1e6;
			double burst = opt.rate / 10 > 1 ? opt.rate / 10 : 1;
			if (tokens > burst)
				tokens = burst;
			batch = (int)tokens;
			if (batch == 0) {
				int wait_ms = (int)ceil((1 - tokens) * 1000 / opt.rate);
				rd_kafka_poll(p, wait_ms < 1 ? 1 : wait_ms > 50 ? 50 : wait_ms);
				last = now;
				continue;
			}
			tokens -= batch;
		}
		last = now;
		for (int i = 0; i < batch && n < opt.n && !atomic_load(&stop_all); i++) {
			rng ^= rng >> 12;
			rng ^= rng << 25;
			rng ^= rng >> 27;
			int user = (int)((rng * 0x2545F4914F6CDD1DULL) % USERS) + 1;
			int klen = snprintf(key, sizeof key, "user%04d", user);
			int64_t t = (int64_t)mono_us();
			int64_t zero = 0;
			atomic_compare_exchange_strong(&t_first_us, &zero, t);
			size_t len = make_value(val, opt.size, (uint64_t)t, (uint64_t)n, user, "order_id");
			struct trace tr = { 0 };
			if (opt.trace_headers) {
				trace_int(&tr, H_ORDER_ID, n);
				trace_int(&tr, H_CREATED, wall_ms_of((uint64_t)t));
			}
			if (produce(p, opt.topics[T_ORDERS], key, (size_t)klen, val, len,
			            opt.trace_headers ? &tr : NULL) < 0)
				return NULL;
			n++;
			atomic_store(&generated, n);
			if (opt.rate <= 0 && opt.max_in_flight > 0 &&
			    n - atomic_load(&notified_seen) >= opt.max_in_flight)
				break;
		}
	}
	return NULL;
}

/* ---- main ---- */

static void
usage(FILE *f)
{
	fprintf(f,
	"usage: limit -b BOOTSTRAPS [options]\n"
	"  -n N                 orders (100000)\n"
	"  -r RATE|max          orders/s (max)\n"
	"  -d SEC               with -r RATE: run SEC seconds (N = RATE * SEC)\n"
	"  -s BYTES             order value size (180); decision = BYTES+135, notification 200,\n"
	"                       notified 205 (--sizes D,N,F to change those)\n"
	"  --plain              no transactions (idempotent producers, async offset commits)\n"
	"  --like-ordertop      plus ordertop's monitor reading orders and decisions\n"
	"  --trace-headers      plus the headers of ordertop --trace-headers\n"
	"  --txn-max-msgs N     commit after N inputs (5000)\n"
	"  --txn-max-ms MS      ... or MS milliseconds (100)\n"
	"  --max-in-flight N    hold the generator back at N unfinished orders (10000; 0 = off)\n"
	"  --warmup SEC         leave out latencies of orders created in the first SEC s\n"
	"                       (default 2 with -r RATE, 0 at max)\n"
	"  --fetch-wait-ms MS   consumers' fetch.wait.max.ms (10)\n"
	"  --topic-prefix P     topics P+orders, P+orders.valid, ... ('')\n"
	"  --group-prefix G     consumer groups / transactional ids (limit-PID)\n"
	"  -X KEY=VALUE         librdkafka property for every client (wins)\n"
	"  --timeout SEC        give up after SEC seconds (900)\n"
	"  --summary FILE       write the JSON result to FILE (default stdout)\n"
	"  --timeline FILE      latency per second of creation time, CSV\n"
	"  -q                   quiet\n");
}

static void
write_summary(double seconds, long long count)
{
	FILE *f = opt.summary ? fopen(opt.summary, "w") : stdout;
	if (f == NULL) {
		fprintf(stderr, "limit: %s: %s\n", opt.summary, strerror(errno));
		return;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	const struct latency_hist *h[2] = { &lat_steady, &lat_all };
	fprintf(f, "{\n  \"tool\": \"limit\",\n  \"mode\": \"%s\",\n  \"trace_headers\": %s,\n"
	        "  \"monitor\": %s,\n", opt.txn ? "txn" : "plain",
	        opt.trace_headers ? "true" : "false", opt.monitor ? "true" : "false");
	fprintf(f, "  \"orders\": %lld,\n  \"notified\": %lld,\n  \"decided\": %lld,\n",
	        opt.n, count, (long long)atomic_load(&decided));
	fprintf(f, "  \"rate\": %.0f,\n  \"seconds\": %.3f,\n  \"orders_per_sec\": %.1f,\n",
	        opt.rate, seconds, seconds > 0 ? (double)count / seconds : 0);
	for (int i = 0; i < 2; i++)
		fprintf(f, "  \"%s\": {\"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f, \"max\": %.2f, "
		        "\"count\": %llu},\n", i == 0 ? "latency_ms" : "latency_all_ms",
		        hist_percentile_ms(h[i], 50), hist_percentile_ms(h[i], 95),
		        hist_percentile_ms(h[i], 99), hist_max_ms(h[i]),
		        (unsigned long long)atomic_load(&h[i]->count));
	fprintf(f, "  \"warmup_s\": %.1f,\n  \"sizes\": [%d, %d, %d, %d],\n", opt.warmup,
	        opt.size, opt.dsize, opt.nsize, opt.fsize);
	fprintf(f, "  \"txn_commits\": %lld,\n  \"delivery_errors\": %lld,\n",
	        (long long)atomic_load(&txn_commits), (long long)atomic_load(&delivery_errors));
	fprintf(f, "  \"cpu_s\": %.3f,\n  \"maxrss_kb\": %ld\n}\n",
	        (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	        (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	if (f != stdout)
		fclose(f);
}

int
main(int argc, char **argv)
{
	enum { O_PLAIN = 256, O_TMM, O_TMS, O_MIF, O_WARM, O_FW, O_TP, O_GP, O_TO, O_SUM, O_SIZES,
	       O_TL, O_LIKE, O_HDRS };
	static const struct option lopts[] = {
		{ "plain", no_argument, NULL, O_PLAIN },
		{ "like-ordertop", no_argument, NULL, O_LIKE },
		{ "trace-headers", no_argument, NULL, O_HDRS },
		{ "txn-max-msgs", required_argument, NULL, O_TMM },
		{ "txn-max-ms", required_argument, NULL, O_TMS },
		{ "max-in-flight", required_argument, NULL, O_MIF },
		{ "warmup", required_argument, NULL, O_WARM },
		{ "fetch-wait-ms", required_argument, NULL, O_FW },
		{ "topic-prefix", required_argument, NULL, O_TP },
		{ "group-prefix", required_argument, NULL, O_GP },
		{ "timeout", required_argument, NULL, O_TO },
		{ "summary", required_argument, NULL, O_SUM },
		{ "sizes", required_argument, NULL, O_SIZES },
		{ "timeline", required_argument, NULL, O_TL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *topic_prefix = "";
	int c;
	bool size_set = false, sizes_set = false;
	while ((c = getopt_long(argc, argv, "b:n:r:d:s:X:qh", lopts, NULL)) != -1) {
		switch (c) {
		case 'b': opt.brokers = optarg; break;
		case 'n': opt.n = atoll(optarg); break;
		case 'r': opt.rate = strcmp(optarg, "max") == 0 ? 0 : atof(optarg); break;
		case 'd': opt.duration = atof(optarg); break;
		case 's': opt.size = atoi(optarg); size_set = true; break;
		case 'q': opt.quiet = true; break;
		case 'X': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL || opt.n_props == MAX_PROPS) {
				usage(stderr);
				return 2;
			}
			*eq = '\0';
			opt.props[opt.n_props][0] = optarg;
			opt.props[opt.n_props++][1] = eq + 1;
			break;
		}
		case O_PLAIN: opt.txn = false; break;
		case O_LIKE: opt.monitor = true; break;
		case O_HDRS: opt.trace_headers = true; break;
		case O_TMM: opt.txn_max_msgs = atoi(optarg); break;
		case O_TMS: opt.txn_max_ms = atoi(optarg); break;
		case O_MIF: opt.max_in_flight = atoll(optarg); break;
		case O_WARM: opt.warmup = atof(optarg); break;
		case O_FW: opt.fetch_wait_ms = atoi(optarg); break;
		case O_TP: topic_prefix = optarg; break;
		case O_GP: opt.group_prefix = optarg; break;
		case O_TO: opt.timeout_s = atoi(optarg); break;
		case O_SUM: opt.summary = optarg; break;
		case O_TL: opt.timeline = optarg; break;
		case O_SIZES:
			if (sscanf(optarg, "%d,%d,%d", &opt.dsize, &opt.nsize, &opt.fsize) != 3) {
				usage(stderr);
				return 2;
			}
			sizes_set = true;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (size_set && !sizes_set)
		opt.dsize = opt.size + 135;
	if (opt.brokers == NULL || opt.brokers[0] == '\0' || opt.brokers[0] == '-' || opt.size < 40 || opt.size > 4000 || opt.dsize < 40 ||
	    opt.dsize > 4000 || opt.nsize < 40 || opt.nsize > 4000 || opt.fsize < 40 ||
	    opt.fsize > 4000 || opt.txn_max_msgs < 1 || opt.txn_max_ms < 1) {
		usage(stderr);
		return 2;
	}
	if (opt.rate > 0 && opt.duration > 0)
		opt.n = (long long)(opt.rate * opt.duration + 0.5);
	if (opt.n < 1) {
		usage(stderr);
		return 2;
	}
	if (opt.warmup < 0)
		opt.warmup = opt.rate > 0 ? 2 : 0;
	if (opt.group_prefix == NULL) {
		snprintf(group_prefix_buf, sizeof group_prefix_buf, "limit-%d", (int)getpid());
		opt.group_prefix = group_prefix_buf;
	}
	for (int t = 0; t < T__COUNT; t++)
		snprintf(opt.topics[t], sizeof opt.topics[t], "%s%s", topic_prefix, topic_base[t]);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Sink first (at the ends of orders.notified), then the stages. */
	struct sink sk = { 0 };
	static struct stage fraud, notifier;
	sink_prepare(&sk);
	if (opt.monitor)
		monitor_prepare();
	if (atomic_load(&failed))
		return 1;
	stage_init(&fraud, "fraud", T_ORDERS, true);
	stage_init(&notifier, "notifier", T_NOTIFICATIONS, false);
	const char *gkv[] = {
		"enable.idempotence", "true", "linger.ms", "5", "compression.type", "lz4", NULL,
	};
	rd_kafka_t *gp = client_new(RD_KAFKA_PRODUCER, "gen", gkv, NULL, NULL);
	partition_count(gp, opt.topics[T_ORDERS]);

	pthread_t th_sink, th_fraud, th_notifier, th_gen, th_monitor;
	int want_ready = opt.monitor ? 4 : 3;
	pthread_create(&th_sink, NULL, sink_main, &sk);
	if (opt.monitor)
		pthread_create(&th_monitor, NULL, monitor_main, NULL);
	pthread_create(&th_fraud, NULL, stage_main, &fraud);
	pthread_create(&th_notifier, NULL, stage_main, &notifier);

	/* Like ordertop's generator: wait until both stages own their inputs. */
	int64_t give_up = mono_ms() + 60000;
	while (!atomic_load(&stop_all) && atomic_load(&ready) < want_ready && mono_ms() < give_up)
		sleep_ms(10);
	if (atomic_load(&ready) < want_ready)
		fail("the stages were not assigned their partitions within 60 s");
	say("pipeline ready; %lld orders at %s orders/s, %s", opt.n,
	    opt.rate > 0 ? "fixed" : "max", opt.txn ? "transactional" : "plain");
	pthread_create(&th_gen, NULL, gen_main, gp);

	int64_t deadline = mono_ms() + (int64_t)opt.timeout_s * 1000, last_report = mono_ms();
	while (!atomic_load(&stop_all) && mono_ms() < deadline) {
		sleep_ms(50);
		if (mono_ms() - last_report >= 5000) {
			last_report = mono_ms();
			say("generated %lld, decided %lld, notified %lld", (long long)atomic_load(&generated),
			    (long long)atomic_load(&decided), (long long)atomic_load(&notified_seen));
		}
	}
	if (!atomic_load(&stop_all))
		fail("timed out after %d s", opt.timeout_s);
	atomic_store(&stop_all, true);
	pthread_join(th_gen, NULL);
	pthread_join(th_sink, NULL);
	pthread_join(th_fraud, NULL);
	pthread_join(th_notifier, NULL);
	if (opt.monitor)
		pthread_join(th_monitor, NULL);

	long long count = sk.count;
	int64_t first = atomic_load(&t_first_us), last = atomic_load(&t_last_us);
	double seconds = first > 0 && last > first ? (double)(last - first) / 1e6 : 0;
	write_summary(seconds, count);
	if (opt.timeline)
		timeline_write(&lat_timeline, opt.timeline, first);
	timeline_free(&lat_timeline);
	say("%lld of %lld orders in %.2f s: %.0f orders/s", count, opt.n, seconds,
	    seconds > 0 ? (double)count / seconds : 0);

	rd_kafka_flush(gp, 10000);
	rd_kafka_destroy(gp);
	stage_close(&fraud);
	stage_close(&notifier);
	rd_kafka_consumer_close(sk.consumer);
	rd_kafka_destroy(sk.consumer);
	if (mon_consumer) {
		rd_kafka_queue_destroy(mon_queue);
		rd_kafka_consumer_close(mon_consumer);
		rd_kafka_destroy(mon_consumer);
	}
	return count >= opt.n && !atomic_load(&failed) ? 0 : 1;
}
