/*
 * log.c — ordertop's log: a mutex-protected ring of the last LOG_RING_LINES
 * lines (numbered 1, 2, 3 ... so the dashboard can ask for what is new),
 * copied to stderr while no dashboard owns the terminal and to --log-file.
 * Callable from any thread, including librdkafka's callbacks: it formats
 * on the caller's stack and holds the lock only to store and write a line.
 * Every line goes through the redactor (redact.h: no secret is logged)
 * and then text_sanitize (controls, escape sequences, bidi and zero-width
 * characters shown escaped, invalid UTF-8 as U+FFFD).
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "redact.h"
#include "text_sanitize.h"

/* A message is formatted whole up to here, redacted, then sanitized and
 * cut to LOG_LINE_MAX. */
#define LOG_RAW_MAX 2048

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_line log_ring[LOG_RING_LINES];
static uint64_t log_seq; /* last seq handed out */
static FILE *log_file;
static bool log_stderr_on = true;
static atomic_int log_level_max = LOG_INFO;

void
log_init(int level)
{
	log_set_level(level);
	log_to_stderr(true);
}

void
log_set_level(int level)
{
	if (level < LOG_ERROR)
		level = LOG_ERROR;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	atomic_store(&log_level_max, level);
}

void
log_to_stderr(bool on)
{
	pthread_mutex_lock(&log_lock);
	log_stderr_on = on;
	pthread_mutex_unlock(&log_lock);
}

int
log_open_file(const char *path)
{
	/* 0600: the log quotes order data.  O_CLOEXEC: --notify-exec
	 * children don't inherit it. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;

	if (f == NULL) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);

	pthread_mutex_lock(&log_lock);
	FILE *old = log_file;
	log_file = f;
	pthread_mutex_unlock(&log_lock);

	if (old != NULL)
		fclose(old);
	return 0;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	FILE *old = log_file;
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);

	if (old != NULL)
		fclose(old);
}

const char *
log_level_name(int level)
{
	switch (level) {
	case LOG_ERROR: return "error";
	case LOG_WARN: return "warn";
	case LOG_INFO: return "info";
	case LOG_DEBUG: return "debug";
	default: return "?";
	}
}

static void
log_write_to(FILE *f, const struct log_line *l)
{
	time_t secs = (time_t)(l->ts_ms / 1000);
	struct tm tm;
	char stamp[16];

	localtime_r(&secs, &tm);
	strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
	fprintf(f, "%s.%03d %-5s %s\n", stamp, (int)(l->ts_ms % 1000), log_level_name(l->level),
		l->text);
}

void
log_msg(int level, const char *source, const char *fmt, ...)
{
	if (level > atomic_load(&log_level_max))
		return;

	struct log_line line;
	struct timespec ts;
	char raw[LOG_RAW_MAX];
	int n = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	line.ts_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	line.level = level;

	if (source != NULL && *source != '\0')
		n = snprintf(raw, sizeof raw, "%s: ", source);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof raw) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
		va_end(ap);
	}
	raw[sizeof raw - 1] = '\0';
	redact_text(raw, sizeof raw);
	text_sanitize(line.text, sizeof line.text, raw, strlen(raw), -1);

	pthread_mutex_lock(&log_lock);
	line.seq = ++log_seq;
	log_ring[(line.seq - 1) % LOG_RING_LINES] = line;
	if (log_stderr_on)
		log_write_to(stderr, &line);
	if (log_file != NULL)
		log_write_to(log_file, &line);
	pthread_mutex_unlock(&log_lock);
}

void
log_print_error(const char *prefix, const char *msg)
{
	char raw[LOG_RAW_MAX], safe[LOG_RAW_MAX];

	snprintf(raw, sizeof raw, "%s", msg != NULL ? msg : "");
	redact_text(raw, sizeof raw);
	text_sanitize(safe, sizeof safe, raw, strlen(raw), -1);
	fprintf(stderr, "%s: %s\n", prefix, safe);
}

size_t
log_copy_since(uint64_t after, struct log_line *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&log_lock);
	uint64_t oldest = log_seq > LOG_RING_LINES ? log_seq - LOG_RING_LINES + 1 : 1;
	uint64_t seq = after >= oldest ? after + 1 : oldest;
	for (; after < log_seq && seq <= log_seq && n < max; seq++)
		out[n++] = log_ring[(seq - 1) % LOG_RING_LINES];
	pthread_mutex_unlock(&log_lock);
	return n;
}

uint64_t
log_last_seq(void)
{
	pthread_mutex_lock(&log_lock);
	uint64_t seq = log_seq;
	pthread_mutex_unlock(&log_lock);
	return seq;
}
