/*
 * explore_cmd.h — the cluster explorer from the command line: tables for
 * people, --json for scripts.  Changes are dry runs unless --execute.
 *
 *   ordertop topics [TOPIC] [--all]                        -b BROKERS [-F FILE] [-X k=v]
 *   ordertop groups [GROUP...] [--group NAME]              -b ...
 *   ordertop messages TOPIC [--from START] [--partition P] [--limit N]  -b ...
 *   ordertop redrive [--where JQ] [--transform JQ] [--execute]          -b ...
 *   ordertop reset-offsets GROUP --to earliest|latest|TIME|OFFSET
 *                          [--partitions LIST] [--execute]             -b ...
 * Every verb takes --json and --timeout SEC.  Exit 0, 1 failure (or a
 * refusal), 2 bad usage.
 */
#ifndef ORDERTOP_EXPLORE_CMD_H
#define ORDERTOP_EXPLORE_CMD_H

#include <stdbool.h>

/* True when argv[1] is one of the explorer's verbs. */
bool explore_cmd_is_verb(const char *word);
/* argv[0] is the program, argv[1] the verb.  Returns the exit code. */
int explore_cmd_main(int argc, char **argv);

#endif
