/*
 * test_allocator.c — allocator_tune() really turns glibc's fastbins off:
 * small blocks freed past the per-thread cache stay out of fastbins after
 * it (and land in them without it, in a child process that does not tune),
 * and a malloc.mxfast in GLIBC_TUNABLES is left to the user.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocator.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZER_MALLOC 1      /* the sanitizers bring their own allocator */
#else
#define SANITIZER_MALLOC 0
#endif

/* Frees 200 blocks of fastbin size (the thread cache keeps 7 of a size)
 * and says how many free blocks sit in fastbins afterwards. */
static size_t
fastbin_blocks_after_churn(void)
{
	enum { N = 200 };
	void *p[N];
	for (int i = 0; i < N; i++)
		p[i] = malloc(48);
	for (int i = 0; i < N; i += 2)      /* every other: no merging */
		free(p[i]);
	size_t blocks = mallinfo2().smblks;
	for (int i = 1; i < N; i += 2)
		free(p[i]);
	return blocks;
}

/* Runs body in a child process; returns its exit status. */
static int
in_child(int (*body)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
untuned_uses_fastbins(void)
{
	return fastbin_blocks_after_churn() > 0 ? 0 : 1;
}

static int
user_tunable_is_kept(void)
{
	setenv("GLIBC_TUNABLES", "glibc.malloc.mxfast=64", 1);
	return allocator_tune() == ALLOCATOR_LEFT_TO_USER ? 0 : 1;
}

static void
test_fastbins_off(void **state)
{
	(void)state;
	if (SANITIZER_MALLOC)
		skip();
	unsetenv("GLIBC_TUNABLES");
	assert_int_equal(in_child(untuned_uses_fastbins), 0);
	assert_int_equal(allocator_tune(), ALLOCATOR_TUNED);
	assert_int_equal(fastbin_blocks_after_churn(), 0);
}

static void
test_user_setting_kept(void **state)
{
	(void)state;
	assert_int_equal(in_child(user_tunable_is_kept), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fastbins_off),
		cmocka_unit_test(test_user_setting_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
