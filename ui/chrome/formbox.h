/*
 * formbox.h — a modal dialog of labelled text fields built on the curses
 * form library (formw): Tab / Shift-Tab move between fields, every field is
 * checked where it is typed (a callback), its error shown beside it and in
 * full on the dialog's last line; leaving or submitting an invalid field
 * is refused.  Enter submits, Esc cancels.  The first character typed in a
 * field replaces what it held.
 */
#ifndef ORDERTOP_UI_FORMBOX_H
#define ORDERTOP_UI_FORMBOX_H

#include <curses.h>
#include <form.h>
#include <stdbool.h>
#include <stddef.h>

struct dash;

#define FORMBOX_FIELDS_MAX 8
#define FORMBOX_TEXT_MAX   128
#define FORMBOX_ERR_MAX    160

/* 0 when valid, else -1 with a short reason in err. */
typedef int (*formbox_check_fn)(struct dash *d, void *ctx, int field, const char *text, char *err,
				size_t errlen);

enum formbox_result {
	FORMBOX_CONTINUE = 0,
	FORMBOX_SUBMIT,
	FORMBOX_CANCEL,
	FORMBOX_QUIT, /* Ctrl-C */
};

struct formbox {
	char title[64];
	int n;
	const char *labels[FORMBOX_FIELDS_MAX];
	int widths[FORMBOX_FIELDS_MAX]; /* visible columns */
	int maxlen[FORMBOX_FIELDS_MAX]; /* bytes */
	char init[FORMBOX_FIELDS_MAX][FORMBOX_TEXT_MAX];
	formbox_check_fn check;
	void *ctx;
	char note[FORMBOX_ERR_MAX]; /* line above the status line */

	/* Filled by formbox_open */
	FIELD *fields[FORMBOX_FIELDS_MAX + 1];
	FORM *form;
	WINDOW *win, *sub;
	bool posted;
	int label_w, field_w;
	char errors[FORMBOX_FIELDS_MAX][FORMBOX_ERR_MAX];
	bool checked[FORMBOX_FIELDS_MAX]; /* re-checked on every key once set */
	bool fresh;                       /* next character replaces the text */
	char status[FORMBOX_ERR_MAX];
	int status_role;
};

/* Creates the fields and the window (title, labels, widths, init, check set). */
int formbox_open(struct formbox *fb, struct dash *d);
void formbox_close(struct formbox *fb);
/* After a resize: moves the dialog to the new centre. */
void formbox_relayout(struct formbox *fb, struct dash *d);
enum formbox_result formbox_key(struct formbox *fb, struct dash *d, int key);
void formbox_draw(struct formbox *fb, struct dash *d);
/* The text of a field, without the padding blanks. */
void formbox_value(struct formbox *fb, int field, char *buf, size_t len);
int formbox_current(const struct formbox *fb);

#endif
