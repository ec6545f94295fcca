/*
 * xp_produce.c — the explorer's Produce form (`P`): topic, partition
 * (blank: the partitioner), key (blank: none), headers ("a=1;b=2") and
 * the value, typed in the form or written in $EDITOR (F4: the screen is
 * left with endwin(), the editor runs on a temporary file, the screen is
 * restored).  Enter queues the record on the explorer's worker; the
 * footer says where it landed.  Refused under --read-only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dash.h"
#include "explore_produce.h"
#include "form_overlay.h"
#include "formbox.h"
#include "keycode.h"
#include "xp.h"

#define EDITOR_MAX (1 << 20)

enum {
	F_TOPIC,
	F_PARTITION,
	F_KEY,
	F_HEADERS,
	F_VALUE,
	F__COUNT
};

static const struct {
	const char *label;
	int width, maxlen;
} fields[F__COUNT] = {
	[F_TOPIC] = { "topic", 40, 120 }, [F_PARTITION] = { "partition", 8, 8 },
	[F_KEY] = { "key", 40, 120 },     [F_HEADERS] = { "headers", 40, 120 },
	[F_VALUE] = { "value", 48, 127 },
};

/* The value written in $EDITOR, or NULL; kept until the form opens again. */
static char *editor_value;
static size_t editor_len;
static char editor_mark[64];

static int
check(struct dash *d, void *ctx, int field, const char *text, char *err, size_t errlen)
{
	(void)d;
	(void)ctx;
	if (field == F_TOPIC && !text[0]) {
		snprintf(err, errlen, "a topic is needed");
		return -1;
	}
	if (field == F_PARTITION && text[0]) {
		char *end;
		long p = strtol(text, &end, 10);
		if (*end || p < 0) {
			snprintf(err, errlen, "a partition number, or blank for the partitioner");
			return -1;
		}
	}
	if (field == F_HEADERS && explore_produce_headers(text, NULL, err, errlen) < 0)
		return -1;
	return 0;
}

static void
forget_editor(void)
{
	free(editor_value);
	editor_value = NULL;
	editor_len = 0;
	editor_mark[0] = '\0';
}

int
xp_produce_open(struct dash *d, const char *topic)
{
	if (xp_read_only(d, "produce"))
		return DIRTY_FOOTER;
	struct formbox *fb = calloc(1, sizeof *fb);
	if (!fb)
		return 0;
	forget_editor();
	snprintf(fb->title, sizeof fb->title, "Produce a record");
	fb->n = F__COUNT;
	for (int i = 0; i < F__COUNT; i++) {
		fb->labels[i] = fields[i].label;
		fb->widths[i] = fields[i].width;
		fb->maxlen[i] = fields[i].maxlen;
	}
	snprintf(fb->init[F_TOPIC], sizeof fb->init[F_TOPIC], "%s",
		 topic && topic[0] ? topic : d->cfg->topics[TOPIC_ORDERS]);
	fb->check = check;
	snprintf(fb->note, sizeof fb->note,
		 "Blank partition: the partitioner. Headers: a=1;b=2. F4: value in $EDITOR.");
	if (formbox_open(fb, d) != 0) {
		free(fb);
		dash_message(d, ROLE_ERROR,
			     "cannot open the produce form here (terminal too small?)");
		return DIRTY_FOOTER;
	}
	d->form = fb;
	d->ovl = &xp_produce_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

/* Runs $EDITOR (vi when unset) on a file holding the value; the screen is
 * given back to the terminal meanwhile. */
static int
edit_value(struct dash *d)
{
	struct formbox *fb = d->form;
	char path[] = "/tmp/ordertop-value.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(fb->status, sizeof fb->status, "$EDITOR: %s", strerror(errno));
		fb->status_role = ROLE_ERROR;
		return DIRTY_OVERLAY;
	}
	char cur[FORMBOX_TEXT_MAX * 4];
	if (editor_value)
		(void)!write(fd, editor_value, editor_len);
	else {
		formbox_value(fb, F_VALUE, cur, sizeof cur);
		(void)!write(fd, cur, strlen(cur));
	}
	close(fd);
	def_prog_mode();
	endwin();
	pid_t pid = fork();
	if (pid == 0) {
		const char *ed = getenv("EDITOR");
		execlp("sh", "sh", "-c", "exec ${EDITOR:-vi} \"$0\"", path, (char *)NULL);
		(void)ed;
		_exit(127);
	}
	int st = 0;
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	refresh();
	FILE *f = fopen(path, "rb");
	char *buf = malloc(EDITOR_MAX);
	size_t n = f && buf ? fread(buf, 1, EDITOR_MAX, f) : 0;
	if (f)
		fclose(f);
	unlink(path);
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || buf == NULL) {
		free(buf);
		snprintf(fb->status, sizeof fb->status, "$EDITOR failed; the value is unchanged");
		fb->status_role = ROLE_ERROR;
	} else {
		while (n > 0 && buf[n - 1] == '\n')
			n--; /* editors end the file with a newline */
		forget_editor();
		editor_value = buf;
		editor_len = n;
		snprintf(editor_mark, sizeof editor_mark, "<from $EDITOR: %zu bytes>", n);
		set_field_buffer(fb->fields[F_VALUE], 0, editor_mark);
		snprintf(fb->status, sizeof fb->status, "value from $EDITOR: %zu bytes", n);
		fb->status_role = ROLE_FOOTER_MESSAGE;
	}
	d->dirty |= DIRTY_LAYOUT | DIRTY_CLEAR;
	return DIRTY_ALL | DIRTY_OVERLAY;
}

static int
submit(struct dash *d)
{
	struct formbox *fb = d->form;
	char v[F__COUNT][FORMBOX_TEXT_MAX * 4];
	for (int i = 0; i < F__COUNT; i++)
		formbox_value(fb, i, v[i], sizeof v[i]);
	struct explore_job j = { .kind = EXPLORE_JOB_PRODUCE, .partition = -1 };
	snprintf(j.topic, sizeof j.topic, "%s", v[F_TOPIC]);
	if (v[F_PARTITION][0])
		j.partition = (int32_t)strtol(v[F_PARTITION], NULL, 10);
	j.has_key = v[F_KEY][0] != '\0';
	snprintf(j.key, sizeof j.key, "%s", v[F_KEY]);
	snprintf(j.headers, sizeof j.headers, "%s", v[F_HEADERS]);
	if (editor_value && strcmp(v[F_VALUE], editor_mark) == 0) {
		j.value = editor_value;
		j.value_len = editor_len;
		editor_value = NULL;
	} else {
		j.value = strdup(v[F_VALUE]);
		j.value_len = strlen(v[F_VALUE]);
	}
	forget_editor();
	struct explorer *x = xp_get(d);
	x->produce_job = xp_submit(d, &j);
	form_overlay_close(d);
	if (x->produce_job)
		dash_message(d, ROLE_FOOTER_MESSAGE, "producing to %.100s…", v[F_TOPIC]);
	return DIRTY_ALL;
}

void
xp_produce_reply(struct dash *d, struct explore_reply *r)
{
	struct explorer *x = xp_get(d);
	x->produce_job = 0;
	if (r->rc < 0)
		dash_message(d, ROLE_ERROR, "produce: %s", r->err);
	else
		dash_message(d, ROLE_FOOTER_MESSAGE,
			     "produced to partition %" PRId32 " at offset %" PRId64, r->partition,
			     r->offset);
}

static int
key(struct dash *d, int k)
{
	if (d->form && k == KEY_F(4))
		return edit_value(d);
	return form_overlay_key(d, k, submit, "produce cancelled; nothing sent");
}

const struct overlay_def xp_produce_def = {
	.name = "produce",
	.hint = "Tab:next field|F4:value in $EDITOR|Enter:send|Esc:cancel",
	.draw = form_overlay_draw,
	.key = key,
	.resize = form_overlay_resize,
	.close = form_overlay_close,
};
