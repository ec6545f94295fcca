/*
 * explore_start.c — parsing a start position.  See explore_start.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "explore_start.h"

static const char accepted[] = "beginning, end, an offset, a time (2026-12-01T10:00[:SS][Z]), "
			       "@MS since the epoch, or -N[smhd] before now";

/* "-15m": the time that long before now. */
static int
parse_relative(const char *s, int64_t now_ms, int64_t *out)
{
	char *end;
	long long n = strtoll(s + 1, &end, 10);
	if (end == s + 1 || n < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	int64_t unit = end[0] == 's' ? 1000
		: end[0] == 'm'      ? 60000
		: end[0] == 'h'      ? 3600000
		: end[0] == 'd'      ? 86400000
				     : 0;
	if (unit == 0 || n > INT64_MAX / unit)
		return -1;
	*out = now_ms - n * unit;
	return 0;
}

/* "2026-12-01T10:00[:SS][Z]" (also with a space for T). */
static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *rest = strptime(s, "%Y-%m-%d", &tm);
	if (rest == NULL)
		return -1;
	if (*rest == 'T' || *rest == ' ') {
		const char *t = strptime(rest + 1, "%H:%M", &tm);
		if (t == NULL)
			return -1;
		rest = t;
		if (*rest == ':') {
			if (!isdigit((unsigned char)rest[1]) || !isdigit((unsigned char)rest[2]))
				return -1;
			tm.tm_sec = (rest[1] - '0') * 10 + (rest[2] - '0');
			if (tm.tm_sec > 60)
				return -1;
			rest += 3;
		}
	}
	bool utc = false;
	if (*rest == 'Z') {
		utc = true;
		rest++;
	}
	if (*rest != '\0')
		return -1;
	tm.tm_isdst = -1;
	time_t t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t * 1000;
	return 0;
}

int
explore_start_parse(const char *text, int64_t now_ms, struct explore_start *out, char *err,
		    size_t errlen)
{
	const char *s = text ? text : "";
	char *end;

	memset(out, 0, sizeof *out);
	if (strcmp(s, "beginning") == 0 || strcmp(s, "earliest") == 0) {
		out->kind = EXPLORE_START_BEGINNING;
		return 0;
	}
	if (strcmp(s, "end") == 0 || strcmp(s, "latest") == 0) {
		out->kind = EXPLORE_START_END;
		return 0;
	}
	if (isdigit((unsigned char)s[0]) && strchr(s, '-') == NULL) {
		long long n = strtoll(s, &end, 10);
		if (*end == '\0' && n >= 0) {
			out->kind = EXPLORE_START_OFFSET;
			out->value = n;
			return 0;
		}
	}
	out->kind = EXPLORE_START_TIME;
	if (s[0] == '@' && isdigit((unsigned char)s[1])) {
		long long n = strtoll(s + 1, &end, 10);
		if (*end == '\0' && n >= 0) {
			out->value = n;
			return 0;
		}
	} else if (s[0] == '-' && parse_relative(s, now_ms, &out->value) == 0) {
		return 0;
	} else if (isdigit((unsigned char)s[0]) && parse_date(s, &out->value) == 0) {
		return 0;
	}
	snprintf(err, errlen, "'%.64s' is not a start: give %s", s, accepted);
	return -1;
}

void
explore_start_text(const struct explore_start *s, char *buf, size_t len)
{
	switch (s->kind) {
	case EXPLORE_START_BEGINNING: snprintf(buf, len, "beginning"); break;
	case EXPLORE_START_END: snprintf(buf, len, "end"); break;
	case EXPLORE_START_OFFSET: snprintf(buf, len, "offset %" PRId64, s->value); break;
	case EXPLORE_START_TIME: {
		time_t t = (time_t)(s->value / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
		break;
	}
	}
}
