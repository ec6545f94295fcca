/*
 * test_allocator.c — allocator_tune() really changes glibc's malloc, each
 * checked against a child process that does not tune: small blocks freed
 * past the per-thread cache stay out of fastbins; a 1 MiB block comes from
 * the heap, not from mmap(); memory freed at the top of the heap stays
 * there.  A setting in GLIBC_TUNABLES is left to the user.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
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

/* Frees 40 blocks of 100 KiB (past the per-thread cache and the fastbins,
 * under glibc's default mmap threshold) from the top of the heap, newest
 * first, and says how many bytes the heap keeps free at its top. */
static size_t
heap_top_kept_after_free(void)
{
	enum { N = 40 };
	void *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = malloc(100 << 10);
		assert_non_null(p[i]);
		*(volatile char *)p[i] = 1;      /* used: not optimized away */
	}
	for (int i = N; i-- > 0;)
		free(p[i]);
	return mallinfo2().keepcost;
}

/* Whether a block of 1 MiB is a mapping of its own. */
static bool
mib_block_is_mapped(void)
{
	size_t before = mallinfo2().hblks;
	void *p = malloc(1 << 20);
	assert_non_null(p);
	*(volatile char *)p = 1;
	bool mapped = mallinfo2().hblks > before;
	free(p);
	return mapped;
}

static int
untuned_defaults(void)
{
	if (fastbin_blocks_after_churn() == 0)
		return 1;
	/* (before the mapped block: freeing one raises glibc's thresholds) */
	if (heap_top_kept_after_free() >= (1u << 20))
		return 2;
	if (!mib_block_is_mapped())
		return 3;
	return 0;
}

/* In a process started with GLIBC_TUNABLES naming the trim threshold
 * (glibc reads it only at start-up): that one is left as the user set it,
 * the others are tuned. */
static int
user_tunable_is_kept(void)
{
	if (allocator_tune() != ALLOCATOR_LEFT_TO_USER)
		return 1;
	if (heap_top_kept_after_free() >= (1u << 20))     /* theirs: 64 KiB */
		return 2;
	if (mib_block_is_mapped())                        /* ours */
		return 3;
	return fastbin_blocks_after_churn() == 0 ? 0 : 4;
}

static void
test_tuned_against_untuned(void **state)
{
	(void)state;
	if (SANITIZER_MALLOC)
		skip();
	unsetenv("GLIBC_TUNABLES");
	assert_int_equal(in_child(untuned_defaults), 0);
	assert_int_equal(allocator_tune(), ALLOCATOR_TUNED);
	assert_int_equal(fastbin_blocks_after_churn(), 0);
	assert_false(mib_block_is_mapped());
	assert_true(heap_top_kept_after_free() >= (size_t)(40 * (100 << 10)));
}

static void
test_user_setting_kept(void **state)
{
	(void)state;
	if (SANITIZER_MALLOC)
		skip();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "test_allocator", "--user-tunables", NULL };
		char *envp[] = { "GLIBC_TUNABLES=glibc.malloc.trim_threshold=65536", NULL };
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--user-tunables") == 0)
		return user_tunable_is_kept();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tuned_against_untuned),
		cmocka_unit_test(test_user_setting_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
