/*
 * summary.h — the --summary file (FILE, or "-" for standard output): its
 * destination checked at start-up, so an unusable one stops ordertop
 * before the run, and the text written with every error reported (a full
 * disk, a closed or broken standard output).  A file is created 0600.
 */
#ifndef ORDERTOP_SUMMARY_H
#define ORDERTOP_SUMMARY_H

#include <stddef.h>

/* 0 when path can be written (a file it may create, an existing file it
 * may open for writing, or an open standard output); else -1 with the
 * reason in err.  Leaves no file behind. */
int summary_check(const char *path, char *err, size_t errlen);

/* Replaces path's contents with text (or writes it to standard output);
 * 0, or -1 with the reason in err. */
int summary_write(const char *path, const char *text, char *err, size_t errlen);

#endif
