/*
 * embedded_broker.h — librdkafka's in-process mock cluster, used when no
 * broker is named: N brokers on 127.0.0.1 with random ports, the pipeline
 * topics created on it up front (the mock cannot create topics through the
 * Admin API, and would otherwise auto-create 4-partition topics on first
 * touch).  See ../shared/notes/mock-cluster.md for what the mock does not do.
 */
#ifndef ORDERTOP_EMBEDDED_BROKER_H
#define ORDERTOP_EMBEDDED_BROKER_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"

struct embedded_broker;

/* Starts the cluster and creates the topics.  NULL with reason on error. */
struct embedded_broker *embedded_broker_start(const struct config *cfg, char *err, size_t errlen);
const char *embedded_broker_bootstraps(const struct embedded_broker *eb);
int embedded_broker_count(const struct embedded_broker *eb);
int embedded_broker_up_count(const struct embedded_broker *eb);
/* broker_id is 1-based.  0, or -1 with reason. */
int embedded_broker_set_up(struct embedded_broker *eb, int broker_id, bool up, char *err,
			   size_t errlen);
void embedded_broker_stop(struct embedded_broker *eb);

#endif
