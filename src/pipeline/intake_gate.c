/*
 * intake_gate.c — pacing an acknowledged intake into its producer (see
 * intake_gate.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include "intake_gate.h"

struct intake_gate {
	pthread_mutex_t lock;
	intake_gate_send_fn *send;
	intake_gate_fail_fn *fail;
	void *ctx;
	size_t out;                           /* sent, not answered yet */
	struct intake_gate_item *head, *tail; /* waiting, oldest first */
	size_t waiting;
};

struct intake_gate *
intake_gate_new(intake_gate_send_fn *send, intake_gate_fail_fn *fail, void *ctx)
{
	struct intake_gate *g = calloc(1, sizeof *g);
	if (g == NULL)
		return NULL;
	pthread_mutex_init(&g->lock, NULL);
	g->send = send;
	g->fail = fail;
	g->ctx = ctx;
	return g;
}

static struct intake_gate_item *
take_waiting(struct intake_gate *g)
{
	struct intake_gate_item *all = g->head;
	g->head = g->tail = NULL;
	g->waiting = 0;
	return all;
}

static void
fail_all(struct intake_gate *g, struct intake_gate_item *list, int err)
{
	while (list != NULL) {
		struct intake_gate_item *next = list->next;
		g->fail(g->ctx, list, err);
		list = next;
	}
}

/* Sends everything waiting, with the lock held.  Returns the records send
 * refused (to fail once the lock is released), the first refusal's error
 * in *first_err. */
static struct intake_gate_item *
send_waiting(struct intake_gate *g, int *first_err)
{
	struct intake_gate_item *list = take_waiting(g), *refused = NULL, **refused_tail = &refused;

	while (list != NULL) {
		struct intake_gate_item *next = list->next;
		list->next = NULL;
		g->out++; /* before the send: its answer may come at once */
		int err = g->send(g->ctx, list);
		if (err != 0) {
			g->out--;
			if (*first_err == 0)
				*first_err = err;
			*refused_tail = list;
			refused_tail = &list->next;
		}
		list = next;
	}
	return refused;
}

int
intake_gate_submit(struct intake_gate *g, struct intake_gate_item *item)
{
	int err = 0;

	item->next = NULL;
	pthread_mutex_lock(&g->lock);
	if (g->head == NULL && g->out < INTAKE_GATE_OPEN_BELOW) {
		g->out++;
		err = g->send(g->ctx, item);
		if (err != 0)
			g->out--;
	} else {
		if (g->tail)
			g->tail->next = item;
		else
			g->head = item;
		g->tail = item;
		g->waiting++;
	}
	pthread_mutex_unlock(&g->lock);
	return err;
}

void
intake_gate_answered(struct intake_gate *g)
{
	struct intake_gate_item *refused = NULL;
	int err = 0;

	pthread_mutex_lock(&g->lock);
	if (g->out > 0)
		g->out--;
	if (g->out < INTAKE_GATE_OPEN_BELOW && g->head != NULL)
		refused = send_waiting(g, &err);
	pthread_mutex_unlock(&g->lock);
	fail_all(g, refused, err);
}

void
intake_gate_flush(struct intake_gate *g)
{
	int err = 0;

	pthread_mutex_lock(&g->lock);
	struct intake_gate_item *refused = send_waiting(g, &err);
	pthread_mutex_unlock(&g->lock);
	fail_all(g, refused, err);
}

void
intake_gate_counts(struct intake_gate *g, size_t *waiting, size_t *out)
{
	pthread_mutex_lock(&g->lock);
	*waiting = g->waiting;
	*out = g->out;
	pthread_mutex_unlock(&g->lock);
}

void
intake_gate_free(struct intake_gate *g, int err)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	struct intake_gate_item *left = take_waiting(g);
	pthread_mutex_unlock(&g->lock);
	fail_all(g, left, err);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
