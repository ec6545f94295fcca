#!/bin/sh
# explorer_200x50.sh — the cluster explorer at 200x50 on the embedded
# broker: topics with partitions and the configs note, groups with lag,
# an offset reset and a re-drive each show their plan and change nothing
# when cancelled, live tail of `orders` follows new records; then under
# --read-only produce, reset and re-drive are refused with the message
# saying why, and `q` quits cleanly both times.
. "$(dirname "$0")/lib.sh"

bsfile=$E2E_TMP/bootstrap
e2e_start 200 50 --rate 200 --bootstrap-file "$bsfile"
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_keys x
e2e_check "x shows the explorer" e2e_wait_for '^ ordertop explorer +1 Topics +2 Groups +3 Messages' 5
e2e_check "Topics lists orders with records" e2e_wait_for '^ orders +3 +3 +0 +[1-9][0-9]*' 20
e2e_check "the partitions of the selected topic, with leader and ISR" \
	e2e_wait_for '^ 0 +[1-3] +[1-3],[1-3],[1-3] +[1-3],[1-3],[1-3] ' 5
e2e_check "configs say they need a real cluster" e2e_wait_for 'CONFIG' 5
e2e_keys i
e2e_check "i shows internal topics too" e2e_wait_for '\+internal' 10

e2e_keys 2
e2e_check "Groups: ordertop's fraud group with its lag" \
	e2e_wait_for '^ ordertop-fraud +\? +\? +[0-9]+ ' 20
e2e_keys R
e2e_check "R asks where to reset to" e2e_wait_for 'reset to \(earliest' 5
e2e_keys C-u
e2e_type 'earliest'
e2e_keys Enter
e2e_check "the reset's plan is shown before anything runs" e2e_wait_for 'Reset offsets of ordertop-' 20
e2e_check "the plan lists partitions and their new offsets" e2e_wait_for '-> +0 ' 5
e2e_keys n
e2e_check "n cancels: nothing changed" e2e_wait_for 'cancelled; nothing changed' 5

e2e_keys :
e2e_type 'messages orders'
e2e_keys Enter
e2e_check "Messages of orders" e2e_wait_for '^ [0-2]@[0-9]+ ' 20
e2e_keys F
e2e_check "F: tail on" e2e_wait_for 'tail on' 5
e2e_check "the tail starts at the end" e2e_wait_for 'from end +tail on' 5
e2e_check "the tail shows new records" e2e_wait_for '^ [0-2]@[0-9]+ ' 10
first=$(e2e_screen | grep -Eo '^ [0-2]@[0-9]+' | tail -1)
e2e_check "the tail moves on (last row was '$first')" e2e_wait_gone "^$first " 20
e2e_keys F
e2e_check "F again: tail off" e2e_wait_for 'tail off' 5

e2e_keys D Enter
e2e_check "D shows the re-drive plan" e2e_wait_for 'Re-drive dead letters of orders.dlq' 30
e2e_check "the plan counts what it scanned" e2e_wait_for 'scanned [0-9]+, matched [0-9]+' 5
e2e_keys Escape
e2e_check "Esc drops it" e2e_wait_for 'cancelled; nothing changed' 5

# A dead letter from another client, re-driven to its source topic.
if command -v kcat >/dev/null 2>&1; then
	echo 'repaired-by-e2e' | kcat -P -b "$(cat "$bsfile")" -t orders.dlq -k dl-e2e \
		-H ordertop.dlq.topic=xp.target -H ordertop.dlq.reason=e2e 2>"$E2E_TMP/kcat.err"
	e2e_keys :
	e2e_type 'messages orders.dlq'
	e2e_keys Enter s C-u
	e2e_type 'beginning'
	e2e_keys Enter /
	e2e_keys C-u
	e2e_type 'select($headers["ordertop.dlq.topic"] == "xp.target")'
	e2e_keys Enter
	e2e_check "the dead letter is listed" e2e_wait_for '^ [0-9]+@[0-9]+ .* dl-e2e .*repaired-by-e2e' 20
	e2e_keys d Enter
	e2e_check "its plan: ready, back to xp.target" e2e_wait_for 'orders\.dlq/[0-9]+/[0-9]+ -> xp\.target +ready' 30
	e2e_keys y
	e2e_check "y re-drives it in one transaction" e2e_wait_for 're-drove 1 dead letter' 30
	e2e_check "kcat reads it in xp.target with the header naming the dead letter" \
		sh -c "kcat -C -b '$(cat "$bsfile")' -t xp.target -o beginning -e -q -f '%h %s\n' | grep -q 'ordertop.redriven_from=orders.dlq/[0-9]*/[0-9]*.* repaired-by-e2e'"
	e2e_keys d Enter
	e2e_check "a second re-drive of it is seen as done before" e2e_wait_for '\-> xp\.target +done-before' 30
	e2e_keys Escape
fi

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits with status 0 (got $code)" test "$code" = 0
e2e_tmux kill-server >/dev/null 2>&1
sleep 0.3

e2e_start 200 50 --rate 50 --read-only
e2e_check "read-only dashboard is up" e2e_wait_for 'ordertop .*embedded' 40
e2e_keys x
e2e_check "the explorer opens read-only" e2e_wait_for '^ orders +3 ' 20
e2e_keys P
e2e_check "produce is refused under --read-only" \
	e2e_wait_for 'produce: refused, ordertop runs read-only' 5
e2e_check "no form opened" e2e_wait_gone 'Produce a record' 2
e2e_keys 2
e2e_wait_for '^ ordertop-fraud ' 20
e2e_keys R
e2e_check "reset is refused under --read-only" \
	e2e_wait_for "resetting a group's offsets: refused, ordertop runs read-only" 5
e2e_keys 3 D
e2e_check "re-drive is refused under --read-only" \
	e2e_wait_for 're-driving dead letters: refused, ordertop runs read-only' 5
e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits with status 0 (got $code)" test "$code" = 0

e2e_finish
