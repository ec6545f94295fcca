#!/usr/bin/env bash
# test_schema.sh — other systems' formats through ordertop, on its embedded
# broker, with kcat as their clients: the envelope intake's orders (the
# order a JSON string inside .dados) are decided and notified through
# --order-map, and its monitor-style consumer, which reads `mensagem` from
# every record, reads all of ordertop's output through --decision-map and
# --notification-map; its status updates posted to notifications are
# foreign and notify nobody; a copied notification counts as a duplicate,
# not as another order notified; the synthetic-data producer's records map
# to orders or are skipped (counted); a map that throws dead-letters just
# those records; a jq syntax error is refused at start-up with jq's
# message; the first order published when the bootstrap file appears is
# decided at once; a second process joining the cluster with topics the
# first did not create falls back to automatic creation; records written
# with -X compression.codec=none are in uncompressed batches (read raw).
# Prints TAP-style "ok" / "not ok" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
MAPS=$PWD/tests/data/maps
CODEC=$PWD/tests/integration/batch_codec.py
count() { kcat -C -b "$1" -t "$2" -o beginning -e -q 2>/dev/null | grep -c .; }

# --- a map that does not compile ---------------------------------------------
out=$("$ORDERTOP" --headless --order-map '.dados | fromjson | {order_id: .id' 2>&1); rc=$?
check "a jq syntax error is refused at start-up (exit 2) with jq's message" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep -- '--order-map: jq: error: syntax error')"
out=$("$ORDERTOP" --headless --decision-map 'nosuch(1)' 2>&1); rc=$?
check "an unknown jq function is refused at start-up too" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep 'nosuch/1 is not defined')"
out=$("$ORDERTOP" --headless --notification-map "@$tmp/missing.jq" 2>&1); rc=$?
check "--notification-map @FILE that cannot be read names the file" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "missing.jq")"

# --- the envelope intake -------------------------------------------------------
"$ORDERTOP" --headless --no-generate --bootstrap-file "$tmp/bs-env" \
	--order-map "@$MAPS/envelope_order.jq" --decision-map "@$MAPS/envelope_decision.jq" \
	--notification-map "@$MAPS/envelope_notification.jq" \
	--summary "$tmp/env.json" 2>"$tmp/env.log" &
env_pid=$!
pids+=("$env_pid")
wait_until 30 test -s "$tmp/bs-env"
bs=$(cat "$tmp/bs-env")
# Published as soon as the bootstrap file appears: decided at once.
envelope() {   # envelope ID DADOS
	printf '{"mensagem": "Novo pedido %s", "payload": {"canal": "web"}, "id": %s, "status": "Analise", "dados": %s}\n' \
		"$1" "$1" "$2"
}
for i in 1 2 3 4 5; do
	envelope "$i" "\"{\\\"id\\\": $i, \\\"usuario\\\": \\\"ana$i\\\", \\\"produto\\\": \\\"tv\\\", \\\"dataSolicitacao\\\": \\\"2024-05-0$i\\\"}\""
done >"$tmp/env-orders"
envelope 6 '"this is not the order"' >>"$tmp/env-orders"      # fromjson throws
kcat -P -b "$bs" -t orders -l "$tmp/env-orders"
# The intake's own status updates, posted to notifications.
for i in 1 2; do
	printf '{"mensagem": "Pedido %s em analise", "id": %s, "order_id": "pedido-%s", "status": "Analise"}\n' "$i" "$i" "$i"
done | kcat -P -b "$bs" -t notifications
five_notified() { [ "$(count "$bs" orders.notified)" -ge 5 ]; }
check "the envelope's orders are decided and notified through --order-map" wait_until 60 five_notified
check "each of them exactly once, under its mapped order id" \
	test "$(kcat -C -b "$bs" -t orders.notified -o beginning -e -q 2>/dev/null |
		python3 -c "import sys, json; print(' '.join(sorted(json.loads(l)['id'] for l in sys.stdin)))")" \
	= "pedido-1 pedido-2 pedido-3 pedido-4 pedido-5"
latency=$(python3 - "$bs" <<'PY'
import json, subprocess, sys
bs = sys.argv[1]
run = lambda t, f: subprocess.run(["kcat", "-C", "-b", bs, "-t", t, "-o", "beginning", "-e", "-q", "-f", f],
                                  capture_output=True, text=True).stdout.splitlines()
ts = {}
for line in run("orders", "%T %s\n"):
    t, rec = line.split(" ", 1)
    ts["pedido-%d" % json.loads(rec)["id"]] = int(t)
decided = {}
for topic in ("orders.valid", "orders.refused"):
    for line in run(topic, "%s\n"):
        d = json.loads(line)["payload"]
        decided[d["order_id"]] = d["decided_at"]
print(max(decided[k] - ts[k] for k in decided))
PY
)
check "orders published when the bootstrap file appears are decided at once ($latency ms; was up to 3 s)" \
	test -n "$latency" -a "${latency:-99999}" -lt 500
monitor_style() {   # every record of every topic, its mensagem
	for t in orders orders.valid orders.refused notifications orders.notified orders.dlq; do
		kcat -C -b "$bs" -t "$t" -o beginning -e -q 2>/dev/null
	done | python3 -c "
import json, sys
n = bad = 0
for line in sys.stdin:
    n += 1
    bad += not isinstance(json.loads(line).get('mensagem'), str)
print(n, bad)"
}
check "a consumer reading mensagem from every record of every topic reads them all (24 records)" \
	test "$(monitor_style)" = "24 0"
check "decisions carry the envelope's own status words" \
	test "$(for t in orders.valid orders.refused; do kcat -C -b "$bs" -t $t -o beginning -e -q 2>/dev/null; done |
		python3 -c "import sys, json; print(sorted({json.loads(l)['status'] for l in sys.stdin} - {'Aprovado', 'Recusado'}))")" = "[]"
check "ordertop's own record rides along in the ordertop.record header" \
	test "$(kcat -C -b "$bs" -t notifications -o beginning -e -q -f '%h\n' 2>/dev/null | grep -c 'ordertop.record={"order_id":"pedido-')" = 5
check "the record the map threw on is dead-lettered with jq's reason, unchanged" \
	test -n "$(kcat -C -b "$bs" -t orders.dlq -o beginning -e -q -f '%h|%s\n' 2>/dev/null |
		grep 'ordertop.dlq.reason=--order-map: jq: error' | grep '"id": 6')"
check "the status updates notify nobody" \
	test -z "$(kcat -C -b "$bs" -t orders.notified -o beginning -e -q -f '%h\n' 2>/dev/null | grep -i analise)"
# ordertop's own notification, posted again: notified again, counted once.
printf '{"order_id":"pedido-1","user_id":"ana1","status":"APPROVED","total":0,"at":%s}\n' "$(date +%s000)" |
	kcat -P -b "$bs" -t notifications
six_notified() { [ "$(count "$bs" orders.notified)" -ge 6 ]; }
wait_until 30 six_notified

# A second process joins with topics the first did not create.
p2=second
"$ORDERTOP" --headless -b "$bs" --group-prefix "$p2" --instance two --count 20 --rate 200 \
	--drain --drain-timeout 60 --summary "$tmp/second.json" \
	--topic orders=Pedidos --topic valid=$p2.valid --topic refused=$p2.refused \
	--topic notifications=$p2.notifications --topic notified=$p2.notified \
	--topic dlq=$p2.dlq --topic rules=$p2.rules 2>"$tmp/second.log"
rc=$?
check "a second process joining the embedded cluster with new topic names runs (exit $rc)" \
	test "$rc" -eq 0 -a "$(json "$tmp/second.json" "d['notified'], d['lost']")" = "20 0"
check "... and says it left them to automatic topic creation" \
	grep -q "automatic topic creation" "$tmp/second.log"

check "records are lz4-compressed by default" \
	test "$(python3 "$CODEC" "$bs" orders.valid | cut -d' ' -f1 | sort -u | tr '\n' ' ')" = "lz4 "
kill -TERM "$env_pid"; wait "$env_pid"
check "the envelope run's summary: 5 decided, 5 notified, 1 duplicate, 2 foreign, 1 dead letter" \
	test "$(json "$tmp/env.json" "d['approved'] + d['refused'], d['notified'], d['duplicates'], d['foreign'], d['dead_lettered']")" = "5 5 1 2 1"

# --- the synthetic-data producer, and uncompressed records ---------------------
"$ORDERTOP" --headless --no-generate --bootstrap-file "$tmp/bs-syn" -X compression.codec=none \
	--order-map "@$MAPS/synthetic_order.jq" --summary "$tmp/syn.json" 2>"$tmp/syn.log" &
syn_pid=$!
pids+=("$syn_pid")
wait_until 30 test -s "$tmp/bs-syn"
bs=$(cat "$tmp/bs-syn")
{
	for i in 1 2 3 4; do
		printf '{"sequence_id": %d, "user_id": %d, "transaction_id": %d, "product_id": %d, "address": {"street": "Rua %d", "country": "BR"}, "signup_at": "2024-01-0%d", "platform_id": "web", "message": "purchase"}\n' \
			"$i" $((100 + i)) $((9000 + i)) $((40 + i)) "$i" "$i"
	done
	printf '{"sequence_id": 5, "user_id": 105, "platform_id": "web", "message": "heartbeat"}\n'
	printf '{"sequence_id": 6, "user_id": 106, "platform_id": "web", "message": "heartbeat"}\n'
	printf '{"sequence_id": 7, "user_id": 107, "transaction_id": 9007, "product_id": 47, "address": "Rua 7", "message": "purchase"}\n'   # .address.country throws
} | kcat -P -b "$bs" -t orders
four_notified() { [ "$(count "$bs" orders.notified)" -ge 4 ]; }
check "the synthetic producer's records map to orders and are decided and notified" wait_until 60 four_notified
check "their fields arrive mapped (order id from transaction_id, country from address)" \
	test -n "$(kcat -C -b "$bs" -t orders.valid -o beginning -e -q 2>/dev/null | grep '"order_id":"tx-9001"' | grep '"country":"BR"')"
check "a record the map throws on is dead-lettered with the reason" \
	test -n "$(kcat -C -b "$bs" -t orders.dlq -o beginning -e -q -f '%h\n' 2>/dev/null | grep 'Cannot index string with')"
check "with -X compression.codec=none every batch is uncompressed (read raw)" \
	test "$(for t in orders.valid notifications orders.notified; do python3 "$CODEC" "$bs" $t; done | cut -d' ' -f1 | sort -u | tr '\n' ' ')" = "none "
kill -TERM "$syn_pid"; wait "$syn_pid"
check "the synthetic run's summary: 4 decided, 2 skipped, 1 dead letter" \
	test "$(json "$tmp/syn.json" "d['approved'] + d['refused'], d['notified'], d['skipped'], d['dead_lettered']")" = "4 4 2 1"

exit $((fails > 0))
