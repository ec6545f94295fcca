/*
 * http_orders.c — POST /orders, GET /orders/{id}, GET /orders.
 *
 * POST: every order of the body is read with the pipeline's own reader
 * (order_parse: types, quantity > 0, UTF-8, nesting) before any is
 * published, so a bad one publishes nothing; then each goes through the
 * form's intake (engine_submit_order_cb) and the request waits, parked,
 * for the broker's acknowledgement of every one: 202 means in Kafka.
 * A body is one order (a JSON object), a JSON array of orders, or
 * application/x-ndjson (an order per line).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "config.h"
#include "engine.h"
#include "http.h"
#include "http_wait.h"
#include "order.h"
#include "order_table.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX     1000
#define LIST_SCAN_MAX      5000 /* recent rows a filtered list looks at */

/* One order of a POST and what became of it. */
struct http_order_slot {
	struct order o;
	struct http_request *r;
	atomic_int state; /* SLOT_* */
	rd_kafka_resp_err_t err;
	int32_t partition;
	int64_t offset;
	char why[160]; /* SLOT_FAILED at submit */
};

enum {
	SLOT_PENDING = 0,
	SLOT_ACKED,
	SLOT_FAILED
};

/* The order fields, for naming the field an error is about. */
static const char *const order_fields[] = {
	"order_id", "user_id",      "item",    "quantity",   "unit_price",
	"currency", "card_country", "country", "created_at", NULL,
};

static const char *
field_of(const char *why)
{
	for (int i = 0; order_fields[i]; i++) {
		const char *f = strstr(why, order_fields[i]);
		/* "country" inside "card_country" is card_country's */
		if (f && (f == why || !(isalnum((unsigned char)f[-1]) || f[-1] == '_')))
			return order_fields[i];
	}
	return NULL;
}

/* Reads one order; order_id may be missing (the intake makes one). */
static int
read_order(const char *buf, size_t len, struct order *o, char *err, size_t errlen)
{
	if (order_parse(buf, len, o, err, errlen) == 0)
		return 0;
	if (strcmp(err, "missing order_id") != 0)
		return -1;
	/* Again with a placeholder id after the '{', then without it. */
	size_t at = 0;
	while (at < len && isspace((unsigned char)buf[at]))
		at++;
	size_t rest = at + 1;
	while (rest < len && isspace((unsigned char)buf[rest]))
		rest++;
	bool empty = rest < len && buf[rest] == '}';
	static const char id[] = "\"order_id\":\"-\"";
	char *b = malloc(len + sizeof id + 1);
	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t n = 0;
	memcpy(b, buf, at + 1);
	n = at + 1;
	memcpy(b + n, id, sizeof id - 1);
	n += sizeof id - 1;
	if (!empty)
		b[n++] = ',';
	memcpy(b + n, buf + at + 1, len - at - 1);
	n += len - at - 1;
	int rc = order_parse(b, n, o, err, errlen);
	free(b);
	if (rc == 0)
		o->order_id[0] = '\0';
	return rc;
}

/* The elements of a JSON array, as byte ranges (each then read by
 * order_parse, which checks it fully); -1 when the array is malformed
 * as far as this scan sees. */
static long
split_array(const char *b, size_t len, const char **at, size_t *lens, size_t max)
{
	size_t i = 0, n = 0;
	int depth = 0;
	bool in_str = false;

	while (i < len && isspace((unsigned char)b[i]))
		i++;
	if (i >= len || b[i] != '[')
		return -1;
	i++;
	size_t start = i;
	for (; i < len; i++) {
		char c = b[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		} else if ((c == ',' || c == ']') && depth == 0) {
			size_t s = start, e = i;
			while (s < e && isspace((unsigned char)b[s]))
				s++;
			if (s == e && c == ']' && n == 0)
				break; /* [] */
			if (s == e || n >= max)
				return s == e ? -1 : (long)max + 1;
			at[n] = b + s;
			lens[n++] = e - s;
			start = i + 1;
			if (c == ']')
				break;
		}
	}
	if (i >= len)
		return -1;
	for (i++; i < len; i++)
		if (!isspace((unsigned char)b[i]))
			return -1;
	return (long)n;
}

/* The lines of an NDJSON body (blank ones skipped). */
static long
split_lines(const char *b, size_t len, const char **at, size_t *lens, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && b[e] != '\n')
			e++;
		size_t s = i, t = e;
		while (s < t && isspace((unsigned char)b[s]))
			s++;
		while (t > s && isspace((unsigned char)b[t - 1]))
			t--;
		if (t > s) {
			if (n >= max)
				return (long)max + 1;
			at[n] = b + s;
			lens[n++] = t - s;
		}
		i = e + 1;
	}
	return (long)n;
}

static void
on_acked(void *arg, rd_kafka_resp_err_t err, int32_t partition, int64_t offset)
{
	struct http_order_slot *slot = arg;
	struct http_request *r = slot->r;

	slot->err = err;
	slot->partition = partition;
	slot->offset = offset;
	atomic_store(&slot->state, err ? SLOT_FAILED : SLOT_ACKED);
	if (atomic_fetch_sub(&r->pending, 1) == 1)
		http_wait_release(r->wait, r);
	http_request_unref(r);
}

static bool
acks_in(struct http_request *r)
{
	return atomic_load(&r->pending) == 0;
}

static cJSON *
slot_result(struct http_order_slot *slot, bool *ok, char *why, size_t whylen)
{
	cJSON *j = cJSON_CreateObject();
	int state = atomic_load(&slot->state);

	cJSON_AddStringToObject(j, "order_id", slot->o.order_id);
	if (state == SLOT_ACKED) {
		char loc[160];
		cJSON_AddStringToObject(j, "status", "NEW");
		snprintf(loc, sizeof loc, "/orders/%s", slot->o.order_id);
		cJSON_AddStringToObject(j, "location", loc);
		cJSON_AddNumberToObject(j, "partition", slot->partition);
		cJSON_AddNumberToObject(j, "offset", (double)slot->offset);
		*ok = true;
		return j;
	}
	if (state == SLOT_FAILED && slot->why[0])
		snprintf(why, whylen, "%s", slot->why);
	else if (state == SLOT_FAILED)
		snprintf(why, whylen, "not delivered: %s", rd_kafka_err2str(slot->err));
	else
		snprintf(why, whylen,
			 "the broker has not acknowledged the order within %d s "
			 "(it may still arrive: retry with the same order_id)",
			 HTTP_ACK_WAIT_MS / 1000);
	cJSON_AddStringToObject(j, "error", why);
	*ok = false;
	return j;
}

static int
orders_post_resume(struct http_request *r, bool timed_out)
{
	char why[256] = "";
	bool all_ok = true, ok;
	bool batch = r->n_slots != 1 || r->body_is_batch;

	(void)timed_out;
	if (!batch) {
		cJSON *j = slot_result(&r->slots[0], &ok, why, sizeof why);
		if (!ok) {
			cJSON_Delete(j);
			http_reply_error(r, 503, NULL, 1, "%s", why);
			return HTTP_REPLY;
		}
		cJSON_DeleteItemFromObject(j, "location");
		cJSON_DeleteItemFromObject(j, "partition");
		cJSON_DeleteItemFromObject(j, "offset");
		snprintf(r->reply.location, sizeof r->reply.location, "/orders/%s",
			 r->slots[0].o.order_id);
		http_reply_json(r, 202, j);
		return HTTP_REPLY;
	}
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < r->n_slots; i++) {
		cJSON_AddItemToArray(arr, slot_result(&r->slots[i], &ok, why, sizeof why));
		all_ok &= ok;
	}
	if (!all_ok)
		r->reply.retry_after = 1;
	http_reply_json(r, all_ok ? 202 : 503, arr);
	return HTTP_REPLY;
}

int
http_orders_post(struct http_request *r)
{
	struct engine *e = r->engine;
	const struct config *cfg = engine_config(e);
	char why[256];

	static const size_t max = HTTP_BATCH_MAX;
	const char **at = malloc(max * sizeof *at);
	size_t *lens = malloc(max * sizeof *lens);
	if (at == NULL || lens == NULL) {
		free(at);
		free(lens);
		http_reply_error(r, 500, NULL, 0, "out of memory");
		return HTTP_REPLY;
	}
	long n;
	const char *b = r->body ? r->body : "";
	size_t skip = 0;
	while (skip < r->len && isspace((unsigned char)b[skip]))
		skip++;
	if (strcmp(r->content_type, "application/x-ndjson") == 0) {
		n = split_lines(b, r->len, at, lens, max);
		r->body_is_batch = true;
	} else if (skip < r->len && b[skip] == '[') {
		n = split_array(b, r->len, at, lens, max);
		r->body_is_batch = true;
	} else {
		at[0] = b;
		lens[0] = r->len;
		n = 1;
	}
	if (n < 0 || n == 0 || n > (long)max) {
		free(at);
		free(lens);
		if (n < 0)
			http_reply_error(r, 400, NULL, 0, "not JSON");
		else if (n == 0)
			http_reply_error(r, 400, NULL, 0, "no orders in the body");
		else
			http_reply_error(r, 413, NULL, 0, "more than %d orders in one request",
					 HTTP_BATCH_MAX);
		return HTTP_REPLY;
	}
	r->slots = calloc((size_t)n, sizeof *r->slots);
	if (r->slots == NULL) {
		free(at);
		free(lens);
		http_reply_error(r, 500, NULL, 0, "out of memory");
		return HTTP_REPLY;
	}
	r->n_slots = (size_t)n;
	for (long i = 0; i < n; i++) {
		if (read_order(at[i], lens[i], &r->slots[i].o, why, sizeof why) < 0) {
			free(at);
			free(lens);
			if (r->body_is_batch)
				http_reply_error(r, 400, field_of(why), 0, "order %ld: %s", i + 1,
						 why);
			else
				http_reply_error(r, 400, field_of(why), 0, "%s", why);
			return HTTP_REPLY;
		}
		r->slots[i].r = r;
	}
	free(at);
	free(lens);

	/* Never a hang: no broker, or the pipeline holding back, is a 503. */
	struct broker_status bs;
	engine_broker_status(e, &bs);
	if (bs.up == 0) {
		http_reply_error(r, 503, NULL, 1, "no broker reachable (%d known)", bs.total);
		return HTTP_REPLY;
	}
	uint64_t in_flight = order_table_local_in_flight(engine_orders(e));
	if (in_flight + (uint64_t)n > (uint64_t)cfg->max_in_flight + HTTP_BATCH_MAX) {
		http_reply_error(r, 503, NULL, 1,
				 "the pipeline is holding back: %llu orders of "
				 "this process are unfinished",
				 (unsigned long long)in_flight);
		return HTTP_REPLY;
	}
	for (long i = 0; i < n; i++) {
		struct http_order_slot *slot = &r->slots[i];
		atomic_fetch_add(&r->refs, 1);
		atomic_fetch_add(&r->pending, 1);
		if (engine_submit_order_cb(e, &slot->o, ORDER_SOURCE_HTTP, n > 1, on_acked, slot,
					   slot->why, sizeof slot->why) < 0) {
			atomic_store(&slot->state, SLOT_FAILED);
			atomic_fetch_sub(&r->pending, 1);
			atomic_fetch_sub(&r->refs, 1);
		}
	}
	r->ready = acks_in;
	r->resume = orders_post_resume;
	r->deadline_ms = mono_ms() + HTTP_ACK_WAIT_MS;
	return HTTP_PARKED;
}

/* ---- reading orders ---- */

static cJSON *
order_json_doc(const struct order_detail *d, const struct config *cfg)
{
	const struct order_row *row = &d->row;
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "order_id", row->order_id);
	cJSON_AddStringToObject(j, "status", order_status_name((enum order_status)row->status));
	if (row->decision == ORDER_APPROVED || row->decision == ORDER_REFUSED)
		cJSON_AddStringToObject(j, "decision",
					order_status_name((enum order_status)row->decision));
	else
		cJSON_AddNullToObject(j, "decision");
	cJSON *fired = cJSON_AddArrayToObject(j, "rules_fired");
	char buf[ORDER_FIRED_TEXT_MAX];
	snprintf(buf, sizeof buf, "%s", row->fired);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(fired, cJSON_CreateString(t));
	if (row->rules_version > 0)
		cJSON_AddNumberToObject(j, "rules_version", (double)row->rules_version);
	if (row->total >= 0)
		cJSON_AddNumberToObject(j, "total", row->total);
	else
		cJSON_AddNullToObject(j, "total");
	if (row->user_id[0])
		cJSON_AddStringToObject(j, "user_id", row->user_id);
	if (row->item[0])
		cJSON_AddStringToObject(j, "item", row->item);
	cJSON_AddNumberToObject(j, "created_at", (double)row->created_ms);
	cJSON_AddNumberToObject(j, "updated_at", (double)row->updated_ms);
	cJSON_AddBoolToObject(j, "local", row->local);
	cJSON_AddStringToObject(j, "source", order_table_source_name(row));
	if (d == NULL || cfg == NULL)
		return j;
	cJSON *tl = cJSON_AddArrayToObject(j, "timeline");
	for (int t = 0; t < TOPIC__COUNT; t++) {
		if (!d->stage[t].seen)
			continue;
		cJSON *h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "topic", cfg->topics[t]);
		cJSON_AddNumberToObject(h, "partition", d->stage[t].partition);
		cJSON_AddNumberToObject(h, "offset", (double)d->stage[t].offset);
		cJSON_AddNumberToObject(h, "time", (double)d->stage[t].ts_ms);
		cJSON_AddItemToArray(tl, h);
	}
	return j;
}

static bool
is_final(int status)
{
	return status == ORDER_NOTIFIED || status == ORDER_DEAD_LETTERED;
}

static bool
order_final(struct http_request *r)
{
	struct order_detail d;
	return order_table_lookup(engine_orders(r->engine), r->id, &d) == 0 &&
		is_final(d.row.status);
}

static int
order_reply(struct http_request *r, bool timed_out)
{
	struct order_detail d;
	int rc = order_table_lookup(engine_orders(r->engine), r->id, &d);

	(void)timed_out;
	if (rc == -2) {
		http_reply_error(r, 410, NULL, 0,
				 "order %s is no longer known: the order table "
				 "keeps the latest %d orders (--table-size)",
				 r->id, engine_config(r->engine)->table_size);
		return HTTP_REPLY;
	}
	if (rc < 0) {
		http_reply_error(r, 404, NULL, 0, "no order %s seen", r->id);
		return HTTP_REPLY;
	}
	http_reply_json(r, 200, order_json_doc(&d, engine_config(r->engine)));
	return HTTP_REPLY;
}

int
http_orders_get(struct http_request *r)
{
	double wait = 0;

	if (r->query_wait) {
		char *end;
		wait = strtod(r->query_wait, &end);
		if (end == r->query_wait || *end != '\0' || !(wait >= 0) ||
		    wait > HTTP_ORDER_WAIT_MAX) {
			http_reply_error(r, 400, "wait", 0,
					 "wait must be seconds from 0 to %d, got '%s'",
					 HTTP_ORDER_WAIT_MAX, r->query_wait);
			return HTTP_REPLY;
		}
	}
	if (wait <= 0 || order_final(r))
		return order_reply(r, false);
	r->ready = order_final;
	r->resume = order_reply;
	r->deadline_ms = mono_ms() + (int64_t)(wait * 1000);
	return HTTP_PARKED;
}

int
http_orders_list(struct http_request *r)
{
	int status = -1;
	long limit = LIST_LIMIT_DEFAULT;

	if (r->query_status) {
		char up[32];
		size_t i;
		for (i = 0; r->query_status[i] && i + 1 < sizeof up; i++)
			up[i] = (char)toupper((unsigned char)r->query_status[i]);
		up[i] = '\0';
		status = order_status_parse(up);
		if (status < 0) {
			http_reply_error(r, 400, "status", 0,
					 "status must be new, approved, refused, "
					 "notified or dead_lettered");
			return HTTP_REPLY;
		}
	}
	if (r->query_limit) {
		char *end;
		limit = strtol(r->query_limit, &end, 10);
		if (end == r->query_limit || *end != '\0' || limit < 1 || limit > LIST_LIMIT_MAX) {
			http_reply_error(r, 400, "limit", 0, "limit must be 1 to %d",
					 LIST_LIMIT_MAX);
			return HTTP_REPLY;
		}
	}
	size_t scan = status < 0 ? (size_t)limit : LIST_SCAN_MAX;
	struct order_row *rows = malloc(scan * sizeof *rows);
	if (rows == NULL) {
		http_reply_error(r, 500, NULL, 0, "out of memory");
		return HTTP_REPLY;
	}
	size_t n = order_table_recent(engine_orders(r->engine), rows, scan);
	cJSON *arr = cJSON_CreateArray();
	long shown = 0;
	for (size_t i = 0; i < n && shown < limit; i++) {
		/* approved/refused: the decision, though the order moved on */
		if (status >= 0 && rows[i].status != status && rows[i].decision != status)
			continue;
		struct order_detail d = { .row = rows[i] };
		cJSON *o = order_json_doc(&d, NULL);
		cJSON_AddItemToArray(arr, o);
		shown++;
	}
	free(rows);
	http_reply_json(r, 200, arr);
	return HTTP_REPLY;
}
