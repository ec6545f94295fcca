#!/usr/bin/env bash
# test_three.sh — ordertop against a three-node real Kafka cluster: topics created with
# --replication-factor 3; one broker SIGKILLed mid-stream; the pipeline goes on, exactly
# once, and the headless status line shows "brokers 2/3".
source "$(dirname "$0")/lib.sh"
kafka_up three

p=t4 n=15000
mapfile -t A < <(topic_args $p)
bg_ordertop "$WORK/t4.log" -b "$BOOT" "${A[@]}" --headless --count $n --rate 1000 --drain \
	--drain-timeout 180 --partitions 3 --replication-factor 3 --instance t4 --summary "$WORK/t4.json"
pid=$BG

if wait_until 120 count_at_least "$WORK/t4.log" notified 2000; then
	ok "broker loss: pipeline running on three brokers"
else
	not_ok "broker loss: pipeline running on three brokers" "$(tail -5 "$WORK/t4.log")"
fi
# replication factor 3: every partition of the orders topic has 3 replicas
reps3=$(kc -L -t "$p.orders" 2>/dev/null | grep -cE 'replicas: [0-9]+,[0-9]+,[0-9]+,')
check "broker loss: $p.orders created with 3 partitions x 3 replicas" test "$(partitions "$p.orders")" = 3 -a "$reps3" -eq 3
[[ $reps3 -eq 3 ]] || note "$(kc -L -t "$p.orders" 2>&1 | tail -4)"

"$KAFKA_SH" kill "$CLUSTER" 2 >"$WORK/kill.log" 2>&1
note "killed broker 2 at: $(grep '^ordertop' "$WORK/t4.log" | tail -n1)"
if wait_until 90 grep -q 'brokers 2/3' "$WORK/t4.log"; then
	ok "broker loss: status line shows brokers 2/3"
	note "$(grep -m1 'brokers 2/3' "$WORK/t4.log")"
else
	not_ok "broker loss: status line shows brokers 2/3" "$(grep '^ordertop' "$WORK/t4.log" | tail -n2)"
fi
wait_pid "$pid" 240
check "broker loss: the pipeline drains all $n orders with a broker down (exit 0)" test "$RC" -eq 0
[[ $RC -eq 0 ]] || note "$(grep -v '^ordertop' "$WORK/t4.log" | grep -iE 'error|warn' | tail -5)"
note "summary: notified=$(json_field "$WORK/t4.json" notified) lost=$(json_field "$WORK/t4.json" lost) duplicates=$(json_field "$WORK/t4.json" duplicates) aborts=$(json_field "$WORK/t4.json" txn_aborts) end=$(json_field "$WORK/t4.json" end)"
if out=$(check_eo $p $n); then ok "broker loss: exactly once (kcat read_committed)"; note "$out"; else
	not_ok "broker loss: exactly once (kcat read_committed)" "$out"; fi
finish
