#!/usr/bin/env bash
# test_state.sh — the fraud rules' memory survives a restart, on the
# embedded broker: orders produced by kcat (fixed created_at) are decided
# by a fraud-only process, which stops; a second one restores the state
# from fraud.state ("restored N entries of partition P") and refuses an
# order id replayed after the restart (replay) and the 6th order of a
# burst that spans the restart (velocity: 5 orders in 60 s).  The same
# orders decided with --fraud-state memory approve both, so the test can
# tell the two apart.  (With --group-prefix st the state is st.fraud.state.)
# TAP-style output.
set -uo pipefail
cd "$(dirname "$0")/../.."
ORDERTOP=${ORDERTOP:-$PWD/build/ordertop}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
wait_until() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.3; done
	"$@"
}

"$ORDERTOP" --headless --roles none --bootstrap-file "$tmp/bs" -q 2>/dev/null &
pids+=($!)
wait_until 30 test -s "$tmp/bs"
bs=$(cat "$tmp/bs")

T=1700000000000
order() { # ID USER OFFSET_MS: one line for kcat -K'|'
	printf '%s|{"order_id":"%s","user_id":"%s","item":"pen","quantity":1,"unit_price":5,"country":"US","card_country":"US","created_at":%s}\n' \
		"$2" "$1" "$2" $((T + $3))
}
produce() { kcat -P -b "$bs" -t orders -K'|' -l "$1" 2>/dev/null; }

# decisions PREFIX: "order_id status rule,rule" per decided record, sorted
decisions() {
	for t in "$1valid" "$1refused"; do
		kcat -C -b "$bs" -t "$t" -e -o beginning -q 2>/dev/null
	done | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    rules = ",".join(r["id"] for r in d.get("rules_fired", [])) or "-"
    print(d["order_id"], d["status"].lower(), rules)
' | sort
}
count() { test "$(decisions "$1" | wc -l)" -ge "$2"; }

# fraud PREFIX NAME [options]: a fraud-only process, in the background
fraud() {
	local prefix=$1 name=$2; shift 2
	"$ORDERTOP" -b "$bs" --headless --roles fraud --group-prefix "$prefix" --instance "$name" \
		"$@" 2>"$tmp/$name.log" &
	pids+=($!)
	echo $! >"$tmp/$name.pid"
}
stop() { kill -TERM "$(cat "$tmp/$1.pid")"; wait "$(cat "$tmp/$1.pid")"; }

# Before the restart: an order id, and 4 orders of a burst.
{
	order r-1 alice 0
	for i in 1 2 3 4; do order b-$i bob $((i * 1000)); done
} >"$tmp/before"
# After it: the id again, and 2 more orders of the burst (b-6 is the 6th in 60 s).
{
	order r-1 alice 5000
	order b-5 bob 5000
	order b-6 bob 6000
} >"$tmp/after"
produce "$tmp/before"

memory=(--fraud-state memory --topic valid=m.valid --topic refused=m.refused
	--topic notifications=m.notifications --topic dlq=m.dlq --topic state=m.state)
fraud st run1
fraud mem mem1 "${memory[@]}"
wait_until 25 count orders. 5
wait_until 20 count m. 5
stop run1
stop mem1
check "before the restart: 5 orders decided, all approved" \
	test "$(decisions orders. | grep -c ' approved -$')" = 5
check "the changelog holds the state: bob's times, alice's and the ids" \
	test -n "$(kcat -C -b "$bs" -t st.fraud.state -e -q -f '%k=%s\n' 2>/dev/null | grep "/u/bob=$((T + 1000)) 1000 1000 1000")"

produce "$tmp/after"
fraud st run2
fraud mem mem2 "${memory[@]}"
wait_until 40 count orders. 8
wait_until 20 count m. 8
stop run2
stop mem2

check "after the restart: the state was restored (the log says how much, how fast)" \
	test -n "$(grep -E 'restored [0-9]+ entries of partition [0-9]+ in [0-9]+ ms' "$tmp/run2.log" | grep -v 'restored 0 ')"
check "after the restart: the replayed order id is refused as a replay" \
	test -n "$(decisions orders. | grep '^r-1 refused replay$')"
check "after the restart: the burst's 6th order in 60 s is refused (velocity)" \
	test -n "$(decisions orders. | grep '^b-6 refused velocity$')"
check "after the restart: the burst's 5th is approved" \
	test -n "$(decisions orders. | grep '^b-5 approved -$')"
check "with --fraud-state memory the restart forgets both (what the test tells apart)" \
	test "$(decisions m. | grep -c ' approved -$')" = 8
check "each order decided once (the restart read on from the committed offsets)" \
	test "$(decisions orders. | wc -l)" = 8
check "no fraud process failed" \
	test -z "$(grep -l 'error' "$tmp"/run*.log)"
[ -n "${KEEP:-}" ] && { decisions orders.; decisions m.; }
exit $((fails > 0))
