/*
 * audit.h — --audit FILE: every message the monitor sees, as one JSON line
 * ({"ts","topic","partition","offset","key","order_id","status","headers",
 * "value"}), ready for jq or a log shipper.  A value that is JSON is kept as
 * JSON; anything else is kept as a string.  Every line is valid UTF-8: in
 * strings, bytes that are not UTF-8 (and NUL) become U+FFFD, and a key or
 * value that had any also gets "key_b64" / "value_b64" with its exact
 * bytes.  The file is created 0600.  Written by the monitor thread only.
 */
#ifndef ORDERTOP_AUDIT_H
#define ORDERTOP_AUDIT_H

#include <librdkafka/rdkafka.h>

struct audit;

struct audit *audit_open(const char *path, char *err, size_t errlen);
void audit_write(struct audit *a, const rd_kafka_message_t *m, const char *order_id,
		 const char *status);
void audit_flush(struct audit *a);
void audit_close(struct audit *a);

#endif
