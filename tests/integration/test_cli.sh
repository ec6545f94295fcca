#!/usr/bin/env bash
# test_cli.sh — the ordertop binary from the outside, on its embedded
# broker: flags and config errors (exit 2, before anything starts: bad
# librdkafka properties, --rules, unwritable output files, flags that
# contradict each other), headless --drain with an exact summary,
# --notify-exec (delivered, and dead-lettered when PROG fails), interop
# with another Kafka client (kcat) through --bootstrap-file, the
# dead-letter topic's headers, the audit trail, `ordertop rules`, and a
# clean stop on SIGTERM.  Prints TAP-style "ok" / "not ok" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh


# --- flags and configuration errors ---------------------------------------
out=$("$ORDERTOP" --partitions nope 2>&1); rc=$?
check "bad flag value exits 2 naming the flag" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep -- '--partitions' | grep nope)"
out=$("$ORDERTOP" --frobnicate 2>&1); rc=$?
check "unknown flag exits 2" test "$rc" -eq 2 -a -n "$(echo "$out" | grep frobnicate)"
printf 'bootstrap.servers=127.0.0.1:1\n# comment\n\nthis line is wrong\n' >"$tmp/bad.properties"
out=$("$ORDERTOP" --headless -F "$tmp/bad.properties" 2>&1); rc=$?
check "bad properties line is named by file:line" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "bad.properties:4")"
printf 'sasl.password=hunter2-secret\nsasl.username=alice\n' >"$tmp/open.properties"
chmod 644 "$tmp/open.properties"
# (no broker listens there: ordertop keeps retrying until the timeout stops it)
out=$(timeout -s INT 3 "$ORDERTOP" --headless -F "$tmp/open.properties" -b 127.0.0.1:1 2>&1)
check "unreachable brokers: retries with back-off and says so" \
	test -n "$(echo "$out" | grep 'cannot reach the brokers at 127.0.0.1:1')"
check "world-readable password file draws a warning" \
	test -n "$(echo "$out" | grep -i "readable by other users")"
check "the password is never printed" test -z "$(echo "$out" | grep hunter2)"
out=$("$ORDERTOP" --help); rc=$?
check "--help exits 0 and documents --drain" test "$rc" -eq 0 -a -n "$(echo "$out" | grep -- --drain)"
out=$("$ORDERTOP" 2>&1 </dev/null); rc=$?
check "the dashboard without a terminal says so" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep -i "needs a terminal")"
out=$("$ORDERTOP" --headless --drain 2>&1); rc=$?
check "--drain without --count is refused" test "$rc" -eq 2
# In a terminal (script(1) gives one) whose type cannot move the cursor.
out=$(TERM=dumb timeout 30 script -qec "'$ORDERTOP' --theme-dir themes" /dev/null 2>&1 </dev/null); rc=$?
check "the dashboard on TERM=dumb exits 2 saying why, before anything starts" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "TERM=dumb cannot move the cursor")"
out=$(TERM=no-such-terminal timeout 30 script -qec "'$ORDERTOP'" /dev/null 2>&1 </dev/null); rc=$?
check "an unknown TERM exits 2 naming it" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "TERM=no-such-terminal is not a terminal type")"

# Exit 2, before anything starts, with a message holding WANT:
# refused NAME WANT ARGS...
refused() {
	local name=$1 want=$2 out rc
	shift 2
	out=$(timeout -s INT 30 "$ORDERTOP" "$@" 2>&1 </dev/null); rc=$?
	if [ "$rc" -eq 2 ] && echo "$out" | grep -qF -- "$want"; then
		ok "$name"
	else
		not_ok "$name (exit $rc: $(echo "$out" | tail -n 2))"
	fi
}
refused "an unknown librdkafka property (-X) exits 2" \
	'-X: No such configuration property: "no.such.property"' \
	--headless --count 1 -X no.such.property=1
printf 'acks=all\nlinger.ms=-5\n' >"$tmp/range.properties"
refused "an invalid librdkafka value (-F) exits 2 naming file:line" \
	"range.properties:2: " --headless --count 1 -F "$tmp/range.properties"
printf '{"rules": [' >"$tmp/bad-rules.json"
refused "a bad --rules file exits 2" "--rules $tmp/bad-rules.json: " \
	--headless --count 1 --rules "$tmp/bad-rules.json"
refused "a missing --rules file exits 2" "No such file or directory" \
	--headless --count 1 --rules "$tmp/no-rules.json"
refused "an unwritable --audit path exits 2" "--audit $tmp/no/dir/audit.jsonl: " \
	--headless --count 1 --audit "$tmp/no/dir/audit.jsonl"
refused "--audit naming a directory exits 2" "Is a directory" \
	--headless --count 1 --audit "$tmp"
refused "an unwritable --bootstrap-file path exits 2" \
	"--bootstrap-file $tmp/no/dir/bs: " --headless --roles none --bootstrap-file "$tmp/no/dir/bs"
refused "an unwritable --summary path exits 2 before the run" \
	"--summary $tmp/no/dir/s.json: " --headless --count 1 --summary "$tmp/no/dir/s.json"
refused "-b with --embedded-brokers exits 2 saying why" \
	"--embedded-brokers applies only to the embedded cluster" \
	--headless -b 127.0.0.1:1 --embedded-brokers 2
refused "-b with --bootstrap-file exits 2 saying why" \
	"--bootstrap-file applies only to the embedded cluster" \
	--headless -b 127.0.0.1:1 --bootstrap-file "$tmp/bs-real"
refused "--drain --count without the generator (--no-generate) exits 2" \
	"--no-generate" --headless --no-generate --count 5 --drain
check "nothing was written by the refused runs" \
	test ! -e "$tmp/bs-real" -a ! -e "$tmp/no"

# --- headless run with an exact summary ------------------------------------
"$ORDERTOP" --headless --count 3000 --rate max --drain --drain-timeout 120 \
	--summary "$tmp/summary.json" --audit "$tmp/audit.jsonl" -q 2>"$tmp/drain.log"
rc=$?
check "headless --drain exits 0" test "$rc" -eq 0
check "summary: produced 3000" test "$(json "$tmp/summary.json" "d['produced']")" = 3000
check "summary: approved + refused = produced" \
	test "$(json "$tmp/summary.json" "d['approved'] + d['refused']")" = 3000
check "summary: notified = produced" test "$(json "$tmp/summary.json" "d['notified']")" = 3000
check "summary: no duplicates, none lost" \
	test "$(json "$tmp/summary.json" "d['duplicates'] + d['lost']")" = 0
check "summary: seconds, rate and latency are measured" \
	test "$(json "$tmp/summary.json" "int(d['seconds'] > 0 and d['orders_per_sec'] > 0 and d['latency_ms']['p99'] >= d['latency_ms']['p50'] > 0)")" = 1
check "audit trail: one JSON object per line, every topic" \
	test "$(python3 -c "
import json
topics = set()
for line in open('$tmp/audit.jsonl'):
    topics.add(json.loads(line)['topic'])
print(len(topics & {'orders','orders.valid','orders.refused','notifications','orders.notified'}))")" = 5

# What every pipeline record carries, read back from the audit trail: the
# times the latencies start from, in its payload (created_at on every one,
# decided_at after fraud, a notification's "at"), and no headers at all by
# default; with --trace-headers the order id, both times, source and stage.
# records_ok AUDIT TRACE: prints 1 when every pipeline record carries what it should.
records_ok() {
	python3 -c "
import json, sys
trace = sys.argv[2] == '1'
want_source = {'orders.valid': 'orders/', 'orders.refused': 'orders/',
               'notifications': 'orders/', 'orders.notified': 'notifications/'}
stage = {'orders': 'generator', 'orders.valid': 'fraud', 'orders.refused': 'fraud',
         'notifications': 'fraud', 'orders.notified': 'notifier'}
decided_key = {'orders.valid': 'decided_at', 'orders.refused': 'decided_at',
               'notifications': 'at', 'orders.notified': 'decided_at'}
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    t, h, v = r['topic'], r.get('headers', {}), r['value']
    if t not in stage:
        continue
    n += 1
    created = v.get('created_at')
    if not isinstance(created, int) or created <= 0:
        sys.exit('no created_at on %s: %s' % (t, v))
    decided = v.get(decided_key[t]) if t in decided_key else None
    if t in decided_key and (not isinstance(decided, int) or decided < created):
        sys.exit('no %s after created_at on %s: %s' % (decided_key[t], t, v))
    if t == 'orders.notified' and v['notified_at'] < decided:
        sys.exit('notified before decided: %s' % v)
    if not trace:
        if h:
            sys.exit('headers without --trace-headers on %s: %s' % (t, h))
        continue
    want = {'ordertop.order_id': v['order_id'], 'ordertop.created_ms': str(created),
            'ordertop.stage': stage[t]}
    if decided is not None:
        want['ordertop.decided_ms'] = str(decided)
    if any(h.get(k) != x for k, x in want.items()):
        sys.exit('trace headers on %s: %s, want %s' % (t, h, want))
    if t in want_source and not h.get('ordertop.source', '').startswith(want_source[t]):
        sys.exit('source on %s: %s' % (t, h))
print(1 if n > 0 else 0)
" "$1" "$2"
}
check "records carry created_at and decided_at in their payloads, no headers by default" \
	test "$(records_ok "$tmp/audit.jsonl" 0)" = 1
"$ORDERTOP" --headless --count 300 --rate max --drain --drain-timeout 120 --trace-headers \
	--audit "$tmp/audit-trace.jsonl" -q 2>"$tmp/trace.log"
check "--trace-headers adds order id, times, source and stage headers to every record" \
	test "$(records_ok "$tmp/audit-trace.jsonl" 1)" = 1

# --- --notify-exec: PROG tells the customer, or its failures dead-letter ---
mkdir "$tmp/told"             # one file per run of PROG: they run side by side
printf '#!/bin/sh\ncat > "%s/told/$$.json"\n' "$tmp" > "$tmp/tell.sh"
printf '#!/bin/sh\ncat >/dev/null\nexit 3\n' > "$tmp/refuse.sh"
chmod +x "$tmp/tell.sh" "$tmp/refuse.sh"
"$ORDERTOP" --headless --count 200 --rate 400 --drain --drain-timeout 120 \
	--notify-exec "$tmp/tell.sh" --summary "$tmp/exec.json" -q 2>"$tmp/exec.log"
check "--notify-exec: every order notified through PROG" \
	test "$(json "$tmp/exec.json" "d['notified'], d['dead_lettered'], d['notify_failed']")" = "200 0 0"
check "--notify-exec: PROG got each notification's JSON on stdin" \
	test "$(cat "$tmp"/told/*.json | grep -o '"order_id"' | wc -l)" = 200
"$ORDERTOP" --headless --count 40 --rate 200 --drain --drain-timeout 120 \
	--notify-exec "$tmp/refuse.sh" --notify-retries 0 --audit "$tmp/exec-audit.jsonl" \
	--summary "$tmp/refused.json" -q 2>"$tmp/refused.log"
check "--notify-exec: what PROG cannot deliver is dead-lettered, nothing lost" \
	test "$(json "$tmp/refused.json" "d['notified'], d['dead_lettered'], d['notify_failed'], d['lost']")" = "0 40 40 0"
check "--notify-exec: the dead letter names PROG's failure and where the notification was" \
	test "$(python3 -c "
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['topic'] != 'orders.dlq':
        continue
    h = r['headers']
    if (h.get('ordertop.stage') != 'notifier' or 'exit 3' not in h.get('ordertop.dlq.reason', '')
            or h.get('ordertop.dlq.topic') != 'notifications'
            or not h.get('ordertop.dlq.offset', '').isdigit()):
        sys.exit('bad dead letter: %s' % h)
    n += 1
print(n)
" "$tmp/exec-audit.jsonl")" = 40

# --- interop with kcat through --bootstrap-file ---------------------------
"$ORDERTOP" --headless --rate 20 --bootstrap-file "$tmp/bootstrap" \
	--summary "$tmp/live.json" -q 2>"$tmp/live.log" &
live=$!
pids+=("$live")
wait_until 30 test -s "$tmp/bootstrap"
bs=$(cat "$tmp/bootstrap")
check "bootstrap file written" test -n "$bs"
echo '{"order_id":"12345","user_id":"user789","item":"laptop","quantity":2}' |
	kcat -P -b "$bs" -t orders -k user789
printf 'not json at all\n' | kcat -P -b "$bs" -t orders
notified() { kcat -C -b "$bs" -t orders.notified -o beginning -e -q 2>/dev/null | grep -q '"order_id":"12345"'; }
check "smallest-form order from kcat reaches orders.notified" wait_until 60 notified
dlq() { kcat -C -b "$bs" -t orders.dlq -o beginning -e -q -f '%h %s\n' 2>/dev/null | grep 'not json at all' | grep -q 'ordertop.dlq.reason=not JSON'; }
check "malformed message from kcat lands in orders.dlq with its reason" wait_until 60 dlq
dlq_source() { kcat -C -b "$bs" -t orders.dlq -o beginning -e -q -f '%h\n' 2>/dev/null | grep -q 'ordertop.dlq.topic=orders'; }
check "dead letter names its source topic" dlq_source
check "the minimal order keeps its fields downstream" \
	test -n "$(for t in orders.valid orders.refused; do kcat -C -b "$bs" -t $t -o beginning -e -q 2>/dev/null; done | grep '"order_id":"12345"' | grep '"rules_version"' | grep '"decided_at"')"

# --- rules from another process -------------------------------------------
out=$("$ORDERTOP" rules disable total_limit -b "$bs" 2>&1); rc=$?
check "ordertop rules disable publishes a new version" \
	test "$rc" -eq 0 -a -n "$(echo "$out" | grep -E '^ *1 off +total_limit')"
applied() { "$ORDERTOP" rules list -b "$bs" 2>/dev/null | grep -q "applies version 1"; }
check "the running fraud worker applies it" wait_until 30 applied
out=$("$ORDERTOP" rules set velocity window_s 0 -b "$bs" 2>&1); rc=$?
check "an out-of-range rule parameter is refused" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep window_s)"

# --- clean stop on SIGTERM --------------------------------------------------
kill -TERM "$live"
wait "$live"; rc=$?
check "SIGTERM stops cleanly with exit 0" test "$rc" -eq 0
check "summary written at SIGTERM" test "$(json "$tmp/live.json" "d['end']")" = signal
check "no duplicates in the live run" test "$(json "$tmp/live.json" "d['duplicates']")" = 0

# --- a bare broker ----------------------------------------------------------
"$ORDERTOP" --headless --roles none --bootstrap-file "$tmp/bare" -q 2>/dev/null &
bare=$!
pids+=("$bare")
wait_until 30 test -s "$tmp/bare"
check "--roles none serves the pipeline topics to other clients" \
	test -n "$(kcat -L -b "$(cat "$tmp/bare")" 2>/dev/null | grep 'topic "orders.dlq"')"
kill -TERM "$bare"; wait "$bare"

exit $((fails > 0))
