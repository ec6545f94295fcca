/*
 * whatif_job.c — the what-if replay (see whatif_job.h), synchronous and as
 * a job on a thread of its own.
 *
 * The last N orders are taken from each partition in proportion to what it
 * holds; a span since a time starts each partition at the offset of that
 * time (offsets_for_times), or, where the broker cannot say (the embedded
 * one answers -1), at its start, skipping older orders.
 */
#include "whatif_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "clock.h"
#include "flat_json.h"
#include "kafka_client.h"
#include "order.h"
#include "topics.h"

#define STALL_MS       30000
#define PROGRESS_EVERY 100 /* ms */

struct part {
	int64_t lo, hi, start, next;
};

struct run {
	const atomic_bool *stop;
	whatif_progress_fn *progress;
	void *arg;
	uint64_t read;
	int64_t planned, reported_ms;
};

static bool
stopped(const struct run *r, char *err, size_t errlen)
{
	if (r->stop == NULL || !atomic_load_explicit(r->stop, memory_order_relaxed))
		return false;
	snprintf(err, errlen, "stopped");
	return true;
}

static void
report(struct run *r, bool now)
{
	if (r->progress == NULL)
		return;
	int64_t t = mono_ms();
	if (!now && t - r->reported_ms < PROGRESS_EVERY)
		return;
	r->reported_ms = t;
	r->progress(r->arg, r->read, r->planned);
}

/* Where each partition starts; the orders to read. */
static int64_t
plan(rd_kafka_t *c, const char *topic, struct part *parts, int n, const struct whatif_span *o,
     struct run *run, char *err, size_t errlen)
{
	int64_t total = 0, want = 0;

	for (int p = 0; p < n; p++) {
		if (stopped(run, err, errlen))
			return -1;
		rd_kafka_resp_err_t e =
			topics_watermarks(c, topic, p, &parts[p].lo, &parts[p].hi, 15000);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "end of '%s' [%d]: %s", topic, p,
				 rd_kafka_err2str(e));
			return -1;
		}
		total += parts[p].hi - parts[p].lo;
	}
	if (o->since_ms >= 0) {
		rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
		for (int p = 0; p < n; p++)
			rd_kafka_topic_partition_list_add(l, topic, p)->offset = o->since_ms;
		rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(c, l, 10000);
		for (int p = 0; p < n; p++) {
			int64_t off = e == RD_KAFKA_RESP_ERR_NO_ERROR ? l->elems[p].offset : -1;
			parts[p].start =
				off >= parts[p].lo && off <= parts[p].hi ? off : parts[p].lo;
			want += parts[p].hi - parts[p].start;
		}
		rd_kafka_topic_partition_list_destroy(l);
		return want;
	}
	/* in proportion, the remainder to the first partitions with more */
	int64_t left = total > o->last ? o->last : total;
	for (int p = 0; p < n; p++) {
		int64_t have = parts[p].hi - parts[p].lo;
		int64_t take = total > o->last ? o->last * have / total : have;
		parts[p].start = parts[p].hi - take;
		left -= take;
	}
	for (int p = 0; p < n && left > 0; p++)
		if (parts[p].start > parts[p].lo) {
			parts[p].start--;
			left--;
		}
	for (int p = 0; p < n; p++)
		want += parts[p].hi - parts[p].start;
	return want;
}

/* Transaction markers leave gaps: the position tells a partition read. */
static void
check_positions(rd_kafka_t *c, struct part *parts, int *open)
{
	rd_kafka_topic_partition_list_t *pos = NULL;
	if (rd_kafka_assignment(c, &pos) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	rd_kafka_position(c, pos);
	for (int i = 0; i < pos->cnt; i++) {
		struct part *pp = &parts[pos->elems[i].partition];
		if (pp->next < pp->hi && pos->elems[i].offset >= pp->hi) {
			pp->next = pp->hi;
			(*open)--;
		}
	}
	rd_kafka_topic_partition_list_destroy(pos);
}

/* Reads every partition from its start to its end into w. */
static int
replay(rd_kafka_t *c, const char *topic, struct part *parts, int n, const struct whatif_span *o,
       struct rule_whatif *w, uint64_t *unreadable, struct run *run, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
	int open = 0;
	for (int p = 0; p < n; p++) {
		parts[p].next = parts[p].start;
		if (parts[p].start < parts[p].hi) {
			rd_kafka_topic_partition_list_add(l, topic, p)->offset = parts[p].start;
			open++;
		}
	}
	rd_kafka_resp_err_t e = rd_kafka_assign(c, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assign '%s': %s", topic, rd_kafka_err2str(e));
		return -1;
	}
	int64_t progress = mono_ms();
	struct order ord;
	struct flat_member members[ORDER_FLAT_MEMBERS_MAX];
	int n_members;
	char why[160];
	while (open > 0) {
		if (stopped(run, err, errlen))
			return -1;
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 100);
		if (m == NULL) {
			check_positions(c, parts, &open);
			if (mono_ms() - progress > STALL_MS) {
				snprintf(err, errlen, "reading '%s' made no progress for 30 s",
					 topic);
				return -1;
			}
			report(run, false);
			continue;
		}
		progress = mono_ms();
		if (m->err || m->partition < 0 || m->partition >= n) {
			rd_kafka_message_destroy(m);
			continue;
		}
		struct part *pp = &parts[m->partition];
		if (m->offset >= pp->hi) { /* came after the reading began */
			rd_kafka_message_destroy(m);
			continue;
		}
		if (order_parse_members(m->payload, m->len, &ord, members, &n_members, why,
					sizeof why) == 0) {
			rd_kafka_timestamp_type_t tt;
			int64_t ts = rd_kafka_message_timestamp(m, &tt);
			int64_t event_ms = ord.created_at_ms > 0 ? ord.created_at_ms : ts;
			if ((o->since_ms < 0 || event_ms >= o->since_ms) &&
			    rule_whatif_feed(w, m->partition, &ord, event_ms) != 0) {
				rd_kafka_message_destroy(m);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		} else {
			(*unreadable)++;
		}
		if (pp->next < pp->hi && m->offset + 1 >= pp->hi)
			open--;
		pp->next = m->offset + 1;
		rd_kafka_message_destroy(m);
		if ((++run->read & 255) == 0)
			report(run, false);
	}
	return 0;
}

int
whatif_replay(const struct config *cfg, const char *bootstraps, const struct ruleset *current,
	      const struct ruleset *candidate, const struct whatif_span *span,
	      const atomic_bool *stop, whatif_progress_fn *progress, void *arg,
	      struct whatif_report *out, char *err, size_t errlen)
{
	struct kafka_health health;
	memset(&health, 0, sizeof health);
	memset(out, 0, sizeof *out);
	struct kafka_client_opts co = { .kind = KAFKA_ASSIGN_CONSUMER, .name = "whatif" };
	struct run run = { .stop = stop, .progress = progress, .arg = arg, .planned = -1 };
	const char *topic = cfg->topics[TOPIC_ORDERS];
	struct part *parts = NULL;
	struct rule_whatif *w = NULL;
	int rc = -1;

	report(&run, true);
	rd_kafka_t *c = kafka_client_new(cfg, bootstraps, &co, &health, err, errlen);
	if (c == NULL)
		return -1;
	if (stopped(&run, err, errlen))
		goto out;
	int n = topics_partition_count(c, topic, 10000);
	parts = n > 0 ? calloc((size_t)n, sizeof *parts) : NULL;
	if (parts == NULL) {
		snprintf(err, errlen, "cannot read the partitions of '%s'", topic);
		goto out;
	}
	int64_t want = plan(c, topic, parts, n, span, &run, err, errlen);
	if (want < 0)
		goto out;
	run.planned = want;
	report(&run, true);
	size_t cap = (size_t)(want / n) * 2 + 1024;
	if ((w = rule_whatif_new(current, candidate, cap)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	int64_t t0 = mono_ms();
	if (replay(c, topic, parts, n, span, w, &out->unreadable, &run, err, errlen) != 0)
		goto out;
	out->secs = (double)(mono_ms() - t0) / 1000.0;
	out->partitions = n;
	out->r = *rule_whatif_result(w);
	out->n_notes = rule_whatif_notes(w, out->notes, WHATIF_NOTES_MAX);
	report(&run, true);
	rc = 0;
out:
	rule_whatif_free(w);
	free(parts);
	kafka_client_destroy(c, 0);
	return rc;
}

/* ---- the job ---- */

struct whatif_job {
	const struct config *cfg;
	char bootstraps[512];
	struct ruleset current, candidate;
	struct whatif_span span;
	pthread_t thread;
	int fd; /* eventfd */
	atomic_bool stop;
	atomic_int state;
	_Atomic uint64_t read;
	_Atomic int64_t planned;
	struct whatif_report report; /* written before state leaves RUNNING */
	char err[512];
};

static void
wake(struct whatif_job *j)
{
	uint64_t one = 1;
	ssize_t rc = write(j->fd, &one, sizeof one);
	(void)rc; /* a full counter wakes the reader as well */
}

static void
job_progress(void *arg, uint64_t read, int64_t planned)
{
	struct whatif_job *j = arg;
	atomic_store(&j->read, read);
	atomic_store(&j->planned, planned);
	wake(j);
}

static void *
job_main(void *arg)
{
	struct whatif_job *j = arg;
	int rc = whatif_replay(j->cfg, j->bootstraps, &j->current, &j->candidate, &j->span,
			       &j->stop, job_progress, j, &j->report, j->err, sizeof j->err);
	atomic_store(&j->state, rc == 0 ? WHATIF_JOB_DONE : WHATIF_JOB_FAILED);
	wake(j);
	return NULL;
}

struct whatif_job *
whatif_job_start(const struct config *cfg, const char *bootstraps, const struct ruleset *current,
		 const struct ruleset *candidate, const struct whatif_span *span)
{
	struct whatif_job *j = calloc(1, sizeof *j);
	if (j == NULL)
		return NULL;
	j->cfg = cfg;
	snprintf(j->bootstraps, sizeof j->bootstraps, "%s", bootstraps ? bootstraps : "");
	j->current = *current;
	j->candidate = *candidate;
	j->span = *span;
	atomic_init(&j->stop, false);
	atomic_init(&j->state, WHATIF_JOB_RUNNING);
	atomic_init(&j->read, 0);
	atomic_init(&j->planned, -1);
	j->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (j->fd < 0) {
		free(j);
		return NULL;
	}
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		close(j->fd);
		free(j);
		return NULL;
	}
	return j;
}

int
whatif_job_fd(const struct whatif_job *j)
{
	return j ? j->fd : -1;
}

enum whatif_job_state
whatif_job_state(struct whatif_job *j, uint64_t *n_read, int64_t *planned)
{
	uint64_t v;
	while (read(j->fd, &v, sizeof v) > 0)
		;
	if (n_read)
		*n_read = atomic_load(&j->read);
	if (planned)
		*planned = atomic_load(&j->planned);
	return (enum whatif_job_state)atomic_load(&j->state);
}

const struct whatif_report *
whatif_job_report(const struct whatif_job *j)
{
	return atomic_load(&j->state) == WHATIF_JOB_DONE ? &j->report : NULL;
}

const char *
whatif_job_error(const struct whatif_job *j)
{
	return atomic_load(&j->state) == WHATIF_JOB_FAILED ? j->err : NULL;
}

void
whatif_job_stop(struct whatif_job *j)
{
	if (j)
		atomic_store(&j->stop, true);
}

bool
whatif_job_finished(const struct whatif_job *j)
{
	return j == NULL || atomic_load(&j->state) != WHATIF_JOB_RUNNING;
}

void
whatif_job_free(struct whatif_job *j)
{
	if (j == NULL)
		return;
	atomic_store(&j->stop, true);
	pthread_join(j->thread, NULL);
	close(j->fd);
	free(j);
}
