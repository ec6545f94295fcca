/*
 * explore_topics.h — every topic of a cluster as the explorer shows it:
 * partitions with leader, replicas and in-sync replicas (under-replicated
 * ones flagged), low and high watermarks and the records between them, and
 * the topic's configs (DescribeConfigs: a real cluster only).
 */
#ifndef ORDERTOP_EXPLORE_TOPICS_H
#define ORDERTOP_EXPLORE_TOPICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"

#define EXPLORE_REPLICAS_MAX 16

struct explore_partition {
	int32_t id;
	int32_t leader; /* broker id, -1 none */
	int n_replicas, n_isr;
	int32_t replicas[EXPLORE_REPLICAS_MAX], isr[EXPLORE_REPLICAS_MAX];
	bool under_replicated; /* fewer in-sync replicas than replicas */
	int64_t low, high;     /* watermarks, -1 unknown */
	int64_t records;       /* high - low, -1 unknown */
	rd_kafka_resp_err_t err;
};

struct explore_config_entry {
	char *name, *value; /* value NULL: not shown (sensitive) or unset */
	bool is_default, sensitive;
};

struct explore_topic {
	char *name;
	bool internal; /* __consumer_offsets, __transaction_state, ... */
	int replication_factor;
	int under_replicated; /* partitions */
	int64_t records;      /* sum over partitions, -1 when one is unknown */
	int n_partitions;
	struct explore_partition *partitions;
	int n_configs;
	struct explore_config_entry *configs; /* sorted by name */
	rd_kafka_resp_err_t err;              /* the topic's metadata error */
};

struct explore_topic_list {
	size_t n;
	struct explore_topic *topics; /* sorted by name */
	bool configs_known;           /* DescribeConfigs answered */
	char note[256];               /* why configs are missing, or "" */
};

enum {
	EXPLORE_TOPICS_INTERNAL = 1 << 0, /* include internal topics */
	EXPLORE_TOPICS_CONFIGS = 1 << 1,  /* DescribeConfigs (real clusters) */
};

/*
 * Fills out with the cluster's topics (only the one named when topic is
 * not NULL: an unknown name is an error, and the topic is not created).
 * 0, or -1 with the reason in err; out is then empty.
 */
int explore_topics_list(struct explore_cluster *c, const char *topic, unsigned flags,
			struct explore_topic_list *out, char *err, size_t errlen);
void explore_topic_list_free(struct explore_topic_list *l);

/* The entry named name in t's configs, or NULL. */
const struct explore_config_entry *explore_topic_config(const struct explore_topic *t,
							const char *name);

#endif
