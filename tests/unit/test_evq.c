/*
 * test_evq.c — the display-event queue: overwrite-oldest when full, the
 * eventfd readable exactly while events wait, and four producers racing
 * one consumer without losing count or reordering any producer's events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "evq.h"

static bool
fd_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static struct event
make_event(int producer, int64_t seq)
{
	struct event ev;

	memset(&ev, 0, sizeof ev);
	ev.topic = (uint8_t)producer;
	ev.offset = seq;
	snprintf(ev.order_id, sizeof ev.order_id, "p%d-%lld", producer,
	         (long long)seq);
	return ev;
}

static void
test_empty(void **state)
{
	struct evq *q = evq_new(8);
	struct event out[4];

	(void)state;
	assert_non_null(q);
	assert_true(evq_fd(q) >= 0);
	assert_false(fd_readable(evq_fd(q)));
	assert_int_equal(evq_pop(q, out, 4), 0);
	assert_int_equal(evq_length(q), 0);
	assert_int_equal(evq_dropped(q), 0);
	evq_free(q);
	evq_free(NULL);
}

static void
test_fd_readable_iff_nonempty(void **state)
{
	struct evq *q = evq_new(8);
	struct event ev, out[8];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		ev = make_event(0, i);
		evq_push(q, &ev);
		assert_true(fd_readable(evq_fd(q)));
	}
	assert_int_equal(evq_length(q), 3);
	assert_int_equal(evq_pop(q, out, 2), 2);
	assert_true(fd_readable(evq_fd(q)));     /* one left */
	assert_int_equal(out[0].offset, 0);
	assert_int_equal(out[1].offset, 1);
	assert_int_equal(evq_pop(q, out, 8), 1);
	assert_int_equal(out[0].offset, 2);
	assert_string_equal(out[0].order_id, "p0-2");
	assert_false(fd_readable(evq_fd(q)));
	/* And again after it was emptied. */
	ev = make_event(0, 9);
	evq_push(q, &ev);
	assert_true(fd_readable(evq_fd(q)));
	assert_int_equal(evq_pop(q, out, 0), 0);
	assert_true(fd_readable(evq_fd(q)));
	assert_int_equal(evq_pop(q, out, 1), 1);
	assert_false(fd_readable(evq_fd(q)));
	evq_free(q);
}

static void
test_overwrite_oldest(void **state)
{
	struct evq *q = evq_new(4);
	struct event ev, out[8];
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		ev = make_event(1, i);
		evq_push(q, &ev);
	}
	assert_int_equal(evq_length(q), 4);
	assert_int_equal(evq_dropped(q), 6);
	n = evq_pop(q, out, 8);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i].offset, 6 + i);
	assert_false(fd_readable(evq_fd(q)));

	/* Wrap-around inside the ring: pop part, push more, pop all. */
	for (i = 0; i < 3; i++) {
		ev = make_event(1, 100 + i);
		evq_push(q, &ev);
	}
	assert_int_equal(evq_pop(q, out, 2), 2);
	for (i = 3; i < 6; i++) {
		ev = make_event(1, 100 + i);
		evq_push(q, &ev);
	}
	assert_int_equal(evq_dropped(q), 6);      /* 4 held, no overflow */
	ev = make_event(1, 106);
	evq_push(q, &ev);
	assert_int_equal(evq_dropped(q), 7);
	n = evq_pop(q, out, 8);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i].offset, 103 + i);
	evq_free(q);
}

static void
test_capacity_zero_is_one(void **state)
{
	struct evq *q = evq_new(0);
	struct event ev = make_event(0, 1), out[2];

	(void)state;
	assert_non_null(q);
	evq_push(q, &ev);
	ev = make_event(0, 2);
	evq_push(q, &ev);
	assert_int_equal(evq_length(q), 1);
	assert_int_equal(evq_dropped(q), 1);
	assert_int_equal(evq_pop(q, out, 2), 1);
	assert_int_equal(out[0].offset, 2);
	evq_free(q);
}

/* ---- producers and a consumer ---- */

#define PRODUCERS 4
#define PER_PRODUCER 100000

struct race {
	struct evq *q;
	atomic_int  producers_left;
	uint64_t    popped;
	bool        order_ok;
};

struct producer_arg {
	struct race *r;
	int          id;
};

static void *
producer(void *p)
{
	struct producer_arg *a = p;
	int64_t i;

	for (i = 0; i < PER_PRODUCER; i++) {
		struct event ev = make_event(a->id, i);

		evq_push(a->r->q, &ev);
	}
	atomic_fetch_sub(&a->r->producers_left, 1);
	return NULL;
}

static void *
consumer(void *p)
{
	struct race *r = p;
	int64_t last[PRODUCERS];
	struct event out[64];
	int i;

	for (i = 0; i < PRODUCERS; i++)
		last[i] = -1;
	r->order_ok = true;
	for (;;) {
		struct pollfd pfd = { .fd = evq_fd(r->q), .events = POLLIN };
		bool finished = atomic_load(&r->producers_left) == 0;
		size_t n, k;

		poll(&pfd, 1, 20);
		n = evq_pop(r->q, out, 64);
		for (k = 0; k < n; k++) {
			int id = out[k].topic;

			if (id >= PRODUCERS || out[k].offset <= last[id])
				r->order_ok = false;
			else
				last[id] = out[k].offset;
		}
		r->popped += n;
		if (n == 0 && finished)
			break;
	}
	return NULL;
}

static void
test_producers_consumer(void **state)
{
	struct race r = { 0 };
	struct producer_arg args[PRODUCERS];
	pthread_t prod[PRODUCERS], cons;
	struct event out[1];
	int i;

	(void)state;
	r.q = evq_new(1024);
	atomic_init(&r.producers_left, PRODUCERS);
	assert_int_equal(pthread_create(&cons, NULL, consumer, &r), 0);
	for (i = 0; i < PRODUCERS; i++) {
		args[i].r = &r;
		args[i].id = i;
		assert_int_equal(pthread_create(&prod[i], NULL, producer, &args[i]),
		                 0);
	}
	for (i = 0; i < PRODUCERS; i++)
		pthread_join(prod[i], NULL);
	pthread_join(cons, NULL);

	assert_true(r.order_ok);
	assert_int_equal(r.popped + evq_dropped(r.q),
	                 (uint64_t)PRODUCERS * PER_PRODUCER);
	assert_int_equal(evq_length(r.q), 0);
	assert_false(fd_readable(evq_fd(r.q)));
	assert_int_equal(evq_pop(r.q, out, 1), 0);
	print_message("evq race: popped %llu, dropped %llu\n",
	              (unsigned long long)r.popped,
	              (unsigned long long)evq_dropped(r.q));
	evq_free(r.q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_fd_readable_iff_nonempty),
		cmocka_unit_test(test_overwrite_oldest),
		cmocka_unit_test(test_capacity_zero_is_one),
		cmocka_unit_test(test_producers_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
