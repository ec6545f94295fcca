#!/bin/sh
# rule_toggle.sh — toggling a fraud rule changes the next decisions: an
# order of 99999 is refused by total_limit; after its number key turns the
# rule off (and the fraud workers applied the new rule set), the same kind
# of order is approved.
. "$(dirname "$0")/lib.sh"

# The form: user, item, quantity, unit price; Enter sends.
send_order() {
	e2e_keys n
	e2e_wait_for 'New order' 5 || return 1
	e2e_type "$1"; e2e_keys Tab
	e2e_type "yacht"; e2e_keys Tab
	e2e_type "1"; e2e_keys Tab
	e2e_type "99999"; e2e_keys Enter
	e2e_wait_for 'order [^ ]+ sent \(total 99999\.00\)' 10
}

# Shows only the orders of user $1 in the status table (focused).
filter_status() {
	e2e_keys /
	e2e_keys C-u
	e2e_type "$1"
	e2e_keys Enter
}

e2e_start 80 24 --rate 20
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_check "total_limit is listed and on" e2e_wait_for '│[1-9] ● on +total_limit' 10
n=$(e2e_screen | sed -n 's/.*│\([1-9]\) ● on  *total_limit.*/\1/p' | head -1)

u1="e2e-big-a-$$"
e2e_check "a 99999 order is sent" send_order "$u1"
filter_status "$u1"
e2e_check "with total_limit on, the 99999 order is refused" e2e_wait_for '│✗. .* 99999\.00 (REFUSED|NOTIFIED)' 30
e2e_keys Enter
e2e_check "its detail names total_limit" e2e_wait_for 'fired +.*total_limit' 5
e2e_keys Escape
e2e_wait_gone 'Order detail' 5

e2e_keys "$n"
e2e_check "key $n turns total_limit off" e2e_wait_for "rule $n total_limit turned off" 5
e2e_check "the rules pane shows it off" e2e_wait_for "│$n ○ off +total_limit" 10

# Wait until every fraud worker applied the new version (rules pane, zoomed).
e2e_keys Tab Tab Tab z
e2e_check "the rules pane zooms" e2e_wait_for '^┌ Rules v[0-9]+ .*┐$' 5
v=$(e2e_screen | sed -n 's/^┌ Rules v\([0-9]*\) .*/\1/p' | head -1)
e2e_check "fraud workers applied rule set v$v" e2e_wait_for "│.* v$v ✓ " 30
e2e_check "no fraud worker is behind" e2e_wait_gone ' behind ' 30
e2e_keys z Tab
e2e_wait_for '^┌ Orders' 5

u2="e2e-big-b-$$"
e2e_check "the same kind of order is sent again" send_order "$u2"
filter_status "$u2"
e2e_check "with total_limit off, the 99999 order is approved" e2e_wait_for '│✓. .* 99999\.00 (APPROVED|NOTIFIED)' 30
e2e_keys Enter
e2e_check "its detail says approved" e2e_wait_for '(status +✓ APPROVED|decision ✓ APPROVED)' 10
e2e_keys Escape

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
