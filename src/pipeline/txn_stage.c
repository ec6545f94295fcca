/*
 * txn_stage.c — the transactional consume-transform-produce loop.  See
 * txn_stage.h for the contract; the three tiers of transaction errors
 * (retriable, abortable, fatal) follow librdkafka's examples/transactions.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dead_letter.h"
#include "log.h"
#include "pipeline.h"
#include "stats.h"
#include "topics.h"
#include "txn_stage.h"

#define TXN_IDLE_COMMIT_MS   10
#define TXN_STAGE_TOPICS_MAX 8 /* outputs, dead letters, rules */
/* An input whose transaction aborted this many times in a row is
 * dead-lettered instead of processed; twice more and only its first
 * POISON_CUT_BYTES go; once more and it is skipped. */
#define POISON_ABORTS    3
#define POISON_CUT_BYTES 1024

/* Per input partition: where this transaction started and got to, and
 * what earlier aborts left to watch. */
struct part_progress {
	bool touched;
	int64_t first; /* offset of the first input in this transaction */
	int64_t next;  /* offset after the last input processed */
	/* Inputs below it were in a transaction that aborted for a reason not
	 * tied to one of them: each goes in a transaction of its own, so a
	 * bad one shows up as the input of the transactions that abort. */
	int64_t suspect_end;
	int64_t poison_offset; /* the input that aborted the last ones... */
	int poison_aborts;     /* ...this many times in a row (0: none) */
};

struct txn_stage {
	struct pipeline *p;
	const struct txn_stage_ops *ops;
	const struct txn_stage_params *params;
	rd_kafka_t *producer, *consumer;
	bool in_txn;
	int64_t txn_started_ms;
	int txn_inputs;
	struct part_progress *parts;
	int32_t n_parts;
	bool failed;
	bool announced;       /* first assignment counted */
	size_t max_msg_bytes; /* the producer's message.max.bytes */
	/* The input being processed: outputs produced for it, and why one
	 * could not be produced when the record itself is the reason. */
	int input_outputs;
	bool input_unsendable;
	char input_error[192];
	char last_abort[256];       /* why the last abort */
	char dr_error[192];         /* first failed delivery since */
	rd_kafka_resp_err_t dr_err; /* ...and its error */
	/* The producer's handles of the topics the stage writes, made on first
	 * use (see pipeline_produce()). */
	rd_kafka_topic_t *topic[TXN_STAGE_TOPICS_MAX];
	int n_topics;
	int64_t lag_measured_ms;
	/* The mock cluster drops transactional offsets, so they are stored
	 * directly after each commit (commit_txn()), without waiting: a
	 * commit that waits can wait for a rebalance that waits for this
	 * thread.  What is not stored yet waits here (until a store's answer
	 * says it is, on store_q); a failed store is sent again after
	 * UNSTORED_RETRY_MS, and a partition assigned again starts from it
	 * rather than from the older offset stored. */
	rd_kafka_topic_partition_list_t *unstored, *storing;
	rd_kafka_queue_t *store_q;
	int64_t unstored_tried_ms;
	bool store_failed;
	bool assigned; /* between an assignment and its revocation */
};

#define UNSTORED_RETRY_MS 500

/* The rebalance callback runs inside consumer_poll() on the stage's own
 * thread; this is how it finds its stage. */
static _Thread_local struct txn_stage *current_stage;

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A record the broker refused for what it is, not for the broker's state
 * (time-outs, outages and fencing are not the record's fault). */
static bool
refused_for_itself(rd_kafka_resp_err_t err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_INVALID_RECORD:
	case RD_KAFKA_RESP_ERR_INVALID_MSG:
	case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP:
	case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
	case RD_KAFKA_RESP_ERR__BAD_MSG: return true;
	default: return false;
	}
}

/* The stage's producer has a delivery callback only so that librdkafka
 * hands each delivered record back to the stage's thread (served by its
 * rd_kafka_poll() and by commit_transaction's flush), which allocated it
 * and frees it there.  Without one, the broker thread that got the
 * produce response frees every record of the batch itself: frees across
 * threads, under the stage thread's malloc arena lock, on the thread that
 * should be sending the next requests (alternating runs of 200,000 orders,
 * 12 pairs: 10-15% more orders/s).  A record that failed fails the
 * transaction's commit, which aborts and rewinds (commit_txn()). */
static void
delivered_to_stage_thread(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct txn_stage *st = current_stage;
	(void)rk;
	(void)opaque;
	/* The abort that follows says which record the broker refused, and why. */
	if (m->err && st != NULL && st->dr_err == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    refused_for_itself(m->err)) {
		st->dr_err = m->err;
		snprintf(st->dr_error, sizeof st->dr_error, "%s: %s",
			 m->rkt ? rd_kafka_topic_name(m->rkt) : "?", rd_kafka_err2str(m->err));
	}
}

void *
txn_stage_arg(struct txn_stage *st)
{
	return st->params->arg;
}
struct pipeline *
txn_stage_pipeline(struct txn_stage *st)
{
	return st->p;
}
const char *
txn_stage_worker_id(struct txn_stage *st)
{
	return st->params->transactional_id;
}

static struct part_progress *
progress_of(struct txn_stage *st, int32_t partition)
{
	if (partition < 0)
		return NULL;
	if (partition >= st->n_parts) {
		int32_t n = partition + 16;
		struct part_progress *p = realloc(st->parts, (size_t)n * sizeof *p);
		if (p == NULL)
			return NULL;
		memset(p + st->n_parts, 0, (size_t)(n - st->n_parts) * sizeof *p);
		st->parts = p;
		st->n_parts = n;
	}
	return &st->parts[partition];
}

static void
stage_fatal(struct txn_stage *st, const char *what, const rd_kafka_error_t *error)
{
	const char *hint = "";
	if (rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__FENCED ||
	    rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
	    rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH)
		hint = " (another instance with the same transactional id took over: "
		       "give each process its own --instance)";
	pipeline_set_fatal(st->p, "%s: %s failed: %s%s", st->ops->role, what,
			   rd_kafka_error_string(error), hint);
	st->failed = true;
	pipeline_request_stop(st->p);
}

/* Once a second: records behind the (cached) high watermark on each
 * assigned partition, for pipeline_lag_get().  No network round trip. */
static void
measure_lag(struct txn_stage *st, int64_t now)
{
	enum {
		LAG_PARTS_MAX = 64
	};
	rd_kafka_topic_partition_list_t *a = NULL;
	int32_t parts[LAG_PARTS_MAX];
	int64_t lags[LAG_PARTS_MAX];
	size_t n = 0;
	int topic = -1;

	if (now - st->lag_measured_ms < 1000)
		return;
	st->lag_measured_ms = now;
	for (int t = 0; t < TOPIC__COUNT; t++)
		if (strcmp(st->p->cfg->topics[t], st->params->input_topic) == 0)
			topic = t;
	if (topic < 0 || rd_kafka_assignment(st->consumer, &a) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	rd_kafka_position(st->consumer, a);
	for (int i = 0; i < a->cnt && n < LAG_PARTS_MAX; i++) {
		int64_t lo, hi;
		if (rd_kafka_get_watermark_offsets(st->consumer, a->elems[i].topic,
						   a->elems[i].partition, &lo,
						   &hi) != RD_KAFKA_RESP_ERR_NO_ERROR ||
		    hi < 0)
			continue;
		int64_t pos = a->elems[i].offset >= 0 ? a->elems[i].offset : lo >= 0 ? lo : hi;
		parts[n] = a->elems[i].partition;
		lags[n++] = hi > pos ? hi - pos : 0;
	}
	rd_kafka_topic_partition_list_destroy(a);
	pipeline_lag_set(st->p, st->params->group_id, (enum topic_id)topic, parts, lags, n);
}

static int
begin_txn(struct txn_stage *st)
{
	if (st->in_txn)
		return 0;
	rd_kafka_error_t *error = rd_kafka_begin_transaction(st->producer);
	if (error) {
		stage_fatal(st, "begin_transaction", error);
		rd_kafka_error_destroy(error);
		return -1;
	}
	st->in_txn = true;
	st->txn_started_ms = mono_ms_coarse();
	st->txn_inputs = 0;
	return 0;
}

static rd_kafka_topic_partition_list_t *
progress_offsets(struct txn_stage *st, bool from_first)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(4);
	for (int32_t p = 0; p < st->n_parts; p++) {
		if (!st->parts[p].touched)
			continue;
		rd_kafka_topic_partition_list_add(l, st->params->input_topic, p)->offset =
			from_first ? st->parts[p].first : st->parts[p].next;
	}
	return l;
}

static void
progress_reset(struct txn_stage *st)
{
	for (int32_t p = 0; p < st->n_parts; p++)
		st->parts[p].touched = false;
}

/* One more abort caused by the input at offset of p. */
static void
note_poison(struct part_progress *p, int64_t offset)
{
	if (p->poison_aborts > 0 && p->poison_offset == offset) {
		p->poison_aborts++;
	} else {
		p->poison_offset = offset;
		p->poison_aborts = 1;
	}
}

/* After an abort: which input caused it.  A known culprit (its processing
 * failed) counts against it.  When a delivery was refused for the record
 * itself, the input alone in the transaction counts, and with several,
 * each is tried again in a transaction of its own to find it. */
static void
blame_inputs(struct txn_stage *st, int32_t culprit, int64_t culprit_offset)
{
	if (culprit >= 0 && culprit < st->n_parts) {
		note_poison(&st->parts[culprit], culprit_offset);
		return;
	}
	if (!refused_for_itself(st->dr_err))
		return;
	for (int32_t i = 0; i < st->n_parts; i++) {
		struct part_progress *p = &st->parts[i];
		if (!p->touched)
			continue;
		if (st->txn_inputs == 1)
			note_poison(p, p->first);
		else if (p->next > p->suspect_end)
			p->suspect_end = p->next;
	}
}

/* Abort the open transaction and rewind the consumer to its first input.
 * culprit: the partition of the input that caused it (its offset in
 * culprit_offset), or -1 when not known. */
static void
abort_and_rewind(struct txn_stage *st, const char *why, int32_t culprit, int64_t culprit_offset)
{
	log_warn(st->ops->role, "aborting transaction: %s; its inputs will be read again", why);
	/* A failed produce in a transaction the broker already failed says
	 * only "processing failed": the reason before it stays. */
	if (culprit < 0 || st->last_abort[0] == '\0' || strcmp(why, "processing failed") != 0)
		snprintf(st->last_abort, sizeof st->last_abort, "%s", why);
	blame_inputs(st, culprit, culprit_offset);
	st->dr_error[0] = '\0';
	st->dr_err = RD_KAFKA_RESP_ERR_NO_ERROR;
	for (;;) {
		rd_kafka_error_t *error = rd_kafka_abort_transaction(st->producer, 30000);
		if (error == NULL)
			break;
		bool retry = rd_kafka_error_is_retriable(error);
		if (!retry) {
			stage_fatal(st, "abort_transaction", error);
			rd_kafka_error_destroy(error);
			return;
		}
		rd_kafka_error_destroy(error);
		if (pipeline_stopping(st->p))
			return;
		sleep_ms(100);
	}
	atomic_fetch_add(&st->p->stats.txn_aborts, 1);
	st->in_txn = false;
	rd_kafka_topic_partition_list_t *rewind = progress_offsets(st, true);
	if (rewind->cnt > 0) {
		rd_kafka_error_t *error = rd_kafka_seek_partitions(st->consumer, rewind, 10000);
		if (error) {
			log_error(st->ops->role, "rewinding after abort failed: %s",
				  rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
		}
	}
	rd_kafka_topic_partition_list_destroy(rewind);
	progress_reset(st);
	if (st->ops->after_abort)
		st->ops->after_abort(st);
}

/* Adds offsets to what the mock cluster has not stored (struct
 * txn_stage's unstored), and sends a store of it unless one is on its way
 * or the last one failed less than UNSTORED_RETRY_MS ago. */
static void
store_unstored(struct txn_stage *st, const rd_kafka_topic_partition_list_t *offsets)
{
	if (offsets != NULL) {
		if (st->unstored == NULL)
			st->unstored = rd_kafka_topic_partition_list_new(offsets->cnt);
		for (int i = 0; i < offsets->cnt; i++) {
			const rd_kafka_topic_partition_t *o = &offsets->elems[i];
			rd_kafka_topic_partition_t *u = rd_kafka_topic_partition_list_find(
				st->unstored, o->topic, o->partition);
			if (u == NULL)
				rd_kafka_topic_partition_list_add(st->unstored, o->topic,
								  o->partition)
					->offset = o->offset;
			else if (o->offset > u->offset)
				u->offset = o->offset;
		}
	}
	/* Not between a revocation and the next assignment: a store then
	 * fails (no generation) and sends the member to join again. */
	if (st->unstored == NULL || st->unstored->cnt == 0 || st->storing != NULL || !st->assigned)
		return;
	int64_t now = mono_ms_coarse();
	if (st->store_failed && now - st->unstored_tried_ms < UNSTORED_RETRY_MS)
		return;
	if (st->store_q == NULL && (st->store_q = rd_kafka_queue_new(st->consumer)) == NULL)
		return;
	st->unstored_tried_ms = now;
	st->storing = rd_kafka_topic_partition_list_copy(st->unstored);
	rd_kafka_resp_err_t e =
		rd_kafka_commit_queue(st->consumer, st->storing, st->store_q, NULL, NULL);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_warn(st->ops->role, "offset commit: %s", rd_kafka_err2str(e));
		rd_kafka_topic_partition_list_destroy(st->storing);
		st->storing = NULL;
		st->store_failed = true;
	}
}

/* The answer to the store on its way, if it came (waiting up to
 * wait_ms): what it stored is no longer unstored. */
static void
store_answered(struct txn_stage *st, int wait_ms)
{
	if (st->storing == NULL)
		return;
	rd_kafka_event_t *ev = rd_kafka_queue_poll(st->store_q, wait_ms);
	if (ev == NULL)
		return;
	if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_OFFSET_COMMIT) {
		rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
		st->store_failed = e != RD_KAFKA_RESP_ERR_NO_ERROR;
		if (st->store_failed) {
			log_warn(st->ops->role, "offset commit: %s (sent again in %d ms)",
				 rd_kafka_err2str(e), UNSTORED_RETRY_MS);
		} else {
			for (int i = 0; i < st->storing->cnt; i++) {
				const rd_kafka_topic_partition_t *d = &st->storing->elems[i];
				rd_kafka_topic_partition_t *u = rd_kafka_topic_partition_list_find(
					st->unstored, d->topic, d->partition);
				if (u != NULL && u->offset <= d->offset)
					rd_kafka_topic_partition_list_del(st->unstored, d->topic,
									  d->partition);
			}
		}
		rd_kafka_topic_partition_list_destroy(st->storing);
		st->storing = NULL;
	}
	rd_kafka_event_destroy(ev);
}

/* How long a commit may wait for the brokers: while running, as long as
 * it takes (it is retried); once stopping, a few seconds. */
static int
commit_wait_ms(struct txn_stage *st)
{
	return pipeline_stopping(st->p) ? 5000 : 30000;
}

/* Commits the open transaction with the consumed offsets.  0 or -1. */
static int
commit_txn(struct txn_stage *st)
{
	if (!st->in_txn)
		return 0;
	st->input_unsendable = false;
	if (st->ops->before_commit && st->ops->before_commit(st) < 0) {
		abort_and_rewind(st,
				 st->input_unsendable ? st->input_error
						      : "the role could not finish its batch",
				 -1, 0);
		return -1;
	}
	rd_kafka_topic_partition_list_t *offsets = progress_offsets(st, false);
	rd_kafka_error_t *error = NULL;

	if (offsets->cnt > 0) {
		rd_kafka_consumer_group_metadata_t *cgmd =
			rd_kafka_consumer_group_metadata(st->consumer);
		for (;;) {
			error = rd_kafka_send_offsets_to_transaction(st->producer, offsets, cgmd,
								     commit_wait_ms(st));
			if (error == NULL || !rd_kafka_error_is_retriable(error) ||
			    pipeline_stopping(st->p))
				break;
			rd_kafka_error_destroy(error);
			sleep_ms(50);
		}
		rd_kafka_consumer_group_metadata_destroy(cgmd);
	}
	while (error == NULL) {
		error = rd_kafka_commit_transaction(st->producer, commit_wait_ms(st));
		if (error == NULL || !rd_kafka_error_is_retriable(error) ||
		    pipeline_stopping(st->p))
			break;
		rd_kafka_error_destroy(error);
		error = NULL;
		sleep_ms(50);
	}
	if (error != NULL && rd_kafka_error_is_retriable(error) && pipeline_stopping(st->p)) {
		/* Stopping while the brokers do not answer: leave the
		 * transaction open (the broker aborts it at its time-out) and
		 * its inputs uncommitted, so the next run reads them again. */
		log_warn(st->ops->role,
			 "cannot commit at stop: %s; %d input(s) will be read "
			 "again",
			 rd_kafka_error_string(error), st->txn_inputs);
		rd_kafka_error_destroy(error);
		rd_kafka_topic_partition_list_destroy(offsets);
		st->in_txn = false;
		st->failed = true; /* no abort: it would wait as long */
		return -1;
	}
	if (error != NULL) {
		if (rd_kafka_error_txn_requires_abort(error)) {
			char why[256];
			if (st->dr_err == RD_KAFKA_RESP_ERR_NO_ERROR) /* reports not served yet */
				st->dr_err = rd_kafka_error_code(error);
			if (st->dr_error[0])
				snprintf(why, sizeof why, "%s (%s)", rd_kafka_error_string(error),
					 st->dr_error);
			else
				snprintf(why, sizeof why, "%s", rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
			rd_kafka_topic_partition_list_destroy(offsets);
			abort_and_rewind(st, why, -1, 0);
			return -1;
		}
		stage_fatal(st, "commit_transaction", error);
		rd_kafka_error_destroy(error);
		rd_kafka_topic_partition_list_destroy(offsets);
		return -1;
	}
	st->in_txn = false;
	atomic_fetch_add(&st->p->stats.txn_commits, 1);
	if (st->ops->after_commit)
		st->ops->after_commit(st);
	for (int32_t p = 0; p < st->n_parts; p++) { /* a poison input went through */
		struct part_progress *pp = &st->parts[p];
		if (pp->touched && pp->poison_aborts > 0 && pp->poison_offset >= pp->first &&
		    pp->poison_offset < pp->next)
			pp->poison_aborts = 0;
	}
	/* The mock cluster drops transactional offsets: store them directly
	 * (also another process's, named with -b). */
	if ((st->p->embedded != NULL || st->p->mock_cluster) && offsets->cnt > 0)
		store_unstored(st, offsets);
	rd_kafka_topic_partition_list_destroy(offsets);
	progress_reset(st);
	return 0;
}

/* Partitions assigned again whose offsets the mock cluster could not
 * store (struct txn_stage's unstored) start where this member got to;
 * those assigned elsewhere are another member's to store. */
static void
start_where_unstored(struct txn_stage *st, rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_topic_partition_list_t *kept = rd_kafka_topic_partition_list_new(parts->cnt);
	for (int i = 0; i < parts->cnt; i++) {
		rd_kafka_topic_partition_t *a = &parts->elems[i];
		const rd_kafka_topic_partition_t *u =
			rd_kafka_topic_partition_list_find(st->unstored, a->topic, a->partition);
		if (u == NULL)
			continue;
		log_info(st->ops->role,
			 "%s [%" PRId32 "] starts at %" PRId64 ", where this member got to "
			 "(the broker did not store it)",
			 a->topic, a->partition, u->offset);
		a->offset = u->offset;
		rd_kafka_topic_partition_list_add(kept, u->topic, u->partition)->offset = u->offset;
	}
	rd_kafka_topic_partition_list_destroy(st->unstored);
	st->unstored = kept;
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
	     void *opaque)
{
	struct txn_stage *st = current_stage;
	(void)opaque;

	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		for (int i = 0; i < parts->cnt; i++) {
			log_info(st->ops->role, "assigned %s [%" PRId32 "]", parts->elems[i].topic,
				 parts->elems[i].partition);
			struct part_progress *p = progress_of(st, parts->elems[i].partition);
			if (p != NULL) { /* what another member saw is gone */
				p->suspect_end = 0;
				p->poison_aborts = 0;
			}
			if (st->ops->on_assign)
				st->ops->on_assign(st, parts->elems[i].partition);
		}
		if (st->unstored != NULL)
			start_where_unstored(st, parts);
		rd_kafka_assign(rk, parts);
		st->assigned = true;
		if (!st->announced) {
			st->announced = true;
			if (atomic_fetch_add(&st->p->stages_assigned, 1) + 1 ==
				    st->p->stages_local &&
			    st->p->stages_ready != NULL)
				st->p->stages_ready(st->p);
		}
		return;
	}
	/* Revoked (or lost): finish what was read from these partitions first,
	 * while this member still owns them. */
	if (st->in_txn) {
		if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
			commit_txn(st);
		else
			abort_and_rewind(st, "partitions lost", -1, 0);
	}
	for (int i = 0; i < parts->cnt; i++) {
		log_info(st->ops->role, "revoked %s [%" PRId32 "]", parts->elems[i].topic,
			 parts->elems[i].partition);
		if (st->ops->on_revoke)
			st->ops->on_revoke(st, parts->elems[i].partition);
	}
	rd_kafka_assign(rk, NULL);
	st->assigned = false;
}

/* The producer's handle of the topic named name; NULL when librdkafka
 * cannot make one, or the stage writes more topics than it keeps. */
static rd_kafka_topic_t *
stage_topic(struct txn_stage *st, const char *name)
{
	for (int i = 0; i < st->n_topics; i++)
		if (strcmp(rd_kafka_topic_name(st->topic[i]), name) == 0)
			return st->topic[i];
	if (st->n_topics == TXN_STAGE_TOPICS_MAX)
		return NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(st->producer, name, NULL);
	if (rkt != NULL)
		st->topic[st->n_topics++] = rkt;
	return rkt;
}

/* An output the producer would refuse (over message.max.bytes): the
 * input it was made from is the reason, so the input is dead-lettered. */
static bool
too_large(struct txn_stage *st, const char *topic, size_t keylen, size_t vallen,
	  const char *const *hdrs)
{
	if (keylen + vallen + DEAD_LETTER_RECORD_OVERHEAD <= st->max_msg_bytes / 2)
		return false; /* the common case: one comparison */
	size_t size = dead_letter_record_size(keylen, vallen, hdrs) + DEAD_LETTER_RECORD_OVERHEAD;
	if (size <= st->max_msg_bytes)
		return false;
	st->input_unsendable = true;
	snprintf(st->input_error, sizeof st->input_error,
		 "its record for '%s' would be %zu bytes, over message.max.bytes (%zu)", topic,
		 size, st->max_msg_bytes);
	return true;
}

int
txn_stage_produce(struct txn_stage *st, const char *topic, const void *key, size_t keylen,
		  const void *val, size_t vallen, const char *const *hdrs)
{
	if (begin_txn(st) < 0 || too_large(st, topic, keylen, vallen, hdrs))
		return -1;
	rd_kafka_resp_err_t err =
		pipeline_produce(st->producer, stage_topic(st, topic), RD_KAFKA_PARTITION_UA, key,
				 keylen, val, vallen, hdrs, NULL, &st->p->stop);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		return -1;
	st->input_outputs++;
	return 0;
}

int
txn_stage_produce_to(struct txn_stage *st, const char *topic, int32_t partition, const void *key,
		     size_t keylen, const void *val, size_t vallen)
{
	if (begin_txn(st) < 0)
		return -1;
	rd_kafka_resp_err_t err =
		pipeline_produce(st->producer, stage_topic(st, topic), partition, key, keylen, val,
				 vallen, NULL, NULL, &st->p->stop);
	return err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

/* Sends dl, cut to fit under max_bytes (0: the producer's limit). */
static int
send_dead_letter(struct txn_stage *st, struct dead_letter *dl, size_t max_bytes)
{
	struct dead_letter_headers h;
	size_t key_len = dl->key_len, val_len = dl->val_len;
	if (max_bytes == 0 || max_bytes > st->max_msg_bytes)
		max_bytes = st->max_msg_bytes;
	if (dead_letter_prepare(dl, max_bytes, &h))
		log_warn(st->ops->role,
			 "dead letter of %s [%" PRId32 "] @%" PRId64 " cut from "
			 "%zu to %zu bytes to fit (message.max.bytes %zu)",
			 dl->src_topic, dl->partition, dl->offset, key_len + val_len,
			 dl->key_len + dl->val_len, st->max_msg_bytes);
	log_debug(st->ops->role, "dead-lettering %s [%" PRId32 "] @%" PRId64 ": %s", dl->src_topic,
		  dl->partition, dl->offset, dl->reason);
	return txn_stage_produce(st, st->p->cfg->topics[TOPIC_DLQ], dl->key, dl->key_len, dl->val,
				 dl->val_len, h.list);
}

int
txn_stage_dead_letter_record(struct txn_stage *st, const struct dead_letter *dl)
{
	struct dead_letter copy = *dl;
	return send_dead_letter(st, &copy, 0);
}

static struct dead_letter
dead_letter_of(struct txn_stage *st, const rd_kafka_message_t *m, const char *reason)
{
	return (struct dead_letter){
		.reason = reason,
		.stage = st->ops->role,
		.src_topic = rd_kafka_topic_name(m->rkt),
		.partition = m->partition,
		.offset = m->offset,
		.key = m->key,
		.key_len = m->key_len,
		.val = m->payload,
		.val_len = m->len,
	};
}

int
txn_stage_dead_letter(struct txn_stage *st, const rd_kafka_message_t *m, const char *reason)
{
	struct dead_letter dl = dead_letter_of(st, m, reason);
	return send_dead_letter(st, &dl, 0);
}

/* An input that cannot be processed (its outputs cannot be sent, or its
 * transactions keep aborting) goes to the dead-letter topic in place of
 * its outputs.  Each further abort it causes cuts it shorter, then skips
 * it: no input stops the stage for good. */
static int
dead_letter_poison(struct txn_stage *st, const rd_kafka_message_t *m, const char *why, int aborts)
{
	char reason[448];
	int over = aborts - POISON_ABORTS;
	atomic_fetch_add(&st->p->stats.forced_dead_letters, 1);
	if (aborts == 0)
		snprintf(reason, sizeof reason, "cannot be processed: %s", why);
	else
		snprintf(reason, sizeof reason, "aborted its transaction %d times in a row: %s",
			 aborts, why);
	if (over >= 2) {
		log_error(st->ops->role,
			  "%s [%" PRId32 "] @%" PRId64 " %s; it cannot be "
			  "dead-lettered either: skipped",
			  rd_kafka_topic_name(m->rkt), m->partition, m->offset, reason);
		return 0;
	}
	log_warn(st->ops->role, "%s [%" PRId32 "] @%" PRId64 " %s: sent to '%s' instead",
		 rd_kafka_topic_name(m->rkt), m->partition, m->offset, reason,
		 st->p->cfg->topics[TOPIC_DLQ]);
	struct dead_letter dl = dead_letter_of(st, m, reason);
	return send_dead_letter(st, &dl, over == 1 ? POISON_CUT_BYTES : 0);
}

static int
init_transactions(struct txn_stage *st)
{
	int64_t warned = 0;
	for (;;) {
		rd_kafka_error_t *error = rd_kafka_init_transactions(st->producer, 10000);
		if (error == NULL)
			return 0;
		if (!rd_kafka_error_is_retriable(error) &&
		    rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR__TIMED_OUT) {
			stage_fatal(st, "init_transactions", error);
			rd_kafka_error_destroy(error);
			return -1;
		}
		if (mono_ms() - warned > 10000) {
			log_warn(st->ops->role, "waiting for the transaction coordinator: %s",
				 rd_kafka_error_string(error));
			warned = mono_ms();
		}
		rd_kafka_error_destroy(error);
		if (pipeline_stopping(st->p))
			return -1;
		sleep_ms(200);
	}
}

static void
handle_input(struct txn_stage *st, rd_kafka_message_t *m)
{
	if (m->err) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			log_warn(st->ops->role, "consume: %s", rd_kafka_message_errstr(m));
		return;
	}
	struct part_progress *p = progress_of(st, m->partition);
	if (p == NULL)
		return;
	bool poison = p->poison_aborts >= POISON_ABORTS && m->offset == p->poison_offset;
	/* Under watch after an abort: alone in its transaction. */
	bool alone = poison || m->offset < p->suspect_end;
	if (alone && st->in_txn && st->txn_inputs > 0) {
		bool rewinds = p->touched; /* an abort would read m again */
		if (commit_txn(st) < 0 && (rewinds || st->failed))
			return;
	}
	if (begin_txn(st) < 0)
		return;
	if (!p->touched) {
		p->touched = true;
		p->first = m->offset;
	}
	p->next = m->offset + 1;
	st->txn_inputs++;
	int rc;
	st->input_outputs = 0;
	st->input_unsendable = false;
	if (poison) {
		rc = dead_letter_poison(st, m, st->last_abort, p->poison_aborts);
	} else {
		rc = st->ops->process(st, m);
		/* Nothing of it went out: the input goes, not the transaction. */
		if (rc < 0 && st->input_unsendable && st->input_outputs == 0 && !st->failed)
			rc = dead_letter_poison(st, m, st->input_error, 0);
	}
	if (rc < 0) {
		abort_and_rewind(st, st->input_unsendable ? st->input_error : "processing failed",
				 m->partition, m->offset);
		return;
	}
	if (alone)
		commit_txn(st);
}

int
txn_stage_prepare(struct pipeline *p, void **state, char *err, size_t errlen)
{
	(void)state;
	(void)err;
	(void)errlen;
	p->stages_local++;
	return 0;
}

int
txn_stage_run(struct pipeline *p, const struct txn_stage_ops *ops,
	      const struct txn_stage_params *params)
{
	struct txn_stage st = { .p = p, .ops = ops, .params = params };
	const struct config *cfg = p->cfg;
	char err[512];

	current_stage = &st;
	struct kafka_client_opts po = {
		.kind = KAFKA_TXN_PRODUCER,
		.name = ops->role,
		.transactional_id = params->transactional_id,
		.embedded = p->embedded != NULL,
		.dr_msg_cb = delivered_to_stage_thread,
	};
	struct kafka_client_opts co = {
		.kind = KAFKA_GROUP_CONSUMER,
		.name = ops->role,
		.group_id = params->group_id,
		.embedded = p->embedded != NULL,
		.rebalance_cb = rebalance_cb,
	};
	st.producer = kafka_client_new(cfg, p->bootstraps, &po, &p->health, err, sizeof err);
	if (st.producer)
		st.consumer =
			kafka_client_new(cfg, p->bootstraps, &co, &p->health, err, sizeof err);
	if (st.producer == NULL || st.consumer == NULL) {
		pipeline_set_fatal(p, "%s", err);
		pipeline_request_stop(p);
		kafka_client_destroy(st.producer, 0);
		return -1;
	}
	char mmb[32];
	size_t mmb_len = sizeof mmb;
	st.max_msg_bytes = 1000000; /* librdkafka's default */
	if (rd_kafka_conf_get(rd_kafka_conf(st.producer), "message.max.bytes", mmb, &mmb_len) ==
	    RD_KAFKA_CONF_OK)
		st.max_msg_bytes = strtoul(mmb, NULL, 10);
	if (init_transactions(&st) < 0)
		goto out;
	for (int i = 0; params->outputs[i] != NULL; i++)
		if (topics_partition_count(st.producer, params->outputs[i], 5000) <= 0)
			log_warn(ops->role, "no metadata for '%s' yet", params->outputs[i]);

	rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(sub, params->input_topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t se = rd_kafka_subscribe(st.consumer, sub);
	rd_kafka_topic_partition_list_destroy(sub);
	if (se != RD_KAFKA_RESP_ERR_NO_ERROR) {
		pipeline_set_fatal(p, "%s: cannot subscribe to '%s': %s", ops->role,
				   params->input_topic, rd_kafka_err2str(se));
		pipeline_request_stop(p);
		goto out;
	}
	log_info(ops->role, "consuming '%s' in group '%s' as '%s'", params->input_topic,
		 params->group_id, params->transactional_id);

	int max_msgs = params->max_msgs > 0 ? params->max_msgs : cfg->txn_max_msgs;
	/* Producer events and the role's tick are served every 64 inputs or
	 * 10 ms, not per input: each is a queue poll, which costs as much as
	 * deciding an order when the machine is busy. */
	int since_tick = 0;
	int64_t last_tick = 0;
	while (!pipeline_stopping(p) && !st.failed) {
		/* One read of the coarse clock per input: the time limits
		 * below are 10 ms and more, and a turn that waited for its input
		 * is at most TXN_IDLE_COMMIT_MS late in seeing the transaction's
		 * age (the next turn sees it). */
		int64_t now = mono_ms_coarse();
		if (++since_tick >= 64 || now - last_tick >= 10) {
			rd_kafka_poll(st.producer, 0);
			if (st.unstored != NULL) { /* the mock cluster's offsets */
				store_answered(&st, 0);
				store_unstored(&st, NULL);
			}
			if (ops->tick)
				ops->tick(&st);
			measure_lag(&st, now);
			since_tick = 0;
			last_tick = now = mono_ms_coarse();
		}
		/* In a transaction, 10 ms without input (the input ran dry)
		 * commits it: under load transactions grow to --txn-max-msgs or
		 * --txn-max-ms, at a trickle each order is committed (and, on a
		 * real cluster, visible) within a few ms. */
		int timeout = 100;
		if (st.in_txn) {
			int64_t left = st.txn_started_ms + cfg->txn_max_ms - now;
			timeout = left < 0                  ? 0
				: left > TXN_IDLE_COMMIT_MS ? TXN_IDLE_COMMIT_MS
							    : (int)left;
		}
		/* A poll that need not wait reads the clock once in librdkafka
		 * (one with a timeout, four times): under load the input is
		 * there and the first poll takes it. */
		rd_kafka_message_t *m = rd_kafka_consumer_poll(st.consumer, 0);
		if (m == NULL && timeout > 0 && !st.failed)
			m = rd_kafka_consumer_poll(st.consumer, timeout);
		if (m) {
			handle_input(&st, m);
			rd_kafka_message_destroy(m);
		}
		if (st.in_txn && !st.failed &&
		    (m == NULL || st.txn_inputs >= max_msgs ||
		     now - st.txn_started_ms >= cfg->txn_max_ms))
			commit_txn(&st);
	}
	/* Clean stop: what was read is committed with its outputs. */
	if (st.in_txn && !st.failed)
		commit_txn(&st);
	/* What the mock cluster has not stored yet: a few seconds at most. */
	for (int64_t end = mono_ms() + 5000;
	     st.unstored != NULL && st.unstored->cnt > 0 && mono_ms() < end;) {
		store_unstored(&st, NULL);
		store_answered(&st, 100);
	}
out:
	if (st.storing != NULL)
		store_answered(&st, 1000);
	/* A store the broker never answered (it is gone): closing the
	 * consumer would wait for it without end, so it is not closed (its
	 * group sees it leave at the session's time-out). */
	bool unanswered = st.storing != NULL;
	if (unanswered) {
		log_warn(ops->role, "offsets not stored at stop: the broker did not answer");
		rd_kafka_topic_partition_list_destroy(st.storing);
	}
	if (st.unstored != NULL)
		rd_kafka_topic_partition_list_destroy(st.unstored);
	if (st.store_q != NULL)
		rd_kafka_queue_destroy(st.store_q);
	for (int i = 0; i < st.n_topics; i++)
		rd_kafka_topic_destroy(st.topic[i]);
	if (unanswered)
		rd_kafka_destroy_flags(st.consumer, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	else
		kafka_client_destroy(st.consumer, 0);
	kafka_client_destroy(st.producer, 10000);
	free(st.parts);
	current_stage = NULL;
	return st.failed ? -1 : 0;
}
