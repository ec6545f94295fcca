/*
 * generator.h — realistic synthetic orders: a population of users with home
 * countries and cards, a catalogue of items with prices, and a configurable
 * share of suspicious orders (big totals, bursts from one user, risky
 * shipping countries, card/shipping country mismatch).  Deterministic for
 * a given seed; not thread-safe (one per producer thread).
 */
#ifndef ORDERTOP_GENERATOR_H
#define ORDERTOP_GENERATOR_H

#include <stdint.h>
#include "order.h"

struct generator;

/* id_prefix makes order ids unique per process run, e.g. "host-1a2b". */
struct generator *generator_new(uint64_t seed, double suspicious_share, const char *id_prefix);
void generator_free(struct generator *g);
/* Fills *o with the next order; created_at_ms = now_ms. */
void generator_next(struct generator *g, struct order *o, int64_t now_ms);
/* A fresh unique order id with the generator's prefix (for the form). */
void generator_order_id(struct generator *g, char *buf, size_t len);

#endif
