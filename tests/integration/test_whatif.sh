#!/usr/bin/env bash
# test_whatif.sh — `ordertop rules whatif` from the outside, on the embedded
# broker: orders produced by kcat (fixed created_at; a burst of 5 orders of
# one user in 8 s, and others; 9 s in all) are re-decided with a candidate change, and
# the counts, per-rule lines, examples, the "too short to judge" note and
# the JSON form say what the change would do; --last N reads N orders; the
# rules in force are not changed (nothing is published).  TAP-style output.
set -uo pipefail
cd "$(dirname "$0")/../.."
ORDERTOP=${ORDERTOP:-$PWD/build/ordertop}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

"$ORDERTOP" --headless --roles none --bootstrap-file "$tmp/bs" -q 2>/dev/null &
pids+=($!)
for _ in $(seq 1 150); do [ -s "$tmp/bs" ] && break; sleep 0.2; done
bs=$(cat "$tmp/bs")

T=1700000000000
{
	for i in 1 2 3 4 5; do
		printf 'bob|{"order_id":"b-%d","user_id":"bob","item":"pen","quantity":1,"unit_price":5,"created_at":%d}\n' \
			$i $((T + i * 2000))
	done
	for i in 1 2 3; do
		printf 'u%d|{"order_id":"o-%d","user_id":"u%d","item":"pen","quantity":1,"unit_price":5,"created_at":%d}\n' \
			$i $i $i $((T + i * 1000))
	done
} >"$tmp/orders"
kcat -P -b "$bs" -t orders -K'|' -l "$tmp/orders" 2>/dev/null

out=$("$ORDERTOP" rules whatif velocity max_orders 3 -b "$bs" 2>&1); rc=$?
check "whatif velocity max_orders 3: exit 0" test "$rc" -eq 0
check "it read the 8 orders" test -n "$(grep '^8 orders of .orders.' <<<"$out")"
check "the 4th and 5th of the burst would be refused" \
	test -n "$(grep -E '^  approved -> refused +2$' <<<"$out")" -a \
	     -n "$(grep -E 'e.g. approved -> refused: b-4 \(velocity\), b-5 \(velocity\)' <<<"$out")"
check "per rule: velocity fires on 2 more" \
	test -n "$(grep -E '^  velocity +fires on 2 more, 0 fewer$' <<<"$out")"
check "it says 9 s of orders are too short for a 60 s window" \
	test -n "$(grep 'note: velocity: its 60 s window is longer than the 9 s' <<<"$out")"

json=$("$ORDERTOP" rules whatif disable replay -b "$bs" --json --last 3 2>&1)
check "--json --last 3: 3 orders, nothing changes, as JSON" \
	test "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["orders"], d["approved_to_refused"], d["refused_to_approved"], d["change"].split(" (")[0])' "$json")" = "3 0 0 disable replay"

list=$("$ORDERTOP" rules list -b "$bs" 2>&1)
check "nothing was published: rules version 0, velocity still max_orders=5" \
	test -n "$(grep '^rules version 0$' <<<"$list")" -a -n "$(grep 'velocity .*max_orders=5' <<<"$list")"

"$ORDERTOP" rules whatif velocity max_orders 0 -b "$bs" >/dev/null 2>"$tmp/err"; rc=$?
check "an out-of-range value exits 2 and says why" \
	test "$rc" -eq 2 -a -n "$(grep 'max_orders must be an integer between 1 and' "$tmp/err")"
"$ORDERTOP" rules whatif enable velocity --since yesterday -b "$bs" >/dev/null 2>"$tmp/err"; rc=$?
check "a bad --since exits 2 and says what it takes" test "$rc" -eq 2 -a -n "$(grep -e '--since: expected' "$tmp/err")"
exit $((fails > 0))
