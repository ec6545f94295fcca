/*
 * keycode.c — one int per key (see keycode.h).
 */
#include "keycode.h"

#include <curses.h>

int
keycode_encode(int rc, wint_t wch)
{
	if (rc == KEY_CODE_YES)
		return (int)wch;
	if (wch < KEY_MIN)
		return (int)wch;
	return (int)wch | KEYCODE_WIDE;
}

int
keycode_char(int key)
{
	if (key & KEYCODE_WIDE)
		return key & ~KEYCODE_WIDE;
	if (key >= KEY_MIN)
		return -1;
	return key;
}

int
keycode_utf8(int ch, char out[KEYCODE_UTF8_MAX])
{
	int len = 0;
	if (ch < 0x80) {
		out[len++] = (char)ch;
	} else if (ch < 0x800) {
		out[len++] = (char)(0xC0 | (ch >> 6));
		out[len++] = (char)(0x80 | (ch & 0x3F));
	} else if (ch < 0x10000) {
		out[len++] = (char)(0xE0 | (ch >> 12));
		out[len++] = (char)(0x80 | ((ch >> 6) & 0x3F));
		out[len++] = (char)(0x80 | (ch & 0x3F));
	} else {
		out[len++] = (char)(0xF0 | (ch >> 18));
		out[len++] = (char)(0x80 | ((ch >> 12) & 0x3F));
		out[len++] = (char)(0x80 | ((ch >> 6) & 0x3F));
		out[len++] = (char)(0x80 | (ch & 0x3F));
	}
	return len;
}
