/*
 * evq.h — the bounded queue of display events from the worker threads to
 * the dashboard.  Pushing never blocks: when the queue is full the oldest
 * event is dropped and counted (the counters in stats.h stay exact; only
 * what the panes show thins out).  evq_fd() becomes readable when events
 * are waiting, so the UI can poll() it beside the keyboard.
 */
#ifndef ORDERTOP_EVQ_H
#define ORDERTOP_EVQ_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "order.h"

#define EV_KEY_MAX     48
#define EV_SUMMARY_MAX 256

/* One message seen on a pipeline topic, already display-safe. */
struct event {
	uint8_t topic;  /* enum topic_id */
	uint8_t status; /* enum order_status the message implies */
	int32_t partition;
	int64_t offset;
	int64_t ts_ms;                   /* message timestamp */
	char order_id[ORDER_ID_MAX + 1]; /* "" when unknown (e.g. dead letters) */
	char key[EV_KEY_MAX];            /* sanitized, cut */
	char summary[EV_SUMMARY_MAX];    /* sanitized one-line summary (for
	                                    dead letters: the reason first) */
};

struct evq;

struct evq *evq_new(size_t capacity);
void evq_free(struct evq *q);
void evq_push(struct evq *q, const struct event *ev); /* never blocks */
size_t evq_pop(struct evq *q, struct event *out, size_t max);
int evq_fd(const struct evq *q); /* readable while events wait */
uint64_t evq_dropped(const struct evq *q);
/* Counts an event its producer chose not to make (see the monitor's
 * display budget) with the dropped ones: both are "not shown". */
void evq_note_dropped(struct evq *q);
size_t evq_length(struct evq *q);

#endif
