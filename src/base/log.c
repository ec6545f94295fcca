/*
 * log.c — ordertop's log: a mutex-protected ring of the last LOG_RING_LINES
 * lines (numbered 1, 2, 3 ... so the dashboard can ask for what is new),
 * copied to stderr while no dashboard owns the terminal and to --log-file.
 * Callable from any thread, including librdkafka's callbacks: it formats
 * on the caller's stack and holds the lock only to store and write a line.
 */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_line log_ring[LOG_RING_LINES];
static uint64_t        log_seq;              /* last seq handed out */
static FILE           *log_file;
static bool            log_stderr_on = true;
static atomic_int      log_level_max = LOG_INFO;

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
	/* "e": O_CLOEXEC, so --notify-exec children don't inherit it. */
	FILE *f = fopen(path, "ae");

	if (f == NULL)
		return -1;
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
	case LOG_WARN:  return "warn";
	case LOG_INFO:  return "info";
	case LOG_DEBUG: return "debug";
	default:        return "?";
	}
}

/*
 * Makes s safe to put on a terminal: ASCII control characters, DEL and the
 * UTF-8 encodings of C1 controls (U+0080..U+009F) become '?', and a UTF-8
 * sequence cut short by truncation at the end is dropped.
 */
static void
log_make_safe(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			p[i] = '?';
		else if (p[i] == 0xc2 && i + 1 < len &&
		         p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			p[i] = '?';
			p[i + 1] = '?';
			i++;
		}
	}

	/* Drop an incomplete multi-byte sequence at the end. */
	size_t start = len, cont = 0;
	while (start > 0 && cont < 4 && (p[start - 1] & 0xc0) == 0x80) {
		start--;
		cont++;
	}
	if (start > 0 && p[start - 1] >= 0xc0) {
		unsigned char lead = p[start - 1];
		size_t need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
		if (cont < need)
			p[start - 1] = '\0';
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
	fprintf(f, "%s.%03d %-5s %s\n", stamp, (int)(l->ts_ms % 1000),
	        log_level_name(l->level), l->text);
}

void
log_msg(int level, const char *source, const char *fmt, ...)
{
	if (level > atomic_load(&log_level_max))
		return;

	struct log_line line;
	struct timespec ts;
	int n = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	line.ts_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	line.level = level;

	if (source != NULL && *source != '\0')
		n = snprintf(line.text, sizeof line.text, "%s: ", source);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof line.text) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(line.text + n, sizeof line.text - (size_t)n, fmt, ap);
		va_end(ap);
	}
	line.text[sizeof line.text - 1] = '\0';
	log_make_safe(line.text);

	pthread_mutex_lock(&log_lock);
	line.seq = ++log_seq;
	log_ring[(line.seq - 1) % LOG_RING_LINES] = line;
	if (log_stderr_on)
		log_write_to(stderr, &line);
	if (log_file != NULL)
		log_write_to(log_file, &line);
	pthread_mutex_unlock(&log_lock);
}

size_t
log_copy_since(uint64_t after, struct log_line *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&log_lock);
	uint64_t oldest = log_seq > LOG_RING_LINES ?
	                  log_seq - LOG_RING_LINES + 1 : 1;
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
