#!/bin/sh
# explorer_reset.sh — the explorer's offset reset run from the dashboard at
# 80x24 on the embedded broker.  The fraud role is left out, so the group
# ordertop-fraud has no member; another client (tests/support/
# group_offsets.c, plain librdkafka) commits it at 7/3/5 on xp.reset's
# partitions 0/1/2, which kcat filled with 10/6/8 records.  In the Groups
# view `R` plans a reset to earliest, then to offset 4: the plan shows
# each partition's from -> to; `n` and Esc change nothing, `y` moves the
# group exactly to the planned offsets.  Each time the committed offsets
# are read back by that client and by `ordertop groups --json`.  Last, a
# reset the broker refuses: its error stays on the status line.
. "$(dirname "$0")/lib.sh"

if ! command -v kcat >/dev/null 2>&1; then
	echo "ok - # SKIP kcat is not installed"
	exit 0
fi

bsfile=$E2E_TMP/bootstrap
e2e_start 80 24 --roles producer,notifier,monitor --no-generate --bootstrap-file "$bsfile"
e2e_check "dashboard is up on the embedded broker" e2e_wait_for 'ordertop .*embedded' 40
e2e_check "the bootstrap file is written" sh -c "for i in \$(seq 50); do test -s '$bsfile' && exit 0; sleep 0.2; done; exit 1"
bs=$(cat "$bsfile")
G=ordertop-fraud
KC="kcat -b $bs"
GO=$E2E_ROOT/$E2E_BUILD/tests/support/group_offsets
if [ ! -x "$GO" ]; then
	echo "not ok - $GO is not built (make tests-build)"
	exit 1
fi

# produce P N: N records on xp.reset's partition P
produce() { seq 1 "$2" | sed "s/^/p$1-/" | $KC -P -t xp.reset -p "$1" 2>>"$E2E_TMP/kcat.err"; }
# committed: "P OFFSET ..." of the group on partitions 0-2, by the other client
committed() { "$GO" "$bs" "$G" get xp.reset 3 2>>"$E2E_TMP/go.err"; }
# ordertop's own view of the same
by_ordertop() {
	"$E2E_BIN" groups "$G" -b "$bs" --json 2>>"$E2E_TMP/groups.err" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%d %d" % (p["partition"], p["committed"]) for g in d["groups"]
               for p in g["partitions"] if p["topic"] == "xp.reset"))'
}
# expect NAME WANT: the other client and ordertop groups both read WANT ("0 7 1 3 2 5")
expect() {
	got_k=$(committed)
	got_o=$(by_ordertop)
	e2e_check "$1 (group_offsets: '$got_k', ordertop groups: '$got_o')" \
		test "$got_k" = "$2" -a "$got_o" = "$2"
}

produce 0 10
produce 1 6
produce 2 8
"$GO" "$bs" "$G" commit xp.reset 0=7 1=3 2=5 2>>"$E2E_TMP/go.err"
rc=$?
e2e_check "the other client committed the group (exit $rc)" test "$rc" -eq 0
expect "the group is at 7/3/5" "0 7 1 3 2 5"

e2e_keys x
e2e_check "x shows the explorer" e2e_wait_for '^ ordertop explorer +1 Topics +2 Groups +3 Messages' 5
e2e_keys 2
e2e_check "Groups lists $G (no member: the fraud role is not run)" e2e_wait_for "^ $G " 20
e2e_check "its partitions: committed, end and lag" e2e_wait_for '^ xp\.reset +0 +7 +10 +3 ' 10

# plan_reset TO: R, the prompt, the plan on the screen
plan_reset() {
	e2e_keys R
	e2e_check "R asks where to reset to" e2e_wait_for 'reset to \(earliest' 5
	e2e_keys C-u
	e2e_type "$1"
	e2e_keys Enter
	e2e_check "the plan of the reset to $1 is shown" e2e_wait_for "Reset offsets of $G" 20
}

# --- to earliest: n cancels, then y runs it
plan_reset earliest
e2e_check "the plan says the target and counts the partitions" \
	e2e_wait_for "group $G to beginning: 3 partitions" 5
e2e_check "the plan says members cannot be listed here" e2e_wait_for 'members cannot be listed' 5
e2e_check "plan: partition 0 from 7 to 0" e2e_wait_for 'xp\.reset +0 +7 -> +0 *│' 5
e2e_check "plan: partition 1 from 3 to 0" e2e_wait_for 'xp\.reset +1 +3 -> +0 *│' 5
e2e_check "plan: partition 2 from 5 to 0" e2e_wait_for 'xp\.reset +2 +5 -> +0 *│' 5
e2e_check "plan: y runs it, n or Esc cancels" e2e_wait_for 'y: run it +n / Esc: cancel' 5
e2e_keys n
e2e_check "n: cancelled, nothing changed" e2e_wait_for 'cancelled; nothing changed' 5
expect "after n the group is still at 7/3/5" "0 7 1 3 2 5"

plan_reset earliest
e2e_check "plan again: partition 0 from 7 to 0" e2e_wait_for 'xp\.reset +0 +7 -> +0 *│' 5
e2e_keys y
e2e_check "y: the footer says the offsets were reset" e2e_wait_for 'offsets reset' 20
e2e_check "the Groups view shows the new committed offset" e2e_wait_for '^ xp\.reset +0 +0 +10 +10 ' 10
expect "after y the group is at 0/0/0, as planned" "0 0 1 0 2 0"

# --- to offset 4: Esc cancels, then y runs it
plan_reset 4
e2e_check "the plan says offset 4" e2e_wait_for "group $G to offset 4: 3 partitions" 5
e2e_check "plan: partition 0 from 0 to 4" e2e_wait_for 'xp\.reset +0 +0 -> +4 *│' 5
e2e_check "plan: partition 2 from 0 to 4" e2e_wait_for 'xp\.reset +2 +0 -> +4 *│' 5
e2e_keys Escape
e2e_check "Esc: cancelled, nothing changed" e2e_wait_for 'cancelled; nothing changed' 5
expect "after Esc the group is still at 0/0/0" "0 0 1 0 2 0"

plan_reset 4
e2e_check "plan again: partition 1 from 0 to 4" e2e_wait_for 'xp\.reset +1 +0 -> +4 *│' 5
e2e_keys y
e2e_check "y: the footer says the offsets were reset" e2e_wait_for 'offsets reset' 20
expect "after y the group is at 4/4/4, as planned" "0 4 1 4 2 4"

# --- a reset the broker refuses: after a consumer joined the group (kcat
# -G, then gone) the embedded broker answers "Unknown member"; the error
# stays on the Groups view's status line over its 2 s refreshes
timeout 30 $KC -G "$G" -e -q xp.reset >/dev/null 2>>"$E2E_TMP/kcat.err"
plan_reset earliest
e2e_keys y
e2e_check "y: the broker's refusal is said" e2e_wait_for 'Unknown member' 20
sleep 5
# above the footer (the last line), whose message may have gone by now
status_says() { e2e_screen | sed '$d' | grep -q 'Unknown member'; }
e2e_check "it is still on the status line after two refreshes" status_says
e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits with status 0 (got $code)" test "$code" = 0
e2e_finish
