/*
 * form_order.c — the new-order form (`n`): user, item, quantity, unit
 * price, currency, country, card country.  Each field is checked with
 * order_validate_field() as it is typed; Enter publishes the order with
 * engine_submit_order() and the footer shows the new order id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dash.h"
#include "form_overlay.h"
#include "formbox.h"
#include "overlays.h"
#include "text_sanitize.h"

enum {
	F_USER,
	F_ITEM,
	F_QTY,
	F_PRICE,
	F_CURRENCY,
	F_COUNTRY,
	F_CARD,
	F__COUNT
};

static const struct {
	const char *label, *field, *init;
	int width, maxlen;
	bool required;
} order_fields[F__COUNT] = {
	[F_USER] = { "user", "user_id", "u-dashboard", 24, ORDER_ID_MAX, true },
	[F_ITEM] = { "item", "item", "", 24, ORDER_ITEM_MAX, true },
	[F_QTY] = { "quantity", "quantity", "1", 10, 20, true },
	[F_PRICE] = { "unit price", "unit_price", "", 12, 24, false },
	[F_CURRENCY] = { "currency", "currency", "EUR", 5, 8, false },
	[F_COUNTRY] = { "country", "country", "", 4, 8, false },
	[F_CARD] = { "card country", "card_country", "", 4, 8, false },
};

static int
check(struct dash *d, void *ctx, int field, const char *text, char *err, size_t errlen)
{
	(void)d;
	(void)ctx;
	if (field < 0 || field >= F__COUNT)
		return 0;
	if (!text[0]) {
		if (!order_fields[field].required)
			return 0;
		snprintf(err, errlen, "%s is required", order_fields[field].label);
		return -1;
	}
	return order_validate_field(order_fields[field].field, text, err, errlen);
}

int
form_order_open(struct dash *d)
{
	struct formbox *fb = calloc(1, sizeof *fb);
	if (!fb)
		return 0;
	snprintf(fb->title, sizeof fb->title, "New order");
	fb->n = F__COUNT;
	for (int i = 0; i < F__COUNT; i++) {
		fb->labels[i] = order_fields[i].label;
		fb->widths[i] = order_fields[i].width;
		fb->maxlen[i] = order_fields[i].maxlen;
		snprintf(fb->init[i], sizeof fb->init[i], "%s", order_fields[i].init);
	}
	fb->check = check;
	snprintf(fb->note, sizeof fb->note,
		 "Published to the orders topic; the id is made for you.");
	if (formbox_open(fb, d) != 0) {
		free(fb);
		dash_message(d, ROLE_ERROR,
			     "cannot open the order form here (terminal too small?)");
		return DIRTY_FOOTER;
	}
	d->form = fb;
	d->ovl = &form_order_def;
	return DIRTY_OVERLAY | DIRTY_FOOTER;
}

static int
submit(struct dash *d)
{
	struct formbox *fb = d->form;
	struct order o;
	char v[F__COUNT][FORMBOX_TEXT_MAX * 4], err[256];

	for (int i = 0; i < F__COUNT; i++)
		formbox_value(fb, i, v[i], sizeof v[i]);
	memset(&o, 0, sizeof o); /* the engine names it: "<run>f-<n>" */
	snprintf(o.user_id, sizeof o.user_id, "%s", v[F_USER]);
	snprintf(o.item, sizeof o.item, "%s", v[F_ITEM]);
	o.quantity = strtoll(v[F_QTY], NULL, 10);
	if (v[F_PRICE][0]) {
		o.unit_price = strtod(v[F_PRICE], NULL);
		o.has_unit_price = true;
	}
	snprintf(o.currency, sizeof o.currency, "%s", v[F_CURRENCY]);
	snprintf(o.country, sizeof o.country, "%s", v[F_COUNTRY]);
	snprintf(o.card_country, sizeof o.card_country, "%s", v[F_CARD]);

	if (engine_submit_order(d->e, &o, err, sizeof err) != 0) {
		snprintf(fb->status, sizeof fb->status, "not sent: %s", err);
		fb->status_role = ROLE_ERROR;
		return DIRTY_OVERLAY;
	}
	char id[ORDER_ID_MAX * 4];
	text_sanitize(id, sizeof id, o.order_id, strlen(o.order_id), -1);
	form_overlay_close(d);
	dash_message(d, ROLE_FOOTER_MESSAGE, "order %s sent (total %.2f)", id, order_total(&o));
	return DIRTY_ALL;
}

static int
key(struct dash *d, int k)
{
	return form_overlay_key(d, k, submit, "order form cancelled; nothing sent");
}

const struct overlay_def form_order_def = {
	.name = "form_order",
	.hint = "Tab:next field|S-Tab:previous|Enter:submit|Esc:cancel",
	.draw = form_overlay_draw,
	.key = key,
	.resize = form_overlay_resize,
	.close = form_overlay_close,
};
