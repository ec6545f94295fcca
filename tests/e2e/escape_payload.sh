#!/bin/sh
# escape_payload.sh — message bytes are untrusted: an order published by a
# separate client (kcat) with terminal escape sequences in its key and
# payload shows them escaped (\x1b) in the orders pane and the dead
# letters, and the screen stays whole.
. "$(dirname "$0")/lib.sh"

if ! command -v kcat >/dev/null 2>&1; then
	echo "ok - # SKIP kcat is not installed"
	exit 0
fi

bsfile=$E2E_TMP/bootstrap
e2e_start 80 24 --rate 20 --bootstrap-file "$bsfile"
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_check "the bootstrap file is written" test -s "$bsfile"

# Pause the generator so the evil order stays in view.
e2e_keys g
e2e_wait_for 'generator off' 5

esc=$(printf '\033')
printf 'evil%s[31mkey|{"order_id":"esc-%s","user_id":"u%s[2J%s]0;pwned\\a","item":"x","quantity":1}\n' \
	"$esc" "$$" "$esc" "$esc" |
	kcat -P -b "$(cat "$bsfile")" -t orders -K '|' 2>"$E2E_TMP/kcat.err"
e2e_check "kcat published the order" test $? -eq 0

e2e_check "orders pane shows the escape as \\x1b" e2e_wait_for '\\x1b\[' 30
e2e_check "the screen was not cleared or recoloured: layout whole" e2e_borders_intact
e2e_keys ']' ']' ']' ']' ']'
e2e_check "dead letters tab" e2e_wait_for '◂ dead letters [0-9]/8 ▸' 5
e2e_keys Tab z
e2e_check "dead letters (zoomed) show the reason and the escaped bytes" \
	e2e_wait_for '☠ [a-zA-Z].*: .*\\x1b\[2J' 30
e2e_check "zoomed layout is whole" e2e_borders_intact
e2e_keys z

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
