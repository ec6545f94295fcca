/*
 * explore_start.h — where to start reading a topic, or where to move a
 * group: the beginning, the end, an offset, or a time given as
 * "2026-12-01T10:00" (local time; a trailing Z for UTC), "@MS" (ms since
 * the epoch), or relative to now ("-15m", "-2h", "-30s", "-1d").
 * Pure parsing; explore_seek.h turns a start into offsets.
 */
#ifndef ORDERTOP_EXPLORE_START_H
#define ORDERTOP_EXPLORE_START_H

#include <stddef.h>
#include <stdint.h>

enum explore_start_kind {
	EXPLORE_START_BEGINNING, /* "beginning", "earliest" */
	EXPLORE_START_END,       /* "end", "latest" */
	EXPLORE_START_OFFSET,    /* "1234" */
	EXPLORE_START_TIME,      /* value: ms since the epoch */
};

struct explore_start {
	enum explore_start_kind kind;
	int64_t value; /* the offset, or the time in ms */
};

/* 0, or -1 with err saying what is accepted.  now_ms anchors "-15m". */
int explore_start_parse(const char *text, int64_t now_ms, struct explore_start *out, char *err,
			size_t errlen);
/* "beginning", "end", "offset 12", "2026-12-01T10:00:00Z" (UTC). */
void explore_start_text(const struct explore_start *s, char *buf, size_t len);

#endif
