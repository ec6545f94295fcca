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
. tests/integration/lib.sh

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

# --- an unreachable broker ends the run at --duration -----------------------
start=$SECONDS
out=$(timeout -k 5 60 "$ORDERTOP" -b 127.0.0.1:1 --headless --duration 2 2>&1); rc=$?
check "unreachable broker: --duration 2 ends the run with exit 1 within seconds" \
	test "$rc" -eq 1 -a $((SECONDS - start)) -le 10
check "unreachable broker: says no broker was reachable in that time" \
	test -n "$(echo "$out" | grep 'no broker reachable at 127.0.0.1:1 within 2 s')"
start=$SECONDS
out=$(timeout -k 5 60 "$ORDERTOP" --headless -b 127.0.0.1:1 --count 10 --drain --drain-timeout 3 2>&1); rc=$?
check "unreachable broker: --drain-timeout holds while waiting for brokers" \
	test "$rc" -eq 1 -a $((SECONDS - start)) -le 12 -a -n "$(echo "$out" | grep 'within 3 s')"
start=$SECONDS
out=$(timeout -k 5 60 "$ORDERTOP" rules list -b 127.0.0.1:1 --timeout 2 2>&1); rc=$?
check "ordertop rules --timeout 2: exits 1 saying no broker was reachable" \
	test "$rc" -eq 1 -a $((SECONDS - start)) -le 10 -a \
	     -n "$(echo "$out" | grep 'no broker reachable at 127.0.0.1:1 within 2 s')"
out=$("$ORDERTOP" rules list -b 127.0.0.1:1 --timeout nope 2>&1); rc=$?
check "--timeout with a bad value exits 2 naming the flag" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep -- '--timeout')"

# --- a port that does not speak Kafka is named ------------------------------
# serve.py KIND PORTFILE: an SSH-like banner or an HTTP server on a free port
cat >"$tmp/serve.py" <<'PY'
import http.server, socket, sys
kind, portfile = sys.argv[1], sys.argv[2]
if kind == 'http':
    srv = http.server.HTTPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)
    open(portfile, 'w').write(str(srv.server_address[1]))
    srv.serve_forever()
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(16)
open(portfile, 'w').write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept()
    c.sendall(b'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')
    conns.append(c)
PY
for kind in ssh http; do
	python3 "$tmp/serve.py" $kind "$tmp/$kind.port" 2>/dev/null &
	pids+=($!)
	wait_until 10 test -s "$tmp/$kind.port"
	port=$(cat "$tmp/$kind.port")
	# an HTTP server never answers Kafka's first request: librdkafka gives up after 10 s
	limit=$([ $kind = http ] && echo 14 || echo 4)
	out=$(timeout -k 5 60 "$ORDERTOP" -b 127.0.0.1:$port --headless --duration $limit -q 2>&1); rc=$?
	check "a $kind server's port: exit 1, it does not speak the Kafka protocol" \
		test "$rc" -eq 1 -a -n "$(echo "$out" | grep "127.0.0.1:$port does not speak the Kafka protocol (is it a Kafka listener? is security.protocol right?)")"
done

# --- brokers up/total follows a real cluster's outage -----------------------
# A bare embedded broker in its own process is a "real cluster" to the
# second one; SIGKILL takes all of it down at once.
"$ORDERTOP" --headless --roles none --bootstrap-file "$tmp/bare" -q 2>/dev/null &
bare=$!
pids+=("$bare")
wait_until 30 test -s "$tmp/bare"
start=$SECONDS
"$ORDERTOP" -b "$(cat "$tmp/bare")" --headless --duration 20 --rate 50 2>"$tmp/outage.log" &
run=$!
pids+=("$run")
wait_until 20 grep -qs '^ordertop .*produced [1-9].*brokers 3/3' "$tmp/outage.log"
check "outage: brokers 3/3 while the cluster is up" grep -q 'brokers 3/3' "$tmp/outage.log"
kill -KILL "$bare"
wait "$bare" 2>/dev/null
wait_until 8 grep -qs '^ordertop .*brokers 0/3' "$tmp/outage.log"
check "outage: the status line says brokers 0/3 within seconds of the cluster dying" \
	grep -qs '^ordertop .*brokers 0/3' "$tmp/outage.log"
grep -qs '^ordertop .*brokers 0/3' "$tmp/outage.log" || grep -E '^ordertop|broker:' "$tmp/outage.log" | tail -12
wait "$run"; rc=$?
check "outage: --duration still ends the run (exit 0, within the flush limit)" \
	test "$rc" -eq 0 -a $((SECONDS - start)) -le 50

exit $((fails > 0))
