#!/bin/sh
# rule_whatif.sh — the what-if preview of a rule change, on the embedded
# broker (a headless ordertop hosts it; the dashboards connect with -b):
# 8 orders of known decisions (a burst of 5 of one user in 8 s) are
# produced with kcat; the preview of velocity max_orders=3 from the rule
# editor shows the counts `ordertop rules whatif ... --json` prints over
# the same orders; Esc publishes nothing (the version stays); Enter on an
# example opens the order's detail and Esc comes back to the preview; p
# publishes (version +1, the new value in the rules pane); `w` previews
# the selected rule toggled, and says when the rules changed meanwhile;
# read-only, the preview works and p is refused with the engine's words;
# at 80x24 and 200x50.
. "$(dirname "$0")/lib.sh"

"$E2E_BIN" --headless --roles none --bootstrap-file "$E2E_TMP/bs" -q 2>/dev/null &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 150); do [ -s "$E2E_TMP/bs" ] && break; sleep 0.2; done
bs=$(cat "$E2E_TMP/bs")
e2e_check "the embedded broker is up" test -n "$bs"

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
} >"$E2E_TMP/orders"
kcat -P -b "$bs" -t orders -K'|' -l "$E2E_TMP/orders" 2>/dev/null

# What the CLI says over the same orders: "a2r r2a unchanged".
cli() {
	"$E2E_BIN" rules whatif "$@" -b "$bs" --json 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["approved_to_refused"], d["refused_to_approved"], d["still_approved"] + d["still_refused"])'
}
set -- $(cli velocity max_orders 3)
a2r=$1; r2a=$2; same=$3
e2e_check "the CLI: velocity max_orders=3 refuses 2 more of the 8 ($a2r $r2a $same)" \
	test "$a2r $r2a $same" = "2 0 6"

# The rules pane is the fourth slot at 80x24; selects rule $1 (1-based)
# with single-byte keys (k to the top, then j).
select_rule() {
	e2e_keys k k k k k k k k k
	i=1
	while [ "$i" -lt "$1" ]; do e2e_keys j; i=$((i + 1)); done
}

e2e_start 80 24 -b "$bs" --no-generate --from-beginning
e2e_check "the dashboard is up with the 8 orders" e2e_wait_for '│✓. b-5 ' 40
e2e_keys Tab Tab Tab
e2e_check "rules pane focused: w in its hints" e2e_wait_for ' e edit +w what if toggled ' 5
vel=$(e2e_screen | sed -n 's/.*│\([1-9]\) ● on  *velocity .*/\1/p' | head -1)
e2e_check "velocity is rule $vel" test -n "$vel"
select_rule "$vel"

e2e_keys e
e2e_check "e opens velocity's form" e2e_wait_for "Rule $vel: velocity" 5
e2e_keys C-u
e2e_type 3
e2e_keys Enter
e2e_check "Enter shows the preview of velocity max_orders=3" e2e_wait_for 'What if: velocity max_orders=3' 5
e2e_check "... with the orders replayed" e2e_wait_for '8 orders replayed, spanning 9 s' 30
e2e_check "... approved -> refused as the CLI counts ($a2r)" e2e_wait_for "│ approved → refused  $a2r +│" 2
e2e_check "... refused -> approved as the CLI counts ($r2a)" e2e_wait_for "│ refused → approved  $r2a +│" 2
e2e_check "... unchanged as the CLI counts ($same)" e2e_wait_for "│ unchanged +$same \\(" 2
e2e_check "... per rule: velocity fires on 2 more" e2e_wait_for 'velocity +fires on 2 more, 0 fewer' 2
e2e_check "... the window too short to judge" e2e_wait_for 'note: velocity: its 60 s window is longer than the 9 s' 2
e2e_check "... the examples b-4 and b-5" e2e_wait_for '> b-4  approved → refused  \(velocity\)' 2
e2e_check "the footer shows the preview's keys" e2e_wait_for '^p publish +Esc cancel +s span' 2
e2e_check "at 80x24 the box stays inside the screen" e2e_wait_for '^..└─+┘' 2
e2e_keys Escape
e2e_check "Esc cancels: nothing published" e2e_wait_for 'what-if of rule velocity closed: nothing published' 5
e2e_check "... the rules stay at v0" e2e_wait_for ' rules v0 ' 5
e2e_check "... velocity keeps max_orders=5" test "$("$E2E_BIN" rules list -b "$bs" 2>/dev/null | grep -c 'velocity .*max_orders=5')" = 1

e2e_keys e
e2e_wait_for "Rule $vel: velocity" 5
e2e_keys C-u
e2e_type 3
e2e_keys Enter
e2e_check "the preview again" e2e_wait_for '> b-4  approved → refused' 30
e2e_keys j Enter
e2e_check "j and Enter open b-5's detail" e2e_wait_for '│ Order b-5 ' 5
e2e_keys Escape
e2e_check "Esc comes back to the preview" e2e_wait_for '> b-5  approved → refused' 5
e2e_keys s
e2e_check "s replays another span" e2e_wait_for 'the last 100,000 orders of .orders.' 5
e2e_check "... with the same counts" e2e_wait_for "│ approved → refused  $a2r +│" 30
e2e_keys p
e2e_check "p publishes" e2e_wait_for 'rule velocity: 1 parameter changed \(new rule set published\)' 5
e2e_check "... as rules v1" e2e_wait_for 'rules v1 ' 10
e2e_keys z
e2e_check "the rules pane shows max_orders=3" e2e_wait_for '│[1-9] ● on +velocity +max_orders=3 ' 10
e2e_keys z

select_rule 1
e2e_keys w
e2e_check "w previews the selected rule toggled" e2e_wait_for 'What if: total_limit turned off' 5
e2e_check "... replayed" e2e_wait_for '8 orders replayed' 30
set -- $(cli disable total_limit)
e2e_check "... with the CLI's counts ($1 $2 $3)" e2e_wait_for "│ unchanged +$3 \\(" 2
"$E2E_BIN" rules disable card_mismatch -b "$bs" >/dev/null 2>&1
e2e_check "a change published meanwhile is shown" e2e_wait_for 'the rules changed since this preview \(now v2\)' 10
e2e_keys p
e2e_check "p first says so and asks again" e2e_wait_for 'the rules changed \(v1 -> v2\): p again publishes' 5
e2e_keys Escape
e2e_check "Esc: nothing published" e2e_wait_for 'nothing published' 5
e2e_check "total_limit is still on" e2e_wait_for '│1 ● on +total_limit' 5
e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_tmux kill-server >/dev/null 2>&1
sleep 0.3

e2e_start 200 50 -b "$bs" --no-generate --from-beginning --read-only
e2e_check "read-only at 200x50: up" e2e_wait_for '│✓. b-5 ' 40
# Tab to the rules pane (its place depends on the size).
for _ in 1 2 3 4 5 6 7 8; do
	e2e_wait_for ' w what if toggled ' 1 && break
	e2e_keys Tab
done
e2e_keys w
e2e_check "read-only: the preview works" e2e_wait_for '8 orders replayed, spanning 9 s' 30
e2e_keys p
e2e_check "read-only: p is refused with the engine's words" \
	e2e_wait_for 'changing the fraud rules: refused, ordertop runs read-only' 5
e2e_check "... and the preview stays open" e2e_wait_for 'What if: total_limit turned off' 2
e2e_keys Escape
e2e_check "the rules stay at v2" test "$("$E2E_BIN" rules list -b "$bs" 2>/dev/null | head -1)" = "rules version 2"
e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
