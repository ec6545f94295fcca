/*
 * explore_cmd.c — `ordertop topics|groups|messages|redrive|reset-offsets`
 * (see explore_cmd.h) on the explorer's data layer (src/explore).  Every
 * text that came from Kafka (names, keys, headers, values, error texts)
 * goes through text_sanitize in tables; --json writes it as valid UTF-8
 * (text_utf8_repair), escaped by the JSON writer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clock.h"
#include "config.h"
#include "explore_cluster.h"
#include "explore_cmd.h"
#include "explore_groups.h"
#include "explore_messages.h"
#include "explore_redrive.h"
#include "explore_reset.h"
#include "explore_topics.h"
#include "json_writer.h"
#include "log.h"
#include "text_sanitize.h"

#define MAX_WORDS  8
#define MAX_GROUPS 16

struct explore_opts {
	bool json, execute, all;
	const char *where, *transform, *to, *partitions, *from;
	int32_t partition;
	long limit;
	double timeout_s;
	const char *groups[MAX_GROUPS];
	size_t n_groups;
};

static const char *const verbs[] = { "topics", "groups", "messages", "redrive", "reset-offsets" };

bool
explore_cmd_is_verb(const char *word)
{
	for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
		if (strcmp(word, verbs[i]) == 0)
			return true;
	return false;
}

static void
usage(FILE *out)
{
	fputs("usage: ordertop topics [TOPIC] [--all]                 -b BROKERS [-F FILE] [-X "
	      "key=value]\n"
	      "       ordertop groups [GROUP...] [--group NAME]       -b ...\n"
	      "       ordertop messages TOPIC [--from START] [--partition P] [--limit N] -b ...\n"
	      "       ordertop redrive [--where JQ] [--transform JQ] [--limit N] [--execute] -b "
	      "...\n"
	      "       ordertop reset-offsets GROUP --to earliest|latest|TIME|OFFSET\n"
	      "                              [--partitions LIST] [--execute] -b ...\n"
	      "All take --json (for scripts) and --timeout SEC (each request, default 10).\n"
	      "START and TIME: beginning, end, an offset, 2026-12-01T10:00[:SS][Z], @MS, or\n"
	      "-15m (s, m, h, d before now).  LIST: P, TOPIC or TOPIC:P, comma-separated.\n"
	      "redrive and reset-offsets are dry runs unless --execute is given.\n",
	      out);
}

/* ---- output helpers ---- */

/* Untrusted bytes as terminal-safe text (static buffer: one use at a time). */
static const char *
safe(const void *p, size_t n, int cols)
{
	static char buf[4][8192];
	static int at;
	char *b = buf[at++ & 3];
	if (p == NULL)
		return "-";
	text_sanitize(b, sizeof buf[0], p, n, cols);
	return b;
}

static const char *
safe_str(const char *s)
{
	return safe(s, s ? strlen(s) : 0, -1);
}

static void
json_bytes(struct json_writer *w, const void *p, size_t n)
{
	if (p == NULL) {
		json_raw(w, "null");
		return;
	}
	char *tmp = malloc(3 * n + 1);
	if (tmp == NULL) {
		json_raw(w, "null");
		return;
	}
	size_t len = text_utf8_repair(tmp, p, n);
	tmp[len] = '\0';
	json_string(w, tmp, len + 1);
	free(tmp);
}

static void
json_text(struct json_writer *w, const char *s)
{
	json_bytes(w, s, s ? strlen(s) : 0);
}

static void
json_print(struct json_writer *w)
{
	char *text = json_writer_finish(w);
	if (text) {
		puts(text);
		free(text);
	}
}

static void
fmt_count(char *buf, size_t len, int64_t v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRId64, v);
}

/* 850 ms → "0.9s", 125 s → "2m05s", 2 h → "2h00m". */
static void
fmt_age(char *buf, size_t len, int64_t ms)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 60000)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else if (ms < 3600000)
		snprintf(buf, len, "%" PRId64 "m%02" PRId64 "s", ms / 60000, ms / 1000 % 60);
	else
		snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", ms / 3600000, ms / 60000 % 60);
}

static void
fmt_time(char *buf, size_t len, int64_t ms)
{
	if (ms < 0) {
		snprintf(buf, len, "-");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03dZ", (int)(ms % 1000));
}

/* ---- topics ---- */

static void
print_ids(const int32_t *ids, int n)
{
	for (int i = 0; i < n; i++)
		printf("%s%" PRId32, i ? "," : "", ids[i]);
	if (n == 0)
		printf("-");
}

static int
cmd_topics(struct explore_cluster *c, const struct explore_opts *o, const char *topic)
{
	struct explore_topic_list l;
	char err[1024];
	unsigned flags = EXPLORE_TOPICS_CONFIGS | (o->all || topic ? EXPLORE_TOPICS_INTERNAL : 0);
	if (explore_topics_list(c, topic, flags, &l, err, sizeof err) < 0) {
		log_print_error("ordertop topics", err);
		return 1;
	}
	if (o->json) {
		struct json_writer w;
		json_writer_init(&w);
		json_object_begin(&w);
		json_key(&w, "configs_known");
		json_bool(&w, l.configs_known);
		json_key(&w, "note");
		json_text(&w, l.note);
		json_key(&w, "topics");
		json_array_begin(&w);
		for (size_t i = 0; i < l.n; i++) {
			const struct explore_topic *t = &l.topics[i];
			json_object_begin(&w);
			json_key(&w, "name");
			json_text(&w, t->name);
			json_key(&w, "internal");
			json_bool(&w, t->internal);
			json_key(&w, "replication_factor");
			json_int(&w, t->replication_factor);
			json_key(&w, "records");
			json_int(&w, t->records);
			json_key(&w, "under_replicated");
			json_int(&w, t->under_replicated);
			json_key(&w, "partitions");
			json_array_begin(&w);
			for (int k = 0; k < t->n_partitions; k++) {
				const struct explore_partition *p = &t->partitions[k];
				json_object_begin(&w);
				json_key(&w, "partition");
				json_int(&w, p->id);
				json_key(&w, "leader");
				json_int(&w, p->leader);
				json_key(&w, "replicas");
				json_array_begin(&w);
				for (int r = 0; r < p->n_replicas; r++)
					json_int(&w, p->replicas[r]);
				json_array_end(&w);
				json_key(&w, "isr");
				json_array_begin(&w);
				for (int r = 0; r < p->n_isr; r++)
					json_int(&w, p->isr[r]);
				json_array_end(&w);
				json_key(&w, "under_replicated");
				json_bool(&w, p->under_replicated);
				json_key(&w, "low");
				json_int(&w, p->low);
				json_key(&w, "high");
				json_int(&w, p->high);
				json_key(&w, "records");
				json_int(&w, p->records);
				json_object_end(&w);
			}
			json_array_end(&w);
			json_key(&w, "configs");
			json_object_begin(&w);
			for (int k = 0; k < t->n_configs; k++) {
				json_key(&w, t->configs[k].name);
				json_text(&w, t->configs[k].value);
			}
			json_object_end(&w);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		json_print(&w);
	} else {
		printf("%-40s %10s %3s %12s %s\n", "TOPIC", "PARTITIONS", "RF", "RECORDS",
		       "UNDER-REPLICATED");
		for (size_t i = 0; i < l.n; i++) {
			const struct explore_topic *t = &l.topics[i];
			char rec[32];
			fmt_count(rec, sizeof rec, t->records);
			printf("%-40s %10d %3d %12s %d%s\n", safe_str(t->name), t->n_partitions,
			       t->replication_factor, rec, t->under_replicated,
			       t->under_replicated ? " !" : "");
			for (int k = 0; k < t->n_partitions; k++) {
				const struct explore_partition *p = &t->partitions[k];
				char lo[32], hi[32], n[32];
				fmt_count(lo, sizeof lo, p->low);
				fmt_count(hi, sizeof hi, p->high);
				fmt_count(n, sizeof n, p->records);
				printf("  partition %-4" PRId32 " leader %-3" PRId32 " replicas ",
				       p->id, p->leader);
				print_ids(p->replicas, p->n_replicas);
				printf(" isr ");
				print_ids(p->isr, p->n_isr);
				printf(" low %s high %s records %s%s\n", lo, hi, n,
				       p->under_replicated ? "  UNDER-REPLICATED" : "");
			}
			for (int k = 0; k < t->n_configs; k++)
				if (!t->configs[k].is_default || topic)
					printf("  config %s=%s\n", safe_str(t->configs[k].name),
					       t->configs[k].sensitive
						       ? "(sensitive)"
						       : safe_str(t->configs[k].value));
		}
		if (l.note[0])
			printf("note: %s\n", safe_str(l.note));
	}
	explore_topic_list_free(&l);
	return 0;
}

/* ---- groups ---- */

static int
cmd_groups(struct explore_cluster *c, const struct explore_opts *o, char **words, int n_words)
{
	const char *names[MAX_GROUPS + MAX_WORDS];
	size_t n = 0;
	char err[1024];
	for (int i = 0; i < n_words; i++)
		names[n++] = words[i];
	for (size_t i = 0; i < o->n_groups; i++)
		names[n++] = o->groups[i];
	struct explore_group_list l;
	unsigned flags = EXPLORE_GROUPS_LAG_TIME | (n_words > 0 ? EXPLORE_GROUPS_ONLY_NAMED : 0);
	if (explore_groups_list(c, names, n, flags, &l, err, sizeof err) < 0) {
		log_print_error("ordertop groups", err);
		return 1;
	}
	if (o->json) {
		struct json_writer w;
		json_writer_init(&w);
		json_object_begin(&w);
		json_key(&w, "limited");
		json_bool(&w, l.limited);
		json_key(&w, "note");
		json_text(&w, l.note);
		json_key(&w, "groups");
		json_array_begin(&w);
		for (size_t i = 0; i < l.n; i++) {
			const struct explore_group *g = &l.groups[i];
			json_object_begin(&w);
			json_key(&w, "name");
			json_text(&w, g->name);
			json_key(&w, "described");
			json_bool(&w, g->described);
			json_key(&w, "state");
			json_text(&w, g->described ? g->state : NULL);
			json_key(&w, "lag");
			json_int(&w, g->lag);
			json_key(&w, "lag_ms");
			json_int(&w, g->lag_ms);
			json_key(&w, "error");
			json_text(&w, g->error[0] ? g->error : NULL);
			json_key(&w, "members");
			json_array_begin(&w);
			for (int m = 0; m < g->n_members; m++) {
				const struct explore_member *mb = &g->members[m];
				json_object_begin(&w);
				json_key(&w, "member_id");
				json_text(&w, mb->member_id);
				json_key(&w, "client_id");
				json_text(&w, mb->client_id);
				json_key(&w, "host");
				json_text(&w, mb->host);
				json_key(&w, "assigned");
				json_array_begin(&w);
				for (int k = 0; k < mb->n_assigned; k++) {
					json_object_begin(&w);
					json_key(&w, "topic");
					json_text(&w, mb->assigned[k].topic);
					json_key(&w, "partition");
					json_int(&w, mb->assigned[k].partition);
					json_object_end(&w);
				}
				json_array_end(&w);
				json_object_end(&w);
			}
			json_array_end(&w);
			json_key(&w, "partitions");
			json_array_begin(&w);
			for (int k = 0; k < g->n_partitions; k++) {
				const struct explore_group_partition *p = &g->partitions[k];
				json_object_begin(&w);
				json_key(&w, "topic");
				json_text(&w, p->topic);
				json_key(&w, "partition");
				json_int(&w, p->partition);
				json_key(&w, "committed");
				json_int(&w, p->committed);
				json_key(&w, "end");
				json_int(&w, p->end);
				json_key(&w, "lag");
				json_int(&w, p->lag);
				json_key(&w, "lag_ms");
				json_int(&w, p->lag_ms);
				json_key(&w, "owner");
				json_text(&w, p->owner);
				json_object_end(&w);
			}
			json_array_end(&w);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		json_print(&w);
	} else {
		printf("%-36s %-20s %7s %10s %9s\n", "GROUP", "STATE", "MEMBERS", "LAG",
		       "LAG-TIME");
		for (size_t i = 0; i < l.n; i++) {
			const struct explore_group *g = &l.groups[i];
			char age[32], members[16];
			fmt_age(age, sizeof age, g->lag_ms);
			snprintf(members, sizeof members, "%d", g->n_members);
			printf("%-36s %-20s %7s %10" PRId64 " %9s\n", safe_str(g->name),
			       g->described ? safe_str(g->state) : "unknown",
			       g->described ? members : "-", g->lag, age);
			if (g->error[0])
				printf("  %s\n", safe_str(g->error));
			if (g->n_members)
				printf("  %-32s %-24s %s\n", "MEMBER (CLIENT ID)", "HOST",
				       "PARTITIONS");
			for (int m = 0; m < g->n_members; m++) {
				const struct explore_member *mb = &g->members[m];
				char parts[4096];
				explore_tp_compact(mb->assigned, mb->n_assigned, parts,
						   sizeof parts);
				printf("  %-32s %-24s %s\n", safe_str(mb->client_id),
				       safe_str(mb->host), safe_str(parts));
			}
			if (g->n_partitions)
				printf("  %-32s %9s %12s %12s %10s %9s %s\n", "TOPIC", "PARTITION",
				       "COMMITTED", "END", "LAG", "LAG-TIME", "OWNER");
			for (int k = 0; k < g->n_partitions; k++) {
				const struct explore_group_partition *p = &g->partitions[k];
				char cm[32], end[32], lag[32];
				fmt_count(cm, sizeof cm, p->committed);
				fmt_count(end, sizeof end, p->end);
				fmt_count(lag, sizeof lag, p->lag);
				fmt_age(age, sizeof age, p->lag_ms);
				printf("  %-32s %9" PRId32 " %12s %12s %10s %9s %s\n",
				       safe_str(p->topic), p->partition, cm, end, lag, age,
				       p->owner ? safe_str(p->owner) : "-");
			}
		}
		if (l.note[0])
			printf("note: %s\n", safe_str(l.note));
	}
	explore_group_list_free(&l);
	return 0;
}

/* ---- messages ---- */

static void
record_json(struct json_writer *w, const struct explore_record *r)
{
	json_object_begin(w);
	json_key(w, "topic");
	json_text(w, r->topic);
	json_key(w, "partition");
	json_int(w, r->partition);
	json_key(w, "offset");
	json_int(w, r->offset);
	json_key(w, "timestamp_ms");
	json_int(w, r->timestamp_ms);
	json_key(w, "key");
	json_bytes(w, r->key, r->key_len);
	json_key(w, "headers");
	json_array_begin(w);
	for (size_t i = 0; i < r->n_headers; i++) {
		json_array_begin(w);
		json_text(w, r->headers[i].name);
		json_bytes(w, r->headers[i].value, r->headers[i].len);
		json_array_end(w);
	}
	json_array_end(w);
	json_key(w, "value");
	json_bytes(w, r->value, r->value_len);
	json_object_end(w);
}

static void
record_text(const struct explore_record *r)
{
	char ts[40];
	fmt_time(ts, sizeof ts, r->timestamp_ms);
	printf("%" PRId32 "@%" PRId64 "  %s  key %s", r->partition, r->offset, ts,
	       safe(r->key, r->key_len, -1));
	for (size_t i = 0; i < r->n_headers; i++)
		printf("%s%s=%s", i ? ", " : "  headers ", safe_str(r->headers[i].name),
		       safe(r->headers[i].value, r->headers[i].len, -1));
	printf("\n  %s\n", safe(r->value, r->value_len, -1));
}

static int
cmd_messages(struct explore_cluster *c, const struct explore_opts *o, const char *topic)
{
	struct explore_start start;
	char err[1024];
	if (explore_start_parse(o->from ? o->from : "beginning", now_ms(), &start, err,
				sizeof err) < 0) {
		fprintf(stderr, "ordertop messages: --from: %s\n", err);
		return 2;
	}
	struct explore_reader *rd =
		explore_reader_open(c, topic, o->partition, &start, false, err, sizeof err);
	if (rd == NULL) {
		log_print_error("ordertop messages", err);
		return 1;
	}
	struct explore_record r = { 0 };
	long n = 0;
	int got = 0;
	while (n < o->limit &&
	       (got = explore_reader_next(rd, &r, explore_cluster_timeout_ms(c), err, sizeof err)) >
		       0) {
		n++;
		if (o->json) {
			struct json_writer w;
			json_writer_init(&w);
			record_json(&w, &r);
			json_print(&w);
		} else {
			record_text(&r);
		}
	}
	explore_record_clear(&r);
	explore_reader_close(rd);
	if (got < 0) {
		log_print_error("ordertop messages", err);
		return 1;
	}
	if (!o->json)
		printf("(%ld record%s)\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- redrive ---- */

static int
cmd_redrive(struct explore_cluster *c, const struct explore_opts *o)
{
	const struct config *cfg = explore_cluster_config(c);
	struct explore_redrive_opts ro = { .where = o->where,
					   .transform = o->transform,
					   .max_items = o->limit > 0 ? (size_t)o->limit : 0 };
	struct explore_redrive_plan plan;
	char err[1024];
	if (explore_redrive_plan(c, cfg->topics[TOPIC_DLQ], &ro, &plan, err, sizeof err) < 0) {
		log_print_error("ordertop redrive", err);
		return strncmp(err, "jq:", 3) == 0 ? 2 : 1;
	}
	int rc = 0;
	if (o->execute && (rc = explore_redrive_execute(c, &plan, err, sizeof err)) < 0)
		log_print_error("ordertop redrive", err);
	if (o->json) {
		struct json_writer w;
		json_writer_init(&w);
		json_object_begin(&w);
		json_key(&w, "dlq");
		json_text(&w, plan.dlq);
		json_key(&w, "executed");
		json_bool(&w, o->execute && rc == 0);
		json_key(&w, "scanned");
		json_int(&w, (long long)plan.scanned);
		json_key(&w, "matched");
		json_int(&w, (long long)plan.matched);
		json_key(&w, "ready");
		json_int(&w, (long long)plan.ready);
		json_key(&w, "done_before");
		json_int(&w, (long long)plan.done_before);
		json_key(&w, "skipped");
		json_int(&w, (long long)plan.skipped);
		json_key(&w, "truncated");
		json_bool(&w, plan.truncated);
		json_key(&w, "items");
		json_array_begin(&w);
		for (size_t i = 0; i < plan.n; i++) {
			const struct explore_redrive_item *it = &plan.items[i];
			json_object_begin(&w);
			json_key(&w, "source");
			json_text(&w, it->source);
			json_key(&w, "target");
			json_text(&w, it->target);
			json_key(&w, "status");
			json_text(&w, explore_redrive_status_name(it->status));
			json_key(&w, "reason");
			json_text(&w, it->reason);
			json_key(&w, "note");
			json_text(&w, it->note[0] ? it->note : NULL);
			json_key(&w, "key");
			json_bytes(&w, it->key, it->key_len);
			json_key(&w, "value");
			json_bytes(&w, it->value, it->value_len);
			json_key(&w, "headers");
			json_array_begin(&w);
			for (size_t k = 0; k < it->n_headers; k++) {
				json_array_begin(&w);
				json_text(&w, it->headers[k].name);
				json_bytes(&w, it->headers[k].value, it->headers[k].len);
				json_array_end(&w);
			}
			json_array_end(&w);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		json_print(&w);
	} else {
		for (size_t i = 0; i < plan.n; i++) {
			const struct explore_redrive_item *it = &plan.items[i];
			printf("%s -> %s  %s", safe_str(it->source),
			       it->target ? safe_str(it->target) : "?",
			       explore_redrive_status_name(it->status));
			if (it->note[0])
				printf("  (%s)", safe_str(it->note));
			printf("\n  reason %s\n  key %s value %s\n", safe_str(it->reason),
			       safe(it->key, it->key_len, -1), safe(it->value, it->value_len, 200));
			for (size_t k = 0; k < it->n_headers; k++)
				printf("%s%s=%s", k ? ", " : "  headers ",
				       safe_str(it->headers[k].name),
				       safe(it->headers[k].value, it->headers[k].len, -1));
			if (it->n_headers)
				printf("\n");
		}
		printf("%zu dead letter(s) in %s, %zu matched, %zu to re-drive, %zu re-driven "
		       "before (skipped), %zu skipped%s\n",
		       plan.scanned, safe_str(plan.dlq), plan.matched, plan.ready, plan.done_before,
		       plan.skipped, plan.truncated ? " (plan cut at --limit)" : "");
		if (!o->execute)
			printf("dry run: nothing sent; add --execute to re-drive\n");
		else if (rc == 0 && plan.ready == 0)
			printf("nothing to re-drive\n");
		else if (rc == 0)
			printf("re-drove %zu record(s) in one transaction\n", plan.ready);
	}
	explore_redrive_plan_free(&plan);
	return rc < 0 ? 1 : 0;
}

/* ---- reset-offsets ---- */

static int
cmd_reset(struct explore_cluster *c, const struct explore_opts *o, const char *group)
{
	struct explore_start to;
	char err[1024], what[96];
	if (explore_start_parse(o->to, now_ms(), &to, err, sizeof err) < 0) {
		fprintf(stderr, "ordertop reset-offsets: --to: %s\n", err);
		return 2;
	}
	struct explore_reset_plan plan;
	if (explore_reset_plan(c, group, &to, o->partitions, &plan, err, sizeof err) < 0) {
		log_print_error("ordertop reset-offsets", err);
		return strncmp(err, "--partitions", 12) == 0 ? 2 : 1;
	}
	int rc = 0;
	if (o->execute && (rc = explore_reset_execute(c, &plan, err, sizeof err)) < 0)
		log_print_error("ordertop reset-offsets", err);
	explore_start_text(&to, what, sizeof what);
	if (o->json) {
		struct json_writer w;
		json_writer_init(&w);
		json_object_begin(&w);
		json_key(&w, "group");
		json_text(&w, plan.group);
		json_key(&w, "to");
		json_text(&w, what);
		json_key(&w, "executed");
		json_bool(&w, o->execute && rc == 0);
		json_key(&w, "members_known");
		json_bool(&w, plan.members_known);
		json_key(&w, "members");
		json_text(&w, plan.members);
		json_key(&w, "partitions");
		json_array_begin(&w);
		for (size_t i = 0; i < plan.n; i++) {
			const struct explore_reset_row *r = &plan.rows[i];
			json_object_begin(&w);
			json_key(&w, "topic");
			json_text(&w, r->topic);
			json_key(&w, "partition");
			json_int(&w, r->partition);
			json_key(&w, "current");
			json_int(&w, r->current);
			json_key(&w, "target");
			json_int(&w, r->target);
			json_key(&w, "low");
			json_int(&w, r->low);
			json_key(&w, "high");
			json_int(&w, r->high);
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
		json_print(&w);
	} else {
		printf("group %s to %s\n", safe_str(plan.group), what);
		printf("  %-32s %9s %12s %12s %12s %12s\n", "TOPIC", "PARTITION", "CURRENT",
		       "TARGET", "LOW", "HIGH");
		for (size_t i = 0; i < plan.n; i++) {
			const struct explore_reset_row *r = &plan.rows[i];
			char cur[32];
			fmt_count(cur, sizeof cur, r->current);
			printf("  %-32s %9" PRId32 " %12s %12" PRId64 " %12" PRId64 " %12" PRId64
			       "\n",
			       safe_str(r->topic), r->partition, cur, r->target, r->low, r->high);
		}
		if (!plan.members_known)
			printf("note: the embedded broker cannot list a group's members: stop its "
			       "consumers before --execute\n");
		else if (plan.n_members > 0)
			printf("group %s has %d active member(s): %s (a reset is refused while "
			       "it has)\n",
			       safe_str(plan.group), plan.n_members, safe_str(plan.members));
		if (!o->execute)
			printf("dry run: nothing changed; add --execute to commit\n");
		else if (rc == 0)
			printf("committed %zu offset(s) for group %s\n", plan.n,
			       safe_str(plan.group));
	}
	explore_reset_plan_free(&plan);
	return rc < 0 ? 1 : 0;
}

/* ---- the command line ---- */

/* The explorer's own flags; the rest go to config_parse_args.  1 taken
 * (*i moved past its value), 0 not ours, -1 bad. */
static int
take_flag(struct explore_opts *o, int argc, char **argv, int *i, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		bool has_arg;
	} flags[] = {
		{ "--json", false },      { "--execute", false },  { "--all", false },
		{ "--where", true },      { "--transform", true }, { "--to", true },
		{ "--partitions", true }, { "--from", true },      { "--partition", true },
		{ "--limit", true },      { "--group", true },
	};
	const char *a = argv[*i];
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		size_t nl = strlen(flags[f].name);
		if (strncmp(a, flags[f].name, nl) != 0 || (a[nl] != '\0' && a[nl] != '='))
			continue;
		const char *v = NULL;
		if (flags[f].has_arg) {
			if (a[nl] == '=')
				v = a + nl + 1;
			else if (*i + 1 < argc)
				v = argv[++*i];
			else {
				snprintf(err, errlen, "%s: missing argument", flags[f].name);
				return -1;
			}
		} else if (a[nl] == '=') {
			snprintf(err, errlen, "%s takes no value", flags[f].name);
			return -1;
		}
		char *end;
		const char *n = flags[f].name;
		if (strcmp(n, "--json") == 0)
			o->json = true;
		else if (strcmp(n, "--execute") == 0)
			o->execute = true;
		else if (strcmp(n, "--all") == 0)
			o->all = true;
		else if (strcmp(n, "--where") == 0)
			o->where = v;
		else if (strcmp(n, "--transform") == 0)
			o->transform = v;
		else if (strcmp(n, "--to") == 0)
			o->to = v;
		else if (strcmp(n, "--partitions") == 0)
			o->partitions = v;
		else if (strcmp(n, "--from") == 0)
			o->from = v;
		else if (strcmp(n, "--group") == 0) {
			if (o->n_groups == MAX_GROUPS) {
				snprintf(err, errlen, "--group: at most %d", MAX_GROUPS);
				return -1;
			}
			o->groups[o->n_groups++] = v;
		} else if (strcmp(n, "--partition") == 0) {
			long p = strtol(v, &end, 10);
			if (*v == '\0' || *end || p < 0 || p > INT32_MAX) {
				snprintf(err, errlen,
					 "--partition: '%.32s' is not a partition number", v);
				return -1;
			}
			o->partition = (int32_t)p;
		} else if (strcmp(n, "--limit") == 0) {
			o->limit = strtol(v, &end, 10);
			if (*v == '\0' || *end || o->limit < 1) {
				snprintf(err, errlen,
					 "--limit: '%.32s' is not a count of 1 or more", v);
				return -1;
			}
		}
		return 1;
	}
	return 0;
}

int
explore_cmd_main(int argc, char **argv)
{
	const char *verb = argv[1];
	char *words[MAX_WORDS];
	char *rest[argc + 1];
	int n_words = 0, nrest = 0;
	char err[1024];
	struct explore_opts o = { .partition = -1, .limit = 100 };
	char prefix[64];
	snprintf(prefix, sizeof prefix, "ordertop %s", verb);

	rest[nrest++] = argv[0];
	int i = 2;
	for (; i < argc && argv[i][0] != '-'; i++) {
		if (n_words == MAX_WORDS) {
			usage(stderr);
			return 2;
		}
		words[n_words++] = argv[i];
	}
	for (; i < argc; i++) {
		int t = take_flag(&o, argc, argv, &i, err, sizeof err);
		if (t < 0) {
			fprintf(stderr, "%s: %s\n", prefix, err);
			return 2;
		}
		if (t == 0)
			rest[nrest++] = argv[i];
	}
	rest[nrest] = NULL;

	bool ok = strcmp(verb, "topics") == 0        ? n_words <= 1
		: strcmp(verb, "groups") == 0        ? true
		: strcmp(verb, "messages") == 0      ? n_words == 1
		: strcmp(verb, "redrive") == 0       ? n_words == 0
		: strcmp(verb, "reset-offsets") == 0 ? n_words == 1 && o.to != NULL
						     : false;
	if (!ok) {
		usage(stderr);
		return 2;
	}

	struct config cfg;
	config_init(&cfg);
	int rc = config_parse_args(&cfg, nrest, rest, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "%s: %s\n", prefix, err);
		else
			usage(stdout);
		config_free(&cfg);
		return rc < 0 ? 2 : 0;
	}
	if (cfg.brokers == NULL) {
		fprintf(stderr,
			"%s: needs --brokers: an embedded cluster lives inside its own ordertop "
			"process (start that one with --bootstrap-file FILE and pass -b \"$(cat "
			"FILE)\")\n",
			prefix);
		config_free(&cfg);
		return 2;
	}
	if (cfg.read_only && o.execute) {
		config_read_only_text(prefix, err, sizeof err);
		fprintf(stderr, "%s (the dry run, without --execute, is allowed)\n", err);
		config_free(&cfg);
		return 1;
	}
	log_set_level(cfg.log_level < LOG_INFO ? cfg.log_level : LOG_ERROR);
	o.timeout_s = cfg.timeout > 0 ? cfg.timeout : 10; /* --timeout: each request */

	struct explore_cluster *c =
		explore_cluster_open(&cfg, cfg.brokers, (int)(o.timeout_s * 1000), err, sizeof err);
	if (c == NULL) {
		log_print_error(prefix, err);
		config_free(&cfg);
		return 1;
	}
	if (strcmp(verb, "topics") == 0)
		rc = cmd_topics(c, &o, n_words ? words[0] : NULL);
	else if (strcmp(verb, "groups") == 0)
		rc = cmd_groups(c, &o, words, n_words);
	else if (strcmp(verb, "messages") == 0)
		rc = cmd_messages(c, &o, words[0]);
	else if (strcmp(verb, "redrive") == 0)
		rc = cmd_redrive(c, &o);
	else
		rc = cmd_reset(c, &o, words[0]);
	explore_cluster_close(c);
	config_free(&cfg);
	return rc;
}
