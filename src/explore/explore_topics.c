/*
 * explore_topics.c — topics, partitions, watermarks and configs from one
 * metadata request, two ListOffsets and (on a real cluster) one
 * DescribeConfigs.  See explore_topics.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explore_topics.h"

static int
cmp_topic(const void *a, const void *b)
{
	return strcmp(((const struct explore_topic *)a)->name,
		      ((const struct explore_topic *)b)->name);
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct explore_config_entry *)a)->name,
		      ((const struct explore_config_entry *)b)->name);
}

void
explore_topic_list_free(struct explore_topic_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct explore_topic *t = &l->topics[i];
		for (int k = 0; k < t->n_configs; k++) {
			free(t->configs[k].name);
			free(t->configs[k].value);
		}
		free(t->configs);
		free(t->partitions);
		free(t->name);
	}
	free(l->topics);
	memset(l, 0, sizeof *l);
}

const struct explore_config_entry *
explore_topic_config(const struct explore_topic *t, const char *name)
{
	struct explore_config_entry key = { .name = (char *)name };
	return t->n_configs ? bsearch(&key, t->configs, (size_t)t->n_configs, sizeof key, cmp_entry)
			    : NULL;
}

static void
copy_partition(struct explore_partition *p, const rd_kafka_metadata_partition_t *m)
{
	p->id = m->id;
	p->leader = m->leader;
	p->err = m->err;
	p->n_replicas =
		m->replica_cnt < EXPLORE_REPLICAS_MAX ? m->replica_cnt : EXPLORE_REPLICAS_MAX;
	p->n_isr = m->isr_cnt < EXPLORE_REPLICAS_MAX ? m->isr_cnt : EXPLORE_REPLICAS_MAX;
	memcpy(p->replicas, m->replicas, (size_t)p->n_replicas * sizeof *p->replicas);
	memcpy(p->isr, m->isrs, (size_t)p->n_isr * sizeof *p->isr);
	p->under_replicated = m->isr_cnt < m->replica_cnt;
	p->low = p->high = p->records = -1;
}

static int
by_partition_id(const void *a, const void *b)
{
	int32_t x = ((const struct explore_partition *)a)->id,
		y = ((const struct explore_partition *)b)->id;
	return (x > y) - (x < y);
}

static int
fill_watermarks(struct explore_cluster *c, struct explore_topic_list *l, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(64);
	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; k < l->topics[i].n_partitions; k++)
			rd_kafka_topic_partition_list_add(parts, l->topics[i].name,
							  l->topics[i].partitions[k].id);
	int64_t *low = calloc((size_t)parts->cnt + 1, sizeof *low);
	int64_t *high = calloc((size_t)parts->cnt + 1, sizeof *high);
	int rc = -1;
	if (low == NULL || high == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (explore_cluster_watermarks(c, parts, low, high, err, errlen) < 0)
		goto out;
	int at = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct explore_topic *t = &l->topics[i];
		t->records = 0;
		for (int k = 0; k < t->n_partitions; k++, at++) {
			struct explore_partition *p = &t->partitions[k];
			p->low = low[at];
			p->high = high[at];
			p->records = low[at] >= 0 ? high[at] - low[at] : -1;
			if (p->records < 0 || t->records < 0)
				t->records = -1;
			else
				t->records += p->records;
		}
	}
	rc = 0;
out:
	free(low);
	free(high);
	rd_kafka_topic_partition_list_destroy(parts);
	return rc;
}

static void
take_configs(struct explore_topic *t, const rd_kafka_ConfigResource_t *res)
{
	size_t n = 0;
	const rd_kafka_ConfigEntry_t **e = rd_kafka_ConfigResource_configs(res, &n);
	t->configs = calloc(n + 1, sizeof *t->configs);
	if (t->configs == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *v = rd_kafka_ConfigEntry_value(e[i]);
		struct explore_config_entry *c = &t->configs[t->n_configs];
		c->name = strdup(rd_kafka_ConfigEntry_name(e[i]));
		c->sensitive = rd_kafka_ConfigEntry_is_sensitive(e[i]);
		c->is_default = rd_kafka_ConfigEntry_is_default(e[i]);
		c->value = v && !c->sensitive ? strdup(v) : NULL;
		if (c->name)
			t->n_configs++;
	}
	qsort(t->configs, (size_t)t->n_configs, sizeof *t->configs, cmp_entry);
}

static void
fill_configs(struct explore_cluster *c, struct explore_topic_list *l)
{
	rd_kafka_t *rk = explore_cluster_handle(c);
	rd_kafka_ConfigResource_t **res = calloc(l->n + 1, sizeof *res);
	if (res == NULL || l->n == 0) {
		free(res);
		l->configs_known = l->n == 0;
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		res[i] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, l->topics[i].name);
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *o =
		explore_cluster_admin_options(c, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
	rd_kafka_DescribeConfigs(rk, res, l->n, o, q);
	rd_kafka_event_t *ev = explore_cluster_admin_wait(c, q);
	if (ev == NULL) {
		snprintf(l->note, sizeof l->note, "DescribeConfigs: no answer within %d ms",
			 explore_cluster_timeout_ms(c));
	} else if (rd_kafka_event_error(ev)) {
		snprintf(l->note, sizeof l->note, "DescribeConfigs: %s",
			 rd_kafka_event_error_string(ev));
	} else {
		size_t n = 0;
		const rd_kafka_ConfigResource_t **got = rd_kafka_DescribeConfigs_result_resources(
			rd_kafka_event_DescribeConfigs_result(ev), &n);
		for (size_t i = 0; i < n; i++) {
			struct explore_topic key = { .name = (char *)rd_kafka_ConfigResource_name(
							     got[i]) };
			struct explore_topic *t =
				bsearch(&key, l->topics, l->n, sizeof key, cmp_topic);
			if (t && !rd_kafka_ConfigResource_error(got[i]))
				take_configs(t, got[i]);
		}
		l->configs_known = true;
	}
	if (ev)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	rd_kafka_ConfigResource_destroy_array(res, l->n);
	free(res);
}

int
explore_topics_list(struct explore_cluster *c, const char *topic, unsigned flags,
		    struct explore_topic_list *out, char *err, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	memset(out, 0, sizeof *out);
	/* All topics, then filtered: asking for one by name would create it
	 * where auto-creation is on. */
	rd_kafka_resp_err_t e = rd_kafka_metadata(explore_cluster_handle(c), 1, NULL, &md,
						  explore_cluster_timeout_ms(c));
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		return -1;
	}
	out->topics = calloc((size_t)md->topic_cnt + 1, sizeof *out->topics);
	if (out->topics == NULL) {
		snprintf(err, errlen, "out of memory");
		rd_kafka_metadata_destroy(md);
		return -1;
	}
	for (int i = 0; i < md->topic_cnt; i++) {
		const rd_kafka_metadata_topic_t *mt = &md->topics[i];
		bool internal = strncmp(mt->topic, "__", 2) == 0;
		if (topic ? strcmp(topic, mt->topic) != 0
			  : internal && !(flags & EXPLORE_TOPICS_INTERNAL))
			continue;
		struct explore_topic *t = &out->topics[out->n];
		t->name = strdup(mt->topic);
		t->partitions = calloc((size_t)mt->partition_cnt + 1, sizeof *t->partitions);
		if (t->name == NULL || t->partitions == NULL) {
			free(t->name);
			free(t->partitions);
			continue;
		}
		out->n++;
		t->internal = internal;
		t->err = mt->err;
		t->n_partitions = mt->partition_cnt;
		for (int k = 0; k < mt->partition_cnt; k++) {
			copy_partition(&t->partitions[k], &mt->partitions[k]);
			if (t->partitions[k].n_replicas > t->replication_factor)
				t->replication_factor = t->partitions[k].n_replicas;
			t->under_replicated += t->partitions[k].under_replicated;
		}
		qsort(t->partitions, (size_t)t->n_partitions, sizeof *t->partitions,
		      by_partition_id);
	}
	rd_kafka_metadata_destroy(md);
	if (topic && out->n == 0) {
		snprintf(err, errlen, "no topic '%s' on the cluster", topic);
		explore_topic_list_free(out);
		return -1;
	}
	qsort(out->topics, out->n, sizeof *out->topics, cmp_topic);
	if (fill_watermarks(c, out, err, errlen) < 0) {
		explore_topic_list_free(out);
		return -1;
	}
	if (flags & EXPLORE_TOPICS_CONFIGS) {
		if (explore_cluster_limited(c))
			snprintf(out->note, sizeof out->note,
				 "topic configs need a real cluster: the embedded broker "
				 "answers no DescribeConfigs");
		else
			fill_configs(c, out);
	}
	return 0;
}
