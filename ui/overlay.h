/*
 * overlay.h — the boxes drawn over the panes: help, order detail, the two
 * forms, the fatal-error notice.  Each one draws itself into d->win_ovl
 * (or its own windows) and takes every key while open.
 */
#ifndef ORDERTOP_UI_OVERLAY_H
#define ORDERTOP_UI_OVERLAY_H

struct dash;

/* help.c */
void help_draw(struct dash *d);
int  help_key(struct dash *d, int key);

/* detail.c */
int  detail_open(struct dash *d, const char *order_id);
void detail_close(struct dash *d);
void detail_refresh(struct dash *d);     /* re-reads the order (once a second) */
void detail_draw(struct dash *d);
int  detail_key(struct dash *d, int key);

/* form_order.c */
int  form_order_open(struct dash *d);
void form_order_draw(struct dash *d);
int  form_order_key(struct dash *d, int key);
void form_order_close(struct dash *d);

/* form_rule.c */
int  form_rule_open(struct dash *d, int rule);
void form_rule_draw(struct dash *d);
int  form_rule_key(struct dash *d, int key);
void form_rule_close(struct dash *d);

/* A centred overlay window of h x w (cut to the screen) in d->win_ovl. */
void overlay_window(struct dash *d, int h, int w);
/* Frame and title of the overlay window. */
void overlay_frame(struct dash *d, const char *title);
void overlay_close(struct dash *d);

#endif
