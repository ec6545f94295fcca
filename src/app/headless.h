/*
 * headless.h — running without a terminal: a one-line status on stderr
 * every second, --duration, --drain (wait until every order this process
 * generated reached its final state, within --drain-timeout), a clean stop
 * on SIGINT/SIGTERM, and the --summary JSON at exit.
 */
#ifndef ORDERTOP_HEADLESS_H
#define ORDERTOP_HEADLESS_H

#include "config.h"
#include "engine.h"

/* Runs until done; the engine is still running on return (the caller stops
 * it).  Returns the exit code: 0, or 1 (fatal error, drain timed out). */
int headless_run(struct engine *e, const struct config *cfg);

/* Writes the summary JSON to path ("-" = stdout).  why: how the run ended. */
int headless_write_summary(struct engine *e, const char *path, const char *why, char *err,
			   size_t errlen);

#endif
