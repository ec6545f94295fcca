/*
 * explore_worker.c — the explorer's thread (explore_worker.h): a queue of
 * jobs and a queue of replies behind one mutex, an eventfd that is
 * readable while replies wait, and the thread that connects, runs each
 * job with the explore_* calls and, between jobs, keeps tailing a topic
 * when asked to.
 */
#include "explore_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "explore_produce.h"
#include "jq_filter.h"

#define JOBS_MAX       16
#define SCAN_MS        3000 /* a page's search for records the filter keeps */
#define TAIL_BATCH     200
#define TAIL_WAIT_MS   100
#define HEADERS_FOR_JQ 64

struct explore_worker {
	const struct config *cfg;
	char *bootstraps;
	int timeout_ms;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int efd;
	bool stop;
	struct explore_job jobs[JOBS_MAX];
	uint64_t job_ids[JOBS_MAX];
	int n_jobs;
	bool running;
	uint64_t next_id;
	struct explore_reply *replies[EXPLORE_REPLIES_MAX * 2];
	int n_replies;
	atomic_uint_least64_t messages_gen; /* bumped by each messages job */
	atomic_bool limited;

	/* The thread's own */
	struct explore_cluster *c;
	struct explore_reader *rd;
	struct jq_filter *filter;
	bool tailing;
	uint64_t tail_job;
	bool rd_done;
};

/* ---- queues ---- */

int
explore_worker_fd(const struct explore_worker *w)
{
	return w->efd;
}

void
explore_job_clear(struct explore_job *j)
{
	free(j->value);
	j->value = NULL;
	explore_reset_plan_free(&j->reset);
	explore_redrive_plan_free(&j->redrive);
	memset(&j->reset, 0, sizeof j->reset);
	memset(&j->redrive, 0, sizeof j->redrive);
}

uint64_t
explore_worker_submit(struct explore_worker *w, struct explore_job *j)
{
	pthread_mutex_lock(&w->lock);
	if (w->n_jobs == JOBS_MAX) {
		pthread_mutex_unlock(&w->lock);
		explore_job_clear(j);
		return 0;
	}
	uint64_t id = ++w->next_id;
	if (j->kind == EXPLORE_JOB_MESSAGES || j->kind == EXPLORE_JOB_TAIL_OFF)
		atomic_fetch_add(&w->messages_gen, 1);
	w->jobs[w->n_jobs] = *j;
	w->job_ids[w->n_jobs++] = id;
	j->value = NULL;
	memset(&j->reset, 0, sizeof j->reset);
	memset(&j->redrive, 0, sizeof j->redrive);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return id;
}

struct explore_reply *
explore_worker_take(struct explore_worker *w)
{
	uint64_t v;
	struct explore_reply *r = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->n_replies > 0) {
		r = w->replies[0];
		memmove(w->replies, w->replies + 1,
			(size_t)(w->n_replies - 1) * sizeof *w->replies);
		w->n_replies--;
		pthread_cond_signal(&w->wake);
	}
	if (w->n_replies == 0)
		while (read(w->efd, &v, sizeof v) == (ssize_t)sizeof v)
			;
	pthread_mutex_unlock(&w->lock);
	return r;
}

int
explore_worker_pending(struct explore_worker *w)
{
	pthread_mutex_lock(&w->lock);
	int n = w->n_jobs + (w->running ? 1 : 0);
	pthread_mutex_unlock(&w->lock);
	return n;
}

bool
explore_worker_limited(struct explore_worker *w)
{
	return atomic_load(&w->limited);
}

void
explore_reply_free(struct explore_reply *r)
{
	if (r == NULL)
		return;
	explore_topic_list_free(&r->topics);
	explore_group_list_free(&r->groups);
	for (size_t i = 0; i < r->n_records; i++)
		explore_record_clear(&r->records[i]);
	free(r->records);
	explore_reset_plan_free(&r->reset);
	explore_redrive_plan_free(&r->redrive);
	free(r);
}

/* Hands r to the caller; waits while too many replies are unread (a tail
 * never runs ahead of the screen).  Dropped when stopping. */
static void
post(struct explore_worker *w, struct explore_reply *r)
{
	uint64_t one = 1;
	pthread_mutex_lock(&w->lock);
	while (!w->stop && w->n_replies >= EXPLORE_REPLIES_MAX)
		pthread_cond_wait(&w->wake, &w->lock);
	if (w->stop) {
		pthread_mutex_unlock(&w->lock);
		explore_reply_free(r);
		return;
	}
	w->replies[w->n_replies++] = r;
	/* The reply is queued either way; a full counter is still readable. */
	(void)!write(w->efd, &one, sizeof one);
	pthread_mutex_unlock(&w->lock);
}

static struct explore_reply *
reply_new(enum explore_job_kind kind, uint64_t id)
{
	struct explore_reply *r = calloc(1, sizeof *r);
	if (r) {
		r->kind = kind;
		r->job = id;
		r->remaining = -1;
	}
	return r;
}

/* ---- jobs ---- */

static int
connect_cluster(struct explore_worker *w, char *err, size_t errlen)
{
	if (w->c)
		return 0;
	w->c = explore_cluster_open(w->cfg, w->bootstraps, w->timeout_ms, err, errlen);
	if (w->c == NULL)
		return -1;
	atomic_store(&w->limited, explore_cluster_limited(w->c));
	return 0;
}

static void
close_reader(struct explore_worker *w)
{
	if (w->rd)
		explore_reader_close(w->rd);
	w->rd = NULL;
	if (w->filter)
		jq_filter_free(w->filter);
	w->filter = NULL;
	w->tailing = false;
	w->rd_done = false;
}

static bool
keeps(struct explore_worker *w, const struct explore_record *rec, char *err, size_t errlen)
{
	if (w->filter == NULL)
		return true;
	const char *names[HEADERS_FOR_JQ];
	const void *values[HEADERS_FOR_JQ];
	size_t lens[HEADERS_FOR_JQ];
	size_t nh = rec->n_headers < HEADERS_FOR_JQ ? rec->n_headers : HEADERS_FOR_JQ;
	for (size_t i = 0; i < nh; i++) {
		names[i] = rec->headers[i].name;
		values[i] = rec->headers[i].value;
		lens[i] = rec->headers[i].len;
	}
	struct jq_filter_input in = { .value = rec->value,
				      .value_len = rec->value_len,
				      .key = rec->key,
				      .key_len = rec->key_len,
				      .n_headers = nh,
				      .header_names = names,
				      .header_values = values,
				      .header_lens = lens,
				      .partition = rec->partition,
				      .offset = rec->offset };
	return jq_filter_match(w->filter, &in, err, errlen) > 0;
}

/* Reads up to max records the filter keeps into r, for at most budget_ms
 * (wait_ms per read).  Stops early when a newer messages job came. */
static void
read_page(struct explore_worker *w, struct explore_reply *r, size_t max, int64_t budget_ms,
	  int wait_ms, uint64_t gen)
{
	int64_t until = mono_ms() + budget_ms;
	struct explore_record rec = { 0 };
	char err[512];
	r->records = calloc(max, sizeof *r->records);
	if (r->records == NULL) {
		r->rc = -1;
		snprintf(r->err, sizeof r->err, "out of memory");
		return;
	}
	while (r->n_records < max && mono_ms() < until && atomic_load(&w->messages_gen) == gen) {
		int got = explore_reader_next(w->rd, &rec, wait_ms, r->err, sizeof r->err);
		if (got < 0) {
			r->rc = -1;
			break;
		}
		if (got == 0) {
			if (!w->tailing) {
				r->at_end = true;
				w->rd_done = true;
			}
			break;
		}
		r->scanned++;
		err[0] = '\0';
		if (!keeps(w, &rec, err, sizeof err))
			continue;
		r->records[r->n_records++] = rec;
		memset(&rec, 0, sizeof rec);
	}
	explore_record_clear(&rec);
}

static void
job_messages(struct explore_worker *w, const struct explore_job *j, struct explore_reply *r,
	     uint64_t gen)
{
	close_reader(w);
	if (j->jq[0] && (w->filter = jq_filter_new(j->jq, r->err, sizeof r->err)) == NULL) {
		r->rc = -1;
		return;
	}
	w->rd = explore_reader_open(w->c, j->topic, j->partition, &j->start, j->follow, r->err,
				    sizeof r->err);
	if (w->rd == NULL) {
		r->rc = -1;
		close_reader(w);
		return;
	}
	r->remaining = explore_reader_remaining(w->rd);
	w->tailing = j->follow;
	if (j->follow)
		return; /* the tail loop reads */
	read_page(w, r, EXPLORE_PAGE, SCAN_MS, explore_cluster_timeout_ms(w->c) / 4 + 1, gen);
}

static void
job_more(struct explore_worker *w, struct explore_reply *r, uint64_t gen)
{
	if (w->rd == NULL || w->rd_done) {
		r->at_end = true;
		return;
	}
	read_page(w, r, EXPLORE_PAGE, SCAN_MS, explore_cluster_timeout_ms(w->c) / 4 + 1, gen);
}

static void
job_produce(struct explore_worker *w, struct explore_job *j, struct explore_reply *r)
{
	struct explore_produce_rec p = { .topic = j->topic,
					 .partition = j->partition,
					 .key = j->has_key ? j->key : NULL,
					 .key_len = strlen(j->key),
					 .headers = j->headers,
					 .value = j->value,
					 .value_len = j->value_len };
	snprintf(r->err, sizeof r->err, "%s", "");
	r->rc = explore_produce(w->c, &p, &r->partition, &r->offset, r->err, sizeof r->err);
}

static void
job_reset_plan(struct explore_worker *w, const struct explore_job *j, struct explore_reply *r)
{
	if (explore_reset_plan(w->c, j->group, &j->start, NULL, &r->reset, r->err, sizeof r->err) <
	    0)
		r->rc = -1;
}

static void
job_redrive_plan(struct explore_worker *w, const struct explore_job *j, struct explore_reply *r)
{
	struct explore_redrive_opts o = { .where = j->jq[0] ? j->jq : NULL,
					  .transform = j->transform[0] ? j->transform : NULL,
					  .max_items = 1000 };
	if (explore_redrive_plan(w->c, j->topic, &o, &r->redrive, r->err, sizeof r->err) < 0)
		r->rc = -1;
}

static void
run_job(struct explore_worker *w, struct explore_job *j, uint64_t id)
{
	struct explore_reply *r = reply_new(j->kind, id);
	uint64_t gen = atomic_load(&w->messages_gen);
	if (r == NULL)
		return;
	if (connect_cluster(w, r->err, sizeof r->err) < 0) {
		r->rc = -1;
		post(w, r);
		return;
	}
	switch (j->kind) {
	case EXPLORE_JOB_TOPICS:
		r->rc = explore_topics_list(
			w->c, NULL,
			(j->internal ? EXPLORE_TOPICS_INTERNAL : 0) |
				(explore_cluster_limited(w->c) ? 0 : EXPLORE_TOPICS_CONFIGS),
			&r->topics, r->err, sizeof r->err);
		break;
	case EXPLORE_JOB_GROUPS:
		r->rc = explore_groups_list(w->c, NULL, 0, EXPLORE_GROUPS_LAG_TIME, &r->groups,
					    r->err, sizeof r->err);
		break;
	case EXPLORE_JOB_MESSAGES: job_messages(w, j, r, gen); break;
	case EXPLORE_JOB_MORE: job_more(w, r, gen); break;
	case EXPLORE_JOB_TAIL_OFF: w->tailing = false; break;
	case EXPLORE_JOB_PRODUCE: job_produce(w, j, r); break;
	case EXPLORE_JOB_RESET_PLAN: job_reset_plan(w, j, r); break;
	case EXPLORE_JOB_RESET_EXEC:
		r->rc = explore_reset_execute(w->c, &j->reset, r->err, sizeof r->err);
		break;
	case EXPLORE_JOB_REDRIVE_PLAN: job_redrive_plan(w, j, r); break;
	case EXPLORE_JOB_REDRIVE_EXEC:
		r->rc = explore_redrive_execute(w->c, &j->redrive, r->err, sizeof r->err);
		r->redrive = j->redrive; /* its counts, for the caller */
		memset(&j->redrive, 0, sizeof j->redrive);
		break;
	}
	if (r->rc == 0)
		r->err[0] = '\0';
	if (j->kind == EXPLORE_JOB_MESSAGES && j->follow && r->rc == 0)
		w->tail_job = id;
	post(w, r);
}

/* One batch of a tail: whatever came within TAIL_WAIT_MS. */
static void
tail_batch(struct explore_worker *w)
{
	uint64_t gen = atomic_load(&w->messages_gen);
	struct explore_reply *r = reply_new(EXPLORE_JOB_MORE, w->tail_job);
	if (r == NULL)
		return;
	read_page(w, r, TAIL_BATCH, TAIL_WAIT_MS, TAIL_WAIT_MS / 2, gen);
	if (r->rc < 0)
		w->tailing = false;
	if (r->n_records == 0 && r->rc == 0) {
		explore_reply_free(r);
		return;
	}
	post(w, r);
}

static void *
worker_main(void *arg)
{
	struct explore_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		if (w->n_jobs > 0) {
			struct explore_job j = w->jobs[0];
			uint64_t id = w->job_ids[0];
			memmove(w->jobs, w->jobs + 1, (size_t)(w->n_jobs - 1) * sizeof *w->jobs);
			memmove(w->job_ids, w->job_ids + 1,
				(size_t)(w->n_jobs - 1) * sizeof *w->job_ids);
			w->n_jobs--;
			w->running = true;
			pthread_mutex_unlock(&w->lock);
			run_job(w, &j, id);
			explore_job_clear(&j);
			pthread_mutex_lock(&w->lock);
			w->running = false;
			continue;
		}
		if (w->tailing && w->rd && w->n_replies < EXPLORE_REPLIES_MAX) {
			pthread_mutex_unlock(&w->lock);
			tail_batch(w);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &ts);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* ---- life ---- */

struct explore_worker *
explore_worker_start(const struct config *cfg, const char *bootstraps, int timeout_ms, char *err,
		     size_t errlen)
{
	struct explore_worker *w = calloc(1, sizeof *w);
	if (w == NULL || (w->bootstraps = strdup(bootstraps ? bootstraps : "")) == NULL) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->cfg = cfg;
	w->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (w->efd < 0 || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		snprintf(err, errlen, "cannot start the explorer's thread: %s", strerror(errno));
		if (w->efd >= 0)
			close(w->efd);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w->bootstraps);
		free(w);
		return NULL;
	}
	pthread_setname_np(w->thread, "explore");
	return w;
}

void
explore_worker_stop(struct explore_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	atomic_fetch_add(&w->messages_gen, 1);
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	for (int i = 0; i < w->n_jobs; i++)
		explore_job_clear(&w->jobs[i]);
	for (int i = 0; i < w->n_replies; i++)
		explore_reply_free(w->replies[i]);
	close_reader(w);
	explore_cluster_close(w->c);
	close(w->efd);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w->bootstraps);
	free(w);
}
