/*
 * http_wait.c — the parking lot of waiting HTTP requests (see http_wait.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "http.h"
#include "http_wait.h"
#include "stats.h"

#define WAIT_POLL_MS 10
#define WAIT_TICK_MS 100

struct http_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;       /* the first parked, or stopping */
	struct http_request *head; /* parked requests */
	bool stopping, running;
	pthread_t thread;
	atomic_int refs;
	void (*resume)(void *arg, struct http_request *r);
	void (*tick)(void *arg);
	void *arg;
};

static void
unlink_parked(struct http_wait *w, struct http_request *r)
{
	r->in_lot = false;
	if (r->park_prev)
		r->park_prev->park_next = r->park_next;
	else
		w->head = r->park_next;
	if (r->park_next)
		r->park_next->park_prev = r->park_prev;
	r->park_prev = r->park_next = NULL;
}

/* Takes out the requests that are ready or late (all when stopping),
 * chained through park_next: what waits for an order's final state (the
 * order table tells nobody) is looked at every WAIT_POLL_MS, and every
 * wait has a deadline. */
static struct http_request *
take_done(struct http_wait *w, int64_t now, bool all)
{
	struct http_request *done = NULL, *r = w->head, *next;

	for (; r != NULL; r = next) {
		next = r->park_next;
		bool ready = r->ready(r);
		if (!ready && !all && now < r->deadline_ms)
			continue;
		unlink_parked(w, r);
		r->timed_out = !ready;
		r->park_next = done;
		done = r;
	}
	return done;
}

static void
resume_all(struct http_wait *w, struct http_request *done)
{
	while (done != NULL) {
		struct http_request *next = done->park_next;
		done->park_next = NULL;
		w->resume(w->arg, done);
		done = next;
	}
}

static void *
wait_thread(void *arg)
{
	struct http_wait *w = arg;
	int64_t last_tick = mono_ms();

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		long ms = w->head ? WAIT_POLL_MS : WAIT_TICK_MS;
		ts.tv_nsec += ms * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
		int64_t now = mono_ms();
		struct http_request *done = take_done(w, now, false);
		resume_all(w, done);
		pthread_mutex_unlock(&w->lock);
		if (now - last_tick >= WAIT_TICK_MS) {
			last_tick = now;
			if (w->tick)
				w->tick(w->arg);
		}
		pthread_mutex_lock(&w->lock);
	}
	struct http_request *done = take_done(w, mono_ms(), true);
	resume_all(w, done);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct http_wait *
http_wait_new(void (*resume)(void *arg, struct http_request *r), void (*tick)(void *arg), void *arg)
{
	struct http_wait *w = calloc(1, sizeof *w);
	if (w == NULL)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	atomic_init(&w->refs, 1);
	w->resume = resume;
	w->tick = tick;
	w->arg = arg;
	if (pthread_create(&w->thread, NULL, wait_thread, w) != 0) {
		http_wait_unref(w);
		return NULL;
	}
	pthread_setname_np(w->thread, "ot-http-wait");
	w->running = true;
	return w;
}

void
http_wait_park(struct http_wait *w, struct http_request *r)
{
	pthread_mutex_lock(&w->lock);
	/* Stopping: the server is going, answer now.  Ready: what it waits
	 * for came before it was parked (a fast acknowledgement). */
	bool ready = r->ready(r);
	if (w->stopping || ready) {
		r->timed_out = !ready;
		w->resume(w->arg, r);
		pthread_mutex_unlock(&w->lock);
		return;
	}
	r->park_prev = NULL;
	r->park_next = w->head;
	if (w->head)
		w->head->park_prev = r;
	else
		pthread_cond_signal(&w->cond); /* from 100 ms rounds to 10 ms */
	w->head = r;
	r->in_lot = true;
	pthread_mutex_unlock(&w->lock);
}

/* Resumes under the lock: http_wait_stop() takes the lock before the
 * server goes, so no connection is resumed after that. */
void
http_wait_release(struct http_wait *w, struct http_request *r)
{
	pthread_mutex_lock(&w->lock);
	if (r->in_lot && r->ready(r)) {
		unlink_parked(w, r);
		r->timed_out = false;
		w->resume(w->arg, r);
	}
	pthread_mutex_unlock(&w->lock);
}

void
http_wait_stop(struct http_wait *w)
{
	if (w == NULL || !w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->running = false;
}

void
http_wait_ref(struct http_wait *w)
{
	atomic_fetch_add(&w->refs, 1);
}

void
http_wait_unref(struct http_wait *w)
{
	if (w == NULL || atomic_fetch_sub(&w->refs, 1) != 1)
		return;
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
