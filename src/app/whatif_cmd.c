/*
 * whatif_cmd.c — `ordertop rules whatif`: the replay of whatif_job.h run
 * on this thread, and what the candidate rules would change printed (see
 * whatif_cmd.h).  Order ids and rule names in the output go through
 * text_sanitize: they come from producers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "log.h"
#include "rule_whatif.h"
#include "text_sanitize.h"
#include "topics.h"
#include "whatif_cmd.h"
#include "whatif_job.h"

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
	struct whatif_span span = { .last = o->last, .since_ms = o->since_ms };
	struct whatif_report *rep = malloc(sizeof *rep);
	if (rep == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = whatif_replay(cfg, bootstraps, current, candidate, &span, NULL, NULL, NULL, rep,
			       err, errlen);
	if (rc == 0 && o->json)
		print_json(o, cfg->topics[TOPIC_ORDERS], &rep->r, rep->unreadable, rep->notes,
			   rep->n_notes, rep->secs);
	else if (rc == 0)
		print_text(o, cfg->topics[TOPIC_ORDERS], rep->partitions, &rep->r, rep->unreadable,
			   rep->notes, rep->n_notes, rep->secs);
	free(rep);
	return rc;
}
