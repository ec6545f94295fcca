/*
 * text_join.h — a line made of pieces, without printf: for the short texts
 * written once per record (a notification's message, a fraud rule's
 * reason).  What snprintf(buf, len, "%s%s...", pieces...) writes, cut to
 * len - 1 bytes the same way, NUL-terminated; returns the length written.
 */
#ifndef ORDERTOP_TEXT_JOIN_H
#define ORDERTOP_TEXT_JOIN_H

#include <stddef.h>

size_t text_join(char *buf, size_t len, const char *const *pieces, size_t n);

#endif
