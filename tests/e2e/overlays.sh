#!/bin/sh
# overlays.sh — the overlays and the keys around them: the footer shows the
# open overlay's keys; the rules pane's Space toggles the selected rule,
# `e` and Enter open its form (Esc cancels; Enter shows the what-if
# preview of a change, where p publishes it), a
# rule without parameters says so; the order detail pages and closes;
# keys other than quit do nothing while the terminal is too small.
. "$(dirname "$0")/lib.sh"
# Keys are single bytes (j, G, Space, Enter) where the dashboard has one:
# under load an escape sequence (Down, End) can reach curses split.

e2e_start 80 24 --rate 20
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40

e2e_keys '?'
e2e_check "help: the footer says any key closes it" e2e_wait_for '^any key close help' 5
e2e_keys x
e2e_check "help closes; the footer hints are back" e2e_wait_for '^F1 help ' 5

# Rules pane (the fourth slot at 80x24); rule 1 is selected at the start.
e2e_keys Tab Tab Tab
e2e_check "rules pane focused: its hints in the footer" e2e_wait_for ' 1-9 toggle +e edit ' 5
e2e_keys Space
e2e_check "Space turns the selected rule off" e2e_wait_for 'rule 1 total_limit turned off' 5
e2e_check "the rules pane shows it off" e2e_wait_for '│1 ○ off +total_limit' 10
e2e_keys Space
e2e_check "Space again turns it on" e2e_wait_for 'rule 1 total_limit turned on' 5

e2e_keys e
e2e_check "e opens the selected rule's form" e2e_wait_for 'Rule 1: total_limit' 5
e2e_check "the footer shows the form's keys" e2e_wait_for 'Tab next field' 2
e2e_keys Escape
e2e_check "Esc cancels the edit" e2e_wait_for 'rule edit cancelled' 5
e2e_check "the form is closed" e2e_wait_gone 'Rule 1: total_limit' 5

e2e_keys Enter
e2e_check "Enter in the rules pane opens the form too" e2e_wait_for 'Rule 1: total_limit' 5
e2e_type "123456"
e2e_keys Enter
e2e_check "Enter shows what the change would do first" \
	e2e_wait_for 'What if: total_limit max_total=[0-9]*123456' 5
e2e_check "... once the recent orders are replayed" e2e_wait_for 'orders replayed, spanning' 30
e2e_keys p
e2e_check "p publishes the change" e2e_wait_for 'rule total_limit: 1 parameter changed' 5
e2e_keys z
e2e_check "the rules pane shows the new value" e2e_wait_for 'max_total=123456' 10
e2e_keys z

e2e_keys G
e2e_keys e
e2e_check "a rule without parameters says so" e2e_wait_for 'rule [a-z_]+ has no parameters' 5
e2e_check "... and opens no form" e2e_wait_gone '┌ Rule [0-9]' 2

# Order detail, from the status table.
e2e_keys Tab
e2e_check "the status table is focused" e2e_wait_for ' Enter detail ' 5
e2e_keys j
e2e_keys Enter
e2e_check "Enter opens the order detail" e2e_wait_for 'Order detail' 5
e2e_check "the footer shows the detail's keys" e2e_wait_for '↑↓ PgUp PgDn scroll +Esc close *$' 2
# A new order's detail grows as it moves on: page once it is longer than the box.
e2e_check "the detail is longer than its box" e2e_wait_for ' 1-[0-9]+/[0-9]+ ─┘' 10
e2e_keys Space
e2e_check "Space pages down the detail" e2e_wait_for ' ([2-9]|[1-9][0-9]+)-[0-9]+/[0-9]+ ─┘' 5
e2e_keys Escape
e2e_check "Esc closes it" e2e_wait_gone 'Order detail' 5

e2e_resize 50 12
e2e_wait_for 'terminal too small' 10
e2e_keys n
e2e_resize 80 24
e2e_check "back to 80x24" e2e_wait_for '^┌ Orders' 10
e2e_check "n did nothing while too small" e2e_wait_gone 'New order' 2

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
