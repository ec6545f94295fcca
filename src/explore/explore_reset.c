/*
 * explore_reset.c — planning and committing a consumer group's offset
 * reset.  See explore_reset.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explore_groups.h"
#include "explore_reset.h"
#include "explore_seek.h"

void
explore_reset_plan_free(struct explore_reset_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->rows[i].topic);
	free(p->rows);
	free(p->group);
	memset(p, 0, sizeof *p);
}

/* One item of the list: P, TOPIC or TOPIC:P; *part -1 for every partition. */
static int
parse_item(const char *item, size_t len, char *topic, size_t tlen, int32_t *part)
{
	const char *colon = memchr(item, ':', len);
	const char *num = colon ? colon + 1 : item;
	size_t nlen = colon ? len - (size_t)(num - item) : len;
	bool digits = nlen > 0 && nlen < 10;
	for (size_t i = 0; i < nlen; i++)
		digits &= isdigit((unsigned char)num[i]) != 0;
	topic[0] = '\0';
	if (colon) {
		if (!digits || colon == item || (size_t)(colon - item) >= tlen)
			return -1;
		snprintf(topic, tlen, "%.*s", (int)(colon - item), item);
		*part = (int32_t)strtol(num, NULL, 10);
	} else if (digits) {
		*part = (int32_t)strtol(num, NULL, 10);
	} else {
		if (len == 0 || len >= tlen)
			return -1;
		snprintf(topic, tlen, "%.*s", (int)len, item);
		*part = -1;
	}
	return 0;
}

int
explore_reset_list_takes(const char *list, const char *topic, int32_t p, bool committed, char *err,
			 size_t errlen)
{
	const char *s = list;
	int takes = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		char t[CONFIG_TOPIC_MAX + 1];
		int32_t part;
		if (parse_item(s, len, t, sizeof t, &part) < 0) {
			snprintf(
				err, errlen,
				"--partitions: '%.*s' is not P, TOPIC or TOPIC:P (comma-separated)",
				(int)(len > 64 ? 64 : len), s);
			return -1;
		}
		if (t[0] ? strcmp(t, topic) == 0 && (part < 0 || part == p)
			 : committed && part == p)
			takes = 1;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	return takes;
}

static int
add_row(struct explore_reset_plan *p, size_t *cap, const char *topic, int32_t part, int64_t current)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].partition == part && strcmp(p->rows[i].topic, topic) == 0)
			return 0;
	if (p->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct explore_reset_row *nr = realloc(p->rows, nc * sizeof *nr);
		if (nr == NULL)
			return -1;
		p->rows = nr;
		*cap = nc;
	}
	struct explore_reset_row *r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	if ((r->topic = strdup(topic)) == NULL)
		return -1;
	r->partition = part;
	r->current = current;
	p->n++;
	return 0;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct explore_reset_row *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);
	return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

/* Partitions of topics named in the list that the group has not committed. */
static int
add_named_topics(struct explore_cluster *c, struct explore_reset_plan *p, size_t *cap,
		 const char *list, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(explore_cluster_handle(c), 1, NULL, &md,
						  explore_cluster_timeout_ms(c));
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < md->topic_cnt && rc == 0; i++)
		for (int k = 0; k < md->topics[i].partition_cnt && rc == 0; k++) {
			int takes = explore_reset_list_takes(list, md->topics[i].topic,
							     md->topics[i].partitions[k].id, false,
							     err, errlen);
			if (takes < 0)
				rc = -1;
			else if (takes &&
				 add_row(p, cap, md->topics[i].topic,
					 md->topics[i].partitions[k].id, -1) < 0) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			}
		}
	rd_kafka_metadata_destroy(md);
	return rc;
}

/* The group's members and committed offsets. */
static int
look_at_group(struct explore_cluster *c, struct explore_reset_plan *p, size_t *cap,
	      const char *list, char *err, size_t errlen)
{
	struct explore_group_list gl;
	const char *names[1] = { p->group };
	if (explore_groups_list(c, names, 1, EXPLORE_GROUPS_ONLY_NAMED, &gl, err, errlen) < 0)
		return -1;
	int rc = 0;
	struct explore_group *g = explore_group_find(&gl, p->group);
	p->members_known = g && g->described;
	p->members[0] = '\0';
	p->n_members = 0;
	if (g && g->described) {
		snprintf(p->state, sizeof p->state, "%s", g->state);
		p->n_members = g->n_members;
		size_t at = 0;
		for (int m = 0; m < g->n_members && at < sizeof p->members; m++)
			at += (size_t)snprintf(p->members + at, sizeof p->members - at, "%s%s@%s",
					       m ? ", " : "", g->members[m].client_id,
					       g->members[m].host);
	}
	for (int k = 0; g && cap && k < g->n_partitions && rc == 0; k++) {
		const struct explore_group_partition *gp = &g->partitions[k];
		int takes = list ? explore_reset_list_takes(list, gp->topic, gp->partition,
							    gp->committed >= 0, err, errlen)
				 : gp->committed >= 0;
		if (takes < 0)
			rc = -1;
		else if (takes && add_row(p, cap, gp->topic, gp->partition, gp->committed) < 0) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
	}
	explore_group_list_free(&gl);
	return rc;
}

int
explore_reset_plan(struct explore_cluster *c, const char *group, const struct explore_start *to,
		   const char *partitions, struct explore_reset_plan *out, char *err, size_t errlen)
{
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	out->to = *to;
	if ((out->group = strdup(group)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (look_at_group(c, out, &cap, partitions, err, errlen) < 0 ||
	    (partitions && add_named_topics(c, out, &cap, partitions, err, errlen) < 0))
		goto fail;
	if (out->n == 0) {
		snprintf(err, errlen,
			 "group %s has no committed offsets%s: name its partitions with "
			 "--partitions TOPIC or TOPIC:P",
			 group, partitions ? " on those partitions" : "");
		goto fail;
	}
	qsort(out->rows, out->n, sizeof *out->rows, cmp_row);
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new((int)out->n);
	for (size_t i = 0; i < out->n; i++)
		rd_kafka_topic_partition_list_add(parts, out->rows[i].topic,
						  out->rows[i].partition);
	int64_t *low = calloc(out->n, sizeof *low), *high = calloc(out->n, sizeof *high);
	int rc = low && high ? explore_seek(c, parts, to, low, high, err, errlen) : -1;
	if (low && high && rc == 0)
		for (size_t i = 0; i < out->n; i++) {
			out->rows[i].target = parts->elems[i].offset;
			out->rows[i].low = low[i];
			out->rows[i].high = high[i];
		}
	else if (!(low && high))
		snprintf(err, errlen, "out of memory");
	free(low);
	free(high);
	rd_kafka_topic_partition_list_destroy(parts);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	explore_reset_plan_free(out);
	return -1;
}

/* Commits offs for group with the Admin API (AlterConsumerGroupOffsets, an
 * OffsetCommit that joins nothing), waiting at most the cluster's time
 * limit.  A consumer's commit would be bounded too, but destroying that
 * consumer waits for the coordinator's answer however late it comes. */
static int
commit_bounded(struct explore_cluster *c, rd_kafka_topic_partition_list_t *offs, const char *group,
	       char *err, size_t errlen)
{
	rd_kafka_t *rk = explore_cluster_handle(c);
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
	rd_kafka_AlterConsumerGroupOffsets_t *req =
		rd_kafka_AlterConsumerGroupOffsets_new(group, offs);
	rd_kafka_AlterConsumerGroupOffsets(rk, &req, 1, o, q);
	rd_kafka_AlterConsumerGroupOffsets_destroy(req);
	rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
	int rc = -1;
	size_t n = 0;
	const rd_kafka_group_result_t **gr = NULL;
	if (ev == NULL || rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__TIMED_OUT)
		snprintf(err, errlen,
			 "commit to group %s: no answer within %d ms (--timeout); check the "
			 "group's offsets before trying again",
			 group, explore_cluster_timeout_ms(c));
	else if (rd_kafka_event_error(ev))
		snprintf(err, errlen, "commit to group %s: %s", group,
			 rd_kafka_event_error_string(ev));
	else if ((gr = rd_kafka_AlterConsumerGroupOffsets_result_groups(
			  rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &n)) == NULL ||
		 n != 1)
		snprintf(err, errlen, "commit to group %s: no result", group);
	else if (rd_kafka_group_result_error(gr[0]))
		snprintf(err, errlen, "commit to group %s: %s", group,
			 rd_kafka_error_string(rd_kafka_group_result_error(gr[0])));
	else
		rc = 0;
	const rd_kafka_topic_partition_list_t *got =
		rc == 0 ? rd_kafka_group_result_partitions(gr[0]) : NULL;
	for (int i = 0; got && i < got->cnt; i++)
		if (got->elems[i].err) {
			snprintf(err, errlen, "commit to group %s: %s [%d]: %s", group,
				 got->elems[i].topic, (int)got->elems[i].partition,
				 rd_kafka_err2str(got->elems[i].err));
			rc = -1;
			break;
		}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	return rc;
}

int
explore_reset_execute(struct explore_cluster *c, const struct explore_reset_plan *plan, char *err,
		      size_t errlen)
{
	struct explore_reset_plan now = { .group = plan->group };
	if (look_at_group(c, &now, NULL, NULL, err, errlen) < 0)
		return -1;
	if (now.n_members > 0) {
		snprintf(err, errlen,
			 "group %s has %d active member(s): %s; stop them first (the group must "
			 "be empty to reset its offsets)",
			 plan->group, now.n_members, now.members);
		return -1;
	}
	rd_kafka_topic_partition_list_t *offs = rd_kafka_topic_partition_list_new((int)plan->n);
	for (size_t i = 0; i < plan->n; i++)
		rd_kafka_topic_partition_list_add(offs, plan->rows[i].topic,
						  plan->rows[i].partition)
			->offset = plan->rows[i].target;
	int rc = commit_bounded(c, offs, plan->group, err, errlen);
	rd_kafka_topic_partition_list_destroy(offs);
	return rc;
}
