/*
 * fraud_store.c — restoring the fraud state from its changelog topic and
 * writing its changes into the stage's transaction.  See fraud_store.h.
 *
 * The restore reader is a consumer of its own (assign, read_committed, no
 * commits): it reads one partition from the start up to the end it was
 * told when it began (the last stable offset: on a real cluster no
 * record of an open or aborted transaction), then lets the partition go.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "fraud_restore.h"
#include "fraud_state_internal.h"
#include "fraud_store.h"
#include "kafka_client.h"
#include "log.h"
#include "pipeline.h"
#include "topics.h"
#include "txn_stage.h"

/* A restore that makes no progress for this long fails. */
#define RESTORE_STALL_MS 30000

struct fraud_store {
	struct pipeline *p;
	rd_kafka_t *reader;
	int partitions; /* of the changelog topic; 0 = not known yet */
};

struct fraud_store *
fraud_store_new(struct pipeline *p)
{
	struct fraud_store *fs = calloc(1, sizeof *fs);
	if (fs != NULL)
		fs->p = p;
	return fs;
}

void
fraud_store_free(struct fraud_store *fs)
{
	if (fs == NULL)
		return;
	kafka_client_destroy(fs->reader, 0);
	free(fs);
}

static int
reader_ready(struct fraud_store *fs, const char *topic, char *err, size_t errlen)
{
	if (fs->reader == NULL) {
		struct kafka_client_opts o = { .kind = KAFKA_ASSIGN_CONSUMER,
					       .name = "fraud-state",
					       .embedded = fs->p->embedded != NULL };
		fs->reader = kafka_client_new(fs->p->cfg, fs->p->bootstraps, &o, &fs->p->health,
					      err, errlen);
		if (fs->reader == NULL)
			return -1;
	}
	if (fs->partitions <= 0)
		fs->partitions = topics_partition_count(fs->reader, topic, 10000);
	if (fs->partitions <= 0) {
		snprintf(err, errlen, "cannot read the partitions of '%s'", topic);
		return -1;
	}
	return 0;
}

/* Reads partition from lo up to hi into r. */
static int
read_partition(struct fraud_store *fs, const char *topic, int32_t partition, int64_t hi,
	       struct fraud_restore *r, long *skipped, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, topic, partition)->offset = RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_resp_err_t e = rd_kafka_assign(fs->reader, l);
	int rc = 0;
	int64_t next = -1, progress = mono_ms();
	char why[128];

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assign '%s' [%" PRId32 "]: %s", topic, partition,
			 rd_kafka_err2str(e));
		rd_kafka_topic_partition_list_destroy(l);
		return -1;
	}
	/* The position, not the last offset read, tells when the end is
	 * reached: transaction markers and compaction leave gaps. */
	while (next < hi) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(fs->reader, 100);
		if (m != NULL) {
			if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->partition == partition) {
				if (fraud_restore_record(r, m->key, m->key_len, m->payload, m->len,
							 why, sizeof why) != 0) {
					if (*skipped == 0)
						log_warn("fraud",
							 "'%s' [%" PRId32 "] @%" PRId64
							 ": %s; skipped",
							 topic, partition, m->offset, why);
					(*skipped)++;
				}
			} else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF &&
				   m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
				log_warn("fraud", "restoring '%s' [%" PRId32 "]: %s", topic,
					 partition, rd_kafka_message_errstr(m));
			}
			rd_kafka_message_destroy(m);
		}
		int64_t before = next;
		if (rd_kafka_position(fs->reader, l) == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    l->elems[0].offset >= 0)
			next = l->elems[0].offset;
		if (next > before)
			progress = mono_ms();
		if (pipeline_stopping(fs->p) || mono_ms() - progress > RESTORE_STALL_MS) {
			snprintf(err, errlen,
				 "restoring '%s' [%" PRId32 "] stopped at offset %" PRId64
				 " of %" PRId64 "%s",
				 topic, partition, next, hi,
				 pipeline_stopping(fs->p) ? "" : ": no progress for 30 s");
			rc = -1;
			break;
		}
	}
	rd_kafka_assign(fs->reader, NULL);
	rd_kafka_topic_partition_list_destroy(l);
	return rc;
}

long
fraud_store_restore(struct fraud_store *fs, int32_t partition, struct fraud_state *st, char *err,
		    size_t errlen)
{
	const char *topic = fs->p->cfg->topics[TOPIC_STATE];
	int64_t started = mono_ms(), lo = 0, hi = 0;
	long skipped = 0;

	if (reader_ready(fs, topic, err, errlen) != 0)
		return -1;
	if (partition >= fs->partitions) {
		snprintf(err, errlen,
			 "'%s' has %d partition(s), fewer than '%s': it must be partitioned "
			 "like the orders",
			 topic, fs->partitions, fs->p->cfg->topics[TOPIC_ORDERS]);
		return -1;
	}
	rd_kafka_resp_err_t e = topics_watermarks(fs->reader, topic, partition, &lo, &hi, 15000);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "end of '%s' [%" PRId32 "]: %s", topic, partition,
			 rd_kafka_err2str(e));
		return -1;
	}
	struct fraud_restore *r = fraud_restore_new(st, partition);
	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = hi > lo ? read_partition(fs, topic, partition, hi, r, &skipped, err, errlen) : 0;
	size_t n = fraud_restore_finish(r);
	if (rc != 0)
		return -1;
	log_info("fraud",
		 "restored %zu entries of partition %" PRId32 " in %" PRId64 " ms (%" PRId64
		 " records of '%s'%s)",
		 n, partition, mono_ms() - started, hi - lo, topic,
		 skipped > 0 ? ", some unreadable" : "");
	return (long)n;
}

struct flush_ctx {
	struct txn_stage *stage;
	const char *topic;
	int32_t partition;
	long written;
};

static int
emit_record(void *arg, const char *key, size_t keylen, const char *val, size_t vallen)
{
	struct flush_ctx *c = arg;
	c->written++;
	return txn_stage_produce_to(c->stage, c->topic, c->partition, key, keylen, val, vallen);
}

long
fraud_store_flush(struct txn_stage *stage, const char *topic, int32_t partition,
		  struct fraud_state *st)
{
	struct flush_ctx c = { .stage = stage, .topic = topic, .partition = partition };
	if (fraud_state_flush(st, partition, emit_record, &c) != 0)
		return -1;
	return c.written;
}
