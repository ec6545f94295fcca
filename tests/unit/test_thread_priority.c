/*
 * test_thread_priority.c — the other threads of the process get the lower
 * priority, the caller keeps its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_priority.h"

static atomic_int      tids[2];
static atomic_bool     stop;

static void *
idle_thread(void *arg)
{
	atomic_store(&tids[(intptr_t)arg], (int)syscall(SYS_gettid));
	while (!atomic_load(&stop))
		usleep(1000);
	return NULL;
}

static void
test_others_lowered(void **state)
{
	pthread_t t[2];
	int self = (int)syscall(SYS_gettid);

	(void)state;
	for (intptr_t i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, idle_thread, (void *)i), 0);
	while (atomic_load(&tids[0]) == 0 || atomic_load(&tids[1]) == 0)
		usleep(1000);
	int self_nice = getpriority(PRIO_PROCESS, (id_t)self);
	int want = self_nice + 3 > 19 ? 19 : self_nice + 3;

	/* ours, and any a runtime keeps (TSan has one) */
	assert_true(thread_priority_lower_others(3) >= 2);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)self), self_nice);
	for (int i = 0; i < 2; i++)
		assert_int_equal(getpriority(PRIO_PROCESS, (id_t)atomic_load(&tids[i])), want);
	/* Already that low: left alone, not lowered twice. */
	assert_int_equal(thread_priority_lower_others(3), 0);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)atomic_load(&tids[0])), want);
	/* A thread puts itself at a nice value, never back up. */
	thread_priority_at_least(self_nice);
	assert_int_equal(thread_priority_nice(), self_nice);
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_others_lowered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
