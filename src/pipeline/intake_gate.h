/*
 * intake_gate.h — paces the records of an intake that waits for each
 * acknowledgement (the HTTP API) into its producer, Nagle-like: while
 * fewer than INTAKE_GATE_OPEN_BELOW records are unanswered a record goes
 * out at once; otherwise it waits in the gate, and everything that waited
 * goes out together as soon as the count falls below that again.
 *
 * Why: librdkafka's idempotent producer (2.0) sends a partition's next
 * request only while fewer than 5 of its *records* are in flight, and when
 * records are queued behind those 5 its broker thread polls without
 * waiting until an answer comes: a busy loop (without linger every record
 * that arrives alone is a request of its own, so 5 in flight is the normal
 * case under load).  The loop took the CPU the rest of the pipeline needed.
 * A linger avoids it but delays every record, also when the line is idle.
 * Here no partition has 5 in flight when a record or a batch of them is
 * handed over (fewer than 5 are out in all), an idle line sends at once,
 * and a busy one batches by itself.
 *
 * The gate knows nothing of Kafka: it calls send(ctx, item) for each
 * record it lets through (the caller produces it and calls
 * intake_gate_answered() when the broker answered it), and fail(ctx, item,
 * err) for one send refused after it had waited in the gate (its caller was
 * told "taken" already).  Thread-safe; send runs with the gate's lock held,
 * in arrival order, so it must not wait nor call back into the gate; fail
 * runs with the lock released.
 */
#ifndef ORDERTOP_INTAKE_GATE_H
#define ORDERTOP_INTAKE_GATE_H

#include <stddef.h>

/* librdkafka's RD_KAFKA_IDEMP_MAX_INFLIGHT. */
#define INTAKE_GATE_OPEN_BELOW 5

/* Embed as the first member of what is queued. */
struct intake_gate_item {
	struct intake_gate_item *next;
};

/* 0 sent, else an error code (rd_kafka_resp_err_t): nothing was sent. */
typedef int intake_gate_send_fn(void *ctx, struct intake_gate_item *item);
typedef void intake_gate_fail_fn(void *ctx, struct intake_gate_item *item, int err);

struct intake_gate;

/* NULL when out of memory. */
struct intake_gate *intake_gate_new(intake_gate_send_fn *send, intake_gate_fail_fn *fail,
				    void *ctx);
/* Frees the gate; records still waiting are failed with err. */
void intake_gate_free(struct intake_gate *g, int err);

/* Sends item now when the gate is open and nothing waits before it, else
 * queues it.  0: sent or queued (the gate owns it until send or fail);
 * else send's error: nothing was sent and the caller keeps item. */
int intake_gate_submit(struct intake_gate *g, struct intake_gate_item *item);
/* One record sent was answered (acknowledged or failed). */
void intake_gate_answered(struct intake_gate *g);
/* Sends everything waiting now, however many are out (stopping). */
void intake_gate_flush(struct intake_gate *g);

/* Records waiting, and records sent and not answered. */
void intake_gate_counts(struct intake_gate *g, size_t *waiting, size_t *out);

#endif
