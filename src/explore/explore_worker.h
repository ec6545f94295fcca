/*
 * explore_worker.h — the explorer's own thread, so that nothing on the
 * dashboard's thread waits on the network: it owns an explore_cluster
 * (opened on the first job), takes jobs from a queue, and hands back
 * replies, waking the caller through a file descriptor it can poll().
 * Every Kafka request it makes is bounded by the cluster's time limit.
 *
 * Messages are read a page at a time (EXPLORE_PAGE records that pass the
 * jq filter, or what a few seconds of scanning found); with follow on, the
 * worker keeps reading new records in batches between jobs, never more
 * than EXPLORE_REPLIES_MAX replies ahead of the reader of the replies.
 */
#ifndef ORDERTOP_EXPLORE_WORKER_H
#define ORDERTOP_EXPLORE_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "explore_groups.h"
#include "explore_messages.h"
#include "explore_redrive.h"
#include "explore_reset.h"
#include "explore_start.h"
#include "explore_topics.h"

#define EXPLORE_PAGE        100
#define EXPLORE_REPLIES_MAX 8
#define EXPLORE_JQ_MAX      512
#define EXPLORE_NAME_MAX    256

enum explore_job_kind {
	EXPLORE_JOB_TOPICS,
	EXPLORE_JOB_GROUPS,
	EXPLORE_JOB_MESSAGES,   /* open a reader and read the first page */
	EXPLORE_JOB_MORE,       /* the next page of the open reader */
	EXPLORE_JOB_TAIL_OFF,   /* stop following */
	EXPLORE_JOB_PRODUCE,    /* one record */
	EXPLORE_JOB_RESET_PLAN, /* a group's offsets */
	EXPLORE_JOB_RESET_EXEC, /* the job's reset plan */
	EXPLORE_JOB_REDRIVE_PLAN,
	EXPLORE_JOB_REDRIVE_EXEC, /* the job's re-drive plan */
};

struct explore_job {
	enum explore_job_kind kind;
	bool internal;                  /* topics: internal ones too */
	char topic[EXPLORE_NAME_MAX];   /* messages, produce */
	int32_t partition;              /* -1: all (messages), the partitioner (produce) */
	struct explore_start start;     /* messages; reset: where to */
	bool follow;                    /* messages: keep reading new records */
	char jq[EXPLORE_JQ_MAX];        /* messages: filter; re-drive: where ("" none) */
	char transform[EXPLORE_JQ_MAX]; /* re-drive */
	char group[EXPLORE_NAME_MAX];   /* reset */
	/* produce */
	char key[EXPLORE_NAME_MAX];
	bool has_key;
	char headers[EXPLORE_JQ_MAX];
	char *value; /* malloc'd, taken by the worker; NULL: a tombstone */
	size_t value_len;
	/* The plan to execute (reset and re-drive exec: the one a plan job
	 * replied with, as shown), taken by the worker. */
	struct explore_reset_plan reset;
	struct explore_redrive_plan redrive;
};

struct explore_reply {
	enum explore_job_kind kind;
	uint64_t job; /* what explore_worker_submit returned */
	int rc;       /* 0, or -1 with err */
	char err[1024];
	struct explore_topic_list topics;
	struct explore_group_list groups;
	/* messages, more and tail batches */
	size_t n_records;
	struct explore_record *records;
	size_t scanned;    /* records read for this reply (the filter kept n_records) */
	bool at_end;       /* the reader reached the end (not following) */
	int64_t remaining; /* records from the start to the end at opening, -1 unknown */
	/* produce */
	int32_t partition;
	int64_t offset;
	struct explore_reset_plan reset;
	struct explore_redrive_plan redrive;
};

struct explore_worker;

/* Starts the thread; it connects to bootstraps (cfg's properties apply) on
 * its first job, each request bounded by timeout_ms.  cfg must outlive it.
 * NULL with the reason. */
struct explore_worker *explore_worker_start(const struct config *cfg, const char *bootstraps,
					    int timeout_ms, char *err, size_t errlen);
/* Stops and joins the thread, frees what is left. */
void explore_worker_stop(struct explore_worker *w);
/* Readable while replies wait (explore_worker_take clears it). */
int explore_worker_fd(const struct explore_worker *w);
/* Queues a copy of j (its value and plans are taken: j's are emptied); a
 * messages job ends the reading of the previous one.  Returns the job's
 * number, 0 when the queue is full (what j held is freed). */
uint64_t explore_worker_submit(struct explore_worker *w, struct explore_job *j);
/* The oldest reply, or NULL. */
struct explore_reply *explore_worker_take(struct explore_worker *w);
void explore_reply_free(struct explore_reply *r);
/* Frees what a job holds (value, plans). */
void explore_job_clear(struct explore_job *j);
/* Jobs queued or running. */
int explore_worker_pending(struct explore_worker *w);
/* True when the cluster is the embedded broker's (known after the first job). */
bool explore_worker_limited(struct explore_worker *w);

#endif
