#!/usr/bin/env bash
# test_explore.sh — the cluster explorer's command line on the embedded
# broker (another ordertop process with --bootstrap-file): topics with
# watermarks, ordertop's own groups with their lag, messages from a time,
# hostile bytes printed escaped, a re-drive dry run, its execution and a
# second re-drive skipped, an offset reset, and --read-only refusals
# (re-drive, reset, rules, the HTTP API's POST).  TAP-style output.
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
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
wait_until() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	"$@"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

port=$((20000 + RANDOM % 20000))
"$ORDERTOP" --headless --rate 100 --bootstrap-file "$tmp/bs" --http "$port" -q \
	>"$tmp/run.log" 2>&1 &
pids+=($!)
wait_until 30 test -s "$tmp/bs" || { not_ok "embedded broker up"; exit 1; }
bs=$(cat "$tmp/bs")
sleep 3

# --- topics ---
out=$("$ORDERTOP" topics -b "$bs" --json); rc=$?
check "topics: exit 0" test "$rc" -eq 0
check "topics: orders has 3 partitions and records = high - low" test "$(echo "$out" | json \
	"[ (len(t['partitions']), t['records'] == sum(p['high']-p['low'] for p in t['partitions']) and t['records'] > 0) for t in d['topics'] if t['name']=='orders'][0]")" = "(3, True)"
check "topics: says configs need a real cluster" \
	test -n "$(echo "$out" | grep 'need a real cluster')"
out=$("$ORDERTOP" topics no.such.topic -b "$bs" 2>&1); rc=$?
check "topics: an unknown topic exits 1 and is not created" \
	test "$rc" -eq 1 -a -z "$("$ORDERTOP" topics -b "$bs" | grep no.such.topic)"

# --- groups: ordertop's own, with lag ---
out=$("$ORDERTOP" groups -b "$bs" --json); rc=$?
check "groups: exit 0, ordertop-fraud and ordertop-notifier shown" test "$rc" -eq 0 -a \
	"$(echo "$out" | json "sorted(g['name'] for g in d['groups'])")" = "['ordertop-fraud', 'ordertop-notifier']"
check "groups: lag = end - committed on every partition" test "$(echo "$out" | json \
	"all(p['lag'] == max(0, p['end']-p['committed']) for g in d['groups'] for p in g['partitions'])")" = True
check "groups: the embedded broker's limits said in one line" \
	test "$("$ORDERTOP" groups -b "$bs" | grep -c '^note: .*need a real cluster')" -eq 1

# a group of our own at a known position: lag exact
"$ORDERTOP" reset-offsets probe --to 5 --partitions orders:0 -b "$bs" --execute >/dev/null 2>&1
out=$("$ORDERTOP" groups probe -b "$bs" --json)
check "groups: a reset group shows committed 5 and its lag" test "$(echo "$out" | json \
	"[(p['committed'], p['lag'] == p['end']-5, p['lag_ms'] > 0) for p in d['groups'][0]['partitions']]")" = "[(5, True, True)]"
out=$("$ORDERTOP" reset-offsets probe --to latest -b "$bs"); rc=$?
check "reset-offsets: dry run says so and changes nothing" test "$rc" -eq 0 -a \
	-n "$(echo "$out" | grep 'dry run')" -a \
	"$("$ORDERTOP" groups probe -b "$bs" --json | json "d['groups'][0]['partitions'][0]['committed']")" = 5
out=$("$ORDERTOP" reset-offsets probe --to nonsense -b "$bs" 2>&1); rc=$?
check "reset-offsets: a bad --to exits 2" test "$rc" -eq 2

# --- messages, hostile bytes ---
printf '{"order_id":"hostile-1","user_id":"u1","item":"x\\u001b[2J","quantity":"two","unit_price":5,"currency":"USD","country":"US","card_country":"US","created_at":1}\n' |
	kcat -P -b "$bs" -t orders -p 0 -k $'k\x1b[31mred' -H $'h\x07x=v\x1b]0;t\x07'
sleep 1
out=$("$ORDERTOP" messages orders --partition 0 --from -3s -b "$bs")
check "messages: from a time, the hostile record shown" test -n "$(echo "$out" | grep hostile-1)"
check "messages: escape bytes in key and headers printed escaped" \
	test -n "$(echo "$out" | grep -F 'k\x1b[31mred' | grep -F 'h\x07x=v\x1b]0;t\x07')" -a \
	-z "$(echo "$out" | tr -d '\n' | grep -P '\x1b|\x07')"
out=$("$ORDERTOP" messages orders --limit 3 -b "$bs" --json)
check "messages: --limit 3 gives 3 JSON records" test "$(echo "$out" | grep -c '"offset"')" -eq 3

# --- re-drive ---
wait_until 15 sh -c "'$ORDERTOP' messages orders.dlq -b '$bs' | grep -q hostile-1"
out=$("$ORDERTOP" redrive -b "$bs" --where '.order_id == "hostile-1" and ($headers["ordertop.dlq.reason"] | test("control"))' \
	--transform '.quantity = 2 | .item = "x"' --json)
check "redrive: dry run plans the dead letter back to orders, repaired" test "$(echo "$out" | json \
	"[(i['target'], i['status'], '\"quantity\":2' in i['value']) for i in d['items'] if 'hostile-1' in i['value']]")" = "[('orders', 'ready', True)]"
out=$("$ORDERTOP" redrive -b "$bs" --where 'select(' 2>&1); rc=$?
check "redrive: a jq syntax error exits 2 with jq's message" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep 'syntax error')"
out=$("$ORDERTOP" redrive -b "$bs" --transform '.quantity = 2' --execute --read-only 2>&1); rc=$?
check "read-only: redrive --execute refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep read-only)"
out=$("$ORDERTOP" redrive -b "$bs" --where '.order_id == "hostile-1"' --transform '.quantity = 2 | .item = "x"' --execute); rc=$?
check "redrive: --execute sends in one transaction" test "$rc" -eq 0 -a -n "$(echo "$out" | grep 're-drove [1-9]')"
check "redrive: the order reaches a final state (decided)" wait_until 15 sh -c \
	"for t in orders.valid orders.refused; do kcat -C -b '$bs' -t \$t -o beginning -e -q 2>/dev/null; done | grep -q '\"order_id\":\"hostile-1\"'"
check "redrive: the re-driven record names its dead letter" \
	test -n "$("$ORDERTOP" messages orders --from -30s --limit 100000 -b "$bs" | grep -A1 'ordertop.redriven_from=orders.dlq/' | grep hostile-1)"
out=$("$ORDERTOP" redrive -b "$bs" --where '.order_id == "hostile-1"' --transform '.quantity = 2 | .item = "x"' --execute --json)
check "redrive: a second re-drive of the same records is skipped" test "$(echo "$out" | json \
	"(d['ready'], d['done_before'] >= 1)")" = "(0, True)"

# --- read-only elsewhere ---
out=$("$ORDERTOP" reset-offsets probe --to 0 -b "$bs" --execute --read-only 2>&1); rc=$?
check "read-only: reset-offsets --execute refused" test "$rc" -eq 1 -a -n "$(echo "$out" | grep read-only)"
printf 'ordertop.read_only=true\n' >"$tmp/ro.properties"
out=$("$ORDERTOP" rules disable total_limit -b "$bs" -F "$tmp/ro.properties" 2>&1); rc=$?
check "read-only: ordertop rules disable refused (ordertop.read_only=true in -F)" \
	test "$rc" -eq 1 -a -n "$(echo "$out" | grep read-only)"
printf 'ordertop.read_only=maybe\n' >"$tmp/bad.properties"
out=$("$ORDERTOP" topics -b "$bs" -F "$tmp/bad.properties" 2>&1); rc=$?
check "read-only: a bad ordertop.read_only value names file:line" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep 'bad.properties:1')"
port2=$((port + 1))
"$ORDERTOP" --headless --roles none -b "$bs" --read-only --http "$port2" -q >"$tmp/ro.log" 2>&1 &
pids+=($!)
wait_until 20 curl -s -o /dev/null "http://127.0.0.1:$port2/healthz"
code=$(curl -s -o "$tmp/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"user_id":"u1","item":"x","quantity":1,"unit_price":5}' "http://127.0.0.1:$port2/orders")
check "read-only: HTTP POST /orders answers 403 with a clear message" \
	test "$code" = 403 -a -n "$(grep read-only "$tmp/post.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
	-d '{"enabled":false}' "http://127.0.0.1:$port2/rules/total_limit")
check "read-only: HTTP PATCH /rules answers 403" test "$code" = 403
