/*
 * test_explore_reset.c — an offset reset on librdkafka's mock cluster: it
 * commits, and a coordinator that does not answer in time fails it after
 * the cluster's time limit instead of blocking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include "clock.h"
#include "config.h"
#include "explore_cluster.h"
#include "explore_reset.h"

#define API_OFFSET_COMMIT 8 /* the Kafka protocol's OffsetCommit */

struct fixture {
	rd_kafka_t *host;
	rd_kafka_mock_cluster_t *mock;
	struct config cfg;
	struct explore_cluster *c;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
	f->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
	assert_non_null(f->host);
	f->mock = rd_kafka_mock_cluster_new(f->host, 1);
	assert_non_null(f->mock);
	assert_int_equal(rd_kafka_mock_topic_create(f->mock, "t", 1, 1), 0);
	config_init(&f->cfg);
	f->c = explore_cluster_open(&f->cfg, rd_kafka_mock_cluster_bootstraps(f->mock), 1000, err,
				    sizeof err);
	assert_non_null(f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	explore_cluster_close(f->c);
	config_free(&f->cfg);
	rd_kafka_mock_cluster_destroy(f->mock);
	rd_kafka_destroy(f->host);
	free(f);
	return 0;
}

static void
test_commit_then_no_answer(void **state)
{
	struct fixture *f = *state;
	struct explore_start to = { .kind = EXPLORE_START_OFFSET, .value = 0 };
	struct explore_reset_plan plan;
	char err[512] = "";
	assert_int_equal(explore_reset_plan(f->c, "g", &to, "t:0", &plan, err, sizeof err), 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(explore_reset_execute(f->c, &plan, err, sizeof err), 0);

	/* the coordinator answers the next OffsetCommit after 4 s: too late */
	rd_kafka_mock_broker_push_request_error_rtts(f->mock, 1, API_OFFSET_COMMIT, 1,
						     RD_KAFKA_RESP_ERR_NO_ERROR, 4000);
	int64_t t0 = mono_ms();
	assert_int_equal(explore_reset_execute(f->c, &plan, err, sizeof err), -1);
	explore_reset_plan_free(&plan);
	explore_cluster_close(f->c); /* nor does closing wait for the answer */
	f->c = NULL;
	int64_t took = mono_ms() - t0;
	print_message("after %lld ms: %s\n", (long long)took, err);
	assert_non_null(strstr(err, "commit to group g: no answer within 1000 ms"));
	assert_true(took >= 900);
	assert_true(took < 3000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_then_no_answer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
