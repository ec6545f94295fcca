#!/usr/bin/env bash
# test_single.sh — ordertop against one real Kafka broker (KRaft, single node):
# provisioning, exactly once at 100k orders, fraud crash/restart, scale-out with
# a rule toggle, interop with messages published by kcat. Each scenario uses its
# own topic names and group prefix, so they share the broker.
source "$(dirname "$0")/lib.sh"
kafka_up single

mapfile_args() { mapfile -t "$1" < <(topic_args "$2"); }

# ------------------------------------------------------------------ 1. provisioning
scenario_provisioning() {
	local p=t1 a s rc t ok1=1 why=()
	mapfile_args a $p
	"$ORDERTOP" -b "$BOOT" "${a[@]}" --headless --count 100 --rate max --drain --drain-timeout 60 \
		--partitions 3 --replication-factor 1 --summary "$WORK/t1.json" 2>"$WORK/t1.log" >/dev/null
	rc=$?
	[[ $rc -eq 0 ]] || { ok1=0; why+=("first run exit $rc: $(tail -3 "$WORK/t1.log")"); }
	for t in orders valid refused notifications notified dlq; do
		s=$(partitions "$p.$t")
		[[ $s == 3 ]] || { ok1=0; why+=("$p.$t has '$s' partitions, want 3"); }
	done
	s=$(partitions "$p.rules")
	[[ $s == 1 ]] || { ok1=0; why+=("$p.rules has '$s' partitions, want 1"); }
	grep -q "created topic '$p.orders'" "$WORK/t1.log" || { ok1=0; why+=("no \"created topic '$p.orders'\" in the log"); }
	((ok1)) && ok "provisioning: topics created with --partitions 3 (rules: 1)" ||
		not_ok "provisioning: topics created with --partitions 3 (rules: 1)" "${why[@]}"

	# existing topics are left alone: create with 1 partition, then run with --partitions 3
	p=t1b ok1=1 why=()
	mapfile_args a $p
	"$ORDERTOP" -b "$BOOT" "${a[@]}" --headless --count 10 --rate max --drain --drain-timeout 60 \
		--partitions 1 --replication-factor 1 2>"$WORK/t1b-1.log" >/dev/null
	rc=$?
	[[ $rc -eq 0 ]] || { ok1=0; why+=("run with --partitions 1: exit $rc"); }
	"$ORDERTOP" -b "$BOOT" "${a[@]}" --headless --count 10 --rate max --drain --drain-timeout 60 \
		--partitions 3 --replication-factor 1 2>"$WORK/t1b-2.log" >/dev/null
	rc=$?
	[[ $rc -eq 0 ]] || { ok1=0; why+=("run with --partitions 3 on existing topics: exit $rc: $(tail -3 "$WORK/t1b-2.log")"); }
	for t in orders valid refused notifications notified dlq rules; do
		s=$(partitions "$p.$t")
		[[ $s == 1 ]] || { ok1=0; why+=("$p.$t has '$s' partitions after the second run, want 1"); }
	done
	if grep -q "created topic" "$WORK/t1b-2.log"; then ok1=0; why+=("second run says: $(grep -m1 'created topic' "$WORK/t1b-2.log")"); fi
	((ok1)) && ok "provisioning: existing topics left alone (still 1 partition)" ||
		not_ok "provisioning: existing topics left alone (still 1 partition)" "${why[@]}"
}

# ------------------------------------------------------------------ 2. exactly once, 100k
scenario_exactly_once() {
	local p=t2 a rc n=100000 sum=$WORK/t2.json out t0
	mapfile_args a $p
	t0=$(date +%s)
	"$ORDERTOP" -b "$BOOT" "${a[@]}" --headless --count $n --rate max --drain --drain-timeout 240 \
		--partitions 3 --replication-factor 1 --summary "$sum" -q 2>"$WORK/t2.log" >/dev/null
	rc=$?
	note "100k run: exit $rc in $(($(date +%s) - t0)) s"
	check "exactly once: 100k --drain exits 0" test "$rc" -eq 0
	local bad=()
	for f in produced:$n generated:$n notified:$n dead_lettered:0 duplicates:0 lost:0 end:drained; do
		local v; v=$(json_field "$sum" "${f%%:*}")
		[[ $v == "${f#*:}" ]] || bad+=("summary ${f%%:*}=$v, want ${f#*:}")
	done
	local ap rf; ap=$(json_field "$sum" approved) rf=$(json_field "$sum" refused)
	[[ -n $ap && -n $rf && $((ap + rf)) -eq $n ]] || bad+=("summary approved $ap + refused $rf != $n")
	((${#bad[@]} == 0)) && ok "exactly once: summary counts exact" || not_ok "exactly once: summary counts exact" "${bad[@]}"
	if out=$(check_eo $p $n); then
		ok "exactly once: kcat read_committed: 100000 ids once in valid+refused and once in notified"
		note "$out"
	else
		not_ok "exactly once: kcat read_committed: 100000 ids once in valid+refused and once in notified" "$out"
	fi
}

# ------------------------------------------------------------------ 3. fraud crash
scenario_crash() {
	local p=t3 a n=30000 gen f1 rc out
	mapfile_args a $p
	bg_ordertop "$WORK/t3-f1a.log" -b "$BOOT" "${a[@]}" --headless --roles fraud --instance f1 \
		--partitions 3 --replication-factor 1
	f1=$BG
	if ! wait_until 60 grep -q "assigned $p.orders" "$WORK/t3-f1a.log"; then
		not_ok "crash: fraud worker f1 gets partitions" "$(tail -5 "$WORK/t3-f1a.log")"
		stop_pid "$f1"
		return
	fi
	bg_ordertop "$WORK/t3-gen.log" -b "$BOOT" "${a[@]}" --headless --roles producer,notifier,monitor \
		--count $n --rate 3000 --drain --drain-timeout 180 --partitions 3 --replication-factor 1 \
		--summary "$WORK/t3.json"
	gen=$BG
	# kill -9 the fraud worker once it has decided some orders (the monitor sees them)
	if wait_until 90 count_at_least "$WORK/t3-gen.log" approved 3000; then
		kill -KILL "$f1"
		wait "$f1" 2>/dev/null
		note "fraud f1 SIGKILLed at: $(grep '^ordertop' "$WORK/t3-gen.log" | tail -n1)"
		ok "crash: fraud worker f1 decided orders and was SIGKILLed mid-stream"
	else
		not_ok "crash: fraud worker f1 decided orders and was SIGKILLed mid-stream" "$(tail -3 "$WORK/t3-gen.log")"
	fi
	bg_ordertop "$WORK/t3-f1b.log" -b "$BOOT" "${a[@]}" --headless --roles fraud --instance f1 \
		--partitions 3 --replication-factor 1
	f1=$BG
	wait_pid "$gen" 200; rc=$RC
	check "crash: generator process drains after the restart (exit 0)" test "$rc" -eq 0
	[[ $rc -eq 0 ]] || note "generator: $(tail -n 3 "$WORK/t3-gen.log")"
	note "generator summary: lost=$(json_field "$WORK/t3.json" lost) notified=$(json_field "$WORK/t3.json" notified) duplicates=$(json_field "$WORK/t3.json" duplicates)"
	stop_pid "$f1"
	if out=$(check_eo $p $n); then
		ok "crash: exactly once after SIGKILL + restart (kcat read_committed)"
		note "$out"
	else
		not_ok "crash: exactly once after SIGKILL + restart (kcat read_committed)" "$out"
	fi
}

# ------------------------------------------------------------------ 5. scale-out + rule toggle
scenario_scale_out() {
	local p=t5 a n=20000 fa fb gen rc v0 vnew out
	mapfile_args a $p
	bg_ordertop "$WORK/t5-a.log" -b "$BOOT" "${a[@]}" --headless --roles fraud --instance a \
		--partitions 3 --replication-factor 1
	fa=$BG
	bg_ordertop "$WORK/t5-b.log" -b "$BOOT" "${a[@]}" --headless --roles fraud --instance b \
		--partitions 3 --replication-factor 1
	fb=$BG
	# both hold partitions at the same time (after the rebalance)
	both_assigned() {
		grep -q "assigned $p.orders" "$WORK/t5-a.log" && grep -q "assigned $p.orders" "$WORK/t5-b.log"
	}
	if wait_until 90 both_assigned; then
		ok "scale-out: both fraud processes get partitions"
	else
		not_ok "scale-out: both fraud processes get partitions" "a: $(grep -c assigned "$WORK/t5-a.log") assigned lines" \
			"b: $(grep -c assigned "$WORK/t5-b.log") assigned lines"
	fi
	bg_ordertop "$WORK/t5-gen.log" -b "$BOOT" "${a[@]}" --headless --roles producer,notifier,monitor \
		--count $n --rate 1000 --drain --drain-timeout 180 --partitions 3 --replication-factor 1 \
		--summary "$WORK/t5.json"
	gen=$BG
	wait_until 90 count_at_least "$WORK/t5-gen.log" approved 3000
	v0=$("$ORDERTOP" rules list -b "$BOOT" --topic "rules=$p.rules" --group-prefix $p 2>&1 | sed -n 's/^rules version \([0-9]*\).*/\1/p')
	if ! "$ORDERTOP" rules disable total_limit -b "$BOOT" --topic "rules=$p.rules" --group-prefix $p \
		>"$WORK/t5-rules.out" 2>&1; then
		not_ok "scale-out: ordertop rules disable total_limit" "$(cat "$WORK/t5-rules.out")"
	fi
	vnew=$("$ORDERTOP" rules list -b "$BOOT" --topic "rules=$p.rules" --group-prefix $p 2>&1 | sed -n 's/^rules version \([0-9]*\).*/\1/p')
	note "rules version $v0 -> $vnew"
	both_at_new() {
		"$ORDERTOP" rules list -b "$BOOT" --topic "rules=$p.rules" --group-prefix $p >"$WORK/t5-list.out" 2>&1 &&
			grep -q "^ *[0-9]* off *total_limit" "$WORK/t5-list.out" &&
			grep -q "worker $p-fraud-a applies version $vnew\b" "$WORK/t5-list.out" &&
			grep -q "worker $p-fraud-b applies version $vnew\b" "$WORK/t5-list.out"
	}
	if [[ -n $vnew && $vnew != "$v0" ]] && wait_until 60 both_at_new; then
		ok "scale-out: rules list shows both workers at the new version $vnew"
	else
		not_ok "scale-out: rules list shows both workers at the new version '$vnew'" "$(cat "$WORK/t5-list.out" 2>/dev/null)"
	fi
	wait_pid "$gen" 200; rc=$RC
	check "scale-out: generator drains (exit 0)" test "$rc" -eq 0
	stop_pid "$fa"
	stop_pid "$fb"
	if out=$(check_eo $p $n); then ok "scale-out: exactly once with two fraud processes"; note "$out"; else
		not_ok "scale-out: exactly once with two fraud processes" "$out"; fi
	# decided_by: both workers; rules_version: new version after the toggle, never going back per partition
	out=$(python3 - "$WORK/eo.$p" "$p-fraud-a" "$p-fraud-b" "${vnew:-x}" <<'EOF'
import json, sys, collections
d, wa, wb, vnew = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
by = collections.Counter(); ver = collections.Counter(); back = []; newby = collections.Counter()
for name in ("valid", "refused"):
    last = {}
    for line in open(f"{d}/{name}", encoding="utf-8"):
        part, v = line.rstrip("\n").split("\t", 1)
        o = json.loads(v)
        by[o.get("decided_by")] += 1
        rv = o.get("rules_version")
        ver[rv] += 1
        if str(rv) == vnew:
            newby[o.get("decided_by")] += 1
        if part in last and rv < last[part]:
            back.append((name, part, last[part], rv))
        last[part] = rv
print("decided_by:", dict(by), "rules_version:", dict(ver), "at new version by:", dict(newby))
errs = []
if by[wa] == 0 or by[wb] == 0:
    errs.append(f"decided_by lacks a worker: {dict(by)}")
if sum(newby.values()) == 0:
    errs.append(f"no decision carries rules_version {vnew}")
if back:
    errs.append(f"rules_version went back within a partition: {back[:3]}")
for e in errs:
    print("PROBLEM:", e)
sys.exit(1 if errs else 0)
EOF
	)
	local r=$?
	note "$out"
	if [[ $r -eq 0 ]]; then
		ok "scale-out: decisions by both workers, later ones at rules_version $vnew"
	else
		not_ok "scale-out: decisions by both workers, later ones at rules_version $vnew" "$out"
	fi
}

# ------------------------------------------------------------------ 7. interop
scenario_interop() {
	local p=t7 a pid
	mapfile_args a $p
	bg_ordertop "$WORK/t7.log" -b "$BOOT" "${a[@]}" --headless --roles fraud,notifier,monitor \
		--instance i7 --partitions 3 --replication-factor 1
	pid=$BG
	ready() { grep -q "assigned $p.orders" "$WORK/t7.log" && grep -q "assigned $p.notifications" "$WORK/t7.log"; }
	if ! wait_until 60 ready; then
		not_ok "interop: pipeline ready" "$(tail -5 "$WORK/t7.log")"
		stop_pid "$pid"
		return
	fi
	printf '%s\n' '{"order_id":"12345","user_id":"user789","item":"laptop","quantity":2}' |
		kc -P -t "$p.orders" -k user789
	printf '%s\n' '{"order_id":"bad-1","user_id":' | kc -P -t "$p.orders" -k user789
	has_12345() {
		kc -C -e -q -o beginning -X isolation.level=read_committed -t "$p.notified" -f '%s\n' 2>/dev/null |
			grep -q '"order_id":"12345"'
	}
	in_dlq() {
		kc -C -e -q -o beginning -X isolation.level=read_committed -t "$p.dlq" -f '%h|%s\n' >"$WORK/t7-dlq.out" 2>/dev/null &&
			grep -q 'ordertop.dlq.reason=.*|{"order_id":"bad-1","user_id":$' "$WORK/t7-dlq.out"
	}
	if wait_until 60 has_12345; then
		ok "interop: the smallest kcat order reaches orders.notified"
	else
		not_ok "interop: the smallest kcat order reaches orders.notified" "$(tail -5 "$WORK/t7.log")"
	fi
	if wait_until 60 in_dlq; then
		ok "interop: a malformed kcat message goes to orders.dlq unchanged with ordertop.dlq.reason"
		note "dlq: $(head -c 300 "$WORK/t7-dlq.out")"
	else
		not_ok "interop: a malformed kcat message goes to orders.dlq unchanged with ordertop.dlq.reason" \
			"dlq: $(cat "$WORK/t7-dlq.out" 2>/dev/null)" "$(tail -5 "$WORK/t7.log")"
	fi
	local n
	n=$(for t in valid refused; do kc -C -e -q -o beginning -X isolation.level=read_committed -t "$p.$t" -f '%s\n' 2>/dev/null; done | grep -c '"order_id":"12345"')
	check "interop: order 12345 decided exactly once" test "$n" -eq 1
	stop_pid "$pid"
}

only=${ONLY:-1,2,3,5,7}
for s in 1:scenario_provisioning 7:scenario_interop 5:scenario_scale_out 3:scenario_crash 2:scenario_exactly_once; do
	[[ ,$only, == *,${s%%:*},* ]] || continue
	t0=$(date +%s)
	${s#*:}
	note "${s#*:}: $(($(date +%s) - t0)) s"
done
finish
