/*
 * whatif_cmd.c — reading the most recent orders for `ordertop rules whatif`
 * and printing what the candidate rules would change (see whatif_cmd.h).
 *
 * The last N orders are taken from each partition in proportion to what it
 * holds; --since TIME starts each partition at the offset of that time
 * (offsets_for_times), or, where the broker cannot say (the embedded one
 * answers -1), at its start, skipping older orders.  Order ids and rule
 * names in the output go through text_sanitize: they come from producers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "flat_json.h"
#include "kafka_client.h"
#include "log.h"
#include "order.h"
#include "rule_whatif.h"
#include "text_sanitize.h"
#include "topics.h"
#include "whatif_cmd.h"

#define STALL_MS 30000

int64_t
whatif_parse_since(const char *text, int64_t now_ms)
{
	char *end;
	long long v = strtoll(text, &end, 10);

	if (end == text || v < 0)
		return -1;
	if (*end == '\0')
		return v; /* ms since the epoch */
	if (end[1] != '\0')
		return -1;
	switch (*end) {
	case 's': return now_ms - v * 1000;
	case 'm': return now_ms - v * 60000;
	case 'h': return now_ms - v * 3600000;
	case 'd': return now_ms - v * 86400000;
	default: return -1;
	}
}

struct part {
	int64_t lo, hi, start, next;
};

/* Where each partition starts; the orders to read. */
static int64_t
plan(rd_kafka_t *c, const char *topic, struct part *parts, int n, const struct whatif_opts *o,
     char *err, size_t errlen)
{
	int64_t total = 0, want = 0;

	for (int p = 0; p < n; p++) {
		rd_kafka_resp_err_t e =
			topics_watermarks(c, topic, p, &parts[p].lo, &parts[p].hi, 15000);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "end of '%s' [%d]: %s", topic, p,
				 rd_kafka_err2str(e));
			return -1;
		}
		total += parts[p].hi - parts[p].lo;
	}
	if (o->since_ms >= 0) {
		rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
		for (int p = 0; p < n; p++)
			rd_kafka_topic_partition_list_add(l, topic, p)->offset = o->since_ms;
		rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(c, l, 10000);
		for (int p = 0; p < n; p++) {
			int64_t off = e == RD_KAFKA_RESP_ERR_NO_ERROR ? l->elems[p].offset : -1;
			parts[p].start =
				off >= parts[p].lo && off <= parts[p].hi ? off : parts[p].lo;
			want += parts[p].hi - parts[p].start;
		}
		rd_kafka_topic_partition_list_destroy(l);
		return want;
	}
	/* in proportion, the remainder to the first partitions with more */
	int64_t left = total > o->last ? o->last : total;
	for (int p = 0; p < n; p++) {
		int64_t have = parts[p].hi - parts[p].lo;
		int64_t take = total > o->last ? o->last * have / total : have;
		parts[p].start = parts[p].hi - take;
		left -= take;
	}
	for (int p = 0; p < n && left > 0; p++)
		if (parts[p].start > parts[p].lo) {
			parts[p].start--;
			left--;
		}
	for (int p = 0; p < n; p++)
		want += parts[p].hi - parts[p].start;
	return want;
}

/* Reads every partition from its start to its end into w. */
static int
replay(rd_kafka_t *c, const char *topic, struct part *parts, int n, const struct whatif_opts *o,
       struct rule_whatif *w, uint64_t *unreadable, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
	int open = 0;
	for (int p = 0; p < n; p++) {
		parts[p].next = parts[p].start;
		if (parts[p].start < parts[p].hi) {
			rd_kafka_topic_partition_list_add(l, topic, p)->offset = parts[p].start;
			open++;
		}
	}
	rd_kafka_resp_err_t e = rd_kafka_assign(c, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assign '%s': %s", topic, rd_kafka_err2str(e));
		return -1;
	}
	int64_t progress = mono_ms();
	struct order ord;
	struct flat_member members[ORDER_FLAT_MEMBERS_MAX];
	int n_members;
	char why[160];
	while (open > 0) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 100);
		if (m == NULL) {
			/* transaction markers leave gaps: the position tells */
			rd_kafka_topic_partition_list_t *pos = NULL;
			if (rd_kafka_assignment(c, &pos) == RD_KAFKA_RESP_ERR_NO_ERROR) {
				rd_kafka_position(c, pos);
				for (int i = 0; i < pos->cnt; i++) {
					struct part *pp = &parts[pos->elems[i].partition];
					if (pp->next < pp->hi && pos->elems[i].offset >= pp->hi) {
						pp->next = pp->hi;
						open--;
					}
				}
				rd_kafka_topic_partition_list_destroy(pos);
			}
			if (mono_ms() - progress > STALL_MS) {
				snprintf(err, errlen, "reading '%s' made no progress for 30 s",
					 topic);
				return -1;
			}
			continue;
		}
		progress = mono_ms();
		if (m->err || m->partition < 0 || m->partition >= n) {
			rd_kafka_message_destroy(m);
			continue;
		}
		struct part *pp = &parts[m->partition];
		if (m->offset >= pp->hi) { /* came after the reading began */
			rd_kafka_message_destroy(m);
			continue;
		}
		if (order_parse_members(m->payload, m->len, &ord, members, &n_members, why,
					sizeof why) == 0) {
			rd_kafka_timestamp_type_t tt;
			int64_t ts = rd_kafka_message_timestamp(m, &tt);
			int64_t event_ms = ord.created_at_ms > 0 ? ord.created_at_ms : ts;
			if ((o->since_ms < 0 || event_ms >= o->since_ms) &&
			    rule_whatif_feed(w, m->partition, &ord, event_ms) != 0) {
				rd_kafka_message_destroy(m);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		} else {
			(*unreadable)++;
		}
		if (pp->next < pp->hi && m->offset + 1 >= pp->hi)
			open--;
		pp->next = m->offset + 1;
		rd_kafka_message_destroy(m);
	}
	return 0;
}

static void
sanitized(char *buf, size_t len, const char *s)
{
	text_sanitize(buf, len, s, strlen(s), 80);
}

static void
print_text(const struct whatif_opts *o, const char *topic, int parts, const struct whatif_result *r,
	   uint64_t unreadable, char notes[][200], int n_notes, double secs)
{
	char safe[400];
	sanitized(safe, sizeof safe, o->change);
	printf("what if: %s\n", safe);
	sanitized(safe, sizeof safe, topic);
	printf("%" PRIu64 " orders of '%s' (%d partitions) over %.0f s", r->orders, safe, parts,
	       r->orders ? (double)(r->last_ms - r->first_ms) / 1000.0 : 0.0);
	if (unreadable)
		printf(", %" PRIu64 " unreadable skipped", unreadable);
	printf(", replayed at %.0f orders/s\n", secs > 0 ? (double)r->orders / secs : 0.0);
	printf("  approved -> refused  %" PRIu64 "\n", r->approved_to_refused);
	printf("  refused -> approved  %" PRIu64 "\n", r->refused_to_approved);
	printf("  unchanged            %" PRIu64 " (%" PRIu64 " approved, %" PRIu64 " refused)\n",
	       r->still_approved + r->still_refused, r->still_approved, r->still_refused);
	for (int i = 0; i < fraud_rule_count; i++)
		if (r->fires_more[i] || r->fires_less[i])
			printf("  %-18s fires on %" PRIu64 " more, %" PRIu64 " fewer\n",
			       fraud_rule_defs[i].id, r->fires_more[i], r->fires_less[i]);
	const struct {
		const char *what;
		const struct whatif_example *ex;
		int n;
	} lists[] = { { "approved -> refused", r->to_refused, r->n_to_refused },
		      { "refused -> approved", r->to_approved, r->n_to_approved } };
	for (size_t k = 0; k < 2; k++) {
		if (lists[k].n == 0)
			continue;
		printf("  e.g. %s:", lists[k].what);
		for (int i = 0; i < lists[k].n; i++) {
			sanitized(safe, sizeof safe, lists[k].ex[i].order_id);
			printf("%s %s%s%s%s", i ? "," : "", safe,
			       lists[k].ex[i].rule[0] ? " (" : "", lists[k].ex[i].rule,
			       lists[k].ex[i].rule[0] ? ")" : "");
		}
		printf("\n");
	}
	for (int i = 0; i < n_notes; i++)
		printf("  note: %s\n", notes[i]);
}

static void
print_json(const struct whatif_opts *o, const char *topic, const struct whatif_result *r,
	   uint64_t unreadable, char notes[][200], int n_notes, double secs)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "change", o->change);
	cJSON_AddStringToObject(j, "topic", topic);
	cJSON_AddNumberToObject(j, "orders", (double)r->orders);
	cJSON_AddNumberToObject(j, "unreadable", (double)unreadable);
	cJSON_AddNumberToObject(j, "first_ms", r->orders ? (double)r->first_ms : 0);
	cJSON_AddNumberToObject(j, "last_ms", r->orders ? (double)r->last_ms : 0);
	cJSON_AddNumberToObject(j, "approved_to_refused", (double)r->approved_to_refused);
	cJSON_AddNumberToObject(j, "refused_to_approved", (double)r->refused_to_approved);
	cJSON_AddNumberToObject(j, "still_approved", (double)r->still_approved);
	cJSON_AddNumberToObject(j, "still_refused", (double)r->still_refused);
	cJSON *rules = cJSON_AddArrayToObject(j, "rules");
	for (int i = 0; i < fraud_rule_count; i++) {
		if (!r->fires_more[i] && !r->fires_less[i])
			continue;
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", fraud_rule_defs[i].id);
		cJSON_AddNumberToObject(x, "fires_more", (double)r->fires_more[i]);
		cJSON_AddNumberToObject(x, "fires_less", (double)r->fires_less[i]);
		cJSON_AddItemToArray(rules, x);
	}
	cJSON *ex = cJSON_AddObjectToObject(j, "examples");
	const struct whatif_example *lists[] = { r->to_refused, r->to_approved };
	const int counts[] = { r->n_to_refused, r->n_to_approved };
	const char *names[] = { "approved_to_refused", "refused_to_approved" };
	for (int k = 0; k < 2; k++) {
		cJSON *a = cJSON_AddArrayToObject(ex, names[k]);
		for (int i = 0; i < counts[k]; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "order_id", lists[k][i].order_id);
			cJSON_AddStringToObject(x, "rule", lists[k][i].rule);
			cJSON_AddItemToArray(a, x);
		}
	}
	cJSON *nt = cJSON_AddArrayToObject(j, "notes");
	for (int i = 0; i < n_notes; i++)
		cJSON_AddItemToArray(nt, cJSON_CreateString(notes[i]));
	cJSON_AddNumberToObject(j, "seconds", secs);
	cJSON_AddNumberToObject(j, "orders_per_sec", secs > 0 ? (double)r->orders / secs : 0);
	char *text = cJSON_PrintUnformatted(j);
	if (text)
		printf("%s\n", text);
	free(text);
	cJSON_Delete(j);
}

int
whatif_cmd_run(const struct config *cfg, const char *bootstraps, const struct ruleset *current,
	       const struct ruleset *candidate, const struct whatif_opts *o, char *err,
	       size_t errlen)
{
	struct kafka_health health;
	memset(&health, 0, sizeof health);
	struct kafka_client_opts co = { .kind = KAFKA_ASSIGN_CONSUMER, .name = "whatif" };
	const char *topic = cfg->topics[TOPIC_ORDERS];
	int rc = -1;

	rd_kafka_t *c = kafka_client_new(cfg, bootstraps, &co, &health, err, errlen);
	if (c == NULL)
		return -1;
	int n = topics_partition_count(c, topic, 10000);
	struct part *parts = n > 0 ? calloc((size_t)n, sizeof *parts) : NULL;
	struct rule_whatif *w = NULL;
	if (parts == NULL) {
		snprintf(err, errlen, "cannot read the partitions of '%s'", topic);
		goto out;
	}
	int64_t want = plan(c, topic, parts, n, o, err, errlen);
	if (want < 0)
		goto out;
	size_t cap = (size_t)(want / n) * 2 + 1024;
	if ((w = rule_whatif_new(current, candidate, cap)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	uint64_t unreadable = 0;
	int64_t t0 = mono_ms();
	if (replay(c, topic, parts, n, o, w, &unreadable, err, errlen) != 0)
		goto out;
	double secs = (double)(mono_ms() - t0) / 1000.0;
	char notes[WHATIF_NOTES_MAX][200];
	int n_notes = rule_whatif_notes(w, notes, WHATIF_NOTES_MAX);
	if (o->json)
		print_json(o, topic, rule_whatif_result(w), unreadable, notes, n_notes, secs);
	else
		print_text(o, topic, n, rule_whatif_result(w), unreadable, notes, n_notes, secs);
	rc = 0;
out:
	rule_whatif_free(w);
	free(parts);
	kafka_client_destroy(c, 0);
	return rc;
}
