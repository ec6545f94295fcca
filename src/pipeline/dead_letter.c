/*
 * dead_letter.c — dead letters that always fit (see dead_letter.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dead_letter.h"
#include "kafka_client.h"

/* The truncation headers, added after the record is sized: names and
 * numbers of up to 20 digits, and their varints. */
#define TRUNCATION_HEADERS_MAX (2 * (sizeof HDR_DLQ_KEY_TRUNCATED + 20 + 10))

size_t
dead_letter_record_size(size_t key_len, size_t val_len, const char *const *hdrs)
{
	size_t n = key_len + val_len;
	for (size_t i = 0; hdrs && hdrs[i] && hdrs[i + 1]; i += 2)
		n += strlen(hdrs[i]) + strlen(hdrs[i + 1]) + 10; /* + two varints */
	return n;
}

bool
dead_letter_prepare(struct dead_letter *dl, size_t max_bytes, struct dead_letter_headers *h)
{
	size_t n = 0;
	snprintf(h->part, sizeof h->part, "%" PRId32, dl->partition);
	snprintf(h->off, sizeof h->off, "%" PRId64, dl->offset);
#define ADD(name, value)                                                                           \
	do {                                                                                       \
		h->list[n++] = (name);                                                             \
		h->list[n++] = (value);                                                            \
	} while (0)
	ADD(HDR_DLQ_REASON, dl->reason);
	ADD(HDR_DLQ_TOPIC, dl->src_topic);
	ADD(HDR_DLQ_PART, h->part);
	ADD(HDR_DLQ_OFFSET, h->off);
	if (dl->order_id != NULL)
		ADD(HDR_ORDER_ID, dl->order_id);
	ADD(HDR_STAGE, dl->stage);
	h->list[n] = NULL;

	size_t fixed = dead_letter_record_size(0, 0, h->list) + DEAD_LETTER_RECORD_OVERHEAD +
		TRUNCATION_HEADERS_MAX;
	if (max_bytes == 0 || dl->key_len + dl->val_len + fixed <= max_bytes)
		return false;
	size_t room = max_bytes > fixed ? max_bytes - fixed : 0;
	size_t key = dl->key_len;
	if (key > room / 2 && key + dl->val_len > room)
		key = dl->val_len < room / 2 ? room - dl->val_len : room / 2;
	size_t val = dl->val_len < room - key ? dl->val_len : room - key;
	if (key < dl->key_len) {
		snprintf(h->key_size, sizeof h->key_size, "%zu", dl->key_len);
		ADD(HDR_DLQ_KEY_TRUNCATED, h->key_size);
		dl->key_len = key;
	}
	if (val < dl->val_len) {
		snprintf(h->val_size, sizeof h->val_size, "%zu", dl->val_len);
		ADD(HDR_DLQ_TRUNCATED, h->val_size);
		dl->val_len = val;
	}
#undef ADD
	h->list[n] = NULL;
	return true;
}
