/*
 * tsan_c11threads.c — makes librdkafka's threads and locks visible to
 * ThreadSanitizer.  Debian's librdkafka uses C11 threads (thrd_create,
 * mtx_lock, cnd_wait from glibc), which GCC 12's TSan runtime does not
 * intercept: it crashes in the first librdkafka thread and could not see
 * librdkafka's locks.  In a -fsanitize=thread build these definitions
 * interpose glibc's and forward to the pthread calls TSan does intercept;
 * glibc implements the C11 calls on the very same pthread objects, so the
 * behaviour is unchanged.  In any other build this file is empty.
 */
#if defined(__SANITIZE_THREAD__)
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

struct trampoline { thrd_start_t fn; void *arg; };

static void *
run_trampoline(void *p)
{
	struct trampoline t = *(struct trampoline *)p;
	free(p);
	return (void *)(intptr_t)t.fn(t.arg);
}

int
thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
	struct trampoline *t = malloc(sizeof *t);
	if (t == NULL)
		return thrd_nomem;
	t->fn = fn;
	t->arg = arg;
	int rc = pthread_create((pthread_t *)thr, NULL, run_trampoline, t);
	if (rc != 0) {
		free(t);
		return rc == ENOMEM || rc == EAGAIN ? thrd_nomem : thrd_error;
	}
	return thrd_success;
}

int
thrd_join(thrd_t thr, int *res)
{
	void *ret;
	if (pthread_join((pthread_t)thr, &ret) != 0)
		return thrd_error;
	if (res)
		*res = (int)(intptr_t)ret;
	return thrd_success;
}

int
thrd_detach(thrd_t thr)
{
	return pthread_detach((pthread_t)thr) == 0 ? thrd_success : thrd_error;
}

int
mtx_init(mtx_t *m, int type)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	if (type & mtx_recursive)
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	int rc = pthread_mutex_init((pthread_mutex_t *)m, &a);
	pthread_mutexattr_destroy(&a);
	return rc == 0 ? thrd_success : thrd_error;
}

int mtx_lock(mtx_t *m) { return pthread_mutex_lock((pthread_mutex_t *)m) == 0 ? thrd_success : thrd_error; }
int mtx_unlock(mtx_t *m) { return pthread_mutex_unlock((pthread_mutex_t *)m) == 0 ? thrd_success : thrd_error; }
void mtx_destroy(mtx_t *m) { pthread_mutex_destroy((pthread_mutex_t *)m); }

int
mtx_trylock(mtx_t *m)
{
	int rc = pthread_mutex_trylock((pthread_mutex_t *)m);
	return rc == 0 ? thrd_success : rc == EBUSY ? thrd_busy : thrd_error;
}

int cnd_init(cnd_t *c) { return pthread_cond_init((pthread_cond_t *)c, NULL) == 0 ? thrd_success : thrd_error; }
int cnd_signal(cnd_t *c) { return pthread_cond_signal((pthread_cond_t *)c) == 0 ? thrd_success : thrd_error; }
int cnd_broadcast(cnd_t *c) { return pthread_cond_broadcast((pthread_cond_t *)c) == 0 ? thrd_success : thrd_error; }
void cnd_destroy(cnd_t *c) { pthread_cond_destroy((pthread_cond_t *)c); }

int
cnd_wait(cnd_t *c, mtx_t *m)
{
	return pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m) == 0 ? thrd_success : thrd_error;
}

int
cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts)
{
	int rc = pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, ts);
	return rc == 0 ? thrd_success : rc == ETIMEDOUT ? thrd_timedout : thrd_error;
}
#else
typedef int tsan_c11threads_unused;   /* ISO C forbids an empty file */
#endif
