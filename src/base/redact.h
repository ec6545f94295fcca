/*
 * redact.h — keeping secrets out of every text ordertop prints or logs.
 * Which librdkafka properties hold secrets (passwords, keys, tokens, the
 * OAUTHBEARER and JAAS configs), and a redactor that replaces, in a
 * message, both "KEY=VALUE" for such a key and any literal occurrence of a
 * configured secret value by "***".  log_msg runs every line through it;
 * so do the error messages printed outside the log.
 */
#ifndef ORDERTOP_REDACT_H
#define ORDERTOP_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACT_MASK        "***"
#define REDACT_MIN_LEN     4 /* shorter values are not matched literally */
#define REDACT_SECRETS_MAX 64

/* True for librdkafka property keys whose values are secret. */
bool redact_is_secret_key(const char *key);

/* Remembers the value of a secret property (key is checked with
 * redact_is_secret_key; others are ignored), and, for space-separated
 * values such as sasl.oauthbearer.config, each of its words and the part
 * after '=' in each.  Thread-safe; a value is remembered once. */
void redact_add_property(const char *key, const char *value);

/* Replaces secrets in the NUL-terminated s (cap bytes of room) in place;
 * returns s.  When s fills its buffer (a message cut short), a trailing
 * start of a secret is replaced too.  Thread-safe. */
char *redact_text(char *s, size_t cap);

/* Forgets every remembered value (tests; not while others redact). */
void redact_reset(void);

#endif
