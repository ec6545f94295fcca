/*
 * pipeline.c — the context the roles share (see pipeline.h): its set-up,
 * the stop flag and fatal error, and producing on Kafka without or with
 * waiting out a full local queue.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "evq.h"
#include "int_text.h"
#include "json_writer.h"
#include "log.h"
#include "order_json.h"
#include "order_table.h"
#include "pipeline.h"

/* Orders registered at a time (the generator sends up to 256 per batch). */
#define REGISTER_BATCH_MAX 256

int
pipeline_init(struct pipeline *p, const struct config *cfg)
{
	memset(p, 0, sizeof *p);
	p->cfg = cfg;
	stats_init(&p->stats);
	pthread_mutex_init(&p->fatal_lock, NULL);
	rules_store_init(&p->rules);
	p->count_only = (struct pipeline_ack){ .p = p };
	pthread_mutex_init(&p->lag.lock, NULL);
	atomic_store(&p->gen_on, cfg->generator_on && (cfg->roles & ROLE_PRODUCER));
	atomic_store(&p->gen_rate, cfg->rate);
	/* Order ids unique per run: seconds since the epoch in base 36, and the pid. */
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char t36[16];
	int n = 0;
	for (uint64_t s = (uint64_t)now_ms() / 1000; s && n < 15; s /= 36)
		t36[n++] = digits[s % 36];
	for (int i = 0; i < n; i++)
		p->run_id[i] = t36[n - 1 - i];
	snprintf(p->run_id + n, sizeof p->run_id - (size_t)n, "%04x", (unsigned)getpid() & 0xffff);
	p->events = evq_new(8192);
	p->orders = order_table_new((size_t)cfg->table_size);
	if (!p->events || !p->orders) {
		pipeline_destroy(p);
		return -1;
	}
	return 0;
}

void
pipeline_destroy(struct pipeline *p)
{
	evq_free(p->events);
	order_table_free(p->orders);
	p->events = NULL;
	p->orders = NULL;
	rules_store_destroy(&p->rules);
	pthread_mutex_destroy(&p->lag.lock);
	pthread_mutex_destroy(&p->fatal_lock);
}

void
pipeline_request_stop(struct pipeline *p)
{
	atomic_store(&p->stop, true);
}

void
pipeline_set_fatal(struct pipeline *p, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&p->fatal_lock);
	if (!atomic_load(&p->has_fatal)) {
		va_start(ap, fmt);
		vsnprintf(p->fatal, sizeof p->fatal, fmt, ap);
		va_end(ap);
		atomic_store(&p->has_fatal, true);
		log_error("engine", "%s", p->fatal);
	}
	pthread_mutex_unlock(&p->fatal_lock);
}

const char *
pipeline_fatal_error(struct pipeline *p)
{
	return atomic_load(&p->has_fatal) ? p->fatal : NULL;
}

void
pipeline_delivery_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct pipeline_ack *ack = m->_private;
	(void)rk;
	(void)opaque;
	if (ack == NULL)
		return; /* not an order: rule sets */
	struct pipeline *p = ack->p;
	if (m->err) {
		atomic_fetch_add(&p->stats.produce_errors, 1);
		log_error("producer", "order not delivered to '%s': %s",
			  rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
	} else {
		atomic_fetch_add(&p->stats.produced, 1);
		/* Set once: looked at before a (locked) compare-and-swap is tried. */
		if (atomic_load_explicit(&p->first_produced_ms, memory_order_relaxed) == 0) {
			int64_t zero = 0;
			atomic_compare_exchange_strong(&p->first_produced_ms, &zero, now_ms());
		}
	}
	struct intake_gate *gate = ack->gate;
	if (ack->done != NULL) {
		ack->done(ack->arg, m->err, m->partition, m->offset);
		free(ack);
	}
	if (gate != NULL)
		intake_gate_answered(gate); /* may send the records waiting */
}

rd_kafka_resp_err_t
pipeline_produce(rd_kafka_t *rk, rd_kafka_topic_t *topic, int32_t partition, const void *key,
		 size_t keylen, const void *val, size_t vallen, const char *const *hdrs,
		 void *msg_opaque, const atomic_bool *stop)
{
	if (topic == NULL) {
		rd_kafka_resp_err_t err = rd_kafka_last_error();
		log_error("producer", "cannot produce: no topic handle (%s)",
			  rd_kafka_err2str(err));
		return err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
	}
	for (;;) {
		rd_kafka_headers_t *h = NULL;
		if (hdrs && hdrs[0]) { /* no list at all costs less than an empty one */
			h = rd_kafka_headers_new(8);
			for (size_t i = 0; hdrs[i] && hdrs[i + 1]; i += 2)
				rd_kafka_header_add(h, hdrs[i], -1, hdrs[i + 1], -1);
		}
		rd_kafka_resp_err_t err = rd_kafka_producev(
			rk, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
			RD_KAFKA_V_KEY(key, keylen), RD_KAFKA_V_VALUE((void *)val, vallen),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
			RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			return err; /* the headers belong to librdkafka now */
		if (h)
			rd_kafka_headers_destroy(h);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			log_error("producer", "cannot produce to '%s': %s",
				  rd_kafka_topic_name(topic), rd_kafka_err2str(err));
			return err;
		}
		if (stop == NULL || atomic_load(stop))
			return err;
		rd_kafka_poll(rk, 10); /* make room: serve delivery reports */
	}
}

static rd_kafka_resp_err_t
produce_order(struct pipeline *p, rd_kafka_t *rk, rd_kafka_topic_t *topic, const struct order *o,
	      const char *stage, struct pipeline_ack *ack, const atomic_bool *stop)
{
	struct json_writer w;
	char created[INT_TEXT_MAX];
	size_t len;

	json_writer_init(&w);
	order_json_write(&w, o);
	const char *json = json_writer_text(&w, &len);
	if (json == NULL) {
		json_writer_discard(&w);
		return RD_KAFKA_RESP_ERR__FAIL;
	}
	/* --trace-headers only: the payload carries created_at */
	const char *trace[] = {
		HDR_ORDER_ID, o->order_id, HDR_CREATED_MS, created, HDR_STAGE, stage, NULL,
	};
	if (p->cfg->trace_headers)
		int_text(created, o->created_at_ms);
	rd_kafka_resp_err_t err =
		pipeline_produce(rk, topic, RD_KAFKA_PARTITION_UA, o->user_id, strlen(o->user_id),
				 json, len, p->cfg->trace_headers ? trace : NULL, ack, stop);
	json_writer_discard(&w);
	return err;
}

rd_kafka_resp_err_t
pipeline_produce_order(struct pipeline *p, const struct order *o, bool generated,
		       const atomic_bool *stop)
{
	return produce_order(p, p->producer, p->producer_topic[TOPIC_ORDERS], o,
			     generated ? "generator" : "intake", &p->count_only, stop);
}

/* An order on its way through the intake's gate. */
struct intake_record {
	struct intake_gate_item link; /* first */
	struct order o;
	const char *stage;
	struct pipeline_ack *ack;
};

static int
intake_send(void *ctx, struct intake_gate_item *item)
{
	struct intake_record *r = (struct intake_record *)item;
	struct pipeline *p = ctx;
	r->ack->gate = p->intake_gate;
	rd_kafka_resp_err_t err =
		produce_order(p, p->intake, p->intake_orders, &r->o, r->stage, r->ack, NULL);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		free(r); /* the ack goes on with the record */
	return (int)err;
}

/* A record that waited in the gate and could not be sent: its caller was
 * told it was taken, so its outcome goes where an acknowledgement would. */
static void
intake_fail(void *ctx, struct intake_gate_item *item, int err)
{
	struct intake_record *r = (struct intake_record *)item;
	struct pipeline *p = ctx;
	atomic_fetch_add(&p->stats.produce_errors, 1);
	log_error("producer", "order not delivered to '%s': %s", p->cfg->topics[TOPIC_ORDERS],
		  rd_kafka_err2str((rd_kafka_resp_err_t)err));
	r->ack->done(r->ack->arg, (rd_kafka_resp_err_t)err, RD_KAFKA_PARTITION_UA, -1);
	free(r->ack);
	free(r);
}

int
pipeline_open_intake_gate(struct pipeline *p)
{
	p->intake_gate = intake_gate_new(intake_send, intake_fail, p);
	return p->intake_gate ? 0 : -1;
}

void
pipeline_close_intake_gate(struct pipeline *p)
{
	intake_gate_free(p->intake_gate, RD_KAFKA_RESP_ERR__DESTROY);
	p->intake_gate = NULL;
}

rd_kafka_resp_err_t
pipeline_produce_order_ack(struct pipeline *p, const struct order *o, const char *stage, bool batch,
			   struct pipeline_ack *ack)
{
	if (p->intake != NULL && !(batch && p->producer_served)) {
		struct intake_record *r = malloc(sizeof *r);
		if (r == NULL)
			return RD_KAFKA_RESP_ERR__FAIL;
		*r = (struct intake_record){ .o = *o, .stage = stage, .ack = ack };
		int err = intake_gate_submit(p->intake_gate, &r->link);
		if (err != 0)
			free(r);
		return (rd_kafka_resp_err_t)err;
	}
	return produce_order(p, p->producer, p->producer_topic[TOPIC_ORDERS], o, stage, ack, NULL);
}

void
pipeline_register_local(struct pipeline *p, const struct order *o, size_t n,
			enum order_source source)
{
	struct local_order l[REGISTER_BATCH_MAX];

	if (!p->tracks_local)
		return;
	while (n > 0) {
		size_t k = n < REGISTER_BATCH_MAX ? n : REGISTER_BATCH_MAX;
		for (size_t i = 0; i < k; i++)
			l[i] = (struct local_order){ o[i].order_id,      o[i].user_id,
						     o[i].item,          order_total(&o[i]),
						     o[i].created_at_ms, source };
		order_table_register_local_batch(p->orders, l, k);
		o += k;
		n -= k;
	}
}

void
pipeline_lag_set(struct pipeline *p, const char *group, enum topic_id topic,
		 const int32_t *partitions, const int64_t *lags, size_t n)
{
	struct pipeline_lag *l = &p->lag;
	size_t kept = 0;

	pthread_mutex_lock(&l->lock);
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].group, group) != 0 || l->rows[i].topic != topic)
			l->rows[kept++] = l->rows[i];
	l->n = kept;
	for (size_t i = 0; i < n && l->n < PIPELINE_LAG_MAX; i++) {
		struct pipeline_lag_row *r = &l->rows[l->n++];
		snprintf(r->group, sizeof r->group, "%s", group);
		r->topic = topic;
		r->partition = partitions[i];
		r->lag = lags[i];
	}
	pthread_mutex_unlock(&l->lock);
}

size_t
pipeline_lag_get(struct pipeline *p, struct pipeline_lag_row *out, size_t max)
{
	pthread_mutex_lock(&p->lag.lock);
	size_t n = p->lag.n < max ? p->lag.n : max;
	memcpy(out, p->lag.rows, n * sizeof *out);
	pthread_mutex_unlock(&p->lag.lock);
	return n;
}
