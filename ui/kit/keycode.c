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
