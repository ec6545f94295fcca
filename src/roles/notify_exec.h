/*
 * notify_exec.h — delivering notifications through an external program
 * (--notify-exec PROG): PROG runs with no shell, the notification JSON on
 * its standard input, at most `concurrency` at a time, each killed after
 * `timeout_ms`; a failed delivery (spawn error, non-zero exit, signal,
 * timeout) is retried up to `retries` more times.  Each run has its own
 * process group, killed when the run ends or times out: nothing PROG
 * starts outlives its notification.  PROG may be a path or a
 * name looked up in PATH; arguments are split on spaces (no quoting).
 */
#ifndef ORDERTOP_NOTIFY_EXEC_H
#define ORDERTOP_NOTIFY_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>

struct notify_exec;

struct notify_job {
	const char *json; /* input for PROG */
	size_t len;
	/* results */
	bool ok;
	int attempts;    /* runs made, 1..retries+1 */
	char error[128]; /* last failure ("exit 3", "timed out after 5000 ms") */
};

/* Start-up check of PROG's first word, resolved as execvp would (a name
 * without '/' in PATH): 0 when it is an executable regular file, else -1
 * with a message naming it in err. */
int notify_exec_check(const char *prog, char *err, size_t errlen);

struct notify_exec *notify_exec_new(const char *prog, int concurrency, int timeout_ms, int retries);
void notify_exec_free(struct notify_exec *ne);

/* Runs every job (in parallel up to the concurrency limit, with retries)
 * and returns when all are done or *stop becomes true (unfinished jobs
 * are then left ok=false, error "stopped").  Returns the number ok. */
size_t notify_exec_run(struct notify_exec *ne, struct notify_job *jobs, size_t n,
		       const atomic_bool *stop);

#endif
