#!/bin/sh
# explorer_80x24.sh — the cluster explorer (`x`) at 80x24 on the embedded
# broker: Topics lists ordertop's topics with records, Groups shows
# ordertop's groups with lag and the one-line note on what needs a real
# cluster, Messages of `orders` shows records, a jq filter with a syntax
# error shows jq's error and `select(.quantity > 5)` narrows, hostile
# bytes in keys, headers and values (kcat -H) render escaped, the Produce
# form sends a record (typed, and written in $EDITOR) that kcat reads
# back, and `q` still quits cleanly.
. "$(dirname "$0")/lib.sh"

if ! command -v kcat >/dev/null 2>&1; then
	echo "ok - # SKIP kcat is not installed"
	exit 0
fi

bsfile=$E2E_TMP/bootstrap
editor=$E2E_TMP/editor.sh
printf '#!/bin/sh\nprintf %s > "$1"\n' "'{\"edited\":true,\"n\":42}'" > "$editor"
chmod +x "$editor"
E2E_ENV="EDITOR=$editor" e2e_start 80 24 --rate 20 --bootstrap-file "$bsfile"
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40

e2e_keys x
e2e_check "x shows the explorer" e2e_wait_for '^ ordertop explorer +1 Topics +2 Groups +3 Messages' 5
e2e_check "Topics lists orders with its partitions and records" \
	e2e_wait_for '^ orders +3 +3 +0 +[1-9][0-9]*' 20
e2e_check "Topics lists the dead-letter topic" e2e_wait_for '^ orders\.dlq +3 ' 5
e2e_check "Topics shows the selected topic's partitions" e2e_wait_for '^ PART +LEADER +REPLICAS +ISR' 5

e2e_keys 2
e2e_check "Groups shows ordertop's fraud group" e2e_wait_for '^ ordertop-fraud ' 20
e2e_check "Groups shows the notifier group" e2e_wait_for '^ ordertop-notifier ' 5
e2e_check "Groups says what needs a real cluster" e2e_wait_for 'embedded broker answers neither' 5
# The group first in lag order is selected: with equal lags either one,
# so its partitions are of orders (fraud) or of notifications (notifier).
e2e_check "Groups shows committed, end and lag per partition" \
	e2e_wait_for '^ (orders[.a-z]*|notifications) +[0-2] +[0-9]+ +[0-9]+ +[0-9]+ ' 10

e2e_keys :
e2e_type 'messages orders'
e2e_keys Enter
e2e_check "Messages of orders shows records (partition@offset, key, JSON)" \
	e2e_wait_for '^ [0-2]@[0-9]+ +[0-9:.]+ user[0-9]+ \{"order_id"' 20

e2e_keys /
e2e_type 'select(.quantity >'
e2e_keys Enter
e2e_check "a jq syntax error shows jq's own message" e2e_wait_for 'jq: error: syntax error' 10

# Ten records of known quantities: the filter keeps the five above 5.
for q in 1 2 3 4 5 6 7 8 9 10; do printf '{"item":"q%d","quantity":%d}\n' "$q" "$q"; done |
	kcat -P -b "$(cat "$bsfile")" -t xp.quantities -p 0 2>"$E2E_TMP/kcat.err"
e2e_keys t C-u
e2e_type 'xp.quantities'
e2e_keys Enter /
e2e_keys C-u
e2e_type 'select(.quantity > 5)'
e2e_keys Enter
e2e_check "the filter keeps the records with quantity > 5" e2e_wait_for '^ 0@9 .*"quantity":10\}' 20
kept=$(e2e_screen | grep -c '^ 0@[0-9]* .*"quantity":')
e2e_check "only those five (got $kept)" test "$kept" = 5
e2e_check "and none at or below 5" sh -c "! tmux -L '$E2E_SOCK' capture-pane -p -t e2e | grep -Eq '\"quantity\":[1-5]\}'"
e2e_keys Enter
e2e_check "the record opens, its JSON pretty-printed" e2e_wait_for '"quantity": 6' 5
e2e_keys Escape

# Hostile bytes in key, header and value, from another client.
esc=$(printf '\033')
printf 'k%s[31mkey|v%s]0;pwned%s[2J\n' "$esc" "$esc" "$esc" |
	kcat -P -b "$(cat "$bsfile")" -t xp.hostile -K '|' -H "h${esc}[7m=x${esc}[5m" 2>"$E2E_TMP/kcat.err"
e2e_check "kcat published the hostile record" test $? -eq 0
e2e_keys t C-u
e2e_type 'xp.hostile'
e2e_keys Enter
e2e_keys Escape
e2e_check "the hostile key shows escaped" e2e_wait_for 'k\\x1b\[31mkey' 20
e2e_check "the hostile header shows escaped" e2e_wait_for 'h\\x1b\[7m=x\\x1b\[5m' 5
e2e_check "the hostile value shows escaped" e2e_wait_for 'v\\x1b\]0;pwned\\x1b\[2J' 5
e2e_check "the screen was not cleared: the explorer's title is there" \
	e2e_wait_for '^ ordertop explorer' 2

# Produce from the form.
e2e_keys P
e2e_check "P opens the Produce form" e2e_wait_for 'Produce a record' 5
e2e_type 'xp.produced'
e2e_keys Tab Tab
e2e_type 'pk-1'
e2e_keys Tab
e2e_type 'src=e2e'
e2e_keys Tab
e2e_type 'hello-from-the-form'
e2e_keys Enter
e2e_check "the footer says where it landed" e2e_wait_for 'produced to partition [0-9]+ at offset [0-9]+' 20
e2e_check "kcat reads the produced record back (key, header, value)" \
	sh -c "kcat -C -b '$(cat "$bsfile")' -t xp.produced -o beginning -e -q -f '%k|%h|%s\n' | grep -q '^pk-1|src=e2e|hello-from-the-form$'"

# The value written in $EDITOR.
e2e_keys P
e2e_check "the Produce form opens again" e2e_wait_for 'Produce a record' 5
e2e_type 'xp.produced'
e2e_keys Tab Tab Tab Tab F4
e2e_check "the value came from \$EDITOR" e2e_wait_for 'value from \$EDITOR: 22 bytes' 10
e2e_keys Enter
e2e_check "sent" e2e_wait_for 'produced to partition [0-9]+ at offset [0-9]+' 20
e2e_check "kcat reads the value written in \$EDITOR" \
	sh -c "kcat -C -b '$(cat "$bsfile")' -t xp.produced -o beginning -e -q -f '%s\n' | grep -q '^{\"edited\":true,\"n\":42}$'"

e2e_keys x
e2e_check "x goes back to the pipeline" e2e_wait_for '^┌ Orders' 5
e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits with status 0 (got $code)" test "$code" = 0
e2e_check "terminal restored" e2e_wait_gone 'ordertop explorer|Orders' 5

e2e_finish
