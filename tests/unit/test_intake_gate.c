/*
 * test_intake_gate.c — the intake's gate: records go out at once while
 * fewer than INTAKE_GATE_OPEN_BELOW are unanswered, later ones wait and go
 * out together, in arrival order, when one is answered; refusals reach the
 * submitter (at once) or the fail callback (after waiting) and never lose a
 * record; flush and free leave nothing behind; four submitting threads
 * racing an answering one lose, repeat and reorder nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "intake_gate.h"

/* intake_gate_counts(): records waiting (0) or out (1). */
static size_t
count(struct intake_gate *g, int which)
{
	size_t n[2];
	intake_gate_counts(g, &n[0], &n[1]);
	return n[which];
}
#define waiting(g) count((g), 0)
#define out(g) count((g), 1)

struct rec {
	struct intake_gate_item link; /* first */
	int id;
};

#define LOG_MAX 4096
struct sink {
	struct intake_gate *g;
	int sent[LOG_MAX], nsent;
	int failed[LOG_MAX], nfailed, fail_err;
	int refuse_from; /* send refuses ids >= this (0: none) */
	size_t waiting_seen_in_fail;
};

static int
sink_send(void *ctx, struct intake_gate_item *item)
{
	struct sink *s = ctx;
	struct rec *r = (struct rec *)item;
	if (s->refuse_from && r->id >= s->refuse_from)
		return -184; /* RD_KAFKA_RESP_ERR__QUEUE_FULL */
	s->sent[s->nsent++] = r->id;
	return 0;
}

static void
sink_fail(void *ctx, struct intake_gate_item *item, int err)
{
	struct sink *s = ctx;
	s->failed[s->nfailed++] = ((struct rec *)item)->id;
	s->fail_err = err;
	/* runs with the lock released: looking at the gate must not deadlock */
	s->waiting_seen_in_fail = waiting(s->g);
}

static struct rec recs[64];

static struct intake_gate *
gate(struct sink *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 64; i++)
		recs[i].id = i;
	s->g = intake_gate_new(sink_send, sink_fail, s);
	assert_non_null(s->g);
	return s->g;
}

static void
test_sends_at_once_while_fewer_than_the_limit_are_out(void **state)
{
	(void)state;
	struct sink s;
	struct intake_gate *g = gate(&s);

	for (int i = 0; i < INTAKE_GATE_OPEN_BELOW; i++) {
		assert_int_equal(intake_gate_submit(g, &recs[i].link), 0);
		assert_int_equal(s.nsent, i + 1);
	}
	assert_int_equal(out(g), INTAKE_GATE_OPEN_BELOW);
	assert_int_equal(waiting(g), 0);
	intake_gate_free(g, -172);
	assert_int_equal(s.nfailed, 0);
}

static void
test_later_records_wait_and_go_out_together_in_order(void **state)
{
	(void)state;
	struct sink s;
	struct intake_gate *g = gate(&s);
	const int n = INTAKE_GATE_OPEN_BELOW + 7;

	for (int i = 0; i < n; i++)
		assert_int_equal(intake_gate_submit(g, &recs[i].link), 0);
	assert_int_equal(s.nsent, INTAKE_GATE_OPEN_BELOW);
	assert_int_equal(waiting(g), 7);

	intake_gate_answered(g); /* one answer opens the gate: all 7 go */
	assert_int_equal(s.nsent, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(s.sent[i], i);
	assert_int_equal(waiting(g), 0);
	assert_int_equal(out(g), n - 1);

	/* with that many out, the next one waits until they are answered */
	assert_int_equal(intake_gate_submit(g, &recs[n].link), 0);
	assert_int_equal(s.nsent, n);
	for (int i = 0; i < n - INTAKE_GATE_OPEN_BELOW; i++)
		intake_gate_answered(g);
	assert_int_equal(s.nsent, n + 1);
	assert_int_equal(s.sent[n], n);
	intake_gate_free(g, -172);
}

static void
test_an_immediate_refusal_goes_to_the_submitter(void **state)
{
	(void)state;
	struct sink s;
	struct intake_gate *g = gate(&s);

	s.refuse_from = 3;
	assert_int_equal(intake_gate_submit(g, &recs[1].link), 0);
	assert_int_equal(intake_gate_submit(g, &recs[3].link), -184);
	assert_int_equal(out(g), 1); /* the refused one is not counted */
	assert_int_equal(waiting(g), 0);
	assert_int_equal(s.nfailed, 0);
	intake_gate_free(g, -172);
}

static void
test_a_refusal_after_waiting_goes_to_fail_with_the_lock_released(void **state)
{
	(void)state;
	struct sink s;
	struct intake_gate *g = gate(&s);

	for (int i = 0; i < INTAKE_GATE_OPEN_BELOW + 3; i++)
		intake_gate_submit(g, &recs[i].link);
	s.refuse_from = INTAKE_GATE_OPEN_BELOW + 1; /* the 2nd and 3rd waiting */
	intake_gate_answered(g);
	assert_int_equal(s.nsent, INTAKE_GATE_OPEN_BELOW + 1);
	assert_int_equal(s.nfailed, 2);
	assert_int_equal(s.failed[0], INTAKE_GATE_OPEN_BELOW + 1);
	assert_int_equal(s.failed[1], INTAKE_GATE_OPEN_BELOW + 2);
	assert_int_equal(s.fail_err, -184);
	assert_int_equal(s.waiting_seen_in_fail, 0); /* looked at from fail: no deadlock */
	assert_int_equal(out(g), INTAKE_GATE_OPEN_BELOW);
	intake_gate_free(g, -172);
}

static void
test_flush_sends_all_and_free_fails_what_waits(void **state)
{
	(void)state;
	struct sink s;
	struct intake_gate *g = gate(&s);

	for (int i = 0; i < INTAKE_GATE_OPEN_BELOW + 2; i++)
		intake_gate_submit(g, &recs[i].link);
	intake_gate_flush(g);
	assert_int_equal(s.nsent, INTAKE_GATE_OPEN_BELOW + 2);
	intake_gate_submit(g, &recs[20].link);
	intake_gate_submit(g, &recs[21].link);
	intake_gate_free(g, -172); /* RD_KAFKA_RESP_ERR__DESTROY */
	assert_int_equal(s.nfailed, 2);
	assert_int_equal(s.failed[0], 20);
	assert_int_equal(s.failed[1], 21);
	assert_int_equal(s.fail_err, -172);
}

/* The race: 4 submitters, one thread answering what was sent (as the
 * delivery reports' thread does). */
#define SUBMITTERS    4
#define PER_SUBMITTER 20000
struct race {
	struct intake_gate *g;
	pthread_mutex_t lock; /* the sink's log; never held around gate calls */
	int64_t *sent_log;    /* submitter << 32 | seq */
	size_t nsent, nanswered;
	atomic_bool submitters_done;
};
struct race_rec {
	struct intake_gate_item link;
	int64_t tag;
};

static int
race_send(void *ctx, struct intake_gate_item *item)
{
	struct race *r = ctx;
	pthread_mutex_lock(&r->lock);
	r->sent_log[r->nsent++] = ((struct race_rec *)item)->tag;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static void
race_fail(void *ctx, struct intake_gate_item *item, int err)
{
	(void)ctx;
	(void)item;
	(void)err;
	fail_msg("no record may fail here");
}

static struct race_rec *race_recs;

struct submitter_arg {
	struct race *r;
	int who;
};

static void *
submit_all(void *arg)
{
	struct submitter_arg *a = arg;
	for (int i = 0; i < PER_SUBMITTER; i++) {
		struct race_rec *rec = &race_recs[a->who * PER_SUBMITTER + i];
		rec->tag = ((int64_t)a->who << 32) | i;
		if (intake_gate_submit(a->r->g, &rec->link) != 0)
			return (void *)1;
	}
	return NULL;
}

static void *
answer_all(void *arg)
{
	struct race *r = arg;
	for (;;) {
		/* read first: once they are done, only answers send anything */
		bool done = atomic_load(&r->submitters_done);
		pthread_mutex_lock(&r->lock);
		bool behind = r->nanswered < r->nsent;
		pthread_mutex_unlock(&r->lock);
		if (behind) {
			r->nanswered++;
			intake_gate_answered(r->g);
		} else if (done && waiting(r->g) == 0) {
			return NULL;
		}
	}
}

static void
test_submitters_racing_the_answers_lose_nothing(void **state)
{
	(void)state;
	struct race r = { .sent_log = calloc(SUBMITTERS * PER_SUBMITTER, sizeof(int64_t)) };
	race_recs = calloc(SUBMITTERS * PER_SUBMITTER, sizeof *race_recs);
	assert_non_null(r.sent_log);
	assert_non_null(race_recs);
	pthread_mutex_init(&r.lock, NULL);
	r.g = intake_gate_new(race_send, race_fail, &r);
	assert_non_null(r.g);

	pthread_t sub[SUBMITTERS], ans;
	struct submitter_arg args[SUBMITTERS];
	assert_int_equal(pthread_create(&ans, NULL, answer_all, &r), 0);
	for (int i = 0; i < SUBMITTERS; i++) {
		args[i] = (struct submitter_arg){ .r = &r, .who = i };
		assert_int_equal(pthread_create(&sub[i], NULL, submit_all, &args[i]), 0);
	}
	for (int i = 0; i < SUBMITTERS; i++) {
		void *rc;
		pthread_join(sub[i], &rc);
		assert_null(rc);
	}
	atomic_store(&r.submitters_done, true);
	pthread_join(ans, NULL);

	assert_int_equal(r.nsent, SUBMITTERS * PER_SUBMITTER);
	assert_int_equal(out(r.g), 0);
	int next[SUBMITTERS] = { 0 };
	for (size_t i = 0; i < r.nsent; i++) {
		int who = (int)(r.sent_log[i] >> 32), seq = (int)(r.sent_log[i] & 0xffffffff);
		assert_in_range(who, 0, SUBMITTERS - 1);
		assert_int_equal(seq, next[who]); /* each submitter's order, once each */
		next[who]++;
	}
	intake_gate_free(r.g, -172);
	pthread_mutex_destroy(&r.lock);
	free(r.sent_log);
	free(race_recs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sends_at_once_while_fewer_than_the_limit_are_out),
		cmocka_unit_test(test_later_records_wait_and_go_out_together_in_order),
		cmocka_unit_test(test_an_immediate_refusal_goes_to_the_submitter),
		cmocka_unit_test(test_a_refusal_after_waiting_goes_to_fail_with_the_lock_released),
		cmocka_unit_test(test_flush_sends_all_and_free_fails_what_waits),
		cmocka_unit_test(test_submitters_racing_the_answers_lose_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
