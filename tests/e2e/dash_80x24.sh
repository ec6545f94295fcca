#!/bin/sh
# dash_80x24.sh — the dashboard at 80x24: panes fill with messages, every
# topic of the Streams tabs can be shown, the help overlay opens and
# closes, resizing keeps the layout whole, a too-small terminal says so,
# and `q` exits 0 with the terminal restored.
. "$(dirname "$0")/lib.sh"

e2e_start 80 24 --rate 20

e2e_check "dashboard starts (header and order table)" e2e_wait_for 'ordertop .*embedded' 30
e2e_check "order table fills: orders reach NOTIFIED" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_check "fraud decisions pane fills" e2e_wait_for '│[0-9:]{8} [✓✗] (APPROVED|REFUSED)' 20
e2e_check "orders stream pane fills" e2e_wait_for '[0-9:]{8} ○ ' 20
e2e_check "header shows counts and latency" e2e_wait_for '^orders [0-9]+ +appr [0-9]+ +ref [0-9]+ +notif [0-9]+ +dead [0-9]+ +e2e p50' 5
e2e_check "header shows topic rates" e2e_wait_for 'orders +[0-9.k]+/s' 5
e2e_check "rules pane lists numbered rules" e2e_wait_for '│1 [●○] (on|off) ' 10
e2e_check "layout is whole at 80x24" e2e_borders_intact

# Each topic of the shared Streams box can be shown: cycle with ].
for topic in orders.valid orders.refused notifications orders.notified 'dead letters' fraud.rules log orders; do
	e2e_keys ']'
	e2e_check "Streams tab shows $topic" e2e_wait_for "◂ $topic [0-9]/8 ▸" 5
done

e2e_keys '?'
e2e_check "help overlay opens" e2e_wait_for 'ordertop keys' 5
e2e_check "help lists the keys" e2e_wait_for 'toggle fraud rule N' 2
e2e_keys x
e2e_check "help overlay closes on any key" e2e_wait_gone 'ordertop keys' 5

e2e_resize 120 40
e2e_check "resize to 120x40 redraws the layout" e2e_wait_for '^┌ Orders.*┐┌' 10
e2e_check "layout is whole at 120x40" e2e_borders_intact
e2e_check "no too-small message at 120x40" e2e_wait_gone 'too small' 2

e2e_resize 50 12
e2e_check "shrinking below 60x16 says so" e2e_wait_for 'terminal too small \(50.12\), need at least 60.16' 10

e2e_resize 80 24
e2e_check "back to 80x24 draws the dashboard again" e2e_wait_for '^┌ Orders' 10
e2e_check "layout is whole again at 80x24" e2e_borders_intact

e2e_keys C-l
e2e_check "Ctrl-L redraws" e2e_wait_for '^┌ Orders' 5

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits with status 0 (got $code)" test "$code" = 0
e2e_check "terminal restored: the dashboard is gone" e2e_wait_gone 'Orders|ordertop +embedded|Fraud decisions' 5

e2e_finish
