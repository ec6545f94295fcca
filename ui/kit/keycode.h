/*
 * keycode.h — keys as one int: curses KEY_* codes as they are, characters
 * below KEY_MIN as themselves and other characters offset by KEYCODE_WIDE.
 * Shared by the key table, the forms and the filter prompt.
 */
#ifndef ORDERTOP_UI_KEYCODE_H
#define ORDERTOP_UI_KEYCODE_H

#include <wchar.h>

#define KEYCODE_WIDE    0x40000000
#define KEYCODE_CTRL(c) ((c)&0x1f)

/* From wget_wch's result (OK / KEY_CODE_YES) and value. */
int keycode_encode(int rc, wint_t wch);
/* The character of a key, or -1 for a function key. */
int keycode_char(int key);

#define KEYCODE_UTF8_MAX 4
/* A character (keycode_char's result) in UTF-8 into out; its length. */
int keycode_utf8(int ch, char out[KEYCODE_UTF8_MAX]);

#endif
