/*
 * explore_reset.h — moving a consumer group's committed offsets to the
 * earliest, the latest, a time or an offset (explore_start.h), for all its
 * partitions or some.  A plan first (what moves where), then the commit
 * through the Admin API (AlterConsumerGroupOffsets: an OffsetCommit that
 * joins nothing, generation -1), which the broker accepts only while the
 * group has no members.
 *
 * Refused, the members named, while the group has active members.  On a
 * limited cluster (the embedded broker) members cannot be listed: the plan
 * says so (members_known false) and the commit goes ahead.
 */
#ifndef ORDERTOP_EXPLORE_RESET_H
#define ORDERTOP_EXPLORE_RESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "explore_cluster.h"
#include "explore_start.h"

struct explore_reset_row {
	char *topic;
	int32_t partition;
	int64_t current; /* committed now, -1 none */
	int64_t target;  /* where it goes */
	int64_t low, high;
};

struct explore_reset_plan {
	char *group;
	struct explore_start to;
	bool members_known;
	int n_members;
	char members[512]; /* "client-id@host, ..." of the active members */
	char state[24];
	size_t n;
	struct explore_reset_row *rows; /* by topic, partition */
};

/*
 * Which partitions: NULL for all the group has committed; else a comma
 * list of items, each P (the group's committed partitions numbered P),
 * TOPIC (every partition of TOPIC) or TOPIC:P.  0, or -1 with the reason.
 */
int explore_reset_plan(struct explore_cluster *c, const char *group, const struct explore_start *to,
		       const char *partitions, struct explore_reset_plan *out, char *err,
		       size_t errlen);
/* Commits the plan's targets after checking again that the group has no
 * members, waiting at most the cluster's time limit for the answer.  0, or
 * -1 with the reason (members named). */
int explore_reset_execute(struct explore_cluster *c, const struct explore_reset_plan *plan,
			  char *err, size_t errlen);
void explore_reset_plan_free(struct explore_reset_plan *p);

/* Pure, for tests: does the --partitions list take topic's partition p,
 * which the group has committed (committed) or not?  -1 when the list is
 * malformed, with err. */
int explore_reset_list_takes(const char *list, const char *topic, int32_t p, bool committed,
			     char *err, size_t errlen);

#endif
