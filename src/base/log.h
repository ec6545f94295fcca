/*
 * log.h — ordertop's log: one place every thread (and librdkafka, through
 * its log callback) writes to.  Lines go to a bounded in-memory ring that
 * the dashboard shows, to stderr when no dashboard owns the terminal, and
 * to --log-file when given.  Thread-safe; never blocks on the UI.
 */
#ifndef ORDERTOP_LOG_H
#define ORDERTOP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG
};

#define LOG_LINE_MAX   240
#define LOG_RING_LINES 512

struct log_line {
	uint64_t seq; /* 1, 2, 3 ... */
	int64_t ts_ms;
	int level;
	char text[LOG_LINE_MAX]; /* "source: message", display-safe */
};

void log_init(int level);
void log_set_level(int level);
void log_to_stderr(bool on);         /* the dashboard turns this off */
int log_open_file(const char *path); /* -1 on error (errno set) */
void log_close(void);

void log_msg(int level, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(src, ...) log_msg(LOG_ERROR, src, __VA_ARGS__)
#define log_warn(src, ...)  log_msg(LOG_WARN, src, __VA_ARGS__)
#define log_info(src, ...)  log_msg(LOG_INFO, src, __VA_ARGS__)
#define log_debug(src, ...) log_msg(LOG_DEBUG, src, __VA_ARGS__)

/* Prints "prefix: msg" on stderr outside the log (start-up and exit
 * errors that may quote librdkafka), redacted and sanitized as a log line
 * is. */
void log_print_error(const char *prefix, const char *msg);

/* Copies the lines with seq > after (oldest first), at most max; returns
 * how many.  The dashboard polls this with the last seq it has. */
size_t log_copy_since(uint64_t after, struct log_line *out, size_t max);
uint64_t log_last_seq(void);
const char *log_level_name(int level);

#endif
