#!/bin/sh
# dash_200x50.sh — the dashboard on a big terminal: every topic gets its
# own pane, panes fill, zoom and resize keep the layout whole, and `q`
# exits 0 with the terminal restored.
. "$(dirname "$0")/lib.sh"

e2e_start 200 50 --rate 20

e2e_check "dashboard starts" e2e_wait_for 'ordertop .*embedded' 30
e2e_check "order table fills" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
for title in Orders 'Fraud decisions' 'Rules v' 'orders ' 'orders.valid' 'orders.refused' \
             'notifications' 'orders.notified' 'dead letters' 'fraud.rules' 'log'; do
	e2e_check "pane '$title' has its own box" e2e_wait_for "┌ $title" 5
done
e2e_check "orders pane fills" e2e_wait_for '│[0-9:]{8} [0-9]+@[0-9]+ +○ ' 20
e2e_check "orders.valid pane fills" e2e_wait_for '│[0-9:]{8} [0-9]+@[0-9]+ +✓ ' 20
e2e_check "orders.notified pane fills" e2e_wait_for '│[0-9:]{8} [0-9]+@[0-9]+ +✉ ' 20
e2e_check "log pane shows log lines" e2e_wait_for '│[0-9:]{8} info +' 20
e2e_check "fraud workers report their rules version" e2e_wait_for 'v[0-9]+ ✓ ' 30
e2e_check "layout is whole at 200x50" e2e_borders_intact

# The pipeline runs below the thread that draws: workers and librdkafka's
# threads at a higher nice value than the main (drawing) thread.
pid=$(e2e_tmux list-panes -t e2e -F '#{pane_pid}' | head -1)
pid=$(pgrep -P "$pid" -f "$E2E_BIN" | head -1)
nice_of() { awk '{ sub(/^.*\) /, ""); print $17 }' "/proc/$pid/task/$1/stat"; }
below_ui() {
	ui=$(nice_of "$pid")
	for t in /proc/"$pid"/task/*; do
		t=${t##*/}
		case $(cat "/proc/$pid/task/$t/comm") in
		ot-*|rdk:*) [ "$(nice_of "$t")" -gt "$ui" ] || return 1 ;;
		esac
	done
}
e2e_check "pipeline threads run at a lower priority than the dashboard" below_ui

e2e_keys z
e2e_check "z zooms the focused pane" e2e_wait_for '^┌ Orders.*┐$' 5
e2e_check "zoomed layout is whole" e2e_borders_intact
e2e_keys z
e2e_check "z again unzooms" e2e_wait_for '┌ Fraud decisions' 5

e2e_resize 80 24
e2e_check "resize to 80x24: small layout with tabs" e2e_wait_for '◂ orders 1/8 ▸' 10
e2e_check "layout is whole at 80x24" e2e_borders_intact
e2e_resize 200 50
e2e_check "back to 200x50" e2e_wait_for '┌ orders.notified' 10
e2e_check "layout is whole again" e2e_borders_intact

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_check "terminal restored" e2e_wait_gone 'Fraud decisions|┌ Orders' 5
e2e_finish
