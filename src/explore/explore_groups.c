/*
 * explore_groups.c — consumer groups, their members and their lag.  See
 * explore_groups.h.  Every request is one round trip for all groups: the
 * groups' offsets are asked for at once (one request per group, librdkafka
 * takes one group per ListConsumerGroupOffsets) and the end offsets of
 * all their partitions in one ListOffsets.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "explore_groups.h"
#include "explore_peek.h"

int64_t
explore_lag(int64_t committed, int64_t end)
{
	if (committed < 0 || end < 0)
		return -1;
	return end > committed ? end - committed : 0;
}

size_t
explore_own_groups(const struct config *cfg, char names[][128], size_t n)
{
	static const char *const roles[] = { "fraud", "notifier" };
	size_t k = 0;
	for (; k < n && k < sizeof roles / sizeof *roles; k++)
		snprintf(names[k], 128, "%s-%s", cfg->group_prefix, roles[k]);
	return k;
}

static int
cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct explore_group *)a)->name,
		      ((const struct explore_group *)b)->name);
}

static int
cmp_gpart(const void *a, const void *b)
{
	const struct explore_group_partition *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);
	return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static int
cmp_tp(const void *a, const void *b)
{
	const struct explore_tp *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);
	return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

char *
explore_tp_compact(const struct explore_tp *tp, int n, char *buf, size_t len)
{
	size_t at = 0;
	bool cut = false;
	struct explore_tp *v = n > 0 ? malloc((size_t)n * sizeof *v) : NULL;
	if (len == 0)
		goto out;
	snprintf(buf, len, "-");
	if (v == NULL)
		goto out;
	memcpy(v, tp, (size_t)n * sizeof *v);
	qsort(v, (size_t)n, sizeof *v, cmp_tp);
	for (int i = 0; i < n && !cut;) {
		bool first = i == 0 || strcmp(v[i].topic, v[i - 1].topic) != 0;
		int j = i; /* v[i..j]: a run of consecutive partitions */
		while (j + 1 < n && strcmp(v[j + 1].topic, v[i].topic) == 0 &&
		       v[j + 1].partition <= v[j].partition + 1)
			j++;
		bool last = j + 1 >= n || strcmp(v[j + 1].topic, v[i].topic) != 0;
		int w;
		if (v[j].partition != v[i].partition)
			w = snprintf(buf + at, len - at, "%s%s%s%" PRId32 "-%" PRId32 "%s",
				     first && at ? " " : "", first ? v[i].topic : "",
				     first ? "[" : ",", v[i].partition, v[j].partition,
				     last ? "]" : "");
		else
			w = snprintf(buf + at, len - at, "%s%s%s%" PRId32 "%s",
				     first && at ? " " : "", first ? v[i].topic : "",
				     first ? "[" : ",", v[i].partition, last ? "]" : "");
		if (w < 0 || (size_t)w >= len - at)
			cut = true;
		else
			at += (size_t)w;
		i = j + 1;
	}
	if (cut)
		snprintf(buf + (len > 4 ? len - 4 : 0), len > 4 ? 4 : len, "%s",
			 len > 4 ? "..." : "");
out:
	free(v);
	return buf;
}

struct explore_group *
explore_group_find(struct explore_group_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->groups[i].name, name) == 0)
			return &l->groups[i];
	return NULL;
}

static void
group_free(struct explore_group *g)
{
	for (int m = 0; m < g->n_members; m++) {
		struct explore_member *mb = &g->members[m];
		for (int k = 0; k < mb->n_assigned; k++)
			free(mb->assigned[k].topic);
		free(mb->assigned);
		free(mb->member_id);
		free(mb->client_id);
		free(mb->host);
	}
	free(g->members);
	for (int k = 0; k < g->n_partitions; k++)
		free(g->partitions[k].topic);
	free(g->partitions);
	free(g->name);
}

void
explore_group_list_free(struct explore_group_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		group_free(&l->groups[i]);
	free(l->groups);
	memset(l, 0, sizeof *l);
}

static struct explore_group *
add_group(struct explore_group_list *l, size_t *cap, const char *name)
{
	struct explore_group *g = explore_group_find(l, name);
	if (g != NULL)
		return g;
	if (l->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct explore_group *ng = realloc(l->groups, nc * sizeof *ng);
		if (ng == NULL)
			return NULL;
		l->groups = ng;
		*cap = nc;
	}
	g = &l->groups[l->n];
	memset(g, 0, sizeof *g);
	if ((g->name = strdup(name)) == NULL)
		return NULL;
	g->lag_ms = -1;
	l->n++;
	return g;
}

static struct explore_group_partition *
add_partition(struct explore_group *g, const char *topic, int32_t partition, int64_t committed)
{
	for (int k = 0; k < g->n_partitions; k++)
		if (g->partitions[k].partition == partition &&
		    strcmp(g->partitions[k].topic, topic) == 0)
			return &g->partitions[k];
	struct explore_group_partition *np =
		realloc(g->partitions, ((size_t)g->n_partitions + 1) * sizeof *np);
	if (np == NULL)
		return NULL;
	g->partitions = np;
	struct explore_group_partition *p = &np[g->n_partitions];
	memset(p, 0, sizeof *p);
	if ((p->topic = strdup(topic)) == NULL)
		return NULL;
	p->partition = partition;
	p->committed = committed;
	p->end = p->lag = p->lag_ms = -1;
	g->n_partitions++;
	return p;
}

/* ListConsumerGroups: every group's name (the cluster is not limited). */
static int
list_names(struct explore_cluster *c, struct explore_group_list *l, size_t *cap, char *err,
	   size_t errlen)
{
	rd_kafka_t *rk = explore_cluster_handle(c);
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
	rd_kafka_ListConsumerGroups(rk, o, q);
	rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
	int rc = 0;
	if (ev == NULL || rd_kafka_event_error(ev)) {
		snprintf(err, errlen, "ListConsumerGroups: %s",
			 ev ? rd_kafka_event_error_string(ev) : "no answer in time");
		rc = -1;
	} else {
		size_t n = 0;
		const rd_kafka_ConsumerGroupListing_t **v =
			rd_kafka_ListConsumerGroups_result_valid(
				rd_kafka_event_ListConsumerGroups_result(ev), &n);
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct explore_group *g =
				add_group(l, cap, rd_kafka_ConsumerGroupListing_group_id(v[i]));
			if (g == NULL) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			}
		}
	}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	return rc;
}

static void
take_member(struct explore_member *mb, const rd_kafka_MemberDescription_t *d)
{
	mb->member_id = strdup(rd_kafka_MemberDescription_consumer_id(d));
	mb->client_id = strdup(rd_kafka_MemberDescription_client_id(d));
	mb->host = strdup(rd_kafka_MemberDescription_host(d));
	const rd_kafka_topic_partition_list_t *a =
		rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(d));
	if (a == NULL || a->cnt == 0)
		return;
	mb->assigned = calloc((size_t)a->cnt, sizeof *mb->assigned);
	if (mb->assigned == NULL)
		return;
	for (int k = 0; k < a->cnt; k++) {
		mb->assigned[mb->n_assigned].topic = strdup(a->elems[k].topic);
		mb->assigned[mb->n_assigned].partition = a->elems[k].partition;
		if (mb->assigned[mb->n_assigned].topic)
			mb->n_assigned++;
	}
	qsort(mb->assigned, (size_t)mb->n_assigned, sizeof *mb->assigned, cmp_tp);
}

/* DescribeConsumerGroups for every group in l (never on a limited cluster:
 * it breaks the handle there). */
static int
describe(struct explore_cluster *c, struct explore_group_list *l, char *err, size_t errlen)
{
	if (l->n == 0)
		return 0;
	rd_kafka_t *rk = explore_cluster_handle(c);
	const char **names = calloc(l->n, sizeof *names);
	if (names == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < l->n; i++)
		names[i] = l->groups[i].name;
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
	rd_kafka_DescribeConsumerGroups(rk, names, l->n, o, q);
	rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
	int rc = 0;
	if (ev == NULL || rd_kafka_event_error(ev)) {
		snprintf(err, errlen, "DescribeConsumerGroups: %s",
			 ev ? rd_kafka_event_error_string(ev) : "no answer in time");
		rc = -1;
	} else {
		size_t n = 0;
		const rd_kafka_ConsumerGroupDescription_t **d =
			rd_kafka_DescribeConsumerGroups_result_groups(
				rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
		for (size_t i = 0; i < n; i++) {
			struct explore_group *g = explore_group_find(
				l, rd_kafka_ConsumerGroupDescription_group_id(d[i]));
			if (g == NULL)
				continue;
			const rd_kafka_error_t *ge = rd_kafka_ConsumerGroupDescription_error(d[i]);
			if (ge) {
				snprintf(g->error, sizeof g->error, "%s",
					 rd_kafka_error_string(ge));
				continue;
			}
			g->described = true;
			g->simple =
				rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d[i]);
			snprintf(g->state, sizeof g->state, "%s",
				 rd_kafka_consumer_group_state_name(
					 rd_kafka_ConsumerGroupDescription_state(d[i])));
			size_t nm = rd_kafka_ConsumerGroupDescription_member_count(d[i]);
			g->members = calloc(nm + 1, sizeof *g->members);
			if (g->members == NULL)
				continue;
			for (size_t m = 0; m < nm; m++)
				take_member(&g->members[g->n_members++],
					    rd_kafka_ConsumerGroupDescription_member(d[i], m));
		}
	}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	free(names);
	return rc;
}

/* Every partition of every topic but the internal ones: what a limited
 * cluster is asked for offsets on (it answers "all partitions" with none). */
static rd_kafka_topic_partition_list_t *
all_partitions(struct explore_cluster *c, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(explore_cluster_handle(c), 1, NULL, &md,
						  explore_cluster_timeout_ms(c));
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		return NULL;
	}
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(64);
	for (int i = 0; i < md->topic_cnt; i++) {
		if (strncmp(md->topics[i].topic, "__", 2) == 0)
			continue;
		for (int k = 0; k < md->topics[i].partition_cnt; k++)
			rd_kafka_topic_partition_list_add(parts, md->topics[i].topic,
							  md->topics[i].partitions[k].id);
	}
	rd_kafka_metadata_destroy(md);
	return parts;
}

/* ListConsumerGroupOffsets for every group, all requests sent at once. */
static int
fetch_offsets(struct explore_cluster *c, struct explore_group_list *l, char *err, size_t errlen)
{
	rd_kafka_t *rk = explore_cluster_handle(c);
	rd_kafka_topic_partition_list_t *every = NULL;
	if (l->n == 0)
		return 0;
	if (explore_cluster_limited(c) && (every = all_partitions(c, err, errlen)) == NULL)
		return -1;
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
	for (size_t i = 0; i < l->n; i++) {
		rd_kafka_ListConsumerGroupOffsets_t *req =
			rd_kafka_ListConsumerGroupOffsets_new(l->groups[i].name, every);
		rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, o, q);
		rd_kafka_ListConsumerGroupOffsets_destroy(req);
	}
	int rc = 0;
	for (size_t got = 0; got < l->n; got++) {
		rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
		if (ev == NULL) {
			snprintf(err, errlen, "ListConsumerGroupOffsets: no answer within %d ms",
				 explore_cluster_timeout_ms(c));
			rc = -1;
			break;
		}
		size_t n = 0;
		const rd_kafka_group_result_t **gr = NULL;
		if (!rd_kafka_event_error(ev))
			gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
				rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
		else
			snprintf(l->note, sizeof l->note, "ListConsumerGroupOffsets: %s",
				 rd_kafka_event_error_string(ev));
		for (size_t i = 0; i < n; i++) {
			struct explore_group *g =
				explore_group_find(l, rd_kafka_group_result_name(gr[i]));
			const rd_kafka_error_t *ge = rd_kafka_group_result_error(gr[i]);
			if (g == NULL)
				continue;
			if (ge) {
				snprintf(g->error, sizeof g->error, "%s",
					 rd_kafka_error_string(ge));
				continue;
			}
			const rd_kafka_topic_partition_list_t *p =
				rd_kafka_group_result_partitions(gr[i]);
			for (int k = 0; p && k < p->cnt; k++)
				if (p->elems[k].offset >= 0 && !p->elems[k].err)
					add_partition(g, p->elems[k].topic, p->elems[k].partition,
						      p->elems[k].offset);
		}
		rd_kafka_event_destroy(ev);
	}
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	if (every)
		rd_kafka_topic_partition_list_destroy(every);
	return rc;
}

/* Partitions assigned to a member but never committed, and each
 * partition's owner. */
static void
merge_assignments(struct explore_group *g)
{
	for (int m = 0; m < g->n_members; m++) {
		struct explore_member *mb = &g->members[m];
		for (int k = 0; k < mb->n_assigned; k++) {
			struct explore_group_partition *p = add_partition(
				g, mb->assigned[k].topic, mb->assigned[k].partition, -1);
			if (p)
				p->owner = mb->client_id;
		}
	}
}

static int
fill_lag(struct explore_cluster *c, struct explore_group_list *l, unsigned flags, char *err,
	 size_t errlen)
{
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(64);
	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; k < l->groups[i].n_partitions; k++)
			rd_kafka_topic_partition_list_add(parts, l->groups[i].partitions[k].topic,
							  l->groups[i].partitions[k].partition);
	size_t n = (size_t)parts->cnt + 1;
	int64_t *low = calloc(n, sizeof *low), *high = calloc(n, sizeof *high),
		*ts = calloc(n, sizeof *ts);
	int *at = calloc(n, sizeof *at);
	int rc = -1;
	if (!low || !high || !ts || !at) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (explore_cluster_watermarks(c, parts, low, high, err, errlen) < 0)
		goto out;
	/* the partitions that lag, at their committed offsets, to peek at */
	rd_kafka_topic_partition_list_t *behind = rd_kafka_topic_partition_list_new(16);
	int idx = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct explore_group *g = &l->groups[i];
		for (int k = 0; k < g->n_partitions; k++, idx++) {
			struct explore_group_partition *p = &g->partitions[k];
			p->end = high[idx];
			p->lag = explore_lag(p->committed, p->end);
			if (p->lag == 0)
				p->lag_ms = 0;
			if (p->lag > 0 && (flags & EXPLORE_GROUPS_LAG_TIME)) {
				at[behind->cnt] = idx;
				/* committed below the log start: the next record is the first */
				rd_kafka_topic_partition_list_add(behind, p->topic, p->partition)
					->offset =
					p->committed > low[idx] ? p->committed : low[idx];
			}
		}
	}
	int64_t now = now_ms();
	if (behind->cnt > 0 && explore_peek_timestamps(c, NULL, behind, ts, err, errlen) == 0) {
		for (int b = 0; b < behind->cnt; b++)
			high[at[b]] = ts[b] >= 0 ? (now > ts[b] ? now - ts[b] : 0) : ts[b];
	} else {
		for (int b = 0; b < behind->cnt; b++)
			high[at[b]] = -1;
	}
	idx = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct explore_group *g = &l->groups[i];
		for (int k = 0; k < g->n_partitions; k++, idx++) {
			struct explore_group_partition *p = &g->partitions[k];
			if (p->lag > 0 && (flags & EXPLORE_GROUPS_LAG_TIME)) {
				p->lag_ms = high[idx];
				/* nothing but transaction markers left: caught up */
				if (p->lag_ms == EXPLORE_PEEK_END)
					p->lag = p->lag_ms = 0;
			}
			if (p->lag > 0)
				g->lag += p->lag;
			if (p->lag_ms > g->lag_ms)
				g->lag_ms = p->lag_ms;
		}
	}
	rd_kafka_topic_partition_list_destroy(behind);
	rc = 0;
out:
	free(low);
	free(high);
	free(ts);
	free(at);
	rd_kafka_topic_partition_list_destroy(parts);
	return rc;
}

int
explore_groups_list(struct explore_cluster *c, const char *const *names, size_t n_names,
		    unsigned flags, struct explore_group_list *out, char *err, size_t errlen)
{
	size_t cap = 0;
	bool limited = explore_cluster_limited(c);
	char own[2][128];
	size_t n_own = 0;

	memset(out, 0, sizeof *out);
	out->limited = limited;
	if (!(flags & EXPLORE_GROUPS_ONLY_NAMED)) {
		if (!limited && list_names(c, out, &cap, err, errlen) < 0)
			goto fail;
		if (limited)
			n_own = explore_own_groups(explore_cluster_config(c), own, 2);
		for (size_t i = 0; i < n_own; i++)
			if (add_group(out, &cap, own[i]) == NULL)
				goto oom;
	}
	for (size_t i = 0; i < n_names; i++)
		if (add_group(out, &cap, names[i]) == NULL)
			goto oom;
	if (!limited && describe(c, out, err, errlen) < 0)
		goto fail;
	if (fetch_offsets(c, out, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < out->n; i++) {
		struct explore_group *g = &out->groups[i];
		merge_assignments(g);
		if (g->n_partitions > 1)
			qsort(g->partitions, (size_t)g->n_partitions, sizeof *g->partitions,
			      cmp_gpart);
		if (g->error[0] == '\0' && g->n_partitions == 0 &&
		    (limited || strcmp(g->state, "Dead") == 0))
			snprintf(g->error, sizeof g->error, "no committed offsets%s",
				 limited ? "" : " (no such group)");
	}
	/* On a limited cluster ordertop's own groups show only when they exist. */
	for (size_t i = 0; i < out->n;) {
		struct explore_group *g = &out->groups[i];
		bool named = false;
		for (size_t k = 0; k < n_names; k++)
			named |= strcmp(names[k], g->name) == 0;
		if (limited && !named && g->n_partitions == 0) {
			group_free(g);
			memmove(g, g + 1, (out->n - i - 1) * sizeof *g);
			out->n--;
		} else {
			i++;
		}
	}
	qsort(out->groups, out->n, sizeof *out->groups, cmp_group);
	if (fill_lag(c, out, flags, err, errlen) < 0)
		goto fail;
	if (limited)
		snprintf(out->note, sizeof out->note, "%s", EXPLORE_LIMITED_NOTE);
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	explore_group_list_free(out);
	return -1;
}
