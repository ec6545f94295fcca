/*
 * evq.c — the bounded display-event queue from the workers to the UI.
 *
 * A fixed ring of struct event behind one mutex.  An eventfd is readable
 * exactly while the ring holds events: it is written when a push takes the
 * ring from empty to non-empty and read (reset) when a pop empties it, both
 * under the lock, so a push onto a non-empty ring costs no system call.
 * A push onto a full ring overwrites the oldest event and counts it in
 * `dropped`.
 */
#include "evq.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct evq {
	pthread_mutex_t lock;
	struct event *ring;
	size_t cap;
	size_t head; /* index of the oldest event */
	size_t len;
	int efd;
	_Atomic uint64_t dropped;
};

static void
evq_signal(struct evq *q)
{
	uint64_t one = 1;
	ssize_t r;

	do
		r = write(q->efd, &one, sizeof one);
	while (r < 0 && errno == EINTR);
	/* EAGAIN is impossible: the counter only ever holds 0 or 1. */
}

static void
evq_unsignal(struct evq *q)
{
	uint64_t v;
	ssize_t r;

	do
		r = read(q->efd, &v, sizeof v);
	while (r < 0 && errno == EINTR);
	/* EAGAIN means it was already reset, which is what we want. */
}

/* A capacity of 0 is taken as 1.  NULL when out of memory or fds. */
struct evq *
evq_new(size_t capacity)
{
	struct evq *q;

	if (capacity == 0)
		capacity = 1;
	q = calloc(1, sizeof *q);
	if (q == NULL)
		return NULL;
	q->ring = calloc(capacity, sizeof *q->ring);
	if (q->ring == NULL) {
		free(q);
		return NULL;
	}
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0) {
		free(q->ring);
		free(q);
		return NULL;
	}
	q->cap = capacity;
	atomic_init(&q->dropped, 0);
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void
evq_free(struct evq *q)
{
	if (q == NULL)
		return;
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q->ring);
	free(q);
}

void
evq_push(struct evq *q, const struct event *ev)
{
	size_t tail;

	pthread_mutex_lock(&q->lock);
	if (q->len == q->cap) {
		q->head = (q->head + 1) % q->cap;
		q->len--;
		atomic_fetch_add_explicit(&q->dropped, 1, memory_order_relaxed);
	}
	tail = (q->head + q->len) % q->cap;
	q->ring[tail] = *ev;
	if (q->len++ == 0)
		evq_signal(q);
	pthread_mutex_unlock(&q->lock);
}

size_t
evq_pop(struct evq *q, struct event *out, size_t max)
{
	size_t n, first;

	pthread_mutex_lock(&q->lock);
	n = q->len < max ? q->len : max;
	if (n > 0) {
		/* At most two contiguous runs: head..end, then 0.. */
		first = q->cap - q->head;
		if (first > n)
			first = n;
		memcpy(out, &q->ring[q->head], first * sizeof *out);
		memcpy(out + first, &q->ring[0], (n - first) * sizeof *out);
		q->head = (q->head + n) % q->cap;
		q->len -= n;
		if (q->len == 0)
			evq_unsignal(q);
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

int
evq_fd(const struct evq *q)
{
	return q->efd;
}

void
evq_note_dropped(struct evq *q)
{
	atomic_fetch_add_explicit(&q->dropped, 1, memory_order_relaxed);
}

uint64_t
evq_dropped(const struct evq *q)
{
	return atomic_load_explicit(&q->dropped, memory_order_relaxed);
}

size_t
evq_length(struct evq *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->len;
	pthread_mutex_unlock(&q->lock);
	return n;
}
