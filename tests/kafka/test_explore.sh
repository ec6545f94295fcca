#!/usr/bin/env bash
# test_explore.sh — the cluster explorer (ordertop topics|groups|messages|
# redrive|reset-offsets) against one real Kafka broker: the paths the
# embedded broker cannot take (ListConsumerGroups, DescribeConsumerGroups,
# DescribeConfigs, offsets_for_times, the marker topic's CreateTopics).
# Every answer is checked with another client: kcat, or ExploreProbe.java
# (Kafka's own Java AdminClient and producer, compiled here with javac).
# The dashboard's explorer is driven in tmux at 80x24 too: a group's
# members with their partitions, and an offset reset refused (the member
# named) while a kcat consumer is in the group, then run with `y`.
source "$(dirname "$0")/lib.sh"

CACHE=${ORDERTOP_KAFKA_CACHE:-$HOME/.cache/ordertop/kafka-3.9}
kafka_up single # its fetch installs a JDK when javac is missing
command -v javac >/dev/null || { not_ok "javac (openjdk-17-jdk-headless) for ExploreProbe.java"; exit 1; }
mkdir -p "$WORK/probe"
if ! javac -nowarn -cp "$CACHE/libs/*" -d "$WORK/probe" "$KHERE/ExploreProbe.java" 2>"$WORK/javac.log"; then
	not_ok "ExploreProbe.java compiles" "$(head -5 "$WORK/javac.log")"
	exit 1
fi

# probe ARGS...: the independent Java client on this cluster
probe() {
	java -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$WORK/probe:$CACHE/libs/*" \
		ExploreProbe "$BOOT" "$@" 2>>"$WORK/probe.log"
}
ot() { "$ORDERTOP" "$@" -b "$BOOT"; }
# py EXPR < JSON: evaluate a Python expression over the JSON document d
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print(($1))"; }
ms() { date +%s%3N; }
# jcheck NAME FILE EXPR WANT: ok if EXPR over FILE's JSON prints WANT
jcheck() {
	local got
	got=$(py "$3" <"$2" 2>&1)
	if [[ $got == "$4" ]]; then ok "$1"; else not_ok "$1" "got:  $got" "want: $4" "$(head -c 600 "$2")"; fi
}

# The dashboard in tmux (its own server, killed on exit), on this cluster.
TSOCK=ordertop-kx-$$
trap 'tmux -L "$TSOCK" kill-server >/dev/null 2>&1; cleanup' EXIT
# dash_start W H: the dashboard running no role, W x H
dash_start() {
	rm -f "$WORK/dash.exit"
	tmux -L "$TSOCK" -f /dev/null new-session -d -s d -x "$1" -y "$2" \
		"env LC_ALL=C.UTF-8 '$ORDERTOP' -b '$BOOT' --roles none --partitions 3 --replication-factor 1 2>'$WORK/dash.err'; echo EXIT=\$? >'$WORK/dash.exit'; exec sleep 600"
	tmux -L "$TSOCK" set-option -t d -g status off >/dev/null 2>&1
}
screen() { tmux -L "$TSOCK" capture-pane -p -t d 2>/dev/null; }
keys() { tmux -L "$TSOCK" send-keys -t d "$@"; }
typed() { tmux -L "$TSOCK" send-keys -t d -l -- "$1"; }
on_screen() { screen | grep -Eq -- "$1"; }
# scheck NAME REGEX [SECS]: ok once the screen matches REGEX (ERE)
scheck() {
	if wait_until "${3:-10}" on_screen "$2"; then ok "$1"; else not_ok "$1" "want: $2" "$(screen | sed 's/^/| /')"; fi
}
dash_stop() {
	keys q
	wait_until 20 test -s "$WORK/dash.exit"
	check "dashboard: q exits with status 0 ($(cat "$WORK/dash.exit" 2>/dev/null))" grep -qx 'EXIT=0' "$WORK/dash.exit"
	tmux -L "$TSOCK" kill-server >/dev/null 2>&1
}
# dash_groups: the explorer's Groups view
dash_groups() {
	scheck "dashboard: up on the real cluster" 'ordertop .*kafka' 60
	keys x
	scheck "dashboard: the explorer" '^ ordertop explorer +1 Topics' 10
	keys 2
	scheck "dashboard: Groups lists the cluster's groups" '^ ex-all ' 20
}
# dash_select REGEX: moves the Groups selection down from the top until the
# selected group's detail matches REGEX
dash_select() {
	local i
	keys Home
	for ((i = 0; i < 12; i++)); do
		wait_until 2 on_screen "$1" && return 0
		keys Down
	done
	return 1
}

# ------------------------------------------------------------------ 1. groups and lag
scenario_lag() {
	local t0 t1 q0 q1 p
	probe create-topic ex.lag 3 1 && probe create-topic ex.one 1 1 && probe create-topic ex.idle 1 1 ||
		{ not_ok "lag: topics created with the Java AdminClient" "$(tail -3 "$WORK/probe.log")"; return; }
	for p in 0 1 2; do seq 1 10 | sed "s/^/p$p-/" | kc -P -t ex.lag -p $p; done
	seq 1 20 | sed 's/^/one-/' | kc -P -t ex.one -p 0
	# another client's groups: ex-all reads ex.lag to its end, ex-seven reads 7 records of ex.one
	kc -G ex-all -o beginning -e -q -f '%p %o\n' ex.lag >"$WORK/ex-all.out" 2>"$WORK/ex-all.err"
	kc -G ex-seven -o beginning -c 7 -e -q -f '%o\n' ex.one >"$WORK/ex-seven.out" 2>"$WORK/ex-seven.err"
	probe offsets ex-all >"$WORK/ex-all.offsets"
	probe offsets ex-seven >"$WORK/ex-seven.offsets"
	if [[ $(cat "$WORK/ex-all.offsets") == $'ex.lag 0 10\nex.lag 1 10\nex.lag 2 10' &&
		$(cat "$WORK/ex-seven.offsets") == "ex.one 0 7" ]]; then
		ok "lag: kcat's groups committed 10/10/10 and 7 (Java AdminClient)"
	else
		not_ok "lag: kcat's groups committed 10/10/10 and 7 (Java AdminClient)" \
			"ex-all: $(tr '\n' ' ' <"$WORK/ex-all.offsets")" "ex-seven: $(tr '\n' ' ' <"$WORK/ex-seven.offsets")"
		return
	fi
	# 3 more on partition 0, none on 1, 5 on 2: lag 3/0/5
	t0=$(ms)
	seq 1 3 | sed 's/^/late0-/' | kc -P -t ex.lag -p 0
	seq 1 5 | sed 's/^/late2-/' | kc -P -t ex.lag -p 2
	t1=$(ms)
	sleep 2
	ot groups --json >"$WORK/groups.json"
	jcheck "groups: ListConsumerGroups lists the other client's groups" "$WORK/groups.json" \
		"sorted(g['name'] for g in d['groups'] if g['name'].startswith('ex-')), d['limited']" \
		"(['ex-all', 'ex-seven'], False)"
	q0=$(ms)
	ot groups ex-all ex-seven --json >"$WORK/groups-ex.json"
	q1=$(ms)
	jcheck "groups: exact lag per partition (committed, end, lag)" "$WORK/groups-ex.json" \
		"[(g['name'], g['state'], len(g['members']), g['lag'], [(p['partition'], p['committed'], p['end'], p['lag']) for p in g['partitions']]) for g in d['groups']]" \
		"[('ex-all', 'Empty', 0, 8, [(0, 10, 13, 3), (1, 10, 10, 0), (2, 10, 15, 5)]), ('ex-seven', 'Empty', 0, 13, [(0, 7, 20, 13)])]"
	# lag in time: the age of the next record, between what the clocks allow
	jcheck "groups: lag in time is the next record's age (0 when caught up)" "$WORK/groups-ex.json" \
		"[($q0 - $t1 - 50 <= p['lag_ms'] <= $q1 - $t0 + 50) if p['lag'] else p['lag_ms'] == 0 for p in d['groups'][0]['partitions']]" \
		"[True, True, True]"
	ot groups ex-all >"$WORK/groups-ex.txt"
	if grep -q '^ex-all  *Empty  *0  *8 ' "$WORK/groups-ex.txt" &&
		grep -q '^  ex.lag  *2  *10  *15  *5 ' "$WORK/groups-ex.txt"; then
		ok "groups: the table says the same"
	else
		not_ok "groups: the table says the same" "$(cat "$WORK/groups-ex.txt")"
	fi
}

# ------------------------------------------------------------------ 2. reset-offsets
scenario_reset() {
	local rc kp
	ot reset-offsets ex-seven --to earliest >"$WORK/reset-dry.out" 2>&1
	rc=$?
	if [[ $rc -eq 0 ]] && grep -q 'dry run' "$WORK/reset-dry.out" &&
		[[ $(probe offsets ex-seven) == "ex.one 0 7" ]]; then
		ok "reset: dry run exits 0, says so, and the group stays at 7 (Java AdminClient)"
	else
		not_ok "reset: dry run exits 0, says so, and the group stays at 7" "exit $rc" "$(cat "$WORK/reset-dry.out")"
	fi
	ot reset-offsets ex-seven --to 2 --execute >"$WORK/reset-exec.out" 2>&1
	rc=$?
	if [[ $rc -eq 0 && $(probe offsets ex-seven) == "ex.one 0 2" ]]; then
		ok "reset: --execute --to 2 moves the group to 2 (Java AdminClient)"
	else
		not_ok "reset: --execute --to 2 moves the group to 2" "exit $rc" "$(cat "$WORK/reset-exec.out")" \
			"offsets: $(probe offsets ex-seven)"
	fi
	ot groups ex-seven --json >"$WORK/reset-groups.json"
	jcheck "reset: groups shows committed 2, lag 18" "$WORK/reset-groups.json" \
		"[(p['committed'], p['lag']) for p in d['groups'][0]['partitions']]" "[(2, 18)]"
	# by time: 'end' as a time past every record is the end offset
	ot reset-offsets ex-all --to "@$(($(ms) + 3600000))" --partitions ex.lag:2 --execute >"$WORK/reset-time.out" 2>&1
	rc=$?
	if [[ $rc -eq 0 && $(probe offsets ex-all) == $'ex.lag 0 10\nex.lag 1 10\nex.lag 2 15' ]]; then
		ok "reset: --to a time after the last record, --partitions ex.lag:2 moves only that partition to its end"
	else
		not_ok "reset: --to a time after the last record, --partitions ex.lag:2" "exit $rc" \
			"$(cat "$WORK/reset-time.out")" "offsets: $(probe offsets ex-all | tr '\n' ' ')"
	fi

	# an active member: kcat in the group, on a topic without records (so it
	# commits nothing of its own while the reset is tried)
	kcat -b "$BOOT" -G ex-seven -X client.id=kcat-active -q ex.idle >/dev/null 2>"$WORK/kcat-active.err" &
	kp=$!
	BG_PIDS+=("$kp")
	has_member() { ot groups ex-seven --json 2>/dev/null | py "len(d['groups'][0]['members'])" 2>/dev/null | grep -qx 1; }
	if ! wait_until 30 has_member; then
		not_ok "reset: kcat joins ex-seven" "$(cat "$WORK/kcat-active.err")"
		stop_pid "$kp" 5
		return
	fi
	probe members ex-seven >"$WORK/members.out"
	local before
	before=$(probe offsets ex-seven)
	ot reset-offsets ex-seven --to earliest --execute >"$WORK/reset-refused.out" 2>"$WORK/reset-refused.err"
	rc=$?
	if [[ $rc -eq 1 ]] && grep -q 'active member.*kcat-active' "$WORK/reset-refused.err" &&
		grep -q 'member kcat-active' "$WORK/members.out" && [[ $before == "ex.one 0 2" && $(probe offsets ex-seven) == "$before" ]]; then
		ok "reset: refused (exit 1) naming the member kcat-active while it is in the group; offsets unchanged"
	else
		not_ok "reset: refused (exit 1) naming the member kcat-active while it is in the group" "exit $rc" \
			"$(cat "$WORK/reset-refused.err")" "probe: $(cat "$WORK/members.out")" \
			"offsets: $before -> $(probe offsets ex-seven)"
	fi
	ot reset-offsets ex-seven --to earliest >"$WORK/reset-plan-active.out" 2>&1
	check "reset: the dry run names the active member" grep -q 'active member(s): kcat-active' "$WORK/reset-plan-active.out"

	# the same in the dashboard (80x24): the plan refused, the member named, y does nothing
	dash_start 80 24
	dash_groups
	if dash_select 'member kcat-active@/?127\.0\.0\.1  ex\.idle\[0\]'; then
		ok "dashboard: ex-seven selected, its member kcat-active with its partition ex.idle[0]"
	else
		not_ok "dashboard: ex-seven selected, its member kcat-active with its partition" "$(screen | sed 's/^/| /')"
	fi
	keys R C-u
	typed earliest
	keys Enter
	scheck "dashboard: the plan is refused, naming the active member" \
		'refused: the group has 1 active member: kcat-active@/?127\.0\.0\.1' 20
	scheck "dashboard: and says there is nothing to run" 'Nothing to run\. Esc: close' 2
	keys y
	sleep 2
	check "dashboard: y on the refused plan changes nothing (Java AdminClient: $(probe offsets ex-seven))" \
		test "$(probe offsets ex-seven)" = "ex.one 0 2"
	keys Escape
	stop_pid "$kp" 10
	# the member gone: a reset to a time after the last record, planned and run with y
	no_member() { ot groups ex-seven --json 2>/dev/null | py "len(d['groups'][0]['members'])" 2>/dev/null | grep -qx 0; }
	wait_until 30 no_member
	keys R C-u
	typed "@$(($(ms) + 3600000))"
	keys Enter
	scheck "dashboard: with no member the plan goes from 2 to the end offset 20" \
		'ex\.one +0 +2 -> +20 ' 20
	check "dashboard: nothing moved before y (Java AdminClient)" test "$(probe offsets ex-seven)" = "ex.one 0 2"
	keys y
	scheck "dashboard: y resets the offsets" 'offsets reset' 20
	check "dashboard: the group moved to 20, as planned (Java AdminClient: $(probe offsets ex-seven))" \
		test "$(probe offsets ex-seven)" = "ex.one 0 20"
	dash_stop
}

# ------------------------------------------------------------------ 7. members and their partitions
# members_of GROUP: "client [partitions]; ..." from ordertop groups --json, members by client id
members_of() {
	ot groups "$1" --json 2>/dev/null | py "'; '.join('%s %s' % (m['client_id'], [a['partition'] for a in m['assigned']]) for m in sorted(d['groups'][0]['members'], key=lambda m: m['client_id']))" 2>/dev/null
}
scenario_members() {
	local m1 m2 long=kcat-m2-with-a-client-id-too-long-for-80-columns got
	probe create-topic ex.mem 3 1 || { not_ok "members: ex.mem created (Java AdminClient)" "$(tail -3 "$WORK/probe.log")"; return; }
	kcat -b "$BOOT" -G ex-members -X client.id=kcat-m1 -q ex.mem >/dev/null 2>"$WORK/kcat-m1.err" &
	m1=$!
	BG_PIDS+=("$m1")
	one() { [[ $(members_of ex-members) == "kcat-m1 [0, 1, 2]" ]]; }
	if wait_until 30 one; then
		ok "members: one kcat member has all 3 partitions of ex.mem (--json)"
	else
		not_ok "members: one kcat member has all 3 partitions of ex.mem (--json)" "got: $(members_of ex-members)"
	fi
	ot groups ex-members --json >"$WORK/members1.json"
	jcheck "members: --json assigned is an array of {topic, partition}" "$WORK/members1.json" \
		"[(m['client_id'], m['assigned']) for m in d['groups'][0]['members']]" \
		"[('kcat-m1', [{'topic': 'ex.mem', 'partition': 0}, {'topic': 'ex.mem', 'partition': 1}, {'topic': 'ex.mem', 'partition': 2}])]"
	ot groups ex-members >"$WORK/members1.txt"
	if grep -q '^  MEMBER (CLIENT ID) *HOST *PARTITIONS$' "$WORK/members1.txt" &&
		grep -Eq '^  kcat-m1 +/?127\.0\.0\.1 +ex\.mem\[0-2\]$' "$WORK/members1.txt"; then
		ok "members: the table shows client id, host and ex.mem[0-2]"
	else
		not_ok "members: the table shows client id, host and ex.mem[0-2]" "$(cat "$WORK/members1.txt")"
	fi
	# a second member: the partitions split, disjoint, covering all three
	kcat -b "$BOOT" -G ex-members -X client.id=$long -q ex.mem >/dev/null 2>"$WORK/kcat-m2.err" &
	m2=$!
	BG_PIDS+=("$m2")
	two() {
		members_of ex-members | grep -q "; $long \[[0-9]" &&
			ot groups ex-members --json 2>/dev/null | py "sorted(a['partition'] for m in d['groups'][0]['members'] for a in m['assigned']) == [0, 1, 2] and all(m['assigned'] for m in d['groups'][0]['members']) and d['groups'][0]['state'] == 'Stable'" | grep -qx True
	}
	if wait_until 60 two; then
		ok "members: two members, disjoint partitions covering ex.mem: $(members_of ex-members)"
	else
		not_ok "members: two members, disjoint partitions covering ex.mem" "got: $(members_of ex-members)"
	fi
	ot groups ex-members --json >"$WORK/members2.json"
	ot groups ex-members >"$WORK/members2.txt"
	# the table's partitions column, compact, as --json says
	got=$(python3 - "$WORK/members2.json" "$WORK/members2.txt" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
table = open(sys.argv[2]).read().splitlines()
def compact(ps):
    ps, out, i = sorted(ps), [], 0
    while i < len(ps):
        j = i
        while j + 1 < len(ps) and ps[j + 1] == ps[j] + 1:
            j += 1
        out.append(str(ps[i]) if i == j else "%d-%d" % (ps[i], ps[j]))
        i = j + 1
    return "ex.mem[%s]" % ",".join(out)
bad = []
for m in d["groups"][0]["members"]:
    want = compact([a["partition"] for a in m["assigned"]])
    if not any(re.match(r"^  %s +/?127\.0\.0\.1 +%s$" % (re.escape(m["client_id"]), re.escape(want)), l) for l in table):
        bad.append("%s: no table line with %s" % (m["client_id"], want))
print("; ".join(bad) or "ok")
PY
)
	check "members: the table shows each member's partitions as --json does ($got)" test "$got" = ok
	# the dashboard at 80x24: each member with its partitions, the long client id cut with …
	dash_start 80 24
	dash_groups
	if dash_select 'member kcat-m1@/?127\.0\.0\.1  ex\.mem\[[0-9,-]+\]'; then
		ok "dashboard: ex-members selected, kcat-m1 with its partitions"
	else
		not_ok "dashboard: ex-members selected, kcat-m1 with its partitions" "$(screen | sed 's/^/| /')"
	fi
	local p1 p2
	p1=$(python3 -c "import json; d=json.load(open('$WORK/members2.json')); print(','.join(str(a['partition']) for m in d['groups'][0]['members'] if m['client_id']=='kcat-m1' for a in m['assigned']))")
	p2=$(python3 -c "import json; d=json.load(open('$WORK/members2.json')); print(','.join(str(a['partition']) for m in d['groups'][0]['members'] if m['client_id']!='kcat-m1' for a in m['assigned']))")
	p1=${p1/0,1,2/0-2}; p1=${p1/0,1/0-1}; p1=${p1/1,2/1-2}
	p2=${p2/0,1,2/0-2}; p2=${p2/0,1/0-1}; p2=${p2/1,2/1-2}
	scheck "dashboard: kcat-m1's line shows ex.mem[$p1]" "^ member kcat-m1@/?127\\.0\\.0\\.1  ex\\.mem\\[$p1\\] *\$" 5
	scheck "dashboard: the long client id is cut with … and its partitions ex.mem[$p2] follow" \
		"^ member ${long:0:23}…@/?127\\.0\\.0\\.1  ex\\.mem\\[$p2\\] *\$" 5
	dash_stop
	stop_pid "$m2" 10
	stop_pid "$m1" 10
}

# ------------------------------------------------------------------ 3. re-drive
bad_order() { # ID: an order whose quantity is a word: the fraud stage dead-letters it
	printf '{"order_id":"%s","user_id":"u-%s","item":"book","quantity":"two","unit_price":5,"currency":"USD","country":"US","card_country":"US","created_at":1}\n' "$1" "$1"
}
# count_ids TOPIC PREFIX: per order id with PREFIX, how many times (read_committed): "id n" lines
count_ids() {
	kc -C -e -q -o beginning -X isolation.level=read_committed -t "$1" -f '%s\n' 2>/dev/null |
		grep -o "\"order_id\":\"$2[^\"]*\"" | sort | uniq -c | awk '{print $2, $1}' | sed 's/"order_id"://; s/"//g'
}
scenario_redrive() {
	local pid rc n ids
	bg_ordertop "$WORK/pipeline.log" -b "$BOOT" --headless --roles fraud,notifier,monitor \
		--partitions 3 --replication-factor 1
	pid=$BG
	ready() { grep -q "assigned orders" "$WORK/pipeline.log" && grep -q "assigned notifications" "$WORK/pipeline.log"; }
	if ! wait_until 60 ready; then
		not_ok "redrive: pipeline ready" "$(tail -5 "$WORK/pipeline.log")"
		return
	fi
	for n in 1 2 3 4; do bad_order "rd-$n" | kc -P -t orders -k "u-rd-$n" -H "trace-id=t$n"; done
	# a dead letter from another tool, with headers of its own (one hostile)
	printf '{"order_id":"rd-5","user_id":"u5","item":"pen","quantity":"1","unit_price":2,"currency":"USD","country":"US","card_country":"US","created_at":1}\n' |
		kc -P -t orders.dlq -k u5 -H ordertop.dlq.topic=orders -H 'ordertop.dlq.reason=by hand' \
			-H trace-id=t5 -H $'x-evil=a\x1b[2Jb'
	in_dlq() { [[ $(kc -C -e -q -o beginning -t orders.dlq -f '%s\n' 2>/dev/null | grep -c '"order_id":"rd-') -eq 5 ]]; }
	if ! wait_until 60 in_dlq; then
		not_ok "redrive: 4 malformed orders dead-lettered by the fraud stage" "$(tail -3 "$WORK/pipeline.log")"
		stop_pid "$pid"
		return
	fi
	ok "redrive: 4 malformed orders dead-lettered by the fraud stage"
	local where='.order_id | startswith("rd-")' fix='.quantity |= (if . == "two" then 2 else tonumber end)'
	local orders_before
	orders_before=$(kc -C -e -q -o beginning -t orders -f 'x\n' 2>/dev/null | wc -l)
	local s0 s1
	s0=$(ms)
	ot redrive --where "$where" --transform "$fix" --json --timeout 20 >"$WORK/redrive-dry.json" 2>"$WORK/redrive-dry.err"
	s1=$(ms)
	# orders.dlq and the marker topic end in transaction markers: the read must see their end
	check "redrive: the plan reads to the end at once ($((s1 - s0)) ms < 5 s), not at --timeout 20" test $((s1 - s0)) -lt 5000
	jcheck "redrive: dry run plans 5 repaired orders back to orders" "$WORK/redrive-dry.json" \
		"(d['executed'], d['ready'], sorted((json.loads(i['value'])['order_id'], json.loads(i['value'])['quantity'], i['target'], i['status']) for i in d['items']))" \
		"(False, 5, [('rd-1', 2, 'orders', 'ready'), ('rd-2', 2, 'orders', 'ready'), ('rd-3', 2, 'orders', 'ready'), ('rd-4', 2, 'orders', 'ready'), ('rd-5', 1, 'orders', 'ready')])"
	jcheck "redrive: the plan carries the dead letter's headers but ordertop.dlq.*" "$WORK/redrive-dry.json" \
		"[h for i in d['items'] if 'rd-5' in i['value'] for h in i['headers']]" \
		"[['trace-id', 't5'], ['x-evil', 'a\\x1b[2Jb']]"
	check "redrive: the dry run sent nothing" test "$(kc -C -e -q -o beginning -t orders -f 'x\n' 2>/dev/null | wc -l)" -eq "$orders_before"
	ot redrive --where "$where" --transform "$fix" --execute >"$WORK/redrive-exec.out" 2>&1
	rc=$?
	if [[ $rc -eq 0 ]] && grep -q 're-drove 5 record(s) in one transaction' "$WORK/redrive-exec.out"; then
		ok "redrive: --execute re-drives 5 in one transaction"
	else
		not_ok "redrive: --execute re-drives 5 in one transaction" "exit $rc" "$(tail -5 "$WORK/redrive-exec.out")"
	fi
	all_notified() { [[ $(count_ids orders.notified rd- | wc -l) -eq 5 ]]; }
	wait_until 60 all_notified
	sleep 3 # room for a duplicate to show
	ids=$(count_ids orders.notified rd- | tr '\n' ' ')
	check "redrive: each order notified exactly once (kcat read_committed): $ids" \
		test "$ids" = "rd-1 1 rd-2 1 rd-3 1 rd-4 1 rd-5 1 "
	ids=$( (count_ids orders.valid rd-; count_ids orders.refused rd-) | sort | tr '\n' ' ')
	check "redrive: each order decided exactly once: $ids" test "$ids" = "rd-1 1 rd-2 1 rd-3 1 rd-4 1 rd-5 1 "
	kc -C -e -q -o beginning -t orders -f '%h|%s\n' 2>/dev/null | grep 'ordertop.redriven_from' >"$WORK/redriven.txt"
	if [[ $(wc -l <"$WORK/redriven.txt") -eq 5 ]] && ! grep -q 'ordertop.dlq' "$WORK/redriven.txt" &&
		grep -q $'trace-id=t5,x-evil=a\x1b\\[2Jb,ordertop.redriven_from=orders.dlq/[0-9]*/[0-9]*|.*"rd-5"' "$WORK/redriven.txt"; then
		ok "redrive: the re-driven records carry ordertop.redriven_from and the dead letter's other headers, no ordertop.dlq.*"
	else
		not_ok "redrive: the re-driven records carry ordertop.redriven_from and the dead letter's other headers" \
			"$(cat -v "$WORK/redriven.txt")"
	fi
	ot topics orders.dlq.redriven --json >"$WORK/marker.json"
	jcheck "redrive: the marker topic was created compacted, with 1 partition" "$WORK/marker.json" \
		"[(t['name'], len(t['partitions']), t['configs'].get('cleanup.policy')) for t in d['topics']]" \
		"[('orders.dlq.redriven', 1, 'compact')]"
	kc -C -e -q -o beginning -X isolation.level=read_committed -t orders.dlq.redriven -f '%k=%s\n' >"$WORK/markers.txt" 2>/dev/null
	check "redrive: 5 markers, orders.dlq/P/O=orders (kcat read_committed)" test \
		"$(grep -c '^orders\.dlq/[0-9]*/[0-9]*=orders$' "$WORK/markers.txt")" -eq 5 -a "$(wc -l <"$WORK/markers.txt")" -eq 5
	orders_before=$(kc -C -e -q -o beginning -t orders -f 'x\n' 2>/dev/null | wc -l)
	ot redrive --where "$where" --transform "$fix" --execute --json >"$WORK/redrive-again.json" 2>&1
	jcheck "redrive: a second re-drive finds all 5 done before and sends nothing" "$WORK/redrive-again.json" \
		"(d['ready'], d['done_before'], sorted(set(i['status'] for i in d['items'])))" "(0, 5, ['done-before'])"
	sleep 2
	ids=$(count_ids orders.notified rd- | tr '\n' ' ')
	check "redrive: still exactly once after the second re-drive (orders unchanged, notified once)" \
		test "$(kc -C -e -q -o beginning -t orders -f 'x\n' 2>/dev/null | wc -l)" -eq "$orders_before" -a \
		"$ids" = "rd-1 1 rd-2 1 rd-3 1 rd-4 1 rd-5 1 "
	# ordertop's own groups, caught up: lag 0 though transaction markers follow their offsets
	ot groups ordertop-fraud ordertop-notifier --json >"$WORK/own-groups.json"
	jcheck "groups: ordertop's groups caught up show lag 0 (transaction markers are not lag)" "$WORK/own-groups.json" \
		"[(g['name'], g['state'], len(g['members']), g['lag']) for g in d['groups']]" \
		"[('ordertop-fraud', 'Stable', 1, 0), ('ordertop-notifier', 'Stable', 1, 0)]"
	stop_pid "$pid"
}

# ------------------------------------------------------------------ 4. topics and configs
scenario_topics() {
	probe create-topic ex.cfg 4 1 cleanup.policy=compact retention.ms=3600000 max.message.bytes=200000 ||
		{ not_ok "topics: ex.cfg created with the Java AdminClient" "$(tail -3 "$WORK/probe.log")"; return; }
	seq 1 6 | sed 's/^/k:v/' | kc -P -t ex.cfg -K: -p 3
	ot topics --json >"$WORK/topics.json"
	jcheck "topics: ex.cfg as created (4 partitions, RF 1, its three configs, 6 records on partition 3)" "$WORK/topics.json" \
		"[(len(t['partitions']), t['replication_factor'], t['configs']['cleanup.policy'], t['configs']['retention.ms'], t['configs']['max.message.bytes'], [p['high'] for p in t['partitions']], t['records']) for t in d['topics'] if t['name'] == 'ex.cfg']" \
		"[(4, 1, 'compact', '3600000', '200000', [0, 0, 0, 6], 6)]"
	jcheck "topics: ordertop's topics as ordertop created them (fraud.rules compact, 1 partition; orders 3)" "$WORK/topics.json" \
		"(d['configs_known'], d['note'], [(t['name'], len(t['partitions']), t['replication_factor'], t['configs']['cleanup.policy']) for t in d['topics'] if t['name'] in ('fraud.rules', 'orders')])" \
		"(True, '', [('fraud.rules', 1, 1, 'compact'), ('orders', 3, 1, 'delete')])"
	jcheck "topics: leader and ISR of every partition is broker 1, none under-replicated" "$WORK/topics.json" \
		"set((p['leader'], tuple(p['replicas']), tuple(p['isr']), p['under_replicated']) for t in d['topics'] for p in t['partitions'])" \
		"{(1, (1,), (1,), False)}"
	check "topics: internal topics hidden, shown with --all" test \
		"$(py "any(t['name'].startswith('__') for t in d['topics'])" <"$WORK/topics.json")" = False -a \
		"$(ot topics --all --json | py "[t['name'] for t in d['topics'] if t['internal']]")" = "['__consumer_offsets', '__transaction_state']"
	# the partition counts agree with kcat's metadata
	local bad=() t
	for t in ex.cfg ex.lag orders fraud.rules orders.dlq.redriven; do
		[[ $(partitions "$t") == $(py "[len(t['partitions']) for t in d['topics'] if t['name'] == '$t'][0]" <"$WORK/topics.json") ]] ||
			bad+=("$t: kcat $(partitions "$t")")
	done
	((${#bad[@]} == 0)) && ok "topics: partition counts agree with kcat -L" || not_ok "topics: partition counts agree with kcat -L" "${bad[@]}"
	ot topics ex.cfg >"$WORK/topic-cfg.txt"
	if grep -q '^  config cleanup.policy=compact$' "$WORK/topic-cfg.txt" && grep -q '^  config retention.ms=3600000$' "$WORK/topic-cfg.txt"; then
		ok "topics: the table shows the configs"
	else
		not_ok "topics: the table shows the configs" "$(head -20 "$WORK/topic-cfg.txt")"
	fi
}

# ------------------------------------------------------------------ 5. messages by time
scenario_messages() {
	local now old q
	now=$(ms)
	old=$((now - 7200000))
	probe create-topic ex.time 1 1 && probe produce-at ex.time 0 $old 5 1000 old &&
		probe produce-at ex.time 0 "$now" 3 0 new ||
		{ not_ok "messages: records with chosen timestamps (Java producer)" "$(tail -3 "$WORK/probe.log")"; return; }
	ot messages ex.time --from -1m --json >"$WORK/msg-1m.json"
	q=$(kc -Q -t "ex.time:0:$((now - 60000))" 2>/dev/null | sed -n 's/.*offset \([0-9]*\).*/\1/p')
	if [[ $(python3 -c 'import json,sys; print([(r["offset"], r["value"]) for r in map(json.loads, sys.stdin)])' <"$WORK/msg-1m.json") == "[(5, 'new-0'), (6, 'new-1'), (7, 'new-2')]" && $q == 5 ]]; then
		ok "messages: --from -1m starts at the first record of the last minute (offsets_for_times; kcat -Q agrees)"
	else
		not_ok "messages: --from -1m starts at the first record of the last minute" "kcat -Q: '$q'" "$(cat "$WORK/msg-1m.json")"
	fi
	ot messages ex.time --from "@$((old + 2500))" --json >"$WORK/msg-at.json"
	check "messages: --from @MS between old records starts at the next one (offset 3, 5 records)" test \
		"$(python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print(r[0]["offset"], len(r))' <"$WORK/msg-at.json")" = "3 5"
	ot messages ex.time --from "$(date -u -d "@$(((old - 60000) / 1000))" +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/msg-iso.txt"
	check "messages: --from an ISO time before all gives all 8" grep -q '^(8 records)$' "$WORK/msg-iso.txt"
	ot messages ex.time --from end >"$WORK/msg-end.txt"
	check "messages: --from end gives none" grep -q '^(0 records)$' "$WORK/msg-end.txt"
}

# ------------------------------------------------------------------ 6. hostile bytes
scenario_hostile() {
	probe create-topic ex.hostile 1 1
	printf '{"v":"a\x1b[2Jb"}\xff\xfe\n' | kc -P -t ex.hostile -k $'k\x1b[31mred' -H $'h\x07x=v\x1b]0;t\x07' 2>/dev/null
	kc -G $'ex-\x1b[2Jgroup' -o beginning -e -q ex.hostile >/dev/null 2>&1
	ot messages ex.hostile >"$WORK/hostile.txt"
	ot groups >"$WORK/hostile-groups.txt"
	if grep -qF 'key k\x1b[31mred' "$WORK/hostile.txt" && grep -qF 'h\x07x=v\x1b]0;t\x07' "$WORK/hostile.txt" &&
		grep -qF 'a\x1b[2Jb' "$WORK/hostile.txt" && grep -qF 'ex-\x1b[2Jgroup' "$WORK/hostile-groups.txt" &&
		! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/hostile.txt" "$WORK/hostile-groups.txt"; then
		ok "hostile: key, header, value and a group name print escaped (no raw control bytes)"
	else
		not_ok "hostile: key, header, value and a group name print escaped" "$(cat -v "$WORK/hostile.txt")" \
			"$(grep -a 'ex-' "$WORK/hostile-groups.txt" | cat -v)"
	fi
	ot messages ex.hostile --json >"$WORK/hostile.json"
	jcheck "hostile: --json is valid, control bytes kept as JSON escapes, bad UTF-8 as U+FFFD" "$WORK/hostile.json" \
		"ascii((d['key'], d['headers'], d['value']))" \
		"('k\\x1b[31mred', [['h\\x07x', 'v\\x1b]0;t\\x07']], '{\"v\":\"a\\x1b[2Jb\"}\\ufffd\\ufffd')"
	# a member whose client id holds an escape sequence
	local kp
	kcat -b "$BOOT" -G ex-hostile-members -X $'client.id=kc\x1b[31mevil' -q ex.hostile >/dev/null 2>"$WORK/kcat-evil.err" &
	kp=$!
	BG_PIDS+=("$kp")
	evil() { ot groups ex-hostile-members 2>/dev/null | grep -qF 'kc\x1b[31mevil'; }
	if wait_until 30 evil && ot groups ex-hostile-members >"$WORK/hostile-member.txt" &&
		grep -qE '^  kc\\x1b\[31mevil +/?127\.0\.0\.1 +ex\.hostile\[0\]$' "$WORK/hostile-member.txt" &&
		! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/hostile-member.txt"; then
		ok "hostile: a member's client id prints escaped, with its partition ex.hostile[0]"
	else
		not_ok "hostile: a member's client id prints escaped" "$(cat -v "$WORK/hostile-member.txt" 2>/dev/null)" \
			"$(cat "$WORK/kcat-evil.err")"
	fi
	ot groups ex-hostile-members --json >"$WORK/hostile-member.json"
	jcheck "hostile: --json keeps the client id as a JSON escape" "$WORK/hostile-member.json" \
		"ascii([(m['client_id'], m['assigned']) for m in d['groups'][0]['members']])" \
		"[('kc\\x1b[31mevil', [{'topic': 'ex.hostile', 'partition': 0}])]"
	stop_pid "$kp" 10
}

only=${ONLY:-1,2,7,3,4,5,6}
for s in 1:scenario_lag 2:scenario_reset 7:scenario_members 3:scenario_redrive 4:scenario_topics 5:scenario_messages 6:scenario_hostile; do
	[[ ,$only, == *,${s%%:*},* ]] || continue
	t0=$(date +%s)
	${s#*:}
	note "${s#*:}: $(($(date +%s) - t0)) s"
done
finish
