/*
 * rules_cmd.h — `ordertop rules ...`: show or change the fraud rules of a
 * running pipeline from the command line.  A change is published to the
 * fraud.rules topic as the next version, and every fraud worker, in every
 * process, applies it.
 *
 *   ordertop rules list                       -b BROKERS [-F FILE] [-X k=v]
 *   ordertop rules enable|disable|toggle RULE -b ...
 *   ordertop rules set RULE PARAM VALUE       -b ...
 * RULE is a rule id (total_limit) or its number in the list (1..).
 */
#ifndef ORDERTOP_RULES_CMD_H
#define ORDERTOP_RULES_CMD_H

/* argv[0] is the program, argv[1] "rules".  Returns the exit code. */
int rules_cmd_main(int argc, char **argv);

#endif
