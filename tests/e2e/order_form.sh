#!/bin/sh
# order_form.sh — an order made with the form (`n`): a bad quantity is
# refused where it is typed (the error shows beside the field and the
# order is not sent), then fixed; the order is sent, its id shown, and it
# goes through the status table as approved or refused, then notified.
. "$(dirname "$0")/lib.sh"

e2e_start 80 24 --rate 20
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40

user="e2e-user-$$"
e2e_keys n
e2e_check "n opens the order form" e2e_wait_for 'New order' 5
e2e_type "$user"
e2e_keys Tab
e2e_type "e2e widget"
e2e_keys Tab
e2e_type "abc"
e2e_keys Tab
e2e_check "bad quantity: error shown beside the field" \
	e2e_wait_for 'quantity +abc +✗ quantity must be' 5
e2e_keys Enter
e2e_check "Enter with a bad field does not send" e2e_wait_for 'not sent: quantity must be' 5
e2e_check "the form stays open" e2e_wait_for 'New order' 1
e2e_check "no order was sent" sh -c "! tmux -L '$E2E_SOCK' capture-pane -p -t e2e | grep -q 'order .* sent (total'"

e2e_keys BSpace BSpace BSpace
e2e_type "3"
e2e_check "fixing the quantity clears the error" e2e_wait_gone '✗ quantity must be' 5
e2e_keys Tab
e2e_type "4.5"
e2e_keys Enter
e2e_check "Enter sends; the footer shows the new order id" e2e_wait_for 'order [^ ]+ sent \(total 13\.50\)' 10
id=$(e2e_screen | sed -n 's/.*order \([^ ]*\) sent (total.*/\1/p' | tail -1)
e2e_check "the form is closed" e2e_wait_gone 'New order' 5

# Show only this order in the status table (filter on the focused pane).
e2e_keys /
e2e_type "$user"
e2e_keys Enter
e2e_check "order $id is in the status table" e2e_wait_for '│[○✓✗]. .* 13\.50 [A-Z]' 30
e2e_check "order $id decided (✓ approved or ✗ refused glyph)" e2e_wait_for '│[✓✗]. .* 13\.50 [A-Z]' 30
e2e_check "order $id then NOTIFIED" e2e_wait_for '│[✓✗]✉ .* 13\.50 NOTIFIED' 30

# Its detail shows the user, and its timeline across the topics.
e2e_keys Enter
e2e_check "Enter opens the order detail" e2e_wait_for 'Order detail' 5
e2e_check "detail shows the order's user" e2e_wait_for "user +$user" 5
e2e_check "detail: notified after the decision" \
	e2e_wait_for 'status +✉ NOTIFIED +\(decision [✓✗] (APPROVED|REFUSED)\)' 10
e2e_check "detail shows the timeline: decided then notified" \
	sh -c "tmux -L '$E2E_SOCK' capture-pane -p -t e2e | grep -E 'orders\.(valid|refused) +[0-9]+ +[0-9]+ ' >/dev/null &&
	       tmux -L '$E2E_SOCK' capture-pane -p -t e2e | grep -E 'orders\.notified +[0-9]+ +[0-9]+ ' >/dev/null"
e2e_keys Escape
e2e_check "Esc closes the detail" e2e_wait_gone 'Order detail' 5

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
