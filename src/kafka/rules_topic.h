/*
 * rules_topic.h — the compacted fraud.rules topic.  It holds two kinds of
 * record, told apart by key:
 *   "ruleset"          the current rule set (fraud_rules.h JSON); newest wins
 *   "worker/<id>"      {"worker":id,"applied_version":N,"at":ms}, what one
 *                      fraud worker (in any process) applies now
 * A rules reader is an assign()-only consumer of partition 0 from the start
 * of the log; rules_reader_poll() hands out records without blocking.
 */
#ifndef ORDERTOP_RULES_TOPIC_H
#define ORDERTOP_RULES_TOPIC_H

#include <stdbool.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "fraud_rules.h"

/* The keys of the two kinds of record. */
#define RULES_KEY_RULESET       "ruleset"
#define RULES_KEY_WORKER_PREFIX "worker/"

enum rules_record_kind {
	RULES_RECORD_NONE,
	RULES_RECORD_RULESET,
	RULES_RECORD_WORKER
};

struct rules_record {
	enum rules_record_kind kind;
	struct ruleset ruleset; /* RULES_RECORD_RULESET */
	char worker[64];        /* RULES_RECORD_WORKER */
	uint64_t applied_version;
	int64_t at_ms;
};

/* Classifies and parses one record; -1 with reason when it is unreadable. */
int rules_record_parse(const rd_kafka_message_t *m, struct rules_record *out, char *err,
		       size_t errlen);
/* The worker record's JSON (versions as exact integers); malloc'd. */
char *rules_worker_json(const char *worker, uint64_t version, int64_t at_ms);

/* Assigns partition 0 of topic from the beginning. */
int rules_reader_start(rd_kafka_t *consumer, const char *topic);
/* Reads up to the end of the log as it is now (bounded by timeout_ms),
 * calling cb for every readable record.  Returns records read, or -1. */
int rules_reader_catch_up(rd_kafka_t *consumer, const char *topic, int timeout_ms,
			  void (*cb)(void *arg, const struct rules_record *r), void *arg);
/* Non-blocking: hands out what has arrived; returns records read. */
int rules_reader_poll(rd_kafka_t *consumer, void (*cb)(void *arg, const struct rules_record *r),
		      void *arg);

#endif
