/*
 * test_notify_exec.c — running notification programs: input on stdin,
 * exit codes and stderr in the error, timeouts (the whole process group
 * killed), retries, programs that cannot be run, the concurrency limit,
 * a child that does not read its input (EPIPE, no SIGPIPE), stopping,
 * what a program leaves running killed with it, and the start-up check.
 * The programs are small shell scripts written to a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notify_exec.h"

static char dir[64];

static int64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* The whole file, malloc'd and terminated; NULL when missing. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

/* Reads every file of DIR/sub into texts (malloc'd); returns how many. */
static int
read_subdir(const char *sub, char **texts, size_t *lens, int max)
{
	char path[600];
	struct dirent *de;
	DIR *d;
	int k = 0;

	snprintf(path, sizeof path, "%s/%s", dir, sub);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL && k < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/%s", dir, sub, de->d_name);
		texts[k] = read_file(path, lens != NULL ? &lens[k] : NULL);
		assert_non_null(texts[k]);
		k++;
	}
	closedir(d);
	return k;
}

static void
script(const char *name, const char *body)
{
	char path[128], text[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(text, sizeof text, "#!/bin/sh\n%s", body);
	write_file(path, text, 0755);
}

/* fmt has up to two %s, both the temporary directory. */
static struct notify_exec *
prog(const char *fmt, int conc, int timeout_ms, int retries)
{
	char cmd[512];
	struct notify_exec *ne;

	snprintf(cmd, sizeof cmd, fmt, dir, dir);
	ne = notify_exec_new(cmd, conc, timeout_ms, retries);
	assert_non_null(ne);
	return ne;
}

static void
make_subdir(const char *name)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ordertop-ne.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	script("ok.sh", "cat > \"$1/out.$$\"\n");
	script("fail.sh", "cat > /dev/null\necho 'no route to customer' >&2\n"
	                  "echo 'second line' >&2\nexit 3\n");
	script("sleep.sh", "exec sleep 10\n");
	script("sleepbg.sh", "sleep 10 &\necho $! > \"$1/bgpid\"\nwait\n");
	script("leavebg.sh", "sleep 30 &\necho $! > \"$1/leftpid\"\ncat >/dev/null\nexit 0\n");
	script("flaky.sh", "n=$(cat \"$1\" 2>/dev/null || echo 0)\n"
	                   "n=$((n + 1))\necho $n > \"$1\"\n"
	                   "cat > /dev/null\n[ \"$n\" -ge 3 ]\n");
	script("conc.sh", "s=$(date +%s%N)\nsleep 0.3\ncat > /dev/null\n"
	                  "e=$(date +%s%N)\necho \"$s $e\" > \"$1/iv.$$\"\n");
	script("args.sh", "printf '%s|' \"$@\" > \"$1/args\"\n");
	script("noread.sh", "exit 0\n");
	/* exec: the mask and dispositions PROG was started with, read by
	 * the process itself (the shell's own /proc status, read by a child
	 * it forks, can catch it with every signal blocked around fork). */
	script("sig.sh", "exec grep -E '^Sig(Blk|Ign)' /proc/self/status > \"$1/sig\"\n");
	script("longerr.sh", "printf '\\n\\n%0300d\\n' 0 >&2\nexit 4\n");
	script("select.sh", "read x\n[ \"$x\" = fast ] && exit 0\n"
	                    "exec sleep 10\n");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_new_rejects_empty(void **state)
{
	(void)state;
	assert_null(notify_exec_new("", 1, 100, 0));
	assert_null(notify_exec_new("    ", 1, 100, 0));
	assert_null(notify_exec_new(NULL, 1, 100, 0));
	notify_exec_free(NULL);
}

static void
test_ok_stdin_delivered(void **state)
{
	enum { N = 6 };
	struct notify_exec *ne;
	struct notify_job jobs[N];
	char json[N][32], *texts[N + 1];
	int i, found, seen[N] = { 0 };

	(void)state;
	make_subdir("okout");
	ne = prog("%s/ok.sh %s/okout", 3, 5000, 0);
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < N; i++) {
		snprintf(json[i], sizeof json[i], "{\"n\":%d}", i);
		jobs[i].json = json[i];
		jobs[i].len = strlen(json[i]);
	}
	assert_int_equal(notify_exec_run(ne, jobs, N, NULL), N);
	for (i = 0; i < N; i++) {
		assert_true(jobs[i].ok);
		assert_int_equal(jobs[i].attempts, 1);
		assert_string_equal(jobs[i].error, "");
	}
	found = read_subdir("okout", texts, NULL, N + 1);
	assert_int_equal(found, N);
	for (i = 0; i < found; i++) {
		int n;

		assert_int_equal(sscanf(texts[i], "{\"n\":%d}", &n), 1);
		assert_true(n >= 0 && n < N);
		assert_string_equal(texts[i], json[n]);
		seen[n]++;
		free(texts[i]);
	}
	assert_int_equal(found, N);
	for (i = 0; i < N; i++)
		assert_int_equal(seen[i], 1);
	notify_exec_free(ne);
}

/* A megabyte of input: written without blocking, in pieces. */
static void
test_large_input(void **state)
{
	struct notify_exec *ne;
	struct notify_job job;
	char *big, *got;
	size_t len, i;

	(void)state;
	make_subdir("bigout");
	ne = prog("%s/ok.sh %s/bigout", 1, 10000, 0);
	len = 1024 * 1024;
	big = malloc(len);
	for (i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	memset(&job, 0, sizeof job);
	job.json = big;
	job.len = len;
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	assert_int_equal(read_subdir("bigout", &got, &i, 2), 1);
	assert_int_equal(i, len);
	assert_memory_equal(got, big, len);
	free(got);
	free(big);
	notify_exec_free(ne);
}

static void
test_exit_code_and_stderr(void **state)
{
	struct notify_exec *ne = prog("%s/fail.sh", 2, 5000, 2);
	struct notify_job job;

	(void)state;
	memset(&job, 0, sizeof job);
	job.json = "{}";
	job.len = 2;
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 0);
	assert_false(job.ok);
	assert_int_equal(job.attempts, 3);
	assert_string_equal(job.error, "exit 3: no route to customer");
	notify_exec_free(ne);

	/* A long message is cut to fit. */
	ne = prog("%s/longerr.sh", 1, 5000, 0);
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 0);
	assert_int_equal(strlen(job.error), sizeof job.error - 1);
	assert_memory_equal(job.error, "exit 4: 0000", 12);
	notify_exec_free(ne);
}

static void
test_timeout(void **state)
{
	struct notify_exec *ne = prog("%s/sleep.sh", 1, 200, 0);
	struct notify_job job;
	int64_t t0;

	(void)state;
	memset(&job, 0, sizeof job);
	t0 = ms_now();
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 0);
	assert_true(ms_now() - t0 < 3000);
	assert_true(ms_now() - t0 >= 200);
	assert_false(job.ok);
	assert_int_equal(job.attempts, 1);
	assert_string_equal(job.error, "timed out after 200 ms");
	notify_exec_free(ne);
}

static bool
process_gone(pid_t pid)
{
	char path[64], stat[512], *p;
	FILE *f;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	/* A zombie waiting for its new parent to reap it counts as gone. */
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return true;
	p = fgets(stat, sizeof stat, f);
	fclose(f);
	if (p == NULL)
		return true;
	p = strrchr(stat, ')');
	return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

/* The timeout kills what the program started as well. */
static void
test_timeout_kills_group(void **state)
{
	struct notify_exec *ne = prog("%s/sleepbg.sh %s", 1, 300, 0);
	struct notify_job job;
	char path[160], *text;
	pid_t bg;
	int i;

	(void)state;
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 0);
	assert_string_equal(job.error, "timed out after 300 ms");
	snprintf(path, sizeof path, "%s/bgpid", dir);
	text = read_file(path, NULL);
	assert_non_null(text);
	bg = (pid_t)atoi(text);
	free(text);
	assert_true(bg > 0);
	for (i = 0; i < 100 && !process_gone(bg); i++)
		usleep(10000);
	assert_true(process_gone(bg));
	notify_exec_free(ne);
}

/* A run that ends normally takes what it started with it (one orphan
 * per notification otherwise). */
static void
test_exit_kills_group(void **state)
{
	struct notify_exec *ne = prog("%s/leavebg.sh %s", 1, 5000, 0);
	struct notify_job job;
	char path[160], *text;
	pid_t bg;
	int i;

	(void)state;
	memset(&job, 0, sizeof job);
	job.json = "{}";
	job.len = 2;
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	assert_string_equal(job.error, "");
	snprintf(path, sizeof path, "%s/leftpid", dir);
	text = read_file(path, NULL);
	assert_non_null(text);
	bg = (pid_t)atoi(text);
	free(text);
	assert_true(bg > 0);
	for (i = 0; i < 100 && !process_gone(bg); i++)
		usleep(10000);
	assert_true(process_gone(bg));
	notify_exec_free(ne);
}

/* The start-up check: found as execvp would find it, executable. */
static void
test_check(void **state)
{
	char err[256], path[160], *old;

	(void)state;
	assert_int_equal(notify_exec_check("true --x", err, sizeof err), 0);
	assert_int_equal(notify_exec_check("  /bin/sh -c x", err, sizeof err), 0);
	assert_int_equal(notify_exec_check("ordertop-no-such-program-xyz a", err, sizeof err), -1);
	assert_string_equal(err, "--notify-exec ordertop-no-such-program-xyz: not found in PATH");
	assert_int_equal(notify_exec_check("/nonexistent/notify-prog", err, sizeof err), -1);
	assert_string_equal(err, "--notify-exec /nonexistent/notify-prog: No such file or directory");
	assert_int_equal(notify_exec_check("", err, sizeof err), -1);
	assert_int_equal(notify_exec_check(dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "Is a directory"));
	snprintf(path, sizeof path, "%s/plain.txt", dir);
	write_file(path, "hello\n", 0644);
	assert_int_equal(notify_exec_check(path, err, sizeof err), -1);
	assert_non_null(strstr(err, "Permission denied"));

	/* By name, in PATH; not executable there. */
	old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	snprintf(path, sizeof path, "/nonexistent:%s", dir);
	setenv("PATH", path, 1);
	assert_int_equal(notify_exec_check("leavebg.sh x", err, sizeof err), 0);
	assert_int_equal(notify_exec_check("plain.txt", err, sizeof err), -1);
	assert_string_equal(err, "--notify-exec plain.txt: found in PATH but not executable");
	if (old != NULL) {
		setenv("PATH", old, 1);
		free(old);
	}
}

static void
test_retries(void **state)
{
	struct notify_exec *ne;
	struct notify_job job;
	char path[160];

	(void)state;
	/* Fails twice, then succeeds: enough retries. */
	ne = prog("%s/flaky.sh %s/flaky1", 1, 5000, 3);
	memset(&job, 0, sizeof job);
	job.json = "{}";
	job.len = 2;
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	assert_true(job.ok);
	assert_int_equal(job.attempts, 3);
	assert_string_equal(job.error, "");
	notify_exec_free(ne);

	/* Not enough. */
	ne = prog("%s/flaky.sh %s/flaky2", 1, 5000, 1);
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 0);
	assert_false(job.ok);
	assert_int_equal(job.attempts, 2);
	assert_string_equal(job.error, "exit 1");
	notify_exec_free(ne);
	snprintf(path, sizeof path, "%s/flaky2", dir);
	{
		char *n = read_file(path, NULL);

		assert_string_equal(n, "2\n");
		free(n);
	}
}

static void
test_cannot_run(void **state)
{
	struct notify_exec *ne;
	struct notify_job jobs[2];
	char path[160];

	(void)state;
	ne = notify_exec_new("/nonexistent/notify-prog --x", 2, 1000, 2);
	memset(jobs, 0, sizeof jobs);
	assert_int_equal(notify_exec_run(ne, jobs, 2, NULL), 0);
	assert_false(jobs[0].ok);
	assert_int_equal(jobs[0].attempts, 3);
	assert_string_equal(jobs[0].error,
	                    "cannot run /nonexistent/notify-prog: "
	                    "No such file or directory");
	assert_int_equal(jobs[1].attempts, 3);
	notify_exec_free(ne);

	ne = notify_exec_new("ordertop-no-such-program-xyz", 1, 1000, 0);
	memset(jobs, 0, sizeof jobs);
	assert_int_equal(notify_exec_run(ne, jobs, 1, NULL), 0);
	assert_int_equal(jobs[0].attempts, 1);
	assert_string_equal(jobs[0].error,
	                    "cannot run ordertop-no-such-program-xyz: "
	                    "No such file or directory");
	notify_exec_free(ne);

	/* Not executable. */
	snprintf(path, sizeof path, "%s/plain.txt", dir);
	write_file(path, "hello\n", 0644);
	ne = notify_exec_new(path, 1, 1000, 0);
	memset(jobs, 0, sizeof jobs);
	assert_int_equal(notify_exec_run(ne, jobs, 1, NULL), 0);
	assert_non_null(strstr(jobs[0].error, "Permission denied"));
	notify_exec_free(ne);
}

/* Found in PATH; arguments split on (runs of) spaces. */
static void
test_path_and_args(void **state)
{
	struct notify_exec *ne;
	struct notify_job job;
	char cmd[256], path[160], *text;

	(void)state;
	ne = notify_exec_new("true", 1, 1000, 0);
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	notify_exec_free(ne);

	snprintf(cmd, sizeof cmd, "  %s/args.sh  %s   a,b  \"q\"  ", dir, dir);
	ne = notify_exec_new(cmd, 1, 1000, 0);
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	snprintf(path, sizeof path, "%s/args", dir);
	text = read_file(path, NULL);
	assert_non_null(text);
	snprintf(cmd, sizeof cmd, "%s|a,b|\"q\"|", dir);
	assert_string_equal(text, cmd);
	free(text);
	notify_exec_free(ne);
}

/* The child exits without reading a large input: EPIPE, no SIGPIPE. */
static void
test_child_not_reading(void **state)
{
	struct notify_exec *ne = prog("%s/noread.sh", 2, 5000, 0);
	struct notify_job jobs[4];
	size_t len = 4 * 1024 * 1024, i;
	char *big = malloc(len);
	sigset_t pending;

	(void)state;
	memset(big, 'x', len);
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < 4; i++) {
		jobs[i].json = big;
		jobs[i].len = len;
	}
	assert_int_equal(notify_exec_run(ne, jobs, 4, NULL), 4);
	sigpending(&pending);
	assert_false(sigismember(&pending, SIGPIPE));
	free(big);
	notify_exec_free(ne);
}

/* Children start with no signal blocked and SIGPIPE at its default, even
 * when the caller blocks signals and the process ignores SIGPIPE (as
 * ordertop's main does). */
static void
test_child_signals_reset(void **state)
{
	struct notify_exec *ne = prog("%s/sig.sh %s", 1, 5000, 0);
	struct notify_job job;
	struct sigaction ign, old_act;
	sigset_t usr1, old_mask;
	char path[160], *text, *blk, *sigign;
	unsigned long long ignored;

	(void)state;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old_act);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);
	memset(&job, 0, sizeof job);
	assert_int_equal(notify_exec_run(ne, &job, 1, NULL), 1);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGPIPE, &old_act, NULL);

	snprintf(path, sizeof path, "%s/sig", dir);
	text = read_file(path, NULL);
	assert_non_null(text);
	blk = strstr(text, "SigBlk:");
	sigign = strstr(text, "SigIgn:");
	assert_non_null(blk);
	assert_non_null(sigign);
	assert_int_equal(strtoull(blk + 7, NULL, 16), 0);
	ignored = strtoull(sigign + 7, NULL, 16);
	assert_false(ignored & (1ull << (SIGPIPE - 1)));
	free(text);
	notify_exec_free(ne);
}

/* No more than `concurrency` at once (and indeed several at once). */
static void
test_concurrency_limit(void **state)
{
	enum { N = 9, LIMIT = 3 };
	struct notify_exec *ne;
	struct notify_job jobs[N];
	long long start[N + 1], end[N + 1];
	int k, i, j, max = 0;
	char *texts[N + 1];

	(void)state;
	make_subdir("conc");
	ne = prog("%s/conc.sh %s/conc", LIMIT, 5000, 0);
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < N; i++) {
		jobs[i].json = "{}";
		jobs[i].len = 2;
	}
	assert_int_equal(notify_exec_run(ne, jobs, N, NULL), N);

	k = read_subdir("conc", texts, NULL, N + 1);
	for (i = 0; i < k; i++) {
		assert_int_equal(sscanf(texts[i], "%lld %lld", &start[i], &end[i]),
		                 2);
		free(texts[i]);
	}
	assert_int_equal(k, N);
	/* Runs overlapping each one's start. */
	for (i = 0; i < k; i++) {
		int at = 0;

		for (j = 0; j < k; j++)
			if (start[j] <= start[i] && end[j] > start[i])
				at++;
		if (at > max)
			max = at;
	}
	print_message("max simultaneous: %d (limit %d)\n", max, LIMIT);
	assert_true(max <= LIMIT);
	assert_true(max >= 2);
	notify_exec_free(ne);
}

struct stopper {
	atomic_bool *stop;
	int          after_ms;
};

static void *
stop_later(void *p)
{
	struct stopper *s = p;

	usleep((useconds_t)s->after_ms * 1000);
	atomic_store(s->stop, true);
	return NULL;
}

static void
test_stop(void **state)
{
	enum { N = 5 };
	struct notify_exec *ne = prog("%s/sleep.sh", 2, 0, 3);
	struct notify_job jobs[N];
	atomic_bool stop;
	struct stopper s = { &stop, 150 };
	pthread_t th;
	int64_t t0;
	int i;

	(void)state;
	atomic_init(&stop, false);
	memset(jobs, 0, sizeof jobs);
	t0 = ms_now();
	assert_int_equal(pthread_create(&th, NULL, stop_later, &s), 0);
	assert_int_equal(notify_exec_run(ne, jobs, N, &stop), 0);
	pthread_join(th, NULL);
	assert_true(ms_now() - t0 < 2000);
	for (i = 0; i < N; i++) {
		assert_false(jobs[i].ok);
		assert_string_equal(jobs[i].error, "stopped");
	}
	assert_int_equal(jobs[0].attempts, 1);
	assert_int_equal(jobs[N - 1].attempts, 0);

	/* Already stopped: nothing runs. */
	memset(jobs, 0, sizeof jobs);
	assert_int_equal(notify_exec_run(ne, jobs, N, &stop), 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(jobs[i].attempts, 0);
		assert_string_equal(jobs[i].error, "stopped");
	}
	assert_int_equal(notify_exec_run(ne, jobs, 0, &stop), 0);
	notify_exec_free(ne);
}

/* Finished jobs keep their result when a stop comes later. */
static void
test_stop_keeps_finished(void **state)
{
	struct notify_exec *ne = prog("%s/select.sh", 2, 0, 0);
	struct notify_job jobs[2];
	atomic_bool stop;
	struct stopper s = { &stop, 300 };
	pthread_t th;

	(void)state;
	atomic_init(&stop, false);
	memset(jobs, 0, sizeof jobs);
	jobs[0].json = "fast\n";
	jobs[0].len = 5;
	jobs[1].json = "slow\n";
	jobs[1].len = 5;
	assert_int_equal(pthread_create(&th, NULL, stop_later, &s), 0);
	assert_int_equal(notify_exec_run(ne, jobs, 2, &stop), 1);
	pthread_join(th, NULL);
	assert_true(jobs[0].ok);
	assert_string_equal(jobs[0].error, "");
	assert_false(jobs[1].ok);
	assert_string_equal(jobs[1].error, "stopped");
	notify_exec_free(ne);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_rejects_empty),
		cmocka_unit_test(test_ok_stdin_delivered),
		cmocka_unit_test(test_large_input),
		cmocka_unit_test(test_exit_code_and_stderr),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_exit_kills_group),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_retries),
		cmocka_unit_test(test_cannot_run),
		cmocka_unit_test(test_path_and_args),
		cmocka_unit_test(test_child_not_reading),
		cmocka_unit_test(test_child_signals_reset),
		cmocka_unit_test(test_concurrency_limit),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_stop_keeps_finished),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
