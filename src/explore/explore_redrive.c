/*
 * explore_redrive.c — planning and sending a re-drive of dead letters.
 * See explore_redrive.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explore_messages.h"
#include "explore_redrive.h"
#include "jq_filter.h"
#include "kafka_client.h"

#define DEFAULT_MAX_ITEMS 10000

const char *
explore_redrive_status_name(enum explore_redrive_status s)
{
	switch (s) {
	case EXPLORE_REDRIVE_READY: return "ready";
	case EXPLORE_REDRIVE_DONE_BEFORE: return "done-before";
	case EXPLORE_REDRIVE_NO_SOURCE: return "no-source";
	case EXPLORE_REDRIVE_BAD_TRANSFORM: return "bad-transform";
	case EXPLORE_REDRIVE_SENT: return "sent";
	}
	return "?";
}

static void
free_headers(struct explore_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

/* The dead letter's headers to carry over: all but ordertop.dlq.* and an
 * earlier ordertop.redriven_from.  0, or -1 out of memory. */
static int
carry_headers(struct explore_redrive_item *it, const struct explore_record *r)
{
	static const char dlq_prefix[] = "ordertop.dlq.";
	if (r->n_headers == 0)
		return 0;
	if ((it->headers = calloc(r->n_headers, sizeof *it->headers)) == NULL)
		return -1;
	for (size_t i = 0; i < r->n_headers; i++) {
		const struct explore_header *h = &r->headers[i];
		if (strncmp(h->name, dlq_prefix, sizeof dlq_prefix - 1) == 0 ||
		    strcmp(h->name, EXPLORE_HDR_REDRIVEN_FROM) == 0)
			continue;
		struct explore_header *c = &it->headers[it->n_headers];
		if ((c->name = strdup(h->name)) == NULL)
			return -1;
		it->n_headers++;
		if (h->value) {
			if ((c->value = malloc(h->len ? h->len : 1)) == NULL)
				return -1;
			memcpy(c->value, h->value, h->len);
			c->len = h->len;
		}
	}
	return 0;
}

void
explore_redrive_plan_free(struct explore_redrive_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].target);
		free(p->items[i].reason);
		free(p->items[i].key);
		free(p->items[i].value);
		free_headers(p->items[i].headers, p->items[i].n_headers);
	}
	free(p->items);
	free(p->dlq);
	memset(p, 0, sizeof *p);
}

static bool
topic_exists(struct explore_cluster *c, const char *topic, char *err, size_t errlen, int *rc)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(explore_cluster_handle(c), 1, NULL, &md,
						  explore_cluster_timeout_ms(c));
	bool found = false;
	*rc = 0;
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		*rc = -1;
		return false;
	}
	for (int i = 0; i < md->topic_cnt && !found; i++)
		found = strcmp(md->topics[i].topic, topic) == 0;
	rd_kafka_metadata_destroy(md);
	return found;
}

struct markers {
	size_t n, cap;
	char **keys; /* sorted after loading */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
markers_free(struct markers *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->keys[i]);
	free(m->keys);
}

static bool
markers_has(const struct markers *m, const char *key)
{
	return m->n && bsearch(&key, m->keys, m->n, sizeof *m->keys, cmp_str) != NULL;
}

/* Every marker of an earlier re-drive, from the marker topic. */
static int
load_markers(struct explore_cluster *c, const char *topic, struct markers *m, char *err,
	     size_t errlen)
{
	int rc;
	if (!topic_exists(c, topic, err, errlen, &rc))
		return rc;
	struct explore_start from = { .kind = EXPLORE_START_BEGINNING };
	struct explore_reader *rd = explore_reader_open(c, topic, -1, &from, false, err, errlen);
	if (rd == NULL)
		return -1;
	struct explore_record r = { 0 };
	while ((rc = explore_reader_next(rd, &r, explore_cluster_timeout_ms(c), err, errlen)) > 0) {
		if (r.key == NULL || r.value == NULL) /* a tombstone undoes nothing here */
			continue;
		if (m->n == m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 64;
			char **nk = realloc(m->keys, nc * sizeof *nk);
			if (nk == NULL) {
				rc = -1;
				snprintf(err, errlen, "out of memory");
				break;
			}
			m->keys = nk;
			m->cap = nc;
		}
		m->keys[m->n] = strndup(r.key, r.key_len);
		if (m->keys[m->n])
			m->n++;
	}
	explore_record_clear(&r);
	explore_reader_close(rd);
	if (rc < 0)
		return -1;
	qsort(m->keys, m->n, sizeof *m->keys, cmp_str);
	return 0;
}

static void
fill_input(struct jq_filter_input *in, const struct explore_record *r, const char **names,
	   const void **values, size_t *lens)
{
	for (size_t i = 0; i < r->n_headers && i < 64; i++) {
		names[i] = r->headers[i].name;
		values[i] = r->headers[i].value;
		lens[i] = r->headers[i].len;
	}
	*in = (struct jq_filter_input){ .value = r->value,
					.value_len = r->value_len,
					.key = r->key,
					.key_len = r->key_len,
					.n_headers = r->n_headers < 64 ? r->n_headers : 64,
					.header_names = names,
					.header_values = values,
					.header_lens = lens,
					.partition = r->partition,
					.offset = r->offset };
}

static char *
header_text(const struct explore_record *r, const char *name)
{
	const struct explore_header *h = explore_record_header(r, name);
	return h && h->value ? strndup(h->value, h->len) : NULL;
}

/* One matched dead letter as a plan item. */
static int
add_item(struct explore_redrive_plan *p, size_t *cap, const struct explore_record *r,
	 const struct jq_filter_input *in, struct jq_filter *transform, const struct markers *m)
{
	if (p->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct explore_redrive_item *ni = realloc(p->items, nc * sizeof *ni);
		if (ni == NULL)
			return -1;
		p->items = ni;
		*cap = nc;
	}
	struct explore_redrive_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->partition = r->partition;
	it->offset = r->offset;
	snprintf(it->source, sizeof it->source, "%s/%" PRId32 "/%" PRId64, p->dlq, r->partition,
		 r->offset);
	it->target = header_text(r, HDR_DLQ_TOPIC);
	it->reason = header_text(r, HDR_DLQ_REASON);
	if (r->key && (it->key = malloc(r->key_len ? r->key_len : 1)) != NULL) {
		memcpy(it->key, r->key, r->key_len);
		it->key_len = r->key_len;
	}
	if (markers_has(m, it->source)) {
		it->status = EXPLORE_REDRIVE_DONE_BEFORE;
		snprintf(it->note, sizeof it->note, "re-driven before (marker in %s%s)", p->dlq,
			 EXPLORE_REDRIVE_MARKER_SUFFIX);
		p->done_before++;
		return 0;
	}
	if (it->target == NULL || it->target[0] == '\0') {
		it->status = EXPLORE_REDRIVE_NO_SOURCE;
		snprintf(it->note, sizeof it->note, "no %s header: its source is unknown",
			 HDR_DLQ_TOPIC);
		p->skipped++;
		return 0;
	}
	if (transform) {
		char why[256];
		int n = jq_filter_run(transform, in, &it->value, why, sizeof why);
		if (n != 1) {
			it->status = EXPLORE_REDRIVE_BAD_TRANSFORM;
			snprintf(it->note, sizeof it->note, "%s",
				 n < 0            ? why
					 : n == 0 ? "the transform gave no output"
						  : "the transform gave more than one output");
			free(it->value);
			it->value = NULL;
			p->skipped++;
			return 0;
		}
		it->value_len = strlen(it->value);
	} else if (r->value) {
		it->value = strndup(r->value, r->value_len);
		it->value_len = r->value_len;
	}
	if (carry_headers(it, r) < 0)
		return -1;
	it->status = EXPLORE_REDRIVE_READY;
	p->ready++;
	return 0;
}

int
explore_redrive_plan(struct explore_cluster *c, const char *dlq,
		     const struct explore_redrive_opts *o, struct explore_redrive_plan *out,
		     char *err, size_t errlen)
{
	struct jq_filter *where = NULL, *transform = NULL;
	struct markers m = { 0 };
	struct explore_reader *rd = NULL;
	struct explore_record r = { 0 };
	char marker_topic[CONFIG_TOPIC_MAX + 16];
	size_t cap = 0, max = o->max_items ? o->max_items : DEFAULT_MAX_ITEMS;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if ((out->dlq = strdup(dlq)) == NULL)
		goto oom;
	if (o->where && (where = jq_filter_new(o->where, err, errlen)) == NULL)
		goto out;
	if (o->transform && (transform = jq_filter_new(o->transform, err, errlen)) == NULL)
		goto out;
	snprintf(marker_topic, sizeof marker_topic, "%s%s", dlq, EXPLORE_REDRIVE_MARKER_SUFFIX);
	if (load_markers(c, marker_topic, &m, err, errlen) < 0)
		goto out;
	struct explore_start from = { .kind = EXPLORE_START_BEGINNING };
	if ((rd = explore_reader_open(c, dlq, -1, &from, false, err, errlen)) == NULL)
		goto out;
	int got;
	while ((got = explore_reader_next(rd, &r, explore_cluster_timeout_ms(c), err, errlen)) >
	       0) {
		const char *names[64];
		const void *values[64];
		size_t lens[64];
		struct jq_filter_input in;
		out->scanned++;
		fill_input(&in, &r, names, values, lens);
		if (where) {
			char why[256];
			int yes = jq_filter_match(where, &in, why, sizeof why);
			if (yes <= 0)
				continue; /* a runtime error on one record: not picked */
		}
		out->matched++;
		if (out->n >= max) {
			out->truncated = true;
			continue;
		}
		if (add_item(out, &cap, &r, &in, transform, &m) < 0)
			goto oom;
	}
	if (got < 0)
		goto out;
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	explore_record_clear(&r);
	explore_reader_close(rd);
	markers_free(&m);
	jq_filter_free(where);
	jq_filter_free(transform);
	if (rc < 0)
		explore_redrive_plan_free(out);
	return rc;
}

/* The marker topic on a real cluster: compacted, one partition. */
static int
ensure_marker_topic(struct explore_cluster *c, const char *topic, char *err, size_t errlen)
{
	int rc;
	if (explore_cluster_limited(c) || topic_exists(c, topic, err, errlen, &rc))
		return 0;
	if (rc < 0)
		return -1;
	rd_kafka_t *rk = explore_cluster_handle(c);
	char why[256];
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, 1, -1, why, sizeof why);
	if (nt == NULL) {
		snprintf(err, errlen, "%s: %s", topic, why);
		return -1;
	}
	rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_CreateTopics(rk, &nt, 1, o, q);
	rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
	rc = 0;
	if (ev == NULL || rd_kafka_event_error(ev)) {
		snprintf(err, errlen, "creating %s: %s", topic,
			 ev ? rd_kafka_event_error_string(ev) : "no answer in time");
		rc = -1;
	} else {
		size_t n = 0;
		const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(
			rd_kafka_event_CreateTopics_result(ev), &n);
		if (n == 1 && rd_kafka_topic_result_error(tr[0]) &&
		    rd_kafka_topic_result_error(tr[0]) != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			snprintf(err, errlen, "creating %s: %s", topic,
				 rd_kafka_topic_result_error_string(tr[0]));
			rc = -1;
		}
	}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy(nt);
	return rc;
}

static int
txn_error(rd_kafka_error_t *e, const char *what, char *err, size_t errlen)
{
	if (e == NULL)
		return 0;
	snprintf(err, errlen, "%s: %s", what, rd_kafka_error_string(e));
	rd_kafka_error_destroy(e);
	return -1;
}

int
explore_redrive_execute(struct explore_cluster *c, struct explore_redrive_plan *plan, char *err,
			size_t errlen)
{
	char marker_topic[CONFIG_TOPIC_MAX + 16], txn_id[300];
	int timeout = explore_cluster_timeout_ms(c);

	if (plan->ready == 0)
		return 0;
	snprintf(marker_topic, sizeof marker_topic, "%s%s", plan->dlq,
		 EXPLORE_REDRIVE_MARKER_SUFFIX);
	if (ensure_marker_topic(c, marker_topic, err, errlen) < 0)
		return -1;
	snprintf(txn_id, sizeof txn_id, "%s-redrive-%s", explore_cluster_config(c)->group_prefix,
		 plan->dlq);
	rd_kafka_t *p = explore_cluster_txn_producer(c, txn_id, err, errlen);
	if (p == NULL)
		return -1;
	int rc =
		txn_error(rd_kafka_init_transactions(p, timeout), "init transactions", err, errlen);
	if (rc == 0)
		rc = txn_error(rd_kafka_begin_transaction(p), "begin transaction", err, errlen);
	bool begun = rc == 0;
	for (size_t i = 0; rc == 0 && i < plan->n; i++) {
		struct explore_redrive_item *it = &plan->items[i];
		if (it->status != EXPLORE_REDRIVE_READY)
			continue;
		rd_kafka_headers_t *hdrs = rd_kafka_headers_new(it->n_headers + 1);
		for (size_t k = 0; k < it->n_headers; k++)
			rd_kafka_header_add(hdrs, it->headers[k].name, -1, it->headers[k].value,
					    it->headers[k].value ? (ssize_t)it->headers[k].len : 0);
		rd_kafka_header_add(hdrs, EXPLORE_HDR_REDRIVEN_FROM, -1, it->source, -1);
		rd_kafka_resp_err_t e = rd_kafka_producev(
			p, RD_KAFKA_V_TOPIC(it->target), RD_KAFKA_V_KEY(it->key, it->key_len),
			RD_KAFKA_V_VALUE(it->value, it->value_len), RD_KAFKA_V_HEADERS(hdrs),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
			rd_kafka_headers_destroy(hdrs); /* kept by librdkafka only when sent */
		if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
			e = rd_kafka_producev(p, RD_KAFKA_V_TOPIC(marker_topic),
					      RD_KAFKA_V_KEY(it->source, strlen(it->source)),
					      RD_KAFKA_V_VALUE(it->target, strlen(it->target)),
					      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
					      RD_KAFKA_V_END);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "producing %s to %s: %s", it->source, it->target,
				 rd_kafka_err2str(e));
			rc = -1;
		}
	}
	if (rc == 0)
		rc = txn_error(rd_kafka_commit_transaction(p, timeout), "commit", err, errlen);
	if (rc < 0 && begun) {
		rd_kafka_error_t *ae = rd_kafka_abort_transaction(p, timeout);
		if (ae)
			rd_kafka_error_destroy(ae);
	}
	if (rc == 0)
		for (size_t i = 0; i < plan->n; i++)
			if (plan->items[i].status == EXPLORE_REDRIVE_READY)
				plan->items[i].status = EXPLORE_REDRIVE_SENT;
	rd_kafka_destroy(p);
	return rc;
}
