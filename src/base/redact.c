/*
 * redact.c — the one redactor (see redact.h).
 *
 * Remembered values live in a fixed table published with an atomic count
 * (written under a mutex, read without one), so log_msg on any thread can
 * redact without taking a lock.  Matching: every remembered value at
 * least REDACT_MIN_LEN long, anywhere in the text; then "KEY=VALUE" (and
 * KEY="VALUE", "KEY"=VALUE) where KEY is a secret key, the value running
 * to the closing quote, or else to white space, ',' or ';'.
 */
#include "redact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Substrings (case-insensitive) of property keys whose values are secret:
 * what librdkafka's CONFIGURATION.md marks sensitive (sasl.password,
 * sasl.oauthbearer.config, sasl.oauthbearer.client.secret, ssl.key.password,
 * ssl.key.pem, ssl_key, ssl.keystore.password, ssl.truststore.password)
 * and Java-style names for the same (sasl.jaas.config, *token*). */
static const char *const redact_key_parts[] = {
	"password", "secret",      "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "sasl.jaas",
	"token",    "private.key",
};

static pthread_mutex_t redact_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char *text;
	size_t len;
} redact_values[REDACT_SECRETS_MAX];
static atomic_size_t redact_count;

bool
redact_is_secret_key(const char *key)
{
	if (key == NULL)
		return false;
	for (size_t i = 0; i < sizeof redact_key_parts / sizeof *redact_key_parts; i++)
		if (strcasestr(key, redact_key_parts[i]) != NULL)
			return true;
	return false;
}

static void
redact_remember(const char *v, size_t len)
{
	size_t n = atomic_load(&redact_count);

	if (len < REDACT_MIN_LEN || n >= REDACT_SECRETS_MAX)
		return;
	for (size_t i = 0; i < n; i++)
		if (redact_values[i].len == len && memcmp(redact_values[i].text, v, len) == 0)
			return;
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return;
	memcpy(copy, v, len);
	copy[len] = '\0';
	redact_values[n].text = copy;
	redact_values[n].len = len;
	atomic_store(&redact_count, n + 1);
}

void
redact_add_property(const char *key, const char *value)
{
	if (!redact_is_secret_key(key) || value == NULL)
		return;
	pthread_mutex_lock(&redact_lock);
	redact_remember(value, strlen(value));
	/* Words, and what follows '=' in each: librdkafka quotes parts. */
	for (const char *p = value; *p != '\0';) {
		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		if (p == w)
			break;
		redact_remember(w, (size_t)(p - w));
		const char *eq = memchr(w, '=', (size_t)(p - w));
		if (eq != NULL)
			redact_remember(eq + 1, (size_t)(p - eq - 1));
	}
	pthread_mutex_unlock(&redact_lock);
}

void
redact_reset(void)
{
	pthread_mutex_lock(&redact_lock);
	size_t n = atomic_load(&redact_count);
	atomic_store(&redact_count, 0);
	for (size_t i = 0; i < n; i++) {
		free(redact_values[i].text);
		redact_values[i].text = NULL;
	}
	pthread_mutex_unlock(&redact_lock);
}

/* Replaces s[at, at+len) by the mask, within cap; returns the mask's end. */
static size_t
redact_replace(char *s, size_t cap, size_t at, size_t len)
{
	size_t total = strlen(s), mask = strlen(REDACT_MASK);
	size_t tail = total - at - len;

	if (at + mask >= cap) { /* no room: cut here */
		s[at] = '\0';
		return at;
	}
	if (at + mask + tail >= cap)
		tail = cap - 1 - at - mask;
	memmove(s + at + mask, s + at + len, tail);
	memcpy(s + at, REDACT_MASK, mask);
	s[at + mask + tail] = '\0';
	return at + mask;
}

static bool
redact_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/* KEY=VALUE for secret keys. */
static void
redact_pairs(char *s, size_t cap)
{
	char key[128];

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] != '=')
			continue;
		size_t e = i;
		if (e > 0 && (s[e - 1] == '"' || s[e - 1] == '\''))
			e--;
		size_t b = e;
		while (b > 0 && redact_key_char(s[b - 1]))
			b--;
		if (b == e || e - b >= sizeof key)
			continue;
		memcpy(key, s + b, e - b);
		key[e - b] = '\0';
		if (!redact_is_secret_key(key))
			continue;
		size_t v = i + 1, end;
		char q = s[v];
		if (q == '"' || q == '\'') {
			v++;
			const char *close = strchr(s + v, q);
			end = close ? (size_t)(close - s) : strlen(s);
		} else {
			end = v;
			while (s[end] != '\0' && !isspace((unsigned char)s[end]) && s[end] != ',' &&
			       s[end] != ';')
				end++;
		}
		if (end > v)
			i = redact_replace(s, cap, v, end - v) - 1;
	}
}

char *
redact_text(char *s, size_t cap)
{
	size_t n = atomic_load(&redact_count);

	if (s == NULL || cap == 0)
		return s;
	for (size_t k = 0; k < n; k++) {
		const char *v = redact_values[k].text;
		size_t len = redact_values[k].len;
		char *hit;
		size_t from = 0;

		while ((hit = strstr(s + from, v)) != NULL)
			from = redact_replace(s, cap, (size_t)(hit - s), len);
		/* A message cut inside a secret: its start at the end. */
		size_t total = strlen(s);
		if (total + 1 >= cap) {
			for (size_t l = len - 1; l >= REDACT_MIN_LEN; l--)
				if (total >= l && memcmp(s + total - l, v, l) == 0) {
					redact_replace(s, cap, total - l, l);
					break;
				}
		}
	}
	redact_pairs(s, cap);
	return s;
}
