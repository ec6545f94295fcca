/*
 * whatif_job.h — the replay behind a what-if: the most recent orders of
 * the orders topic (the last N, or those since a time) read by a side
 * reader (assign, read_committed, no group, no commits, nothing written)
 * and fed to rule_whatif.h, which decides each both ways.  whatif_replay()
 * runs it on the caller's thread (`ordertop rules whatif`); a whatif_job
 * runs the same on a thread of its own, for the dashboard: starting one
 * does not wait on the network (the client is made on the job's thread),
 * it reports its progress and wakes an fd, and it stops when asked.
 * Every wait in it has an end.
 */
#ifndef ORDERTOP_WHATIF_JOB_H
#define ORDERTOP_WHATIF_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "fraud_rules.h"
#include "rule_whatif.h"

/* Which orders: the most recent `last`, or (since_ms >= 0) those whose
 * event time is since_ms or later. */
struct whatif_span {
	int64_t last;
	int64_t since_ms;
};

/* What a replay found. */
struct whatif_report {
	struct whatif_result r;
	char notes[WHATIF_NOTES_MAX][200];
	int n_notes;
	uint64_t unreadable; /* records that were not orders, skipped */
	int partitions;
	double secs; /* the reading's time */
};

/* Called with the records read so far and the records planned (-1 until
 * the plan is made), at most about every 100 ms, and once at the end. */
typedef void whatif_progress_fn(void *arg, uint64_t read, int64_t planned);

/* Replays on the calling thread.  stop (may be NULL) is checked between
 * every step and every poll; progress may be NULL.  0, or -1 with the
 * reason (stopped: "stopped"). */
int whatif_replay(const struct config *cfg, const char *bootstraps, const struct ruleset *current,
		  const struct ruleset *candidate, const struct whatif_span *span,
		  const atomic_bool *stop, whatif_progress_fn *progress, void *arg,
		  struct whatif_report *out, char *err, size_t errlen);

enum whatif_job_state {
	WHATIF_JOB_RUNNING,
	WHATIF_JOB_DONE,
	WHATIF_JOB_FAILED
};

struct whatif_job;

/* Copies what it needs (cfg must outlive the job) and starts the thread;
 * never waits on the network.  NULL when out of memory or threads. */
struct whatif_job *whatif_job_start(const struct config *cfg, const char *bootstraps,
				    const struct ruleset *current, const struct ruleset *candidate,
				    const struct whatif_span *span);
/* Readable when the job has news (progress, the end); whatif_job_state()
 * empties it. */
int whatif_job_fd(const struct whatif_job *j);
/* Where it stands; read and planned as in whatif_progress_fn. */
enum whatif_job_state whatif_job_state(struct whatif_job *j, uint64_t *n_read, int64_t *planned);
/* Once DONE: the report; once FAILED: the reason. */
const struct whatif_report *whatif_job_report(const struct whatif_job *j);
const char *whatif_job_error(const struct whatif_job *j);
/* Asks the job to stop (returns at once). */
void whatif_job_stop(struct whatif_job *j);
/* True once its replay has ended (DONE or FAILED): its thread is then
 * returning, and whatif_job_free() does not wait for more than that. */
bool whatif_job_finished(const struct whatif_job *j);
/* Stops the job, joins its thread (bounded by the longest Kafka timeout
 * in it) and frees it.  NULL is fine. */
void whatif_job_free(struct whatif_job *j);

#endif
