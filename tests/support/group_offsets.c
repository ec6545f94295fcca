/*
 * group_offsets.c — a consumer group's committed offsets, read or written
 * by a plain librdkafka consumer that joins nothing (no subscribe: an
 * OffsetCommit with generation -1, as a simple consumer does): the
 * independent client of the dashboard's offset-reset test (tests/e2e).
 * None of ordertop's code is used.
 *
 *   group_offsets BOOTSTRAP GROUP get TOPIC N          "0 7 1 3 ..." for partitions 0..N-1
 *                                                      (-1: nothing committed)
 *   group_offsets BOOTSTRAP GROUP commit TOPIC P=O...  commits offset O on partition P
 *
 * Exits 0, or 1 with the reason on stderr; gives up after 30 s.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "group_offsets: %s: %s\n", what, why);
	exit(1);
}

int
main(int argc, char **argv)
{
	char err[512];
	if (argc < 6 || (strcmp(argv[3], "get") != 0 && strcmp(argv[3], "commit") != 0))
		die("usage", "BOOTSTRAP GROUP get TOPIC N | BOOTSTRAP GROUP commit TOPIC P=O...");
	alarm(30);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof err) ||
	    rd_kafka_conf_set(conf, "group.id", argv[2], err, sizeof err) ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err) ||
	    rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err))
		die("config", err);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
	if (rk == NULL)
		die("consumer", err);
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	rd_kafka_resp_err_t e;
	if (strcmp(argv[3], "get") == 0) {
		int n = atoi(argv[5]);
		for (int p = 0; p < n; p++)
			rd_kafka_topic_partition_list_add(l, argv[4], p);
		if ((e = rd_kafka_committed(rk, l, 20000)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			die("committed", rd_kafka_err2str(e));
		for (int i = 0; i < l->cnt; i++)
			printf("%s%" PRId32 " %" PRId64, i ? " " : "", l->elems[i].partition,
			       l->elems[i].offset < 0 ? (int64_t)-1 : l->elems[i].offset);
		printf("\n");
	} else {
		for (int i = 5; i < argc; i++) {
			int32_t p;
			int64_t o;
			if (sscanf(argv[i], "%" SCNd32 "=%" SCNd64, &p, &o) != 2)
				die(argv[i], "not P=OFFSET");
			rd_kafka_topic_partition_list_add(l, argv[4], p)->offset = o;
		}
		if ((e = rd_kafka_commit(rk, l, 0)) != RD_KAFKA_RESP_ERR_NO_ERROR)
			die("commit", rd_kafka_err2str(e));
		for (int i = 0; i < l->cnt; i++)
			if (l->elems[i].err)
				die("commit", rd_kafka_err2str(l->elems[i].err));
	}
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return 0;
}
