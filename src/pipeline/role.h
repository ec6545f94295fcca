/*
 * role.h — a role as the engine knows it: one table entry per role, as
 * tmux knows a command through its cmd_entry.  Each worker_*.c exports
 * one.  The engine calls prepare() of every role that runs here before it
 * starts any role's thread, then runs main() on a thread of its own, and
 * once the pipeline's stop flag is set joins the thread and calls free()
 * (also for a role that was prepared but never started).
 */
#ifndef ORDERTOP_ROLE_H
#define ORDERTOP_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "pipeline.h"

struct role {
	const char *name;        /* "fraud", as in --roles */
	const char *thread_name; /* for top -H and perf: "ot-fraud" */
	/* Whether this process runs the role. */
	bool (*runs_here)(const struct config *cfg);
	/* On the engine's thread, before any role's thread starts; *state is
	 * handed to main() and free().  0, or -1 with the reason.  NULL: none. */
	int (*prepare)(struct pipeline *p, void **state, char *err, size_t errlen);
	/* The role's thread: returns once pipeline_stopping(p). */
	void (*main)(struct pipeline *p, void *state);
	/* After main() returned, or when it never ran.  NULL: nothing to free. */
	void (*free)(void *state);
};

extern const struct role role_monitor;
extern const struct role role_fraud;
extern const struct role role_notifier;
extern const struct role role_producer;

#endif
