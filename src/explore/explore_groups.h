/*
 * explore_groups.h — consumer groups and how far behind they are: state and
 * members (client id, host, assigned partitions) from ListConsumerGroups and
 * DescribeConsumerGroups, and per partition the committed offset
 * (ListConsumerGroupOffsets), the end offset, the lag in records and in time
 * (how old the next unconsumed record is).
 *
 * On a limited cluster (the embedded broker, explore_cluster.h) no group can
 * be listed or described: the groups shown are the ones the explorer knows
 * (ordertop's own, from the configured group prefix, and those named), from
 * their committed offsets on every partition of every topic; state and
 * members stay unknown (described false).
 */
#ifndef ORDERTOP_EXPLORE_GROUPS_H
#define ORDERTOP_EXPLORE_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"

struct explore_tp {
	char *topic;
	int32_t partition;
};

struct explore_member {
	char *member_id, *client_id, *host;
	int n_assigned;
	struct explore_tp *assigned; /* by topic, partition */
};

struct explore_group_partition {
	char *topic;
	int32_t partition;
	int64_t committed; /* -1: nothing committed */
	int64_t end;       /* high watermark, -1 unknown */
	int64_t lag;       /* end - committed, -1 unknown; 0 when only transaction
			    * markers lie beyond committed (seen with LAG_TIME) */
	int64_t lag_ms;    /* age of the record at committed; 0 when caught up, -1 unknown */
	const char *owner; /* client id of the member it is assigned to, or NULL */
};

struct explore_group {
	char *name;
	bool described; /* state and members are known */
	char state[24]; /* "Stable", "Empty", ...; "" when not described */
	bool simple;    /* a simple (assign-only) group */
	int n_members;
	struct explore_member *members;
	int n_partitions;
	struct explore_group_partition *partitions; /* by topic, partition */
	int64_t lag;                                /* sum of the known lags */
	int64_t lag_ms;                             /* the largest known lag in time, -1 none */
	char error[256];                            /* what went wrong for this group, or "" */
};

struct explore_group_list {
	size_t n;
	struct explore_group *groups; /* by name */
	bool limited;                 /* explore_cluster_limited(): see above */
	char note[320];               /* one line on what needs a real cluster, or "" */
};

enum {
	EXPLORE_GROUPS_ONLY_NAMED = 1 << 0, /* only the groups in names[] */
	EXPLORE_GROUPS_LAG_TIME = 1 << 1,   /* read each lagging partition's next record */
};

/*
 * Fills out with the cluster's groups (and those in names[], shown even
 * when unknown, with an error).  0, or -1 with the reason.
 */
int explore_groups_list(struct explore_cluster *c, const char *const *names, size_t n_names,
			unsigned flags, struct explore_group_list *out, char *err, size_t errlen);
void explore_group_list_free(struct explore_group_list *l);
/* The group named name in l, or NULL. */
struct explore_group *explore_group_find(struct explore_group_list *l, const char *name);

/* Lag of a partition from its committed and end offsets: -1 unknown. */
int64_t explore_lag(int64_t committed, int64_t end);

/*
 * Partitions written compactly into buf: by topic, runs of consecutive
 * partitions as ranges, "orders[0-2] notifications[1,4]"; "-" when n is 0.
 * Topic names as they are (sanitize before a terminal).  Cut with "..."
 * when buf is too small.  Returns buf.
 */
char *explore_tp_compact(const struct explore_tp *tp, int n, char *buf, size_t len);

/* The names of ordertop's own groups for a config: "PREFIX-fraud",
 * "PREFIX-notifier".  n at most 2 is written; returns the count. */
size_t explore_own_groups(const struct config *cfg, char names[][128], size_t n);

#endif
