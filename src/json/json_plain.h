/*
 * json_plain.h — how many bytes of a JSON string's content JSON takes as
 * they are: up to the first '"', '\' or control character (below 0x20).
 * The readers (flat_json.c, the decided order's splice) find a string's end
 * with it, and the writer (json_writer.c) the bytes it copies unescaped.
 *
 * Eight bytes at a time where the machine is little-endian: for each of
 * the three kinds of stop, (x - 0x01..) & ~x & 0x80.. marks the bytes
 * that are one (the lowest mark is always exact; a borrow can only add
 * marks above it), so the lowest mark of the three is the first stop.
 */
#ifndef ORDERTOP_JSON_PLAIN_H
#define ORDERTOP_JSON_PLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline size_t
json_plain_run(const char *p, size_t n)
{
	size_t i = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	for (; n - i >= 8; i += 8) {
		uint64_t x, quote, backslash;
		memcpy(&x, p + i, 8);
		quote = x ^ (ones * '"');
		backslash = x ^ (ones * '\\');
		uint64_t stops = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
			((x - ones * 0x20) & ~x);
		stops &= highs;
		if (stops != 0)
			return i + (size_t)(__builtin_ctzll(stops) >> 3);
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\' || c < 0x20)
			break;
	}
	return i;
}

#endif
