/*
 * xp.h — the explorer's state shared by its files (ui/explore): the
 * views (each a `const struct xp_view` as the panes are pane_defs), the
 * worker, the data each view shows, the one-line prompt.  Only the UI
 * thread touches it.
 */
#ifndef ORDERTOP_UI_XP_H
#define ORDERTOP_UI_XP_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "explore_worker.h"
#include "overlay.h"

struct dash;
struct explorer;

enum xp_view_id {
	XP_TOPICS,
	XP_GROUPS,
	XP_MESSAGES,
	XP__VIEWS
};

/* Records kept by the Messages view: older ones are dropped. */
#define XP_KEEP 1000
/* Groups: a lag older than this (or this many records) stands out. */
#define XP_BEHIND_MS      10000
#define XP_BEHIND_RECORDS 10000
/* How long an action's failure stays on the status line. */
#define XP_ACTION_ERROR_MS 15000

struct xp_view {
	const char *name; /* "Topics" */
	const char *hint; /* footer keys: "k:what|..." */
	/* Draws the body (h x w at y, x of win). */
	void (*draw)(struct dash *d, struct explorer *x, WINDOW *win, int y, int x0, int h, int w);
	/* Keys of this view: DIRTY_* bits, or -1 when not handled. */
	int (*key)(struct dash *d, struct explorer *x, int key);
	/* A reply of the worker for this view (r stays the caller's). */
	void (*reply)(struct dash *d, struct explorer *x, struct explore_reply *r);
	/* Shown (again): asks the worker for fresh data when due. */
	void (*fetch)(struct dash *d, struct explorer *x, bool force);
};

extern const struct xp_view xp_topics_view;   /* xp_topics.c */
extern const struct xp_view xp_groups_view;   /* xp_groups.c */
extern const struct xp_view xp_messages_view; /* xp_messages.c */

/* What the prompt's text is for. */
enum xp_prompt_kind {
	XP_PROMPT_NONE,
	XP_PROMPT_TOPIC_FILTER,
	XP_PROMPT_JQ,
	XP_PROMPT_START,
	XP_PROMPT_PARTITION,
	XP_PROMPT_TOPIC,
	XP_PROMPT_RESET_TO,
	XP_PROMPT_TRANSFORM, /* re-drive: the jq transform */
	XP_PROMPT_COMMAND,
};

struct explorer {
	struct explore_worker *w;
	char werr[256]; /* the worker could not start */
	enum xp_view_id view;
	bool show_internal;
	char status[512]; /* the view's "loading…" / error line */
	bool status_error;
	/* An action's failure stays on the status line until then (mono_ms),
	 * over the views' refreshes. */
	int64_t status_kept_until;

	/* Topics */
	struct explore_topic_list topics;
	bool have_topics;
	uint64_t topics_job;
	int64_t topics_at;
	char topic_filter[128];
	int topic_sort; /* 0 name, 1 records, 2 partitions */
	int topic_sel, topic_top;

	/* Groups */
	struct explore_group_list groups;
	bool have_groups;
	uint64_t groups_job;
	int64_t groups_at;
	int *group_order; /* indices by lag */
	int group_sel, group_top;

	/* Messages: a ring of the latest XP_KEEP records read */
	char msg_topic[EXPLORE_NAME_MAX];
	int32_t msg_partition;
	char msg_start_text[64];
	struct explore_start msg_start;
	char msg_jq[EXPLORE_JQ_MAX];
	bool msg_tail;
	uint64_t msg_job;
	bool msg_loading, msg_at_end;
	struct explore_record *recs;
	size_t n_recs, head; /* head: index of the oldest */
	uint64_t dropped;
	size_t scanned;
	int64_t remaining;
	int msg_sel, msg_top;
	bool msg_follow_view; /* the selection stays on the newest */

	/* Actions in flight */
	uint64_t produce_job, reset_job, reset_exec_job, redrive_job, redrive_exec_job;

	/* The prompt on the screen's last body line */
	enum xp_prompt_kind prompt;
	char prompt_label[64];
	char prompt_buf[EXPLORE_JQ_MAX];
	size_t prompt_len;
	char reset_group[EXPLORE_NAME_MAX];
	char redrive_where[EXPLORE_JQ_MAX]; /* the re-drive's pick, "" all */
};

/* explorer.c */
struct explorer *xp_get(struct dash *d);
/* Queues j; the footer says so when the queue is full.  The job's id. */
uint64_t xp_submit(struct dash *d, struct explore_job *j);
void xp_status(struct explorer *x, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Opens the prompt for kind with label and initial text. */
void xp_prompt_open(struct explorer *x, enum xp_prompt_kind kind, const char *label,
		    const char *init);
/* Shows the Messages view of topic from the start it has. */
void xp_messages_show(struct dash *d, struct explorer *x, const char *topic);
/* True (and the footer says why) when --read-only refuses what. */
bool xp_read_only(struct dash *d, const char *what);
/* Moves a selection in n rows by a key (↑↓ PgUp PgDn Home End); true when
 * the key was one of those. */
bool xp_move(int key, int *sel, int n, int page);
/* Keeps top so that sel shows in rows. */
void xp_scroll(int sel, int *top, int rows);

/* xp_prompt.c: a key while the prompt is open: DIRTY_* bits. */
int xp_prompt_key(struct dash *d, struct explorer *x, int key);
void xp_prompt_draw(struct dash *d, struct explorer *x, WINDOW *win, int y, int w);

/* xp_messages.c: takes a reply's records; messages.c frees the ring. */
void xp_messages_free(struct explorer *x);
/* Applies what the prompt gave to the Messages view. */
void xp_messages_restart(struct dash *d, struct explorer *x);
/* The selected record, or NULL. */
const struct explore_record *xp_messages_selected(struct explorer *x);

/* xp_record.c: the record detail overlay. */
extern const struct overlay_def xp_record_def;
extern const struct overlay_def xp_produce_def;
extern const struct overlay_def xp_confirm_def;
int xp_record_open(struct dash *d, const struct explore_record *r);
/* xp_produce.c: the Produce form. */
int xp_produce_open(struct dash *d, const char *topic);
void xp_produce_reply(struct dash *d, struct explore_reply *r);
/* xp_confirm.c: a plan (reset or re-drive) shown, executed on `y`. */
int xp_confirm_reply(struct dash *d, struct explore_reply *r);

#endif
