/*
 * explorer.h — the dashboard's second screen, the cluster explorer (`x`):
 * Topics, Consumer groups and Messages views of the cluster the pipeline
 * runs on, the Produce form, and the re-drive and offset-reset actions.
 * Its Kafka calls run on explore_worker.h's thread; the UI thread only
 * queues jobs and takes replies when explorer_fd() is readable.
 */
#ifndef ORDERTOP_UI_EXPLORER_H
#define ORDERTOP_UI_EXPLORER_H

#include <stdbool.h>

struct dash;

/* Switches between the pipeline screen and the explorer: DIRTY_* bits. */
int explorer_toggle(struct dash *d);
/* A key while the explorer is shown and no overlay is open: DIRTY_* bits,
 * or -1 when the key is the dashboard's (q, ?, x, ...). */
int explorer_key(struct dash *d, int key);
/* Draws the explorer screen (below it, the footer is footer.c's). */
void explorer_draw(struct dash *d);
/* Readable when the worker has replies; -1 when not started. */
int explorer_fd(const struct dash *d);
/* Takes the worker's replies into the views: DIRTY_* bits. */
int explorer_pump(struct dash *d);
/* Once a second: live refreshes. */
void explorer_tick(struct dash *d);
/* Stops the worker and frees everything (at exit). */
void explorer_free(struct dash *d);

#endif
