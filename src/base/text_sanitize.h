/*
 * text_sanitize.h — turning untrusted message bytes into text that is safe
 * to put on a terminal: control characters and escape sequences shown
 * escaped (\x1b, \n), invalid UTF-8 replaced by U+FFFD, and the result cut
 * to a number of display columns (wide characters measured with wcwidth).
 * Needs setlocale(LC_CTYPE, "") with a UTF-8 locale for wide characters;
 * in other locales every non-ASCII byte is shown escaped.
 */
#ifndef ORDERTOP_TEXT_SANITIZE_H
#define ORDERTOP_TEXT_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Writes at most dstlen-1 bytes plus NUL to dst.  max_cols < 0 means no
 * column limit.  When cut, the text ends with "…" (or "..." outside UTF-8),
 * within max_cols.  Newlines and tabs are shown as \n and \t.
 * Returns the display columns used.
 */
int text_sanitize(char *dst, size_t dstlen, const void *src, size_t srclen, int max_cols);

/* True when the n bytes at s are valid UTF-8 (no overlong forms,
 * surrogates or code points above U+10FFFF) and hold no NUL. */
bool text_utf8_valid(const void *s, size_t n);

/* Copies the n bytes at s to dst as valid UTF-8 without NUL: each byte
 * that starts no valid sequence, and each NUL, becomes U+FFFD.  dst needs
 * room for 3 * n + 1 bytes.  Returns the length written (NUL not counted). */
size_t text_utf8_repair(char *dst, const void *s, size_t n);

/* Display columns of an already-sanitized UTF-8 string. */
int text_width(const char *s);

/* Cuts an already-sanitized string in place to at most max_cols columns
 * (no ellipsis); returns the columns kept. */
int text_truncate(char *s, int max_cols);

#endif
