/*
 * test_log.c — unit tests for log.c: the ring (sequence numbers, wrapping,
 * log_copy_since), level filtering, display-safe text, the stderr and file
 * formats, four threads logging at once while a reader polls, the log
 * file's mode, and secrets redacted from every line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "redact.h"

static struct log_line lines[LOG_RING_LINES];

static int
setup(void **state)
{
	(void)state;
	log_init(LOG_INFO);
	log_to_stderr(false);
	return 0;
}

/* The one line logged since seq `after`. */
static const struct log_line *
only_line_since(uint64_t after)
{
	assert_int_equal(log_copy_since(after, lines, LOG_RING_LINES), 1);
	return &lines[0];
}

/* True when s looks like "HH:MM:SS.mmm ". */
static bool
has_timestamp(const char *s)
{
	static const char pattern[] = "dd:dd:dd.ddd ";

	for (size_t i = 0; i < sizeof pattern - 1; i++) {
		if (pattern[i] == 'd' ? (s[i] < '0' || s[i] > '9')
		                      : s[i] != pattern[i])
			return false;
	}
	return true;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_level_names(void **state)
{
	(void)state;
	assert_string_equal(log_level_name(LOG_ERROR), "error");
	assert_string_equal(log_level_name(LOG_WARN), "warn");
	assert_string_equal(log_level_name(LOG_INFO), "info");
	assert_string_equal(log_level_name(LOG_DEBUG), "debug");
	assert_string_equal(log_level_name(42), "?");
}

static void
test_basic_line(void **state)
{
	(void)state;
	uint64_t before = log_last_seq();

	log_info("engine", "started %d workers", 4);
	const struct log_line *l = only_line_since(before);
	assert_int_equal(l->seq, before + 1);
	assert_int_equal(log_last_seq(), before + 1);
	assert_int_equal(l->level, LOG_INFO);
	assert_string_equal(l->text, "engine: started 4 workers");
	assert_true(l->ts_ms > 1600000000000LL);

	/* No source: just the message. */
	log_error(NULL, "bare");
	assert_string_equal(only_line_since(before + 1)->text, "bare");
	log_error("", "bare too");
	assert_string_equal(only_line_since(before + 2)->text, "bare too");

	/* Asking past the end gives nothing. */
	assert_int_equal(log_copy_since(log_last_seq(), lines, 8), 0);
	assert_int_equal(log_copy_since(UINT64_MAX, lines, 8), 0);
}

static void
test_level_filter(void **state)
{
	(void)state;
	uint64_t before = log_last_seq();

	log_set_level(LOG_WARN);
	log_debug("t", "d");
	log_info("t", "i");
	log_warn("t", "w");
	log_error("t", "e");
	assert_int_equal(log_copy_since(before, lines, LOG_RING_LINES), 2);
	assert_string_equal(lines[0].text, "t: w");
	assert_int_equal(lines[0].level, LOG_WARN);
	assert_string_equal(lines[1].text, "t: e");
	assert_int_equal(lines[1].level, LOG_ERROR);

	before = log_last_seq();
	log_set_level(LOG_ERROR);
	log_warn("t", "w");
	log_error("t", "e");
	assert_string_equal(only_line_since(before)->text, "t: e");

	before = log_last_seq();
	log_set_level(LOG_DEBUG);
	log_debug("t", "d");
	assert_string_equal(only_line_since(before)->text, "t: d");

	/* Out-of-range levels clamp. */
	before = log_last_seq();
	log_set_level(99);
	log_debug("t", "still debug");
	assert_string_equal(only_line_since(before)->text, "t: still debug");
	log_set_level(-5);
	log_warn("t", "dropped");
	assert_int_equal(log_last_seq(), before + 1);
	log_set_level(LOG_INFO);
}

static void
test_sanitize(void **state)
{
	(void)state;
	uint64_t before = log_last_seq();

	log_warn("src\n", "a\x1b[31mb\nc\td\x7f" "e\r");
	assert_string_equal(only_line_since(before)->text,
	                    "src\\n: a\\x1b[31mb\\nc\\td\\x7fe\\r");

	/* UTF-8 text is kept; a C1 control (CSI, U+009B), a bidi override
	 * and invalid UTF-8 are not (the one sanitizer, text_sanitize). */
	before = log_last_seq();
	log_warn("kafka", "caf\xc3\xa9 \xc2\x9b" "2J ok \xe2\x80\xae \xff");
	assert_string_equal(only_line_since(before)->text,
	                    "kafka: caf\xc3\xa9 \\x9b2J ok \\u{202E} \xef\xbf\xbd");

	/* No control byte survives anywhere. */
	char all[40];
	for (int i = 1; i < 32; i++)
		all[i - 1] = (char)i;
	all[31] = '\0';
	before = log_last_seq();
	log_warn("x", "%s", all);
	const char *t = only_line_since(before)->text;
	for (const char *p = t; *p != '\0'; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void
test_truncation(void **state)
{
	(void)state;
	char big[LOG_LINE_MAX * 2];
	uint64_t before = log_last_seq();

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	log_info("long", "%s", big);
	const struct log_line *l = only_line_since(before);
	assert_int_equal(strlen(l->text), LOG_LINE_MAX - 1);
	assert_memory_equal(l->text, "long: xxx", 9);

	/* A multi-byte character cut by the limit is dropped whole. */
	for (int shift = 0; shift < 3; shift++) {
		char euro[LOG_LINE_MAX * 2] = "";
		size_t n = (size_t)shift;
		memset(euro, 'a', n);
		while (n + 3 < sizeof euro) {
			memcpy(euro + n, "\xe2\x82\xac", 3);
			n += 3;
		}
		euro[n] = '\0';
		before = log_last_seq();
		log_info(NULL, "%s", euro);
		l = only_line_since(before);
		size_t len = strlen(l->text);
		assert_true(len >= LOG_LINE_MAX - 3 && len <= LOG_LINE_MAX - 1);
		assert_true(len >= (size_t)shift &&
		            (len - (size_t)shift) % 3 == 0);
	}
}

static void
test_ring_wraps(void **state)
{
	(void)state;
	uint64_t start = log_last_seq();
	const int total = LOG_RING_LINES * 2 + 7;

	for (int i = 0; i < total; i++)
		log_info("wrap", "line %d", i);
	uint64_t last = log_last_seq();
	assert_int_equal(last, start + (uint64_t)total);

	/* Only the newest LOG_RING_LINES are kept, oldest first. */
	size_t n = log_copy_since(0, lines, LOG_RING_LINES);
	assert_int_equal(n, LOG_RING_LINES);
	assert_int_equal(lines[0].seq, last - LOG_RING_LINES + 1);
	for (size_t i = 1; i < n; i++)
		assert_int_equal(lines[i].seq, lines[i - 1].seq + 1);
	char want[64];
	snprintf(want, sizeof want, "wrap: line %d", total - 1);
	assert_string_equal(lines[n - 1].text, want);
	snprintf(want, sizeof want, "wrap: line %d", total - LOG_RING_LINES);
	assert_string_equal(lines[0].text, want);

	/* A reader that fell behind gets what is left. */
	n = log_copy_since(start, lines, LOG_RING_LINES);
	assert_int_equal(n, LOG_RING_LINES);
	assert_int_equal(lines[0].seq, last - LOG_RING_LINES + 1);

	/* Partial reads, and max. */
	n = log_copy_since(last - 5, lines, LOG_RING_LINES);
	assert_int_equal(n, 5);
	assert_int_equal(lines[0].seq, last - 4);
	n = log_copy_since(last - 100, lines, 10);
	assert_int_equal(n, 10);
	assert_int_equal(lines[0].seq, last - 99);
	assert_int_equal(lines[9].seq, last - 90);
	assert_int_equal(log_copy_since(0, lines, 0), 0);
}

#define THREADS 4
#define PER_THREAD 5000

static void *
writer(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (int i = 0; i < PER_THREAD; i++)
		log_msg(i % 2 ? LOG_INFO : LOG_WARN, "thread", "%d %d", id, i);
	return NULL;
}

struct reader_state {
	volatile int stop;
	uint64_t     from;
	uint64_t     seen;          /* lines read in order */
	int          bad;           /* seq out of order */
};

/* Polls like the dashboard: asks for what is new since its last seq. */
static void *
reader(void *arg)
{
	struct reader_state *r = arg;
	static struct log_line buf[64];
	uint64_t last = r->from;

	for (;;) {
		int stop = __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
		size_t n = log_copy_since(last, buf, 64);
		for (size_t i = 0; i < n; i++) {
			if (buf[i].seq <= last)
				r->bad++;
			if (i > 0 && buf[i].seq != buf[i - 1].seq + 1)
				r->bad++;
			last = buf[i].seq;
			r->seen++;
		}
		if (n == 0 && stop)
			break;
	}
	r->from = last;
	return NULL;
}

static void
test_threads(void **state)
{
	(void)state;
	pthread_t w[THREADS], rd;
	struct reader_state r = { 0 };
	uint64_t start = log_last_seq();

	r.from = start;
	assert_int_equal(pthread_create(&rd, NULL, reader, &r), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&w[i], NULL, writer,
		                                (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(w[i], NULL);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(rd, NULL);

	/* Every line got its own number. */
	assert_int_equal(log_last_seq(), start + THREADS * PER_THREAD);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.from, start + THREADS * PER_THREAD);
	assert_true(r.seen > 0 && r.seen <= THREADS * PER_THREAD);

	/* The ring holds the newest lines in seq order, each thread's lines
	 * in the order it wrote them, none torn. */
	size_t n = log_copy_since(start, lines, LOG_RING_LINES);
	assert_int_equal(n, LOG_RING_LINES);
	int next[THREADS];
	for (int i = 0; i < THREADS; i++)
		next[i] = -1;
	size_t counted = 0;
	for (size_t i = 0; i < n; i++) {
		int id, k;
		if (i > 0)
			assert_int_equal(lines[i].seq, lines[i - 1].seq + 1);
		assert_int_equal(sscanf(lines[i].text, "thread: %d %d", &id, &k), 2);
		assert_true(id >= 0 && id < THREADS);
		assert_true(k > next[id]);
		assert_int_equal(lines[i].level, k % 2 ? LOG_INFO : LOG_WARN);
		next[id] = k;
		counted++;
	}
	assert_int_equal(counted, LOG_RING_LINES);
	assert_int_equal(lines[n - 1].seq, start + THREADS * PER_THREAD);
}

static void
test_file_output(void **state)
{
	(void)state;
	char path[] = "/tmp/ordertop-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(log_open_file(path), 0);
	log_warn("fraud", "rule %s fired", "velocity");
	log_debug("fraud", "not at info level");
	log_error("kafka", "bad\x1b" "byte");
	/* Line-buffered: on disk before closing. */
	char *text = read_file(path);
	assert_non_null(strstr(text, "warn  fraud: rule velocity fired\n"));
	log_close();
	log_info("after", "close");                /* not written */
	free(text);

	text = read_file(path);
	char *second = strchr(text, '\n') + 1;
	assert_true(has_timestamp(text));
	assert_memory_equal(text + 13, "warn  fraud: rule velocity fired\n", 33);
	assert_true(has_timestamp(second));
	assert_string_equal(second + 13, "error kafka: bad\\x1bbyte\n");
	free(text);
	unlink(path);

	/* Appends, and reopening replaces the previous file. */
	assert_int_equal(log_open_file(path), 0);
	log_info("a", "1");
	assert_int_equal(log_open_file(path), 0);
	log_info("a", "2");
	log_close();
	log_close();                                /* harmless */
	text = read_file(path);
	assert_non_null(strstr(text, "info  a: 1\n"));
	assert_non_null(strstr(text, "info  a: 2\n"));
	free(text);
	unlink(path);

	errno = 0;
	assert_int_equal(log_open_file("/nonexistent/dir/x.log"), -1);
	assert_int_equal(errno, ENOENT);
}

static void
test_stderr_output(void **state)
{
	(void)state;
	char path[] = "/tmp/ordertop-err-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);

	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_to_stderr(true);
	log_info("monitor", "on stderr");
	log_to_stderr(false);
	log_info("monitor", "dashboard owns the terminal");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);

	char *text = read_file(path);
	assert_true(has_timestamp(text));
	assert_string_equal(text + 13, "info  monitor: on stderr\n");
	free(text);
	unlink(path);

	/* The ring got both. */
	uint64_t last = log_last_seq();
	assert_int_equal(log_copy_since(last - 2, lines, 8), 2);
	assert_string_equal(lines[1].text, "monitor: dashboard owns the terminal");
}

/* The log file is created 0600 (it quotes order data). */
static void
test_file_mode(void **state)
{
	(void)state;
	char dir[] = "/tmp/ordertop-logdir-XXXXXX", path[64];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.log", dir);
	mode_t old = umask(022);
	assert_int_equal(log_open_file(path), 0);
	umask(old);
	log_info("a", "1");
	log_close();
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	unlink(path);
	rmdir(dir);
}

/* No configured secret reaches the ring, stderr or the file, in either
 * form: the literal value anywhere, or KEY=VALUE for a secret key. */
static void
test_redaction(void **state)
{
	(void)state;
	char path[] = "/tmp/ordertop-redact-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	redact_add_property("sasl.oauthbearer.config", "principal=admin extension_k=S3CRET-oauth");
	redact_add_property("sasl.username", "alice-not-secret");
	assert_int_equal(log_open_file(path), 0);
	uint64_t before = log_last_seq();
	log_error("kafka", "Unrecognized sasl.oauthbearer.config beginning at: extension_k=S3CRET-oauth");
	assert_string_equal(only_line_since(before)->text,
	                    "kafka: Unrecognized sasl.oauthbearer.config beginning at: ***");
	before = log_last_seq();
	log_error("kafka", "token S3CRET-oauth, user alice-not-secret");
	assert_string_equal(only_line_since(before)->text,
	                    "kafka: token ***, user alice-not-secret");
	before = log_last_seq();
	log_warn("kafka", "conf: sasl.password=hunter22 ssl.key.password=\"pw two\" x=1");
	assert_string_equal(only_line_since(before)->text,
	                    "kafka: conf: sasl.password=*** ssl.key.password=\"***\" x=1");
	log_close();
	char *text = read_file(path);
	assert_null(strstr(text, "S3CRET"));
	assert_null(strstr(text, "hunter22"));
	free(text);

	/* An error printed outside the log: the same treatment. */
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_print_error("ordertop", "auth: beginning at: extension_k=S3CRET-oauth \x1b]0;t\a");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	text = read_file(path);
	assert_string_equal(text, "ordertop: auth: beginning at: *** \\x1b]0;t\\x07\n");
	free(text);
	unlink(path);
	redact_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_level_names, setup),
		cmocka_unit_test_setup(test_basic_line, setup),
		cmocka_unit_test_setup(test_level_filter, setup),
		cmocka_unit_test_setup(test_sanitize, setup),
		cmocka_unit_test_setup(test_truncation, setup),
		cmocka_unit_test_setup(test_ring_wraps, setup),
		cmocka_unit_test_setup(test_threads, setup),
		cmocka_unit_test_setup(test_file_output, setup),
		cmocka_unit_test_setup(test_stderr_output, setup),
		cmocka_unit_test_setup(test_file_mode, setup),
		cmocka_unit_test_setup(test_redaction, setup),
	};
	setlocale(LC_ALL, "C.UTF-8");           /* as main() sets the user's */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
