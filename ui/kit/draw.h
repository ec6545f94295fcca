/*
 * draw.h — small drawing and formatting helpers shared by the panes:
 * text cut to a number of columns without breaking wide characters, lines
 * padded to a width, times, ages, counts and rates in few columns.
 */
#ifndef ORDERTOP_UI_DRAW_H
#define ORDERTOP_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Draws display-safe text at y, x cut to maxw columns; returns columns used. */
int draw_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s);
/* Same, right-aligned so the text ends at column x_end (exclusive). */
int draw_text_right(WINDOW *w, int y, int x_end, int maxw, attr_t a, const char *s);
/* Spaces from x for n columns. */
void draw_fill(WINDOW *w, int y, int x, int n, attr_t a);
/* Sanitizes s (text_sanitize) and keeps its last maxw columns, prefixed
 * with `ellipsis` when cut. */
void draw_cut_left(char *dst, size_t len, const char *s, int maxw, const char *ellipsis);
/* Sanitizes s and cuts it to maxw columns, ending with `ellipsis` when cut. */
void draw_cut_right(char *dst, size_t len, const char *s, int maxw, const char *ellipsis);
/* Sanitizes untrusted bytes into dst (no column limit beyond maxw; -1 none). */
void draw_sanitize(char *dst, size_t len, const char *s, int maxw);

/* "12:34:56" (or "12:34:56.789" with ms) in local time. */
void fmt_time(char *buf, size_t len, int64_t ts_ms, int with_ms);
/* "850ms" "3.2s" "42s" "5m03" "2h10" "3d" */
void fmt_age(char *buf, size_t len, int64_t ms);
/* "999" "12.3k" "4.56M" */
void fmt_count(char *buf, size_t len, uint64_t n);
/* "0" "7.5" "123" "12.3k" */
void fmt_rate(char *buf, size_t len, double r);
/* "0.8ms" "12ms" "1.2s" */
void fmt_ms(char *buf, size_t len, double ms);

#endif

/* A border around w: line drawing, or plain ASCII (+-|) outside UTF-8
 * locales, where terminals and multiplexers disagree on ACS. */
void draw_box(WINDOW *w, attr_t a, bool line_drawing);

/* Writing one row left to right in segments; a selected row is drawn in
 * one attribute (the selection) from edge to edge. */
struct draw_row {
	WINDOW *w;
	int y, x, x0, maxx;
	bool selected;
	attr_t sel;
};
void draw_row_begin(struct draw_row *r, WINDOW *w, int y, int x, int width, bool selected,
		    attr_t sel);
/* Draws s (cut to the room left); returns columns drawn. */
int draw_row_put(struct draw_row *r, attr_t a, const char *s);
/* Draws s in exactly `cols` columns (cut or padded). */
void draw_row_col(struct draw_row *r, attr_t a, const char *s, int cols);
/* Same, right-aligned. */
void draw_row_rcol(struct draw_row *r, attr_t a, const char *s, int cols);
void draw_row_end(struct draw_row *r);
