/*
 * header.h — the top of the screen: broker mode and health, counts,
 * end-to-end latency, generator state, rules version, per-topic rates with
 * sparklines, and the PAUSED banner.
 */
#ifndef ORDERTOP_UI_HEADER_H
#define ORDERTOP_UI_HEADER_H

struct dash;

/* Lines the header needs at this size. */
int header_height(int cols, int lines);
void header_draw(struct dash *d);

#endif
